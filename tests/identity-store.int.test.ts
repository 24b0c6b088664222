import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demographics } from '../src/identity/demographics.js';
import type { Db } from '../src/store/db.js';
import { IdentityStore } from '../src/store/identity-store.js';
import { migrate } from '../src/store/migrate.js';
import { dropSchema, openPostgres } from '../src/store/postgres.js';
import { TEST_DATABASE_URL, uniqueName } from './support/services.js';

const NOW = '2026-11-22T10:00:00.000Z';
const person = (d: Partial<Demographics>): Demographics => ({ identifierSystems: [], identifiers: [], ...d });

describe('identity blocking on a crowded birth date', () => {
  let db: Db;
  const store = new IdentityStore();
  const schema = uniqueName('ids');

  beforeAll(async () => {
    db = await openPostgres({ url: TEST_DATABASE_URL, schema });
    await migrate(db);
    // 80 babies born the same day across the region (a busy date), then the one who is the
    // same child: same date, surname, first name and postcode, but last in id order.
    const crowd = Array.from({ length: 80 }, (_, i) => ({
      personId: `a-${String(i).padStart(3, '0')}`,
      demographics: person({ family: `Family${i}`, given: `Given${i}`, birthDate: '2026-01-15', sex: 'female', postcode: `SO${10 + (i % 40)} 1AA` }),
    }));
    await db.transaction((tx) => store.saveDemographicsMany(tx, [
      ...crowd,
      { personId: 'z-same-child', demographics: person({ family: 'Okafor', given: 'Amara', birthDate: '2026-01-15', sex: 'female', postcode: 'SO16 3QP' }) },
    ], NOW));
  });
  afterAll(async () => {
    await db?.close();
    await dropSchema(TEST_DATABASE_URL, schema);
  });

  it('keeps the people who agree on most fields when the block is larger than the bound', async () => {
    const found = await db.transaction((tx) => store.candidates(tx,
      person({ family: 'Okafor', given: 'Amara', birthDate: '2026-01-15', sex: 'female', postcode: 'SO16 3QP' }), []));
    expect(found).toHaveLength(50);
    expect(found.map((c) => c.personId)).toContain('z-same-child');
    expect(found.find((c) => c.personId === 'z-same-child')!.demographics).toMatchObject({ family: 'Okafor', birthDate: '2026-01-15', postcode: 'SO16 3QP' });
  });

  it('still finds a namesake in the same year and postcode when the birth date differs', async () => {
    await db.transaction((tx) => store.saveDemographicsMany(tx, [
      { personId: 'y-namesake', demographics: person({ family: 'Okafor', given: 'Chidi', birthDate: '1990-03-02', postcode: 'SO16 3QP' }) }], NOW));
    const found = await db.transaction((tx) => store.candidates(tx, person({ family: 'Okafor', given: 'Chidi', birthDate: '1990-02-03', postcode: 'SO16 3QP' }), []));
    expect(found.map((c) => c.personId)).toEqual(['y-namesake', 'z-same-child']);
  });
});

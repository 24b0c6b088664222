import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyResource } from '../src/fhir/types.js';
import type { Db, Sql } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { openPglite } from '../src/store/pglite.js';
import { dropSchema, openPostgres } from '../src/store/postgres.js';
import { ResourceStore } from '../src/store/resource-store.js';
import { TEST_DATABASE_URL, uniqueName } from './support/services.js';

const patient = (family: string): AnyResource => ({ resourceType: 'Patient', id: 'rs-1', name: [{ family }], identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' }] }) as AnyResource;
const at = (n: number) => `2026-01-0${n}T10:00:00.000Z`;

describe.each(['postgres', 'pglite'] as const)('the resource store\'s versions and index (%s)', (kind) => {
  let db: Db;
  let store: ResourceStore;
  const schema = uniqueName('rs');

  beforeAll(async () => {
    db = kind === 'postgres' ? await openPostgres({ url: TEST_DATABASE_URL, schema }) : await openPglite(undefined);
    await migrate(db);
    store = new ResourceStore(db);
  });
  afterAll(async () => {
    await db?.close();
    if (kind === 'postgres') await dropSchema(TEST_DATABASE_URL, schema);
  });

  const tokens = async () => (await db.query<{ code: string }>(
    `SELECT code FROM search_token WHERE res_type = 'Patient' AND id = 'rs-1' ORDER BY code`)).rows.map((r) => r.code);

  it('keeps every version through update, delete and re-creation, each readable, with the index following the current one', async () => {
    const put = (family: string, n: number) => db.transaction((tx) => store.putMany(tx, [patient(family)], { sourceKey: 'src-1', now: at(n) }));
    expect(await put('Smith', 1)).toEqual([{ ref: 'Patient/rs-1', versionId: 1, changed: true, created: true }]);
    expect(await put('Smith', 2)).toEqual([{ ref: 'Patient/rs-1', versionId: 1, changed: false, created: false }]);
    expect(await put('Jones', 3)).toEqual([{ ref: 'Patient/rs-1', versionId: 2, changed: true, created: false }]);
    expect(await tokens()).toEqual(['9000000009']);
    expect(await db.transaction((tx) => store.removeMany(tx, ['Patient/rs-1', 'Patient/absent'], at(4)))).toEqual(['Patient/rs-1']);
    expect(await db.transaction((tx) => store.removeMany(tx, ['Patient/rs-1'], at(5)))).toEqual([]);
    expect(await tokens()).toEqual([]);
    expect(await store.read('Patient', 'rs-1')).toBeUndefined();
    expect(await put('Brown', 6)).toEqual([{ ref: 'Patient/rs-1', versionId: 4, changed: true, created: true }]);
    expect(await tokens()).toEqual(['9000000009']);

    const history = await store.history('Patient', 'rs-1');
    expect(history.map((h) => [h.versionId, h.deleted, (h.content as { name?: Array<{ family: string }> }).name?.[0]?.family])).toEqual([
      [4, false, 'Brown'], [3, true, 'Jones'], [2, false, 'Jones'], [1, false, 'Smith']]);
    expect(history[0]!.content.meta).toMatchObject({ versionId: '4', lastUpdated: at(6) });
    expect((await store.readVersion('Patient', 'rs-1', 1))?.content.meta).toMatchObject({ versionId: '1', lastUpdated: at(1) });
    expect(await store.readVersion('Patient', 'rs-1', 3)).toMatchObject({ deleted: true });
    expect(await store.readVersion('Patient', 'rs-1', 5)).toBeUndefined();
    // Superseded versions only in resource_history: the current one is stored once.
    const stored = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource_history WHERE id = 'rs-1'`)).rows[0]!.n;
    expect(stored).toBe(3);
  });
});

describe('the resource store under concurrent writers (postgres)', () => {
  let db: Db;
  let store: ResourceStore;
  const schema = uniqueName('rs');

  beforeAll(async () => {
    db = await openPostgres({ url: TEST_DATABASE_URL, schema });
    await migrate(db);
    store = new ResourceStore(db);
  });
  afterAll(async () => {
    await db?.close();
    await dropSchema(TEST_DATABASE_URL, schema);
  });

  /**
   * Runs `first` in a transaction held open after it has written, starts `second` (which
   * blocks on the first's locks), then lets the first commit; returns how the second ended.
   */
  async function interleave<T>(first: (tx: Sql) => Promise<unknown>, second: () => Promise<T>): Promise<{ value: T } | { error: string }> {
    let written!: () => void;
    let release!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const gate = new Promise<void>((r) => (release = r));
    const held = db.transaction(async (tx) => {
      await first(tx);
      written();
      await gate;
    });
    await wrote;
    const outcome = second().then((value) => ({ value }), (err: Error) => ({ error: err.message }));
    await new Promise((r) => setTimeout(r, 200));
    release();
    await held;
    return outcome;
  }

  it('refuses to overwrite a version another transaction wrote after this one read', async () => {
    const fresh = (family: string) => ({ ...patient(family), id: 'rs-race' }) as AnyResource;
    // Both find no such resource; the first creates it and holds its transaction open.
    const outcome = await interleave(
      (tx) => store.putMany(tx, [fresh('Green')], { sourceKey: null, now: at(1) }),
      () => db.transaction((tx) => store.putMany(tx, [fresh('White')], { sourceKey: null, now: at(2) })));
    // The second would have written version 1 over the first's: it fails (and its job retries) instead.
    expect(outcome).toMatchObject({ error: expect.stringMatching(/^concurrent write/) });
    const history = await store.history('Patient', 'rs-race');
    expect(history.map((h) => [h.versionId, (h.content as { name?: Array<{ family: string }> }).name?.[0]?.family])).toEqual([[1, 'Green']]);
  });

  it('deletes the version a concurrent update wrote, keeping that version in history', async () => {
    const res = (family: string) => ({ ...patient(family), id: 'rs-update-delete' }) as AnyResource;
    await db.transaction((tx) => store.putMany(tx, [res('Green')], { sourceKey: null, now: at(1) }));
    const outcome = await interleave(
      (tx) => store.putMany(tx, [res('White')], { sourceKey: null, now: at(2) }),
      () => db.transaction((tx) => store.removeMany(tx, ['Patient/rs-update-delete'], at(3))));
    expect(outcome).toEqual({ value: ['Patient/rs-update-delete'] });
    const history = await store.history('Patient', 'rs-update-delete');
    expect(history.map((h) => [h.versionId, h.deleted, (h.content as { name?: Array<{ family: string }> }).name?.[0]?.family])).toEqual([
      [3, true, 'White'], [2, false, 'White'], [1, false, 'Green']]);
  });
});

import { describe, expect, it } from 'vitest';
import type { AnyResource } from '../../src/fhir/types.js';
import { nhsCheckDigit } from '../../src/identity/nhs-number.js';
import { bundleResources } from '../../src/mapping/bundle.js';
import { stableStringify } from '../../src/util/stable-json.js';
import { eventSequence, shuffled } from './event-sequence.fixture.js';
import { socialcareSource } from './index.js';

/**
 * The store rules of src/pipeline/map-message.ts, in memory: a message applies unless a
 * higher version of its key was applied; it writes its resources under its key and retires
 * what its key produced before and it lacks. Patients are merged from per-source
 * contributions, which commute when every message states a person alike, checked apart.
 * The real pipeline on PostgreSQL is proved in tests/socialcare.int.test.ts; this explores
 * hundreds of orders in milliseconds.
 */
class ModelStore {
  private readonly versions = new Map<string, number>();
  readonly resources = new Map<string, { content: AnyResource; key: string }>();

  apply(key: string, version: number | null, produced: AnyResource[]): void {
    if (version !== null) {
      const applied = this.versions.get(key);
      if (applied !== undefined && applied > version) return;
      this.versions.set(key, version);
    }
    const refs = new Set(produced.map((r) => `${r.resourceType}/${r.id}`));
    for (const [ref, row] of this.resources) if (row.key === key && !refs.has(ref)) this.resources.delete(ref);
    for (const r of produced) this.resources.set(`${r.resourceType}/${r.id}`, { content: r, key });
  }

  snapshot(): string {
    return stableStringify([...this.resources.entries()].map(([ref, row]) => [ref, row.content]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  }
}

function nhs(n: number): string {
  for (let i = n * 10; ; i++) {
    const nine = `999${String(i).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}

const messages = eventSequence({ childNhs: nhs(1), motherNhs: nhs(2), fatherNhs: nhs(3), partnerNhs: nhs(4) }).flatMap((event) =>
  socialcareSource.split!(Buffer.from(JSON.stringify(event)), 'application/json').map((part) => {
    const record = socialcareSource.parse(part, 'application/json');
    const ctx = { messageId: 'm', receivedAt: '2027-05-01T00:00:00Z', source: 'socialcare' };
    return { identity: socialcareSource.identity(record), resources: bundleResources(socialcareSource.map(record, ctx)) };
  }));

function stateAfter(order: typeof messages): string {
  const store = new ModelStore();
  for (const m of order) store.apply(m.identity.key, m.identity.version, m.resources.filter((r) => r.resourceType !== 'Patient' && r.resourceType !== 'Provenance'));
  return store.snapshot();
}

describe('socialcare events converge under the pipeline\'s key and version rules (modelled in memory)', () => {
  const inOrder = stateAfter(messages);

  it('reaches the in-order state from 500 shuffled arrival orders', () => {
    for (let seed = 1; seed <= 500; seed++) expect([seed, stateAfter(shuffled(messages, seed))]).toEqual([seed, inOrder]);
  });

  it('ends with the plans finished, the CP plan\'s latest category, and the later household', () => {
    const resources = JSON.parse(inOrder) as Array<[string, AnyResource]>;
    const episodes = resources.filter(([ref]) => ref.startsWith('EpisodeOfCare/')).map(([, r]) => r as AnyResource & { status: string });
    expect(episodes.map((e) => e.status)).toEqual(['finished', 'finished', 'finished', 'finished']);
    const codes = JSON.stringify(resources.filter(([ref]) => ref.startsWith('Condition/')));
    expect(codes).toContain('"code":"NEG"');
    expect(codes).not.toContain('"code":"PHY"');
    const household = JSON.stringify(resources.filter(([ref]) => ref.startsWith('RelatedPerson/')));
    expect(household).toContain(nhs(4));
    expect(household).not.toContain(nhs(3));
  });

  it('states every person alike in every message, so merging their Patient contributions commutes', () => {
    const seen = new Map<string, string>();
    for (const r of messages.flatMap((m) => m.resources).filter((x) => x.resourceType === 'Patient')) {
      const text = stableStringify(r);
      expect([r.id, seen.get(r.id!) ?? text]).toEqual([r.id, text]);
      seen.set(r.id!, text);
    }
  });
});

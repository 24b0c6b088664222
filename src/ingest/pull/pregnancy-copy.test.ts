import { describe, expect, it } from 'vitest';
import type { AnyResource } from '../../fhir/types.js';
import { pregnancyCopy } from './pregnancy-copy.js';

const episode = (id: string): AnyResource => ({ resourceType: 'EpisodeOfCare', id, status: 'active', patient: { reference: 'Patient/m' } });
const encounter = (id: string, ep: string): AnyResource => ({ resourceType: 'Encounter', id, status: 'finished', class: { code: 'AMB' }, episodeOfCare: [{ reference: `EpisodeOfCare/${ep}` }] });
const observation = (id: string, enc: string, lastUpdated?: string): AnyResource => ({ resourceType: 'Observation', id, status: 'final', code: {},
  encounter: { reference: `Encounter/${enc}` }, ...(lastUpdated ? { meta: { lastUpdated } } : {}) });

describe('packaging a fetched pregnancy', () => {
  it('keeps this pregnancy and the mother\'s records, and drops other pregnancies with their encounters and observations', () => {
    const copy = pregnancyCopy(episode('p2'), [{ resourceType: 'Patient', id: 'm' }, episode('p1'), encounter('e1', 'p1'), observation('o1', 'e1'),
      encounter('e2', 'p2'), observation('o2', 'e2', '2026-11-28T12:00:00Z')], 'https://x.example/fhir', '2026-12-01T00:00:00Z');
    expect(copy.entry!.map((e) => e.fullUrl)).toEqual(['https://x.example/fhir/Patient/m', 'https://x.example/fhir/Encounter/e2',
      'https://x.example/fhir/Observation/o2', 'https://x.example/fhir/EpisodeOfCare/p2']);
    expect(copy.timestamp).toBe('2026-11-28T12:00:00Z');
  });

  it('is versioned by when it was fetched when the server states no times', () => {
    expect(pregnancyCopy(episode('p'), [], 'https://x.example/fhir', '2026-12-01T00:00:00Z').timestamp).toBe('2026-12-01T00:00:00Z');
  });
});

import { describe, expect, it } from 'vitest';
import type { Demographics } from './demographics.js';
import { explain, scoreMatch } from './match-score.js';
import { nearMissPairs } from './near-miss.fixture.js';

const father: Demographics = { family: 'JONES', given: 'MARK', birthDate: '1995-02-11', sex: 'male', postcode: 'SO166YD', identifierSystems: [], identifiers: [] };

describe('scoreMatch', () => {
  it('matches the same father with no NHS number on name, birth date and postcode, explaining each field', () => {
    const s = scoreMatch(father, { ...father, nhsNumber: '9434765870' });
    expect(s.outcome).toBe('MATCH');
    expect(s.fields.map((f) => [f.field, f.result, f.weight])).toEqual([
      ['family', 'same', 4.5], ['given', 'same', 3.5], ['birthDate', 'same', 6], ['sex', 'same', 0.5], ['postcode', 'same', 3],
    ]);
    expect(explain(s)).toMatch(/^MATCH 17.5 \(match ≥ 14.5, review ≥ 9\): family same \+4.5; given same \+3.5/);
  });

  it('never merges two people with the same name born the same year', () => {
    const other = { ...father, birthDate: '1995-08-30' };
    expect(scoreMatch(father, other).outcome).not.toBe('MATCH');
    expect(scoreMatch(father, { ...other, postcode: 'BH11AA' }).outcome).toBe('NO_MATCH');
  });

  it('treats NHS numbers and same-system identifiers as decisive', () => {
    expect(scoreMatch({ ...father, nhsNumber: '9434765870' }, { ...father, nhsNumber: '9434765919' }).outcome).toBe('NO_MATCH');
    const twin1 = { ...father, identifierSystems: ['rhm'], identifiers: ['rhm|B1'] };
    const twin2 = { ...father, identifierSystems: ['rhm'], identifiers: ['rhm|B2'] };
    expect(scoreMatch(twin1, twin2).fields[0]!.result).toBe('different identifiers in rhm');
  });

  it('never links an unnamed newborn automatically: "Twin 1" and "Twin 2", or two "Baby Smith"s, go to review', async () => {
    const { demographicsOf } = await import('./demographics.js');
    const baby = (given: string) => demographicsOf({ resourceType: 'Patient', name: [{ family: 'Smith', given: [given] }], birthDate: '2026-11-01', gender: 'female', address: [{ postalCode: 'SO16 6YD' }] });
    for (const [x, y] of [['Twin 1', 'Twin 2'], ['Baby', 'Baby'], ['Baby Girl', 'Baby Girl'], ['Girl', 'Girl 2'], ['Twin 1', 'Amelia']]) {
      const s = scoreMatch(baby(x!), baby(y!));
      expect([x, y, s.outcome]).toEqual([x, y, 'POSSIBLE_MATCH']);
    }
    expect(baby('Baby').given).toBeUndefined();
    // A named baby still matches itself.
    expect(scoreMatch(baby('Amelia'), baby('Amelia')).outcome).toBe('MATCH');
  });

  it('reports precision and recall on generated near-miss pairs, with no false automatic merge', () => {
    const pairs = nearMissPairs();
    expect(pairs.length).toBeGreaterThanOrEqual(50);
    const rows = new Map<string, { same: boolean; MATCH: number; POSSIBLE_MATCH: number; NO_MATCH: number }>();
    let tpAuto = 0, fpAuto = 0, found = 0, fpFound = 0;
    const truePairs = pairs.filter((p) => p.same).length;
    for (const p of pairs) {
      const { outcome } = scoreMatch(p.a, p.b);
      const row = rows.get(p.kind) ?? { same: p.same, MATCH: 0, POSSIBLE_MATCH: 0, NO_MATCH: 0 };
      row[outcome]++;
      rows.set(p.kind, row);
      if (outcome === 'MATCH') p.same ? tpAuto++ : fpAuto++;
      if (outcome !== 'NO_MATCH') p.same ? found++ : fpFound++;
    }
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const report = [
      `Matcher on ${pairs.length} generated near-miss pairs (${truePairs} same person, ${pairs.length - truePairs} different people):`,
      `  automatic MATCH: precision ${pct(tpAuto / Math.max(1, tpAuto + fpAuto))}, recall ${pct(tpAuto / truePairs)}`,
      `  MATCH or POSSIBLE_MATCH (review list): precision ${pct(found / Math.max(1, found + fpFound))}, recall ${pct(found / truePairs)}`,
      ...[...rows].map(([kind, r]) => `  ${r.same ? 'same     ' : 'different'} ${kind}: MATCH ${r.MATCH}, POSSIBLE ${r.POSSIBLE_MATCH}, NO_MATCH ${r.NO_MATCH}`),
    ].join('\n');
    console.log(report);
    expect(fpAuto, report).toBe(0);
    expect(found / truePairs, report).toBeGreaterThanOrEqual(0.95);
    expect(tpAuto / truePairs, report).toBeGreaterThanOrEqual(0.7);
  });
});

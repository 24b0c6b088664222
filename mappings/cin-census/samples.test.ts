import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CradleError } from '../../src/fhir/outcome.js';
import type { EpisodeOfCare } from '../../src/fhir/types.js';
import { bundleResources } from '../../src/mapping/bundle.js';
import { packageRoot } from '../../src/util/package-root.js';
import { cinCensusSource } from './index.js';

const SAMPLES = join(packageRoot, 'tests/data/external/cin-census');
const ctx = { messageId: '00000000-0000-4000-8000-000000000002', receivedAt: '2026-11-30T12:00:00Z', source: 'cin-census' };

/** Each child part of a real sample: its record key, or the expressions of its problems. */
function outcomes(file: string): Array<string | string[]> {
  const parts = cinCensusSource.split!(readFileSync(join(SAMPLES, file)), 'application/xml');
  return parts.map((part) => {
    try {
      return cinCensusSource.identity(cinCensusSource.parse(part, 'application/xml')).key;
    } catch (err) {
      if (!(err instanceof CradleError)) throw err;
      return err.issues.map((i) => `${i.code} ${i.expression?.[0]}`);
    }
  });
}

describe('the published CIN census samples (tests/data/external/cin-census, MIT)', () => {
  it('ingests liia-tools cin-2022.xml, valid against the XSD, as its child\'s case and plans', () => {
    expect(outcomes('liia_cin-2022.xml')).toEqual(['cin-census|201|DfEX0000001|2022']);
    const body = cinCensusSource.split!(readFileSync(join(SAMPLES, 'liia_cin-2022.xml')), 'application/xml')[0]!;
    const resources = bundleResources(cinCensusSource.map(cinCensusSource.parse(body, 'application/xml'), ctx));
    const episodes = resources.filter((r): r is EpisodeOfCare => r.resourceType === 'EpisodeOfCare');
    expect(episodes.map((e) => [e.type?.[0]?.coding?.[0]?.code, e.status, e.period?.start, e.period?.end])).toEqual([
      ['cin-episode', 'finished', '1970-10-06', '1971-02-27'],
      ['cin-plan', 'finished', '1971-01-24', '1971-01-26'],
      ['cp-plan', 'finished', '1970-02-17', '1971-03-14'],
    ]);
  });

  it('rejects csc-validator CIN2rows.xml for the stray text inside ChildIdentifiers', () => {
    expect(outcomes('cscval_CIN2rows.xml')).toEqual([['CRADLE_INPUT_INVALID /Message/Children/Child[1]/ChildIdentifiers']]);
  });

  it('rejects csc-validator CIN_Census_2021.xml for the same stray text', () => {
    expect(outcomes('cscval_CIN_Census_2021.xml')).toEqual([['CRADLE_INPUT_INVALID /Message/Children/Child[1]/ChildIdentifiers']]);
  });

  it('rejects each child of csc-validator CIN_Census_2024.xml on its own, naming every schema problem', () => {
    expect(outcomes('cscval_CIN_Census_2024.xml')).toEqual([
      [
        'CRADLE_INPUT_INVALID /Message/Children/Child[1]/ChildIdentifiers',
        'CRADLE_INPUT_INVALID /Message/Children/Child[1]/ChildIdentifiers/Sex',
        'CRADLE_INPUT_MISSING /Message/Children/Child[1]/ChildIdentifiers/GenderCurrent',
        'CRADLE_INPUT_INVALID /Message/Children/Child[1]/CINdetails[1]/Assessments[1]/FactorsIdentifiedAtAssessment/AssessmentFactors[2]',
      ],
      [
        'CRADLE_INPUT_INVALID /Message/Children/Child[2]/ChildIdentifiers/Sex',
        'CRADLE_INPUT_MISSING /Message/Children/Child[2]/ChildIdentifiers/GenderCurrent',
        'CRADLE_INPUT_MISSING /Message/Children/Child[2]/CINdetails[1]/Assessments[1]/FactorsIdentifiedAtAssessment/AssessmentFactors',
      ],
    ]);
  });
});

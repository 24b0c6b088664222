import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allSources } from '../../mappings/index.js';
import { CradleError } from '../../src/fhir/outcome.js';
import { packageRoot } from '../../src/util/package-root.js';

/** Inputs fuzzing once crashed on, kept as plain tests so each fix stays fixed. */
describe('fuzzing regressions', () => {
  it('answers NEMS XML the XML validator passes but the parser refuses (an unclosed comment) with a parse error', () => {
    // Fuzz iteration 8012 of a NEMS sample (Apache-2.0, see tests/data/external/SOURCES.md).
    const nems = allSources().get('nems')!;
    const body = readFileSync(join(packageRoot, 'tests/fuzz/regressions/nems-unclosed-comment.xml'));
    let error: unknown;
    try {
      nems.parse(body, 'application/fhir+xml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CradleError);
    expect((error as CradleError).issues[0]!.code).toBe('CRADLE_PARSE_ERROR');
  });

  it('answers FHIR Bundles with null entries with a validation error, not a crash', () => {
    for (const source of ['gp-fhir', 'maternity-fhir']) {
      const adapter = allSources().get(source)!;
      expect(() => adapter.parse(Buffer.from('{"resourceType":"Bundle","type":"collection","entry":[null]}'), 'application/fhir+json'), source).toThrow(CradleError);
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilityStatementFile, issueCodesMarkdown } from '../src/docs/generated.js';
import { packageRoot } from '../src/util/package-root.js';

describe('generated files are current (run `npm run gen` after changing their source)', () => {
  it('docs/issue-codes.md matches src/fhir/issue-codes.ts', () => {
    expect(readFileSync(join(packageRoot, 'docs/issue-codes.md'), 'utf8')).toBe(issueCodesMarkdown());
  });
  it('profiles/CapabilityStatement-cradle.json matches the search parameters Cradle indexes', () => {
    expect(readFileSync(join(packageRoot, 'profiles/CapabilityStatement-cradle.json'), 'utf8')).toBe(capabilityStatementFile());
  });
});

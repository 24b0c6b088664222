// Writes generated reference files from their source of truth:
// - docs/issue-codes.md from src/fhir/issue-codes.ts
// - profiles/CapabilityStatement-cradle.json from src/fhir/search-params.ts
// `npm run gen` rewrites them; tests/generated.test.ts fails when they are stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilityStatementFile, issueCodesMarkdown } from '../src/docs/generated.js';
import { packageRoot } from '../src/util/package-root.js';

writeFileSync(join(packageRoot, 'docs/issue-codes.md'), issueCodesMarkdown());
writeFileSync(join(packageRoot, 'profiles/CapabilityStatement-cradle.json'), capabilityStatementFile());
console.log('wrote docs/issue-codes.md and profiles/CapabilityStatement-cradle.json');

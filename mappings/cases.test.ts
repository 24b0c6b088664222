import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CradleError } from '../src/fhir/outcome.js';
import type { AnyResource, Bundle } from '../src/fhir/types.js';
import { validateResources } from '../src/fhir/validator.js';
import { bundleResources } from '../src/mapping/bundle.js';
import { deterministicId } from '../src/mapping/ids.js';
import { packageRoot } from '../src/util/package-root.js';
import { stableStringify } from '../src/util/stable-json.js';
import { allSources } from './index.js';

/**
 * Golden cases: every `mappings/<source>/cases/<name>.input.*` is mapped with a fixed
 * message id and clock and compared with `<name>.expected.json` (a Bundle, or the
 * OperationOutcome for bad input). A difference writes `<name>.actual.json` beside it.
 * `npm run test:cases:update` rewrites expectations; review that diff like code.
 * No hand-kept list: a new case file is a new test.
 */
const RECEIVED_AT = '2026-11-30T12:00:00Z';
const update = process.env.UPDATE_CASES === '1';
const sources = allSources();

const cases = [...sources.keys()].flatMap((source) => {
  const dir = join(packageRoot, 'mappings', source, 'cases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.input\.[a-z0-9]+$/.test(f)).sort().map((file) => ({ source, dir, file, name: file.replace(/\.input\.[a-z0-9]+$/, '') }));
});

function run(source: string, input: Buffer, name: string): unknown {
  const adapter = sources.get(source)!;
  const ctx = { messageId: deterministicId('golden-case', source, name), receivedAt: RECEIVED_AT, source };
  try {
    return adapter.map(adapter.parse(input, adapter.mediaTypes[0]!), ctx);
  } catch (err) {
    if (err instanceof CradleError) return err.toOutcome();
    throw err;
  }
}

describe.each(cases)('golden case $source/$name', ({ source, dir, file, name }) => {
  const input = readFileSync(join(dir, file));
  const actual = run(source, input, name);
  const expectedPath = join(dir, `${name}.expected.json`);
  const actualPath = join(dir, `${name}.actual.json`);

  it('matches its expected output', () => {
    const text = `${JSON.stringify(JSON.parse(stableStringify(actual)), null, 2)}\n`;
    if (update) writeFileSync(expectedPath, text);
    expect(existsSync(expectedPath), `${expectedPath} missing: run npm run test:cases:update and review it`).toBe(true);
    const expected = readFileSync(expectedPath, 'utf8');
    if (expected !== text) writeFileSync(actualPath, text);
    else rmSync(actualPath, { force: true });
    expect(JSON.parse(text)).toEqual(JSON.parse(expected));
  });

  it('is deterministic', () => {
    expect(stableStringify(run(source, input, name))).toBe(stableStringify(actual));
  });

  if ((actual as { resourceType: string }).resourceType === 'Bundle') {
    const resources = bundleResources(actual as Bundle);
    it('has unique ids, no empty values, and references that resolve inside the Bundle', () => {
      const ids = resources.map((r) => `${r.resourceType}/${r.id}`);
      expect(new Set(ids).size).toBe(ids.length);
      expect(emptyPaths(actual)).toEqual([]);
      expect(unresolved(resources, new Set(ids))).toEqual([]);
    });
    it('is valid FHIR R4 and conforms to Cradle profiles', () => {
      expect(validateResources(resources)).toEqual([]);
    });
  } else {
    it('rejects with issues that point at fields', () => {
      const outcome = actual as { issue: Array<{ expression?: string[] }> };
      expect(outcome.issue.length).toBeGreaterThan(0);
      // JSON input: `$.path`; ER7: an HL7 position (`PID-7`, `NK1[2]-3.1`); FHIR input: FHIRPath (`Bundle.entry[0]…`);
      // XML input: an XPath-like location (`/Message/Children/Child[3]/ChildIdentifiers/PersonBirthDate`).
      for (const issue of outcome.issue) expect(issue.expression?.[0]).toMatch(/^(\$|\/|[A-Z][A-Z0-9]{2}(\[\d+\])?(-\d|$)|[A-Z][A-Za-z]+(\.|\[|$))/);
    });
  }
});

function emptyPaths(value: unknown, path = '$'): string[] {
  if (value === '' || value === null) return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => emptyPaths(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value as object);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyPaths(v, `${path}.${k}`));
  }
  return [];
}

function unresolved(resources: AnyResource[], ids: Set<string>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, where: string) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, where));
    else if (v && typeof v === 'object') {
      const ref = (v as { reference?: unknown }).reference;
      if (typeof ref === 'string' && /^[A-Z]\w+\/[^/]+$/.test(ref) && !ids.has(ref)) out.push(`${where} → ${ref}`);
      Object.values(v).forEach((x) => walk(x, where));
    }
  };
  for (const r of resources) walk(r, `${r.resourceType}/${r.id}`);
  return out;
}

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, readPackageJson } from '../util/package-root.js';
import type { Issue } from './outcome.js';
import type { AnyResource, CodeSystem, ElementDefinition, StructureDefinition, ValueSet } from './types.js';

/**
 * Checks resources against Cradle's own profiles (profiles/StructureDefinition-*.json).
 * It reads the differential and enforces the constraints Cradle's profiles use:
 * cardinality (also of extension slices by url), patternCodeableConcept, required
 * bindings to Cradle's local ValueSets, and Reference target types. UK Core profiles a
 * resource claims are conformance claims checked by its tests, not here.
 */
export function checkProfiles(resource: AnyResource): Issue[] {
  const profiles = resource.meta?.profile ?? [];
  if (profiles.length === 0) return [];
  const { structures } = conformance();
  // Most resources claim only UK Core profiles, not checked here: answer those without closures.
  if (!claimsCradleProfile(profiles, structures)) return [];
  return profiles.flatMap((url) => {
    const sd = structures.get(url);
    return sd ? checkAgainst(resource, sd) : [];
  });
}

function claimsCradleProfile(profiles: readonly string[], structures: ReadonlyMap<string, StructureDefinition>): boolean {
  for (let i = 0; i < profiles.length; i++) if (structures.has(profiles[i]!)) return true;
  return false;
}

interface Conformance {
  structures: Map<string, StructureDefinition>;
  valueSets: Map<string, Set<string>>;
}

let loaded: Conformance | undefined;

function conformance(): Conformance {
  if (loaded) return loaded;
  const files = readdirSync(join(packageRoot, 'profiles')).filter((f) => f.endsWith('.json'));
  const read = <T>(prefix: string) => files.filter((f) => f.startsWith(prefix)).map((f) => readPackageJson<T>(`profiles/${f}`));
  const codeSystems = new Map(read<CodeSystem>('CodeSystem-').map((cs) => [cs.url!, new Set((cs.concept ?? []).map((c) => c.code))]));
  const valueSets = new Map<string, Set<string>>();
  for (const vs of read<ValueSet>('ValueSet-')) {
    const codes = new Set<string>();
    for (const inc of vs.compose?.include ?? []) {
      const all = inc.concept?.map((c) => c.code) ?? [...(codeSystems.get(inc.system ?? '') ?? [])];
      for (const code of all) codes.add(`${inc.system}|${code}`);
    }
    valueSets.set(vs.url!, codes);
  }
  const structures = new Map(read<StructureDefinition>('StructureDefinition-').filter((s) => s.kind === 'resource').map((s) => [s.url!, s]));
  loaded = { structures, valueSets };
  return loaded;
}

type Json = Record<string, unknown>;

function checkAgainst(resource: AnyResource, sd: StructureDefinition): Issue[] {
  const issues: Issue[] = [];
  const fail = (path: string, what: string) =>
    issues.push({ code: 'CRADLE_FHIR_INVALID', expression: [path], diagnostics: `${path} ${what} (profile ${sd.name})` });
  for (const el of sd.differential?.element ?? []) {
    const segments = el.path.split('.').slice(1);
    if (segments.length === 0) continue;
    const last = segments[segments.length - 1]!;
    const parents = navigate([resource as unknown as Json], segments.slice(0, -1));
    for (const parent of parents) {
      let values = asArray(parent[last]);
      if (el.sliceName) values = values.filter((v) => (v as Json).url === el.type?.[0]?.profile?.[0]);
      const where = el.sliceName ? `${el.path}:${el.sliceName}` : el.path;
      if (el.min !== undefined && values.length < el.min) fail(where, `needs at least ${el.min} value(s)`);
      if (el.max !== undefined && el.max !== '*' && values.length > Number(el.max)) fail(where, `allows at most ${el.max} value(s)`);
      checkValues(el, values, where, fail);
    }
  }
  return issues;
}

function checkValues(el: ElementDefinition, values: unknown[], where: string, fail: (p: string, w: string) => void): void {
  if (values.length === 0) return;
  if (el.patternCodeableConcept && !values.some((v) => containsPattern(v, el.patternCodeableConcept))) {
    fail(where, `must include ${JSON.stringify(el.patternCodeableConcept)}`);
  }
  if (el.binding?.strength === 'required' && el.binding.valueSet) {
    const allowed = conformance().valueSets.get(el.binding.valueSet);
    if (allowed) {
      for (const v of values) {
        const codings = asArray((v as Json).coding) as Array<{ system?: string; code?: string }>;
        if (!codings.some((c) => allowed.has(`${c.system}|${c.code}`))) fail(where, `must have a code from ${el.binding.valueSet}`);
      }
    }
  }
  const targets = el.type?.[0]?.code === 'Reference' ? el.type[0].targetProfile : undefined;
  if (targets?.length) {
    const types = targets.map((t) => t.split('/').pop());
    for (const v of values) {
      const reference = (v as Json).reference;
      if (typeof reference === 'string' && !types.includes(reference.split('/')[0])) fail(where, `must reference ${types.join(' or ')}`);
    }
  }
}

function navigate(nodes: Json[], segments: string[]): Json[] {
  let current = nodes;
  for (const seg of segments) {
    current = current.flatMap((n) => asArray(n[seg])).filter((v): v is Json => typeof v === 'object' && v !== null);
  }
  return current;
}

/** Pattern semantics: every property of the pattern appears in the value (arrays: each pattern item matches some item). */
function containsPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) return Array.isArray(value) && pattern.every((p) => value.some((v) => containsPattern(v, p)));
  if (pattern && typeof pattern === 'object') {
    return !!value && typeof value === 'object' && Object.entries(pattern).every(([k, p]) => containsPattern((value as Json)[k], p));
  }
  return value === pattern;
}

function asArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

import { validateResource } from '../../src/fhir/validator.js';
import type { TimingOptions } from './mapping-compare.js';
import { medplumValidator } from './medplum-side.js';
import { microsPer, timePasses, warmUp } from './timing.js';
import type { Variant } from './variants.js';

/** Where the two validators disagree: one kind of variant of one resource type. */
export interface Disagreement {
  kind: string;
  resourceType: string;
  count: number;
  acceptedBy: 'cradle' | 'medplum';
}

export interface ValidatorCheck {
  resources: number;
  cradle: { valid: number; invalid: number };
  medplum: { valid: number; invalid: number };
  agree: number;
  disagree: number;
  disagreements: Disagreement[];
}

const cradleAccepts = (resource: unknown) => validateResource(resource).length === 0;

/** Both validators' verdict on every variant, and where they differ (untimed). */
export function checkValidators(variants: readonly Variant[]): ValidatorCheck {
  const medplumAccepts = medplumValidator();
  const check: ValidatorCheck = {
    resources: variants.length, cradle: { valid: 0, invalid: 0 }, medplum: { valid: 0, invalid: 0 }, agree: 0, disagree: 0, disagreements: [],
  };
  const byKey = new Map<string, Disagreement>();
  for (const { kind, resource } of variants) {
    const mine = cradleAccepts(resource);
    const theirs = medplumAccepts(resource);
    check.cradle[mine ? 'valid' : 'invalid']++;
    check.medplum[theirs ? 'valid' : 'invalid']++;
    if (mine === theirs) {
      check.agree++;
      continue;
    }
    check.disagree++;
    const resourceType = String((resource as { resourceType?: unknown }).resourceType);
    const key = `${kind}|${resourceType}|${mine}`;
    const d = byKey.get(key) ?? { kind, resourceType, count: 0, acceptedBy: mine ? 'cradle' : 'medplum' };
    d.count++;
    byKey.set(key, d);
  }
  check.disagreements = [...byKey.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.resourceType.localeCompare(b.resourceType));
  return check;
}

/** Resources per second through each validator, over the same variants (valid and invalid). */
export async function timeValidators(variants: readonly Variant[], opts: TimingOptions): Promise<{ cradle: number; medplum: number }> {
  const medplumAccepts = medplumValidator();
  const pass = (accepts: (r: unknown) => boolean) => () => { for (const v of variants) accepts(v.resource); };
  const rate = async (accepts: (r: unknown) => boolean) => {
    await warmUp(opts.warmUpSeconds, pass(accepts));
    return 1e6 / microsPer(await timePasses(variants.length, opts.minSeconds, pass(accepts)));
  };
  return { cradle: await rate(cradleAccepts), medplum: await rate(medplumAccepts) };
}

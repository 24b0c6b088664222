import { CS, SYSTEM } from '../../src/fhir/canonical.js';
import type { Observation, Quantity } from '../../src/fhir/types.js';
import type { MaternityRecord, Referral, SocialFactor, SocialFactorKey } from '../maternity/record.js';
import type { BundleIndex, Located } from './bundle-index.js';
import type { People } from './people.js';
import type { Problems } from './problems.js';
import { cradleCode } from './read-values.js';

/** Observations by the Cradle observation type they mean (`estimated-delivery-date`…). */
export function observationsByType(index: BundleIndex): Map<string, Array<Located<Observation>>> {
  const out = new Map<string, Array<Located<Observation>>>();
  for (const o of index.ofType('Observation')) {
    const type = cradleCode(o.resource.code, CS.observationType);
    if (type) out.set(type, [...(out.get(type) ?? []), o]);
  }
  return out;
}

/** The pregnancy's dated facts: booking, EDD, gestation at booking, fetuses, previous live births. */
export function pregnancy(episodeStart: string | undefined, obs: Map<string, Array<Located<Observation>>>): NonNullable<MaternityRecord['pregnancy']> {
  const first = (type: string) => obs.get(type)?.[0]?.resource;
  const edd = first('estimated-delivery-date')?.valueDateTime;
  const booking = first('gestation-at-booking')?.valueQuantity;
  return {
    ...(edd ? { edd: edd.slice(0, 10) } : {}),
    ...(episodeStart ? { bookingDate: episodeStart.slice(0, 10) } : {}),
    ...(booking?.value !== undefined ? { gestationAtBookingWeeks: Math.floor(weeks(booking)!) } : {}),
    ...integer('fetusCount', first('fetus-count')?.valueInteger),
    ...integer('previousLiveBirths', first('previous-live-births')?.valueInteger),
  };
}

/** Gestation and weight at birth, from the baby's own Observations. */
export function birthFacts(located: Located, obs: Map<string, Array<Located<Observation>>>, index: BundleIndex) {
  const about = (type: string) => obs.get(type)?.find((o) => index.resolve(o.resource.subject)?.path === located.path)?.resource;
  const gestation = about('gestation-at-birth')?.valueQuantity;
  const weight = about('birth-weight')?.valueQuantity;
  const grams = weight?.value === undefined ? undefined : weight.code === 'kg' || weight.unit === 'kg' ? Math.round(weight.value * 1000) : weight.value;
  return { ...(gestation ? { gestationWeeks: weeks(gestation) } : {}), ...(grams !== undefined ? { birthWeightGrams: grams } : {}) };
}

/** Conditions meaning a Cradle social factor. The source's own code is kept when it leads the codings. */
export function socialFactors(index: BundleIndex, people: People, problems: Problems): SocialFactor[] {
  return index.ofType('Condition').flatMap((c): SocialFactor[] => {
    const r = c.resource;
    const factor = cradleCode(r.code, CS.socialFactor) as SocialFactorKey | undefined;
    if (!factor || factor === ('social-factor' as SocialFactorKey)) return [];
    const subject = people.subject(r.subject, aboutOf(r.extension));
    if (!subject) return unknownSubject(problems, `${c.path}.subject`);
    const lead = r.code?.coding?.[0];
    const explicit = lead && lead.system !== CS.socialFactor && lead.code ? { system: lead.system!, code: lead.code, ...(lead.display ? { display: lead.display } : {}) } : undefined;
    const active = r.clinicalStatus?.coding?.some((k) => k.system === SYSTEM.conditionClinical && ['active', 'recurrence', 'relapse'].includes(k.code ?? ''));
    return [{
      factor, subject, status: active ? 'current' : 'past',
      ...(r.recordedDate ? { recordedAt: r.recordedDate.slice(0, 10) } : {}),
      ...(explicit ? { code: explicit } : {}),
      ...(r.note?.[0]?.text ? { note: r.note[0].text } : {}),
    }];
  });
}

export function referrals(index: BundleIndex, people: People, problems: Problems): Referral[] {
  return index.ofType('ServiceRequest').flatMap((s): Referral[] => {
    const type = cradleCode(s.resource.code, CS.referralType) as Referral['type'] | undefined;
    if (!type) return [];
    const subject = people.subject(s.resource.subject);
    if (!subject) return unknownSubject(problems, `${s.path}.subject`);
    if (!s.resource.authoredOn) {
      problems.missing(`${s.path}.authoredOn`, 'is required: the date of the referral');
      return [];
    }
    return [{ type, date: s.resource.authoredOn.slice(0, 10), subject, ...(s.resource.performerType?.text ? { to: s.resource.performerType.text } : {}) }];
  });
}

export function aboutOf(extensions: Observation['extension']) {
  return extensions?.find((e) => e.url.endsWith('/about-related-person'))?.valueReference;
}

export function unknownSubject(problems: Problems, path: string): [] {
  problems.inconsistent(path, 'refers to nobody the Bundle names as the mother, a baby, the partner or a household member');
  return [];
}


function weeks(q: Quantity): number | undefined {
  if (q.value === undefined) return undefined;
  return q.code === 'd' ? Math.round((q.value / 7) * 10) / 10 : q.value;
}

function integer<K extends string>(key: K, v: number | undefined): { [P in K]?: number } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: number };
}

import { CS } from '../fhir/canonical.js';
import type { CodeableConcept, Condition, Observation, Patient } from '../fhir/types.js';
import { children, resourcesOf, type FamilyPicture } from '../identity/family-picture.js';
import { means } from '../mapping/terminology.js';
import {
  ageInDays, asserted, describeAge, recordedAt, refOf, sameSite, type Sited, siteText, ukDate, whoRecorded, youngerThanMonths,
} from './evidence.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

/**
 * Bruising or injury in a baby who is not independently mobile.
 *
 * Protocol: any bruise or injury in a non-mobile baby must never be interpreted in
 * isolation — same-day referral to children's social care and paediatric assessment
 * ("those who don't cruise rarely bruise", NICE CG89). Some protocols count every baby
 * under 6 months as non-mobile; so does this rule, and a recorded "not independently
 * mobile" counts at any age. Learning: non-fatal physical abuse is the biggest factor in
 * serious incidents in under-1s (DOMAIN.md section 0).
 *
 * The NIPE check: when a birthmark was recorded at the newborn examination at the same body
 * site, the mark may be that birthmark (Mongolian blue spot); the Flag is then medium and
 * asks for comparison with the NIPE record and a same-day paediatric discussion, because
 * unnecessary referrals harmed families in two audited cases. Only when every mark matches
 * a recorded birthmark is the priority lowered.
 */
export const bruisingNonMobileInfant: Rule = {
  id: 'bruising-non-mobile-infant',
  version: '1.0.0',
  title: 'Bruising or injury in a non-mobile infant',
  protocol: {
    name: 'Bruising or injury in a baby who is not independently mobile (bruising protocol)',
    url: 'https://barnsleyscp.trixonline.co.uk/chapter/procedure-for-bruising-or-injury-to-a-baby-or-child-who-is-not-independently-mobile-non-mobile',
    learning: 'Non-fatal physical abuse is the biggest factor in serious incidents in under-1s; NIPE birthmark recording avoids unnecessary referrals.',
  },
  settings: {
    schema: { nonMobileAgeMonths: { type: 'integer', minimum: 1, maximum: 24 } },
    defaults: { nonMobileAgeMonths: 6 },
  },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const months = Number(ctx.settings.nonMobileAgeMonths ?? 6);
    // Every child, not only infants: a child recorded as not independently mobile counts at any age.
    return children(picture).flatMap((child) => assessBaby(picture, child, months));
  },
};

/**
 * A bruise or injury seen on a child: an examination Observation (maternity, GP OBX) or a
 * Condition (a GP's coded diagnosis, DG1), with the date it was seen and where.
 */
interface Mark extends Sited {
  resource: Observation | Condition;
  seen: string;
  code: CodeableConcept | undefined;
}

function assessBaby(picture: FamilyPicture, baby: Patient, months: number): RuleFinding[] {
  // All observations for mobility (a recorded `false` is the point); asserted ones for marks.
  const observations = resourcesOf(picture, 'Observation', baby.id!).filter((o) => o.status !== 'entered-in-error');
  const marks = marksOn(picture, baby.id!, observations).filter((m) => qualifies(baby, m, observations, months));
  if (marks.length === 0) return [];
  const birthmarks = observations.filter((o) => asserted(o) && atNipe(o) && means(o.code, CS.findingKind, 'birthmark'));
  const matched = marks.map((m) => ({ mark: m, birthmark: birthmarks.find((b) => sameSite(m, b)) }));
  const allMatched = matched.every((m) => m.birthmark);
  const details = matched.map(({ mark, birthmark }) => describe(picture, baby, mark, months, observations) +
    (birthmark ? ` A birthmark was recorded at the same site (${siteText(birthmark) ?? 'site not named'}) at the newborn examination on ${ukDate(birthmark.effectiveDateTime!)}.` : ''));
  return [{
    subject: baby.id!,
    priority: allMatched ? 'medium' : 'high',
    summary: allMatched
      ? 'Mark on a non-mobile baby where NIPE recorded a birthmark: compare with NIPE, same-day paediatric discussion'
      : 'Bruise or injury on a non-mobile baby: same-day referral to social care and paediatric assessment',
    detail: details.join(' '),
    action: allMatched
      ? 'Compare the mark with the birthmark recorded at the newborn examination (NIPE) and discuss with a paediatrician the same day. If it is not the recorded birthmark, follow the bruising protocol: same-day referral to children\'s social care and paediatric assessment.'
      : 'Follow the bruising protocol: same-day referral to children\'s social care and a same-day paediatric assessment. Do not interpret the mark in isolation; assess it with the medical and social history.',
    evidence: [...new Set([...matched.flatMap(({ mark, birthmark }) => [refOf(mark.resource), ...(birthmark ? [refOf(birthmark)] : []), ...(mark.encounter?.reference ? [mark.encounter.reference] : [])]), `Patient/${baby.id}`])],
  }];
}

function marksOn(picture: FamilyPicture, childId: string, observations: Observation[]): Mark[] {
  const isMark = (cc: CodeableConcept | undefined) => means(cc, CS.findingKind, 'bruise') || means(cc, CS.findingKind, 'injury');
  const fromObservations = observations.filter((o) => asserted(o) && isMark(o.code) && o.effectiveDateTime)
    .map((o): Mark => ({ resource: o, seen: o.effectiveDateTime!, code: o.code, ...(o.bodySite ? { bodySite: o.bodySite } : {}), ...(o.encounter ? { encounter: o.encounter } : {}) }));
  const fromConditions = resourcesOf(picture, 'Condition', childId)
    .filter((c) => isMark(c.code) && (c.onsetDateTime ?? c.recordedDate) && !['refuted', 'entered-in-error'].includes(c.verificationStatus?.coding?.[0]?.code ?? ''))
    .map((c): Mark => ({ resource: c, seen: (c.onsetDateTime ?? c.recordedDate)!, code: c.code, ...(c.bodySite?.[0] ? { bodySite: c.bodySite[0] } : {}), ...(c.encounter ? { encounter: c.encounter } : {}) }));
  return [...fromObservations, ...fromConditions];
}

function atNipe(o: Observation): boolean {
  return means(o.method, CS.observationType, 'nipe-examination');
}

/** Under the age limit when seen, or recorded as not independently mobile by then. */
function qualifies(baby: Patient, mark: Mark, observations: Observation[], months: number): boolean {
  if (youngerThanMonths(baby, mark.seen, months) === true) return true;
  return mobilityAt(observations, mark.seen) === false;
}

function mobilityAt(observations: Observation[], at: string): boolean | undefined {
  const recorded = observations
    .filter((o) => means(o.code, CS.observationType, 'independently-mobile') && o.effectiveDateTime && Date.parse(o.effectiveDateTime) <= Date.parse(at))
    .sort((a, b) => Date.parse(a.effectiveDateTime!) - Date.parse(b.effectiveDateTime!));
  return recorded.at(-1)?.valueBoolean;
}

function describe(picture: FamilyPicture, baby: Patient, mark: Mark, months: number, observations: Observation[]): string {
  const kind = means(mark.code, CS.findingKind, 'bruise') ? 'Bruise' : 'Injury';
  const site = siteText(mark);
  const days = ageInDays(baby, mark.seen);
  const why = youngerThanMonths(baby, mark.seen, months)
    ? `not independently mobile (under ${months} months)`
    : mobilityAt(observations, mark.seen) === false ? 'recorded as not independently mobile' : '';
  return `${kind}${site ? ` on ${site}` : ''} recorded at ${recordedAt(picture, mark)} on ${ukDate(mark.seen)} by ${whoRecorded(mark.resource)}` +
    `${days !== undefined ? `; baby ${describeAge(days)}` : ''}${why ? `; ${why}` : ''}.`;
}

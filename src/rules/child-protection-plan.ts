import type { ContactPoint, EpisodeOfCare, Organization } from '../fhir/types.js';
import { byRef, children, infants, type FamilyPicture } from '../identity/family-picture.js';
import { refOf, ukDate } from './evidence.js';
import { plans } from './facts/care.js';
import { alertSubjects } from './facts/people.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

/**
 * A child protection plan or looked-after status in the family.
 *
 * CP-IS parity: the infant, the unborn child (on the mother, as CP-IS does) or a sibling has
 * an active child protection plan or is looked after. The Flag carries the responsible local
 * authority's office-hours and emergency duty numbers, as the CP-IS flag does in
 * unscheduled care, so a clinician can call without searching.
 */
export const childProtectionPlan: Rule = {
  id: 'child-protection-plan',
  version: '1.0.0',
  title: 'Child protection plan in the household',
  protocol: {
    name: 'Child Protection – Information Sharing (CP-IS)',
    url: 'https://www.england.nhs.uk/ourwork/safeguarding/our-work/cp-is/',
    learning: 'Siblings on child protection plans make infants more vulnerable; the plan\'s local authority must be reachable.',
  },
  settings: { schema: {}, defaults: {} },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const subjects = alertSubjects(picture);
    if (subjects.length === 0) return [];
    const infantIds = new Set(infants(picture).map((c) => c.id));
    const found = children(picture).flatMap((child) => plans(picture, child.id!, ['cp-plan', 'cp-plan-unborn', 'lac'], { activeAt: ctx.now })
      .map((plan) => ({ plan, who: infantIds.has(child.id) ? (child.birthDate ? 'the baby' : 'the unborn baby') : `a sibling${child.birthDate ? ` (born ${ukDate(child.birthDate)})` : ''}` })));
    if (found.length === 0) return [];
    const contacts = [...new Set(found.map(({ plan }) => laContact(picture, plan)).filter((x): x is string => !!x))];
    return subjects.map((subject) => ({
      subject,
      priority: 'high' as const,
      summary: 'Child protection plan or looked-after child in this family: contact the local authority',
      detail: `${found.map(({ plan, who }) => `${who} has an active ${(plan.type?.[0]?.text ?? 'plan').toLowerCase()} since ${ukDate(plan.period!.start!)}`).join('; ').replace(/^./, (c) => c.toUpperCase())}.${contacts.length ? ` ${contacts.join(' ')}` : ''}`,
      action: 'Share any new concern with the local authority named on the plan (office hours, or the emergency duty team out of hours) and with the child\'s social worker.',
      evidence: [...new Set(found.map(({ plan }) => refOf(plan)))],
    }));
  },
};

/** "Hampshire County Council: office hours 0300 555 1384, emergency duty 0300 555 1373." */
function laContact(picture: FamilyPicture, plan: EpisodeOfCare): string | undefined {
  const org = (plan.contained?.find((c) => `#${c.id}` === plan.managingOrganization?.reference)
    ?? byRef(picture, plan.managingOrganization?.reference)) as Organization | undefined;
  const name = org?.name ?? plan.managingOrganization?.display;
  // CP-IS gives an office-hours and an emergency duty number; the social care mapping puts
  // them in Organization.contact with purpose v3-AddressUse WP and EC.
  const words = [
    ...(org?.contact ?? []).flatMap((c) => {
      const emergency = c.purpose?.coding?.some((k) => k.code === 'EC') === true;
      return (c.telecom ?? []).filter((t: ContactPoint) => t.system === 'phone' && t.value).map((t) => `${emergency ? 'emergency duty' : 'office hours'} ${t.value}`);
    }),
    ...(org?.telecom ?? []).filter((t: ContactPoint) => t.system === 'phone' && t.value).map((t) => `telephone ${t.value}`),
  ];
  if (!name && words.length === 0) return undefined;
  return `${name ?? 'Local authority'}${words.length ? `: ${words.join(', ')}` : ''}.`;
}

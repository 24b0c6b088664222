import type { FamilyPicture } from '../identity/family-picture.js';
import { refOf, ukDate } from './evidence.js';
import { alertSubjects, unidentifiedPeople } from './facts/people.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

/**
 * Adults around the baby whom nobody has identified or seen.
 *
 * Learning: "The Myth of Invisible Men" (Child Safeguarding Practice Review Panel, 2021) —
 * not knowing who the baby is in contact with; fathers' details not recorded; partners and
 * others caring for the baby not assessed. Alerts when the father or partner is not
 * identified, a household adult is not identified, or an adult joined the household after
 * the family was first known and no professional contact has happened since.
 */
export const unknownAdults: Rule = {
  id: 'unknown-adults',
  version: '1.0.0',
  title: 'Unknown adults around the baby',
  protocol: {
    name: 'The Myth of Invisible Men: safeguarding children under 1 from non-accidental injury caused by male carers (CSPR Panel, 2021)',
    url: 'https://readkong.com/page/the-myth-of-invisible-men-safeguarding-children-under-1-4403069',
    learning: 'Know who is around the baby: identify fathers and partners and assess every adult caring for the baby.',
  },
  settings: { schema: {}, defaults: {} },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const subjects = alertSubjects(picture);
    if (subjects.length === 0) return [];
    const reasons: Array<{ text: string; evidence: string[] }> = [];
    for (const u of unidentifiedPeople(picture)) {
      reasons.push({ text: u.partner ? 'the father or partner is not identified' : 'an adult living in the household is not identified', evidence: [refOf(u.related)] });
    }
    for (const adult of newAdultsNotSeen(picture, ctx.now)) {
      reasons.push({ text: `an adult (${adult.role === 'partner' ? 'partner' : 'household adult'}) joined the household on ${ukDate(adult.since)} and no professional has seen the family since`, evidence: [`Patient/${adult.personId}`] });
    }
    if (reasons.length === 0) return [];
    return subjects.map((subject) => ({
      subject,
      priority: 'medium' as const,
      summary: 'Adults around the baby not identified or not yet seen: find out who is caring for the baby',
      detail: `${reasons.map((r) => r.text).join('; ').replace(/^./, (c) => c.toUpperCase())}.`,
      action: 'Find out who lives with and cares for the baby; record the father\'s or partner\'s details and ask about their history; include every adult in assessments.',
      evidence: [...new Set(reasons.flatMap((r) => r.evidence))],
    }));
  },
};

/**
 * Adults (partner, household adult) whose membership was first asserted after the family
 * was first known, with no professional contact with the family since they joined.
 */
function newAdultsNotSeen(picture: FamilyPicture, now: string): Array<{ personId: string; role: string; since: string }> {
  const dated = picture.edges.filter((e) => e.since);
  if (dated.length === 0) return [];
  const firstKnown = Math.min(...dated.map((e) => Date.parse(e.since!)));
  const lastContact = Math.max(-Infinity, ...picture.resources
    .filter((r) => r.resourceType === 'Encounter' && r.status !== 'cancelled' && r.status !== 'entered-in-error' && r.period?.start)
    .map((r) => Date.parse((r as { period: { start: string } }).period.start)));
  const firstEdge = new Map<string, { role: string; since: number }>();
  for (const e of dated) {
    if (e.role !== 'partner' && e.role !== 'household-adult') continue;
    const t = Date.parse(e.since!);
    const known = firstEdge.get(e.personId);
    if (!known || t < known.since) firstEdge.set(e.personId, { role: e.role, since: t });
  }
  return [...firstEdge].filter(([, e]) => e.since > firstKnown + 86_400_000 && e.since > lastContact && e.since <= Date.parse(now))
    .map(([personId, e]) => ({ personId, role: e.role, since: new Date(e.since).toISOString() }));
}

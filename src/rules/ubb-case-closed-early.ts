import type { FamilyPicture } from '../identity/family-picture.js';
import { birthInstant, refOf, ukDate } from './evidence.js';
import { plans, referrals } from './facts/care.js';
import { bornInfants } from './facts/people.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

const DAY = 86_400_000;

/**
 * A case referred under the Unborn Baby Protocol closed within three months of birth.
 *
 * Learning: since 2021 Hampshire keeps every case referred under the protocol open to
 * children's services for three months after the birth, because risk changes once the baby
 * is home (Safeguarding Infants Thematic Review 2022). A case closed earlier is alerted so the
 * closure is a conscious decision, shared with the health visitor and GP.
 */
export const ubbCaseClosedEarly: Rule = {
  id: 'ubb-case-closed-early',
  version: '1.0.0',
  title: 'Unborn Baby Protocol case closed early',
  protocol: {
    name: 'Unborn/Newborn Baby Protocol: case kept open three months after birth (Hampshire)',
    url: 'https://www.hampshirescp.org.uk/',
    learning: 'Every case referred under the protocol is kept open to children\'s services for three months after birth.',
  },
  settings: { schema: { keepOpenMonths: { type: 'integer', minimum: 1, maximum: 12 } }, defaults: { keepOpenMonths: 3 } },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const months = Number(ctx.settings.keepOpenMonths ?? 3);
    return bornInfants(picture).flatMap((baby) => {
      const born = Date.parse(birthInstant(baby)!);
      const referral = referrals(picture, picture.key, 'unborn-baby-protocol').find((r) => r.authoredOn && Date.parse(r.authoredOn) < born && Date.parse(r.authoredOn) > born - 300 * DAY);
      if (!referral) return [];
      const limit = new Date(born);
      limit.setUTCMonth(limit.getUTCMonth() + months);
      const closed = plans(picture, baby.id!, ['cin-episode', 'cin-plan', 'cp-plan', 'cp-plan-unborn'])
        .filter((e) => e.period?.end && Date.parse(e.period.end) >= born - DAY && Date.parse(e.period.end) < limit.getTime() && Date.parse(e.period.end) <= Date.parse(ctx.now))
        .filter((e) => !plans(picture, baby.id!, ['cin-episode', 'cin-plan', 'cp-plan']).some((other) => other !== e && !other.period?.end));
      const first = closed.sort((a, b) => Date.parse(a.period!.end!) - Date.parse(b.period!.end!))[0];
      if (!first) return [];
      const days = Math.round((Date.parse(first.period!.end!) - born) / DAY);
      return [{
        subject: baby.id!,
        priority: 'high',
        summary: `Case referred under the Unborn Baby Protocol closed ${days} days after birth (kept open ${months} months by protocol)`,
        detail: `The pregnancy was referred under the Unborn Baby Protocol on ${ukDate(referral.authoredOn!)}. The baby was born on ${ukDate(birthInstant(baby)!)} and children's social care closed the case on ${ukDate(first.period!.end!)}, ${days} days after birth; the protocol keeps it open for ${months} months.`,
        action: `Check with children's social care that closing the case within ${months} months of birth was a deliberate, recorded decision, and that the health visitor and GP know.`,
        evidence: [refOf(referral), refOf(first), `Patient/${baby.id}`],
      }];
    });
  },
};

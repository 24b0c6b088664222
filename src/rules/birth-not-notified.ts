import type { FamilyPicture } from '../identity/family-picture.js';
import { refOf, ukDate } from './evidence.js';
import { bornInfants } from './facts/people.js';
import { currentPregnancy } from './facts/pregnancy.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

const DAY = 86_400_000;

/**
 * An absence alert: a pregnancy with active safeguarding concerns whose due date passed more
 * than 14 days ago with no birth recorded. No message arrives to say a birth was missed, so a
 * scheduled sweep re-assesses such families (src/pipeline/sweep.ts), not an incoming message.
 */
export const birthNotNotified: Rule = {
  id: 'birth-not-notified',
  version: '1.0.0',
  title: 'Birth not notified',
  protocol: {
    name: 'Unborn Baby Protocol: agencies confirm the birth of a baby with safeguarding concerns',
    url: 'https://www.hampshirescp.org.uk/',
    learning: 'A baby with known risk must not leave the picture because no one notified the birth.',
  },
  settings: {
    schema: { overdueDays: { type: 'integer', minimum: 1, maximum: 90 }, sweepEveryMinutes: { type: 'integer', minimum: 1, maximum: 1440 } },
    defaults: { overdueDays: 14, sweepEveryMinutes: 60 },
  },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const pregnancy = currentPregnancy(picture);
    if (!pregnancy?.edd || bornInfants(picture).some((b) => Date.parse(b.birthDate!) >= Date.parse(pregnancy.edd!) - 300 * DAY)) return [];
    const overdue = Math.floor((Date.parse(ctx.now) - Date.parse(pregnancy.edd)) / DAY);
    if (overdue <= Number(ctx.settings.overdueDays ?? 14)) return [];
    const concerns = picture.flags.filter((f) => f.status === 'active' && f.code.coding?.[0]?.code !== 'birth-not-notified');
    if (concerns.length === 0) return [];
    return [{
      subject: picture.key,
      priority: 'high',
      summary: `Due date passed ${overdue} days ago with no birth recorded, in a pregnancy with safeguarding alerts`,
      detail: `The estimated date of delivery was ${ukDate(pregnancy.edd)}, ${overdue} days ago, and no birth is recorded. This pregnancy has active safeguarding alerts: ${concerns.map((f) => f.code.coding?.[0]?.code).join(', ')}.`,
      action: 'Confirm whether the baby has been born and where (maternity unit, NEMS birth notification, GP), and make sure the health visitor and children\'s social care know.',
      evidence: [`EpisodeOfCare/${pregnancy.episode.id}`, ...(pregnancy.eddEvidence ? [refOf(pregnancy.eddEvidence)] : []), ...concerns.map((f) => `Flag/${f.id}`)],
    }];
  },
};

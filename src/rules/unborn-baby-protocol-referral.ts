import { mother, type FamilyPicture } from '../identity/family-picture.js';
import { refOf, provenanceWords, roleWords, ukDate, listOnce } from './evidence.js';
import { plans, referrals } from './facts/care.js';
import { currentFactors, FACTOR_WORDS, type FactorKey } from './facts/factors.js';
import { adultsAround, ageInYears, olderChildren } from './facts/people.js';
import { currentPregnancy } from './facts/pregnancy.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

const FACTORS: readonly FactorKey[] = ['mental-health', 'substance-misuse', 'cannabis-use', 'alcohol-misuse', 'domestic-abuse',
  'previous-convictions', 'housing-issues', 'care-leaver', 'learning-disability', 'previous-child-removed', 'child-protection-history'];

/**
 * Consider a referral under the Unborn Baby Protocol.
 *
 * Protocol: when risk is identified in pregnancy, refer before birth (Hampshire's
 * Unborn/Newborn Baby Protocol; the thematic review of 2022). Any current risk factor in the
 * mother, the partner or the household — mental health, substance misuse including cannabis
 * and alcohol, domestic abuse, previous convictions, housing, care leaver, learning
 * disability, a previous child removed, child protection history, a mother under 20 at the
 * due date, a sibling on a child protection or child in need plan — and no protocol
 * referral recorded gives "consider referral". The Flag goes inactive once the referral is
 * recorded. Subject: the mother, as before birth.
 */
export const unbornBabyProtocolReferral: Rule = {
  id: 'unborn-baby-protocol-referral',
  version: '1.0.0',
  title: 'Consider referral under the Unborn Baby Protocol',
  protocol: {
    name: 'Unborn/Newborn Baby Protocol (Hampshire Safeguarding Children Partnership)',
    url: 'https://www.hampshirescp.org.uk/',
    learning: 'Referral before birth when risk is identified; agencies should share what they know even if they think social care already has it.',
  },
  settings: { schema: { youngMotherUnder: { type: 'integer', minimum: 14, maximum: 25 } }, defaults: { youngMotherUnder: 20 } },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const pregnancy = currentPregnancy(picture);
    if (!pregnancy || referredInPregnancy(picture, pregnancy.episode.period?.start)) return [];
    const reasons: Array<{ text: string; evidence: string[] }> = [];
    for (const f of currentFactors(picture, adultsAround(picture).map((a) => a.id), FACTORS)) {
      reasons.push({ text: `${FACTOR_WORDS[f.factor]} (${f.about ?? roleWords(picture, f.personId)}), ${provenanceWords(f.resource)}`, evidence: [refOf(f.resource)] });
    }
    const youngUnder = Number(ctx.settings.youngMotherUnder ?? 20);
    const age = pregnancy.edd ? ageInYears(mother(picture), pregnancy.edd) : undefined;
    if (age !== undefined && age < youngUnder) {
      reasons.push({ text: `mother will be ${age} at the due date (${ukDate(pregnancy.edd!)})`, evidence: [`Patient/${picture.key}`, refOf(pregnancy.eddEvidence!)] });
    }
    for (const sibling of olderChildren(picture)) {
      for (const plan of plans(picture, sibling.id!, ['cp-plan', 'cin-plan'], { activeAt: ctx.now })) {
        reasons.push({ text: `a sibling is on a ${planWords(plan)} since ${ukDate(plan.period!.start!)}`, evidence: [refOf(plan)] });
      }
    }
    if (reasons.length === 0) return [];
    return [{
      subject: picture.key,
      priority: 'medium',
      summary: 'Risk in pregnancy and no Unborn Baby Protocol referral recorded: consider referral',
      detail: `In this pregnancy: ${listOnce(reasons.map((r) => r.text))}. No referral under the Unborn Baby Protocol is recorded.`,
      action: 'Consider a referral to children\'s social care under the Unborn Baby Protocol before the birth. Share what you know even if you think social care already has it.',
      evidence: [...new Set([`EpisodeOfCare/${pregnancy.episode.id}`, ...reasons.flatMap((r) => r.evidence)])],
    }];
  },
};

function referredInPregnancy(picture: FamilyPicture, start: string | undefined): boolean {
  // A referral in the month before booking still belongs to this pregnancy.
  const from = start ? Date.parse(start) - 31 * 86_400_000 : -Infinity;
  return referrals(picture, picture.key, 'unborn-baby-protocol').some((r) => !r.authoredOn || Date.parse(r.authoredOn) >= from);
}

function planWords(plan: { type?: Array<{ text?: string; coding?: Array<{ display?: string }> }> }): string {
  return (plan.type?.[0]?.text ?? plan.type?.[0]?.coding?.find((c) => c.display)?.display ?? 'plan').toLowerCase();
}

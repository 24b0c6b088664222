import type { FamilyPicture } from '../identity/family-picture.js';
import { provenanceWords, refOf, roleWords, listOnce } from './evidence.js';
import { currentFactors, FACTOR_WORDS, FIVE_PREVALENT } from './facts/factors.js';
import { adultsAround, alertSubjects } from './facts/people.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

/**
 * Two or more of the five most prevalent risk factors around the baby.
 *
 * Learning: in a 55-case desktop review of harm to under-1s the most prevalent factors were
 * parental mental health (58%), substance misuse (51%), previous convictions (49%), domestic
 * abuse (44%) and housing issues (44%). The review says they "cannot be used as predictors":
 * they raise awareness of risk. So the alert says so, and counts each factor once whoever
 * among the adults (mother, partner, household) it concerns and whichever agency recorded it.
 */
export const multipleRiskFactors: Rule = {
  id: 'multiple-risk-factors',
  version: '1.0.0',
  title: 'Multiple parental risk factors',
  protocol: {
    name: 'Learning from case reviews: safeguarding unborn babies and under-1s (BaNES, Swindon and Wiltshire)',
    url: 'https://www.hampshirescp.org.uk/',
    learning: 'The five most prevalent factors in serious harm to under-1s; not predictors, but awareness of risk.',
  },
  settings: {
    schema: { minFactors: { type: 'integer', minimum: 1, maximum: 5 }, highAt: { type: 'integer', minimum: 1, maximum: 5 } },
    defaults: { minFactors: 2, highAt: 3 },
  },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const subjects = alertSubjects(picture);
    if (subjects.length === 0) return [];
    const facts = currentFactors(picture, adultsAround(picture).map((a) => a.id), FIVE_PREVALENT.flatMap((g) => g.factors));
    const groups = FIVE_PREVALENT.map((g) => ({ name: g.name, facts: facts.filter((f) => g.factors.includes(f.factor)) })).filter((g) => g.facts.length > 0);
    if (groups.length < Number(ctx.settings.minFactors ?? 2)) return [];
    const detail = `${groups.length} of the 5 most prevalent risk factors in serious case reviews are current among the adults around the baby: ` +
      groups.map((g) => `${g.name} (${listOnce(g.facts.map((f) => `${FACTOR_WORDS[f.factor]}, ${f.about ?? roleWords(picture, f.personId)}, ${provenanceWords(f.resource)}`))})`).join('; ') +
      '. These factors are not predictors: they raise awareness of risk.';
    return subjects.map((subject) => ({
      subject,
      priority: groups.length >= Number(ctx.settings.highAt ?? 3) ? 'high' : 'medium',
      summary: `${groups.length} of the 5 most prevalent risk factors around the baby (not predictors: awareness of risk)`,
      detail,
      action: 'Consider the family\'s needs with the agencies involved: discuss at safeguarding supervision, make sure the health visitor and GP know, and consider early help or a referral.',
      evidence: [...new Set(groups.flatMap((g) => g.facts.map((f) => refOf(f.resource))))],
    }));
  },
};

import type { RuleSettings } from '../config/config.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { Rule, RuleFinding } from './rule.js';

export type RuleRun =
  | { rule: Rule; findings: RuleFinding[]; error?: undefined }
  | { rule: Rule; error: Error; findings?: undefined };

/**
 * Runs every enabled rule over a family picture. A rule that throws, or returns a finding
 * without evidence, yields an error run: the caller raises an error Flag, never reads it
 * as "no concern". Disabled rules do not run (their Flags are then withdrawn).
 */
export function runRules(
  picture: FamilyPicture,
  rules: readonly Rule[],
  settings: Readonly<Record<string, RuleSettings>>,
  now: string,
): RuleRun[] {
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    const ruleSettings = settings[rule.id] ?? { enabled: true, ...rule.settings.defaults };
    if (ruleSettings.enabled === false) continue;
    try {
      const findings = rule.evaluate(picture, { now, settings: ruleSettings });
      for (const f of findings) {
        if (f.evidence.length === 0) throw new Error(`finding without evidence from ${rule.id}`);
        if (f.summary.length > 140) throw new Error(`summary over 140 characters from ${rule.id}`);
      }
      runs.push({ rule, findings });
    } catch (err) {
      runs.push({ rule, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return runs;
}

import { EXT } from '../fhir/canonical.js';
import type { Flag } from '../fhir/types.js';

const ORDER: Record<string, number> = { PH: 0, PM: 1, PL: 2 };
const NAME: Record<string, string> = { PH: 'HIGH', PM: 'MEDIUM', PL: 'LOW' };
const COLOUR: Record<string, string> = { PH: '\x1b[31m', PM: '\x1b[33m', PL: '\x1b[36m' };

/**
 * The active alerts as terminal lines — priority, rule, summary — highest priority first.
 * The summary is the Flag's code text (rules keep it short and free of names).
 */
export function alertLines(flags: readonly Flag[], colour: boolean): string[] {
  const rows = flags.map((f) => ({
    priority: f.extension?.find((e) => e.url === EXT.flagPriority)?.valueCodeableConcept?.coding?.[0]?.code ?? '',
    rule: f.code.coding?.[0]?.code ?? 'unknown',
    summary: f.code.text ?? '',
  })).sort((a, b) => (ORDER[a.priority] ?? 9) - (ORDER[b.priority] ?? 9) || a.rule.localeCompare(b.rule) || a.summary.localeCompare(b.summary));
  const width = Math.max(0, ...rows.map((r) => r.rule.length));
  return rows.map((r) => {
    const name = (NAME[r.priority] ?? r.priority).padEnd(6);
    return `  ${colour ? `${COLOUR[r.priority] ?? ''}${name}\x1b[0m` : name}  ${r.rule.padEnd(width)}  ${r.summary}`;
  });
}

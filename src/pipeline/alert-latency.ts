import type { RecipientConfig } from '../config/config.js';
import { EXT } from '../fhir/canonical.js';
import type { DetectedIssue, Flag } from '../fhir/types.js';
import { TIME_DRIVEN_RULES } from '../observability/figures.js';
import type { Runtime } from '../runtime/runtime.js';
import { newestEvidenceReceipts } from '../store/figures-queries.js';

const PRIORITY: Record<string, string> = { PH: 'high', PM: 'medium', PL: 'low' };

/**
 * After an assessment is written: counts each Flag it raised (a Flag raised now has
 * `period.start` = the assessment time, rules/alerts.ts) and observes its ingest → Flag time.
 * Metrics must never fail the work, so a problem here is logged and dropped.
 */
export async function observeAlertsRaised(rt: Runtime, resources: ReadonlyArray<Flag | DetectedIssue | { resourceType: string }>, now: string): Promise<void> {
  try {
    const issues = new Map(resources.filter((r): r is DetectedIssue => r.resourceType === 'DetectedIssue').map((d) => [`DetectedIssue/${d.id}`, d]));
    const flags = resources.filter((r): r is Flag => r.resourceType === 'Flag');
    const raised = flags.filter((f) => f.status === 'active' && f.period?.start === now).map((flag) => {
      const rule = flag.code.coding?.[0]?.code ?? 'unknown';
      const issue = issues.get(flag.extension?.find((e) => e.url === EXT.flagDetail)?.valueReference?.reference ?? '');
      return {
        rule,
        priority: PRIORITY[flag.extension?.find((e) => e.url === EXT.flagPriority)?.valueCodeableConcept?.coding?.[0]?.code ?? ''] ?? 'unknown',
        evidence: TIME_DRIVEN_RULES.has(rule) ? [] : (issue?.evidence?.[0]?.detail ?? []).map((d) => d.reference).filter((r): r is string => !!r),
      };
    });
    if (raised.length === 0) return;
    // One statement for every Flag of the batch: a raised alert must not cost a query of its own.
    const ingested = await newestEvidenceReceipts(rt.db, raised.map((r) => r.evidence), now);
    raised.forEach((r, i) => {
      const at = ingested[i];
      rt.metrics.alertRaised(r.rule, r.priority, at ? Math.max(0, (Date.parse(now) - Date.parse(at)) / 1000) : undefined);
    });
  } catch (err) {
    rt.logger.warn({ err }, 'alert metrics not recorded');
  }
}

/**
 * After a push succeeded at `now`: observes Flag → delivered for each active Flag this push
 * was the first to bring to the recipient since it was raised. `previous` is when each Flag
 * last reached the recipient before this push (AlertStateStore.delivered).
 */
export function observeViewDelivered(rt: Runtime, recipient: RecipientConfig, flags: readonly Flag[], previous: ReadonlyMap<string, string | null>, now: string): void {
  try {
    for (const flag of flags) {
      if (flag.status !== 'active' || !flag.id || !flag.period?.start || !previous.has(flag.id)) continue;
      const raised = Date.parse(flag.period.start);
      const before = previous.get(flag.id);
      if (before && Date.parse(before) >= raised) continue;
      rt.metrics.alertDelivered(recipient.kind, Math.max(0, (Date.parse(now) - raised) / 1000));
    }
  } catch (err) {
    rt.logger.warn({ err }, 'delivery metrics not recorded');
  }
}

import type { RecipientConfig } from '../config/config.js';
import { EXT } from '../fhir/canonical.js';
import type { DetectedIssue, Flag } from '../fhir/types.js';
import { TIME_DRIVEN_RULES } from '../observability/figures.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Sql } from '../store/db.js';
import { newestEvidenceReceipt, successfulPushes } from '../store/figures-queries.js';

const PRIORITY: Record<string, string> = { PH: 'high', PM: 'medium', PL: 'low' };

/**
 * After an assessment is written: counts each Flag it raised (a Flag raised now has
 * `period.start` = the assessment time, rules/alerts.ts) and observes its ingest → Flag time.
 * Metrics must never fail the work, so a problem here is logged and dropped.
 */
export async function observeAlertsRaised(rt: Runtime, resources: ReadonlyArray<Flag | DetectedIssue | { resourceType: string }>, now: string): Promise<void> {
  try {
    const issues = new Map(resources.filter((r): r is DetectedIssue => r.resourceType === 'DetectedIssue').map((d) => [`DetectedIssue/${d.id}`, d]));
    for (const flag of resources.filter((r): r is Flag => r.resourceType === 'Flag')) {
      if (flag.status !== 'active' || flag.period?.start !== now) continue;
      const rule = flag.code.coding?.[0]?.code ?? 'unknown';
      const priority = PRIORITY[flag.extension?.find((e) => e.url === EXT.flagPriority)?.valueCodeableConcept?.coding?.[0]?.code ?? ''] ?? 'unknown';
      const issue = issues.get(flag.extension?.find((e) => e.url === EXT.flagDetail)?.valueReference?.reference ?? '');
      const evidence = (issue?.evidence?.[0]?.detail ?? []).map((d) => d.reference).filter((r): r is string => !!r);
      const ingested = TIME_DRIVEN_RULES.has(rule) ? null : await newestEvidenceReceipt(rt.db, evidence, now);
      rt.metrics.alertRaised(rule, priority, ingested ? Math.max(0, (Date.parse(now) - Date.parse(ingested)) / 1000) : undefined);
    }
  } catch (err) {
    rt.logger.warn({ err }, 'alert metrics not recorded');
  }
}

/**
 * After a push succeeded (its AuditEvent written with time `now`): observes Flag → delivered
 * for each active Flag this push was the first to bring to the recipient since it was raised.
 */
export async function observeViewDelivered(rt: Runtime, sql: Sql, recipient: RecipientConfig, flags: readonly Flag[], now: string): Promise<void> {
  try {
    const active = flags.filter((f) => f.status === 'active' && f.id && f.period?.start);
    if (active.length === 0) return;
    const since = active.map((f) => f.period!.start!).sort()[0]!;
    const pushes = await successfulPushes(sql, recipient.id, active.map((f) => f.id!), since);
    for (const flag of active) {
      const raised = Date.parse(flag.period!.start!);
      const first = Math.min(...pushes.filter((p) => p.flagId === flag.id && Date.parse(p.at) >= raised).map((p) => Date.parse(p.at)));
      if (first === Date.parse(now)) rt.metrics.alertDelivered(recipient.kind, Math.max(0, (first - raised) / 1000));
    }
  } catch (err) {
    rt.logger.warn({ err }, 'delivery metrics not recorded');
  }
}

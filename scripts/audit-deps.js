#!/usr/bin/env node
// Dependency audit for CI: `npm audit --omit=dev --audit-level=high`, with one distinction npm
// does not make — it exits 1 both when it finds vulnerabilities and when it cannot reach the
// advisory service. Findings at high or critical fail the build. An unreachable service (a
// network that allows only registry GETs: the advisory endpoint is a POST) is reported loudly
// and does not fail it, because a build that can never pass teaches people to ignore it.
// CRADLE_AUDIT_STRICT=1 makes an unreachable service fail too (release builds).
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', timeout: 120_000 });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = undefined;
}

const counts = report?.metadata?.vulnerabilities;
if (counts) {
  const serious = (counts.high ?? 0) + (counts.critical ?? 0);
  const summary = Object.entries(counts).filter(([k]) => k !== 'total').map(([k, v]) => `${v} ${k}`).join(', ');
  if (serious > 0) {
    console.error(`[audit] FAILED: ${summary} in production dependencies`);
    for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
      if (v.severity === 'high' || v.severity === 'critical') console.error(`[audit]   ${name} (${v.severity}) ${v.range ?? ''} ${v.fixAvailable ? '— fix available' : ''}`);
    }
    process.exit(1);
  }
  console.log(`[audit] production dependencies: ${summary || 'no known vulnerabilities'}`);
  process.exit(0);
}

const why = report?.message ?? run.stderr?.trim().split('\n').pop() ?? `npm audit exited ${run.status}`;
console.error(`[audit] WARNING: the advisory service could not be reached, so dependencies were NOT audited: ${why}`);
process.exit(process.env.CRADLE_AUDIT_STRICT === '1' ? 1 : 0);

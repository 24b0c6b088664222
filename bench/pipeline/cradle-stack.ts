import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';
import { ProcessGroup } from '../support/processes.js';
import { DATABASE_URL, REDIS_URL } from '../support/services.js';
import { freePort, waitFor } from '../../tests/faults/support/wait.js';
import { POSTCODE_PREFIX, PRACTICE } from './workload.js';

export const ADMIN_TOKEN = 'bench-admin-token';
/** The recipients every generated family is routed to: a health visiting team by postcode, the GP practice by code. */
export const RECIPIENTS = ['hv', 'gp'] as const;

const STAGES = ['map', 'assess,sweep', 'deliver,notify'] as const;

export interface CradleStack {
  url: string;
  processes: ProcessGroup;
}

/**
 * The scaled-out deployment on one machine: `cradle gateway` and `workers` × `cradle worker`
 * from the build (dist/, as production runs; CRADLE_USE_SOURCE=1 runs the sources instead),
 * on the machine's PostgreSQL (schema `schema`) and Redis (prefix `prefix`), pushing to
 * `recipientBase(id)`. The gateway starts first so only it migrates the fresh schema.
 */
/**
 * `byStage`: instead of `workers` processes each taking every queue, one process per stage
 * (map; assess with the sweeps; deliver with notify), so CPU per message is told per stage.
 */
export async function startCradle(opts: { schema: string; prefix: string; workers: number; byStage?: boolean; recipientBase: (id: string) => string }): Promise<CradleStack> {
  const port = await freePort();
  const config = [
    `store: { schema: ${opts.schema} }`,
    `queue: { prefix: ${opts.prefix} }`,
    'recipients:',
    `  - { id: hv, kind: health-visiting, name: Bench HV, endpoint: { baseUrl: "${opts.recipientBase('hv')}", timeoutMs: 10000 }, routing: { postcodePrefixes: [${POSTCODE_PREFIX}] } }`,
    `  - { id: gp, kind: gp-practice, name: Bench GP, endpoint: { baseUrl: "${opts.recipientBase('gp')}", timeoutMs: 10000 }, routing: { gpPractices: [${PRACTICE}] } }`,
  ].join('\n');
  const env = {
    ...process.env, PORT: String(port), DATABASE_URL, REDIS_URL, CRADLE_CONFIG: `${config}\n`, CRADLE_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
  const cli = join(packageRoot, 'bin/cradle.js');
  const processes = new ProcessGroup();
  const url = `http://127.0.0.1:${port}`;
  processes.start('cradle gateway', [cli, 'gateway'], env);
  await waitFor(() => fetch(`${url}/readyz`).then((r) => r.ok, () => false), 60_000, 'cradle gateway did not become ready', 200);
  if (opts.byStage) {
    for (const queues of STAGES) processes.start(`cradle worker ${queues}`, [cli, 'worker', '--queues', queues], env);
  } else {
    for (let i = 1; i <= opts.workers; i++) processes.start(`cradle worker ${i}`, [cli, 'worker'], env);
  }
  return { url, processes };
}

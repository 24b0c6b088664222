import { allSources } from '../../../mappings/index.js';
import { startWorkers } from '../../../workers/index.js';
import type { Config } from '../../config/config.js';
import { loadConfig } from '../../config/load-config.js';
import { warmValidator } from '../../fhir/validator.js';
import { serveWorkerMetrics } from '../../gateway/metrics-server.js';
import { startConfiguredMllp } from '../../gateway/mllp-server.js';
import { serveGateway } from '../../gateway/server.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { isQueueName, QUEUES, type QueueName } from '../../queue/names.js';
import { openRuntime } from '../../runtime/open-runtime.js';
import type { Runtime } from '../../runtime/runtime.js';
import { parse, UsageError } from '../args.js';
import { VERSION } from '../version.js';

/** `cradle start`: gateway and every worker in one process — the embedded default. */
export async function start(argv: string[]): Promise<void> {
  parse(argv, {});
  const { rt, logger } = await boot();
  const stopSweep = await startWorkers(rt, QUEUES);
  const server = await serveGateway(rt, rt.config.port, VERSION);
  const mllp = await startConfiguredMllp(rt);
  logger.info({ port: server.port, mllpPort: mllp?.port, store: rt.db.kind, queue: rt.queue.kind, dataDir: rt.db.kind === 'pglite' ? rt.config.dataDir : undefined }, `Cradle ${VERSION} listening`);
  onShutdown(logger, async () => {
    stopSweep();
    await mllp?.close();
    await server.close();
    await rt.close();
  });
}

/** `cradle gateway`: HTTP only; needs DATABASE_URL and REDIS_URL so workers elsewhere can take the jobs. */
export async function gateway(argv: string[]): Promise<void> {
  parse(argv, {});
  const { rt, logger } = await boot(requireScaledOut('gateway'));
  const server = await serveGateway(rt, rt.config.port, VERSION);
  const mllp = await startConfiguredMllp(rt);
  logger.info({ port: server.port, mllpPort: mllp?.port }, `Cradle gateway ${VERSION} listening`);
  onShutdown(logger, async () => {
    await mllp?.close();
    await server.close();
    await rt.close();
  });
}

/** `cradle worker [--queues map,assess,deliver]`: consumes jobs from Redis. */
export async function worker(argv: string[]): Promise<void> {
  const { values } = parse(argv, { queues: { type: 'string' } });
  const queues = String(values.queues ?? QUEUES.join(',')).split(',').map((q) => q.trim()).filter(Boolean);
  const unknown = queues.filter((q) => !isQueueName(q));
  if (unknown.length) throw new UsageError(`unknown queue(s): ${unknown.join(', ')} (queues: ${QUEUES.join(', ')})`);
  const { rt, logger } = await boot(requireScaledOut('worker'));
  const stopSweep = await startWorkers(rt, queues as QueueName[]);
  const metrics = rt.config.metrics.port === undefined ? undefined : await serveWorkerMetrics(rt, rt.config.metrics.port);
  logger.info({ queues, metricsPort: metrics?.port }, `Cradle worker ${VERSION} running`);
  onShutdown(logger, async () => {
    stopSweep();
    await metrics?.close();
    await rt.close();
  });
}

async function boot(check?: (config: Config) => void): Promise<{ rt: Runtime; logger: Logger }> {
  const config = loadConfig(process.env);
  check?.(config);
  const logger = createLogger(config.logLevel);
  const rt = await openRuntime(config, logger, { sources: allSources(), processMetrics: true });
  warmValidator();
  return { rt, logger };
}

function requireScaledOut(command: string) {
  return (config: Config) => {
    if (!config.databaseUrl || !config.redisUrl) {
      throw new UsageError(`cradle ${command} runs beside other processes, so it needs DATABASE_URL and REDIS_URL. For everything in one process on the embedded store, run: cradle start`);
    }
  };
}

function onShutdown(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    close().then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

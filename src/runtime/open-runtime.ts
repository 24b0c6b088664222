import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { RecipientAuth } from '../delivery/recipient-auth.js';
import type { SourceRegistry } from '../ingest/source.js';
import { FiguresSource } from '../observability/figures-source.js';
import type { Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { BullQueue } from '../queue/bullmq-queue.js';
import { MemoryQueue } from '../queue/memory-queue.js';
import type { QueueName } from '../queue/names.js';
import type { JobObserver, JobQueue, RetryPolicy } from '../queue/queue.js';
import { RULES } from '../rules/catalogue.js';
import { AlertStateStore } from '../store/alert-state-store.js';
import { AuditLog } from '../store/audit.js';
import type { Db } from '../store/db.js';
import { DeliveryStore } from '../store/delivery-store.js';
import { FamilyStore } from '../store/family-store.js';
import { IdentityStore } from '../store/identity-store.js';
import { MessageStore } from '../store/message-store.js';
import { migrate } from '../store/migrate.js';
import { openPglite } from '../store/pglite.js';
import { openPostgres } from '../store/postgres.js';
import { postgresSettingWarnings, readPostgresSettings } from '../store/postgres-settings.js';
import { ResourceStore } from '../store/resource-store.js';
import { WorkStore } from '../store/work-store.js';
import type { Runtime } from './runtime.js';

export interface RuntimeOptions {
  sources: SourceRegistry;
  clock?: () => string;
  /** Node process metrics (CPU, memory, event loop) on /metrics: real processes, not tests. */
  processMetrics?: boolean;
}

/**
 * The composition root: opens the store (PostgreSQL at DATABASE_URL, else PGlite under
 * CRADLE_DATA_DIR), applies migrations, opens the queue (BullMQ at REDIS_URL, else
 * in-process) and wires the stores. Same code in both modes; only configuration differs.
 */
export async function openRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  const db: Db = config.databaseUrl
    ? await openPostgres({ url: config.databaseUrl, schema: config.store.schema })
    : await openPglite(join(config.dataDir, 'pglite'));
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ migrations: applied, store: db.kind }, 'store migrated');
  if (db.kind === 'postgres') for (const warning of postgresSettingWarnings(await readPostgresSettings(db))) logger.warn(warning);
  const clock = options.clock ?? (() => new Date().toISOString());
  const figures = new FiguresSource({ sql: db, queue: { counts: (q) => queue.counts(q) }, recipients: config.recipients, clock });
  const metrics = new Metrics({ figures, processMetrics: options.processMetrics });
  const queue = openQueue(config, (q, seconds, outcome) => metrics.jobFinished(q, seconds, outcome));
  const resources = new ResourceStore(db);
  return {
    config,
    logger,
    db,
    queue,
    messages: new MessageStore(db),
    resources,
    identity: new IdentityStore(),
    families: new FamilyStore(db),
    work: new WorkStore(db),
    deliveries: new DeliveryStore(db),
    alertStates: new AlertStateStore(db),
    audit: new AuditLog(resources),
    sources: options.sources,
    rules: RULES,
    recipientAuth: new RecipientAuth(),
    clock,
    metrics,
    async close() {
      await queue.close();
      await db.close();
    },
  };
}

export function openQueue(config: Config, onJob?: JobObserver): JobQueue {
  const pipeline: RetryPolicy = { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs };
  const policies: Record<QueueName, RetryPolicy> = {
    map: pipeline,
    assess: pipeline,
    deliver: { attempts: config.delivery.attempts, backoffMs: config.delivery.backoffMs },
    sweep: { attempts: 1, backoffMs: config.queue.backoffMs },
    // Subscription notifications retry like pushes; after the last attempt the subscription goes to `error`.
    notify: { attempts: config.delivery.attempts, backoffMs: config.delivery.backoffMs },
  };
  return config.redisUrl
    ? new BullQueue({ url: config.redisUrl, prefix: config.queue.prefix, lockMs: config.queue.lockMs, policies, onJob })
    : new MemoryQueue(policies, onJob);
}

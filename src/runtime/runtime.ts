import type { Config } from '../config/config.js';
import type { RecipientAuth } from '../delivery/recipient-auth.js';
import type { SourceRegistry } from '../ingest/source.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobQueue } from '../queue/queue.js';
import type { Rule } from '../rules/rule.js';
import type { AlertStateStore } from '../store/alert-state-store.js';
import type { AuditLog } from '../store/audit.js';
import type { Db } from '../store/db.js';
import type { DeliveryStore } from '../store/delivery-store.js';
import type { FamilyStore } from '../store/family-store.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { MessageStore } from '../store/message-store.js';
import type { ResourceStore } from '../store/resource-store.js';
import type { WorkStore } from '../store/work-store.js';

/**
 * Everything a gateway or worker process needs, built once from the configuration by
 * {@link openRuntime} (the composition root) and passed down. Nothing below reads the
 * environment or a global.
 */
export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly queue: JobQueue;
  readonly messages: MessageStore;
  readonly resources: ResourceStore;
  readonly identity: IdentityStore;
  readonly families: FamilyStore;
  readonly work: WorkStore;
  readonly deliveries: DeliveryStore;
  readonly alertStates: AlertStateStore;
  readonly audit: AuditLog;
  readonly sources: SourceRegistry;
  readonly rules: readonly Rule[];
  readonly recipientAuth: RecipientAuth;
  /** ISO time now; tests pass a fixed clock. */
  readonly clock: () => string;
  /** Prometheus instruments of this process, and the store's figures (`/metrics`, the dashboard). */
  readonly metrics: Metrics;
  close(): Promise<void>;
}

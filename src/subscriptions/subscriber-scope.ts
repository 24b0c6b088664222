import type { Config } from '../config/config.js';
import type { Flag } from '../fhir/types.js';
import type { Sql } from '../store/db.js';
import type { DeliveryStore } from '../store/delivery-store.js';

/** The roles a client holds now, from configuration: a revoked role stops its notifications at once. */
export function rolesOf(config: Config, clientId: string): readonly string[] {
  const client = config.clients.find((c) => c.id === clientId);
  if (client) return client.roles;
  // CRADLE_ADMIN_TOKEN authenticates as the client id `admin` with every role (gateway/auth.ts).
  return clientId === 'admin' && config.adminTokenSha256 ? ['admin'] : [];
}

/** May this client subscribe at all? The same roles that may read: `read:<recipient>` or admin. */
export function maySubscribe(roles: Iterable<string>): boolean {
  return [...roles].some((r) => r === 'admin' || r.startsWith('read:'));
}

/**
 * Which Flags a subscriber may hear about: the read API's rule (gateway/routes/fhir.ts
 * `scopeOf`) applied when the event is recorded and again when it is sent. Admin sees every
 * family; a `read:<recipient>` client sees the people of the families routed to its
 * recipients (DeliveryStore.patientsVisibleTo); anyone else sees nothing. One lookup per
 * client, so many subscriptions of one client cost one query.
 */
export class SubscriberScope {
  private readonly visible = new Map<string, Promise<ReadonlySet<string> | 'all'>>();

  constructor(private readonly config: Config, private readonly deliveries: DeliveryStore, private readonly sql: Sql) {}

  /** The Flags of `flags` the client may see, as `Flag/<id>` references. */
  async filter(clientId: string, flags: readonly Flag[]): Promise<Set<string>> {
    const scope = await this.scopeOf(clientId);
    return new Set(flags
      .filter((f) => scope === 'all' || isPatientIn(f.subject?.reference, scope))
      .map((f) => `Flag/${f.id}`));
  }

  private scopeOf(clientId: string): Promise<ReadonlySet<string> | 'all'> {
    let scope = this.visible.get(clientId);
    if (!scope) {
      scope = this.lookup(clientId);
      this.visible.set(clientId, scope);
    }
    return scope;
  }

  private async lookup(clientId: string): Promise<ReadonlySet<string> | 'all'> {
    const roles = rolesOf(this.config, clientId);
    if (roles.includes('admin')) return 'all';
    const recipients = roles.filter((r) => r.startsWith('read:')).map((r) => r.slice(5));
    return new Set(await this.deliveries.patientsVisibleTo(recipients, this.sql));
  }
}

function isPatientIn(reference: string | undefined, patients: ReadonlySet<string>): boolean {
  return reference !== undefined && reference.startsWith('Patient/') && patients.has(reference.slice('Patient/'.length));
}

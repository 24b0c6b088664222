import type { Logger } from '../observability/logger.js';

/** Who is calling: a configured client, or the operator holding CRADLE_ADMIN_TOKEN. */
export interface Principal {
  clientId: string;
  roles: ReadonlySet<string>;
  /** The operator's CRADLE_ADMIN_TOKEN: not rate-limited, so bulk loads and replays run at full speed. */
  operator?: true;
}

/** Hono context variables Cradle's middleware sets. */
export interface GatewayEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
  };
}

/** Admin has every role; otherwise the role must be granted. */
export function hasRole(principal: Principal, role: string): boolean {
  return principal.roles.has('admin') || principal.roles.has(role);
}

/** Recipients whose families this principal may read (`read:<recipientId>` roles). */
export function readableRecipients(principal: Principal): string[] {
  return [...principal.roles].filter((r) => r.startsWith('read:')).map((r) => r.slice(5));
}

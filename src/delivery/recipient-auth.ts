import type { RecipientConfig } from '../config/config.js';
import { BearerTokens } from '../http/bearer-tokens.js';

/**
 * Bearer tokens for recipients: a configured static token, or an OAuth2 client-credentials
 * token cached until shortly before it expires (src/http/bearer-tokens.ts, shared with the
 * pull connectors). Failures are the recipient's: CRADLE_RECIPIENT_UNAVAILABLE (retried)
 * or CRADLE_RECIPIENT_REJECTED (parked).
 */
export class RecipientAuth {
  private readonly tokens: BearerTokens;

  constructor(clock: () => number = Date.now) {
    this.tokens = new BearerTokens(clock);
  }

  header(recipient: RecipientConfig): Promise<Record<string, string>> {
    return this.tokens.header({
      id: recipient.id, auth: recipient.endpoint.auth, timeoutMs: recipient.endpoint.timeoutMs,
      codes: { unavailable: 'CRADLE_RECIPIENT_UNAVAILABLE', rejected: 'CRADLE_RECIPIENT_REJECTED' },
    });
  }

  /** Forgets a cached token (after a 401, the next attempt fetches a new one). */
  invalidate(recipientId: string): void {
    this.tokens.invalidate(recipientId);
  }
}

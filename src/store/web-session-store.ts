import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Browser sessions (the dashboard, the queue board). The cookie value is 32 random bytes;
 * only its SHA-256 is stored, with the SHA-256 of the API token it was exchanged for, so the
 * caller's roles are read from the current configuration on every request. In the store, not
 * in memory, so any gateway behind a load balancer recognises a session.
 */
export class WebSessionStore {
  constructor(private readonly db: Db) {}

  /** Starts a session for the holder of the token with hash `tokenSha256`; returns the cookie value. */
  async start(tokenSha256: string, now: string, ttlMs: number): Promise<string> {
    const cookie = randomBytes(32).toString('base64url');
    const expires = new Date(Date.parse(now) + ttlMs).toISOString();
    await this.db.query('DELETE FROM web_session WHERE expires_at < $1::timestamptz', [now]);
    await this.db.query('INSERT INTO web_session (id_sha256, token_sha256, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [sha256(cookie), tokenSha256, now, expires]);
    return cookie;
  }

  /** The token hash behind a live session, or undefined. */
  async tokenOf(cookie: string, now: string): Promise<string | undefined> {
    if (!/^[\w-]{43}$/.test(cookie)) return undefined;
    const { rows } = await this.db.query<{ token_sha256: string }>(
      'SELECT token_sha256 FROM web_session WHERE id_sha256 = $1 AND expires_at > $2::timestamptz', [sha256(cookie), now]);
    return rows[0]?.token_sha256;
  }

  async end(cookie: string): Promise<void> {
    await this.db.query('DELETE FROM web_session WHERE id_sha256 = $1', [sha256(cookie)]);
  }
}

import { UsageError } from '../args.js';

/** Where the CLI finds a running Cradle, and with which token. */
export function engine(): { url: string; token: string } {
  const url = (process.env.CRADLE_URL ?? `http://localhost:${process.env.PORT ?? 8080}`).replace(/\/+$/, '');
  const token = process.env.CRADLE_TOKEN ?? process.env.CRADLE_ADMIN_TOKEN;
  if (!token) throw new UsageError('set CRADLE_TOKEN (or CRADLE_ADMIN_TOKEN) to a token the running engine accepts');
  return { url, token };
}

/** Waits asked for by 429 Retry-After before giving up on a request (a rate-limited client keeps going, slower). */
const MAX_RATE_LIMIT_WAITS = 20;

export async function call(method: string, path: string, init: { body?: string | Uint8Array; contentType?: string } = {}): Promise<{ status: number; json: unknown }> {
  const { url, token } = engine();
  let res: Response;
  for (let waits = 0; ; waits++) {
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(init.contentType ? { 'content-type': init.contentType } : {}) },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
    } catch (err) {
      throw new UsageError(`cannot reach Cradle at ${url} (${(err as Error).message}); is it running? (cradle start)`);
    }
    if (res.status !== 429 || waits >= MAX_RATE_LIMIT_WAITS) break;
    await res.arrayBuffer();
    const seconds = Number(res.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, Math.min(60, Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000));
  }
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, json };
}

import { createHash } from 'node:crypto';
import { nhsCheckDigit } from '../../../src/identity/nhs-number.js';
import { recordWithBruise } from '../../support/records.js';
import { sleep } from './wait.js';

export const BRUISE_RULE = 'bruising-non-mobile-infant';

/** One family of the workload: a mother and a 6-week-old baby seen with a bruise (one alert expected). */
export interface Family {
  recordId: string;
  motherNhs: string;
  babyNhs: string;
}

/** One message as a source sends it: the exact bytes, and their hash as the inbound store keeps it. */
export interface Message {
  recordId: string;
  version: number;
  body: string;
  sha256: string;
}

/** `count` (up to 45,000) families with NHS numbers from the never-issued 999 range, disjoint per `scenario` (0–9). */
export function families(scenario: number, count: number): Family[] {
  const numbers = nhsNumbers(scenario * 100_000, count * 2);
  return Array.from({ length: count }, (_, i) => ({ recordId: `FAULT-${scenario}-${i}`, motherNhs: numbers[2 * i]!, babyNhs: numbers[2 * i + 1]! }));
}

/** Each family's record at `versions` versions (1..n): later versions move the bruise, as a correction would. */
export function messages(fams: readonly Family[], versions = 1): Message[] {
  const sites = ['left ear', 'left cheek', 'right ear', 'abdomen'];
  return fams.flatMap((f) => Array.from({ length: versions }, (_, v) => {
    const body = JSON.stringify(recordWithBruise({ recordId: f.recordId, motherNhs: f.motherNhs, babyNhs: f.babyNhs, ageDays: 42, version: v + 1, site: sites[v % sites.length] }));
    return { recordId: f.recordId, version: v + 1, body, sha256: createHash('sha256').update(body).digest('hex') };
  }));
}

/** Fisher–Yates with a seeded generator, so a failing order can be reproduced. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  const next = () => ((s = (s * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface SendReport {
  /** Requests made, including retries after a 5xx, a 429 or a refused connection. */
  requests: number;
  /** Retries a source had to make because Cradle could not take the message then. */
  retries: number;
}

/**
 * Sends messages the way a well-behaved source does: until acknowledged (2xx), retrying a
 * 5xx, a 429 or a connection error with a short backoff — an unacknowledged message is the
 * source's to resend, as with MLLP. A 4xx other than 429 is a test failure.
 */
export async function send(gatewayUrl: string, token: string, msgs: readonly Message[], concurrency = 8): Promise<SendReport> {
  const report: SendReport = { requests: 0, retries: 0 };
  let next = 0;
  const lane = async () => {
    while (next < msgs.length) {
      const m = msgs[next++]!;
      for (let attempt = 0; ; attempt++) {
        report.requests++;
        const status = await fetch(`${gatewayUrl}/ingest/maternity`, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: m.body, signal: AbortSignal.timeout(10_000),
        }).then(async (r) => (await r.arrayBuffer(), r.status), () => 0);
        if (status >= 200 && status < 300) break;
        if (status >= 400 && status < 500 && status !== 429 && status !== 408) throw new Error(`gateway refused ${m.recordId} v${m.version}: ${status}`);
        if (attempt > 600) throw new Error(`gateway never took ${m.recordId} v${m.version}`);
        report.retries++;
        await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return report;
}

function nhsNumbers(from: number, count: number): string[] {
  const out: string[] = [];
  for (let i = from; out.length < count; i++) {
    const nine = `999${String(i).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== undefined) out.push(`${nine}${check}`);
  }
  return out;
}

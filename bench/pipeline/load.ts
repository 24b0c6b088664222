import { Agent, request } from 'node:http';
import type { BenchMessage } from './workload.js';

export interface Sent {
  /** The ids the engine gave the message (several when it was split), in order. */
  messageIds: string[];
  sentAt: number;
  ackedAt: number;
}

export interface LoadReport {
  sent: Sent[];
  startedAt: number;
  finishedAt: number;
}

/**
 * Posts messages to `POST /ingest/{source}` over keep-alive connections, as a source
 * system would. `full`: `concurrency` requests in flight at all times, as fast as the
 * engine acknowledges. `rate`: an open loop at `perSecond`, each message sent at its
 * scheduled time whether or not earlier ones were answered (a closed loop would hide
 * queueing delay). Anything but 200/202 is a bench failure: the workload is valid.
 */
export async function sendAll(baseUrl: string, token: string, messages: readonly BenchMessage[],
  mode: { kind: 'full'; concurrency: number } | { kind: 'rate'; perSecond: number }): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: mode.kind === 'full' ? mode.concurrency : 256 });
  const sent: Sent[] = new Array(messages.length);
  const startedAt = Date.now();
  try {
    if (mode.kind === 'full') {
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < messages.length; i = next++) sent[i] = await post(agent, baseUrl, token, messages[i]!);
      };
      await Promise.all(Array.from({ length: mode.concurrency }, lane));
    } else {
      const inFlight: Array<Promise<void>> = [];
      for (let i = 0; i < messages.length; i++) {
        const due = startedAt + (i * 1000) / mode.perSecond;
        const wait = due - Date.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        inFlight.push(post(agent, baseUrl, token, messages[i]!).then((s) => void (sent[i] = s)));
      }
      await Promise.all(inFlight);
    }
  } finally {
    agent.destroy();
  }
  return { sent, startedAt, finishedAt: Date.now() };
}

function post(agent: Agent, baseUrl: string, token: string, m: BenchMessage): Promise<Sent> {
  const sentAt = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/ingest/${m.source}`, {
      method: 'POST', agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': m.contentType, 'content-length': m.body.length },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 202 && res.statusCode !== 200) return reject(new Error(`POST /ingest/${m.source} answered ${res.statusCode}`));
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messageId?: string; messages?: Array<{ messageId: string }> };
        resolve({ messageIds: json.messageId ? [json.messageId] : (json.messages ?? []).map((x) => x.messageId), sentAt, ackedAt: Date.now() });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(m.body);
  });
}

import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSources } from '../../mappings/index.js';
import { warmValidator } from '../../src/fhir/validator.js';
import { serveGateway } from '../../src/gateway/server.js';
import { packageRoot } from '../../src/util/package-root.js';
import { startHarness, type Harness } from '../support/harness.js';
import { mutateBytes, mutateEr7, mutateJson, mutateJsonTyped, mutateXml, seeded, type Random } from './mutators.js';

/**
 * The same fuzzing, through the gateway: what a source or a client can send over HTTP —
 * malformed bodies under right and wrong media types, nonsense FHIR searches and paths,
 * broken Authorization headers — must never be a 500 or a hang, always a clear 4xx
 * OperationOutcome (or a 2xx); and a body over the limit is refused with 413 before it has
 * been read. The parsers themselves get 10,000 inputs each in parsers.fuzz.test.ts; here
 * HTTP_FUZZ_ITERATIONS (default 600) per source, since each accepted input is stored.
 */
const ITERATIONS = Number(process.env.HTTP_FUZZ_ITERATIONS ?? 600);
const SLOW_MS = 2000;
const MAX_BODY = 64 * 1024;
const sources = [...allSources().values()];
const junkTypes = ['', 'text/plain', 'application/octet-stream', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/xml', '*/*', 'application/json;;;'];

function seedsOf(source: string): Buffer[] {
  const dir = join(packageRoot, 'mappings', source, 'cases');
  return readdirSync(dir).filter((f) => f.includes('.input.')).sort().map((f) => readFileSync(join(dir, f)));
}

function malformed(r: Random, source: string, seed: Buffer): Buffer {
  if (r() < 0.4) return mutateBytes(r, seed, '|^~\\&\r{}[]",:<>/=');
  if (source === 'gp-hl7v2') return mutateEr7(r, seed);
  if (source === 'cin-census' || seed[0] === 0x3c) return mutateXml(r, seed);
  return r() < 0.5 ? mutateJsonTyped(r, seed) : mutateJson(r, seed);
}

interface Tally { requests: number; byStatus: Map<number, number>; serverErrors: string[]; notOutcomes: string[]; slow: string[] }

describe('fuzzing the gateway over HTTP: no 500, no hang, 413 before reading', () => {
  let h: Harness;
  beforeAll(async () => {
    // As `cradle gateway` does at start-up: the R4 schema compiles once, not inside the first timed request.
    warmValidator();
    h = await startHarness('embedded', { workers: false, config: { limits: { maxBodyBytes: MAX_BODY } } });
  });
  afterAll(() => h?.close());

  async function probe(tally: Tally, label: string, send: () => Promise<Response>): Promise<void> {
    const started = performance.now();
    const res = await send();
    const text = await res.text();
    const ms = performance.now() - started;
    tally.requests++;
    tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
    if (res.status >= 500) tally.serverErrors.push(`${label}: ${res.status} ${text.slice(0, 160)}`);
    if (res.status >= 400 && !text.includes('"OperationOutcome"') && !text.includes('"error"')) tally.notOutcomes.push(`${label}: ${res.status} ${text.slice(0, 80)}`);
    if (ms > SLOW_MS) tally.slow.push(`${label}: ${Math.round(ms)} ms`);
  }
  const newTally = (): Tally => ({ requests: 0, byStatus: new Map(), serverErrors: [], notOutcomes: [], slow: [] });
  const report = (name: string, t: Tally) => console.log(`http fuzz ${name}: ${t.requests} requests, statuses ${JSON.stringify(Object.fromEntries([...t.byStatus].sort()))}, ` +
    `${t.serverErrors.length} server errors, ${t.slow.length} slow`);

  it.each(sources.map((s) => s.name))('POST /ingest/%s with malformed bodies and media types', async (source) => {
    const adapter = sources.find((s) => s.name === source)!;
    const seeds = seedsOf(source);
    const tally = newTally();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < ITERATIONS; i++) {
      const r = seeded(0xf00d + i * 104_729);
      const body = malformed(r, source, seeds[i % seeds.length]!);
      const type = r() < 0.8 ? adapter.mediaTypes[Math.floor(r() * adapter.mediaTypes.length)]! : junkTypes[Math.floor(r() * junkTypes.length)]!;
      await probe(tally, `${source} #${i}`, () => h.request(`/ingest/${source}`, { method: 'POST', body, headers: type ? { 'content-type': type } : {} }));
    }
    report(source, tally);
    expect(tally.serverErrors).toEqual([]);
    expect(tally.notOutcomes).toEqual([]);
    expect(tally.slow).toEqual([]);
    expect((tally.byStatus.get(400) ?? 0) + (tally.byStatus.get(422) ?? 0)).toBeGreaterThan(0);
    expect((process.memoryUsage().heapUsed - heapBefore) / 1e6).toBeLessThan(256);
  }, 300_000);

  it('FHIR reads and searches with nonsense paths, parameters, modifiers and encodings', async () => {
    const tally = newTally();
    const types = ['Patient', 'Flag', 'Observation', 'Group', 'DetectedIssue', 'Encounter', 'AuditEvent', 'Subscription', 'Nope', '', '..', '%00', 'Patient$x'];
    const params = ['identifier', 'patient', 'patient.identifier', 'subject', 'status', 'code', 'category', '_id', '_include', '_revinclude', '_count', '_sort', 'member', '_elements', 'name:exact', 'patient:Patient.name', ''];
    const values = ['', 'x', '|', '||', 'a|b|c', 'Patient/', 'Patient/../../etc', '-1', '1e309', '%ZZ', '%00', '\u0000', '😀', 'Flag:patient', '*', 'x'.repeat(5000), 'https://fhir.nhs.uk/Id/nhs-number|9999999999', "' OR 1=1 --"];
    for (let i = 0; i < 3000; i++) {
      const r = seeded(0xbeef + i * 7_919);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
      const type = pick(types);
      const query = Array.from({ length: Math.floor(r() * 4) }, () => `${encodeURIComponent(pick(params))}=${r() < 0.8 ? encodeURIComponent(pick(values)) : pick(values)}`).join('&');
      const path = r() < 0.3 ? `/fhir/${type}/${encodeURIComponent(pick(values))}${r() < 0.3 ? `/_history/${pick(values)}` : ''}`
        : r() < 0.1 ? `/fhir/${type}/${encodeURIComponent(pick(values))}/$chronology` : `/fhir/${type}?${query}`;
      await probe(tally, path.slice(0, 120), () => h.request(path));
    }
    report('fhir', tally);
    expect(tally.serverErrors).toEqual([]);
    expect(tally.slow).toEqual([]);
    expect(tally.byStatus.get(400) ?? 0).toBeGreaterThan(0);
  }, 300_000);

  it('broken Authorization headers are 401s', async () => {
    const tally = newTally();
    const headers = ['Bearer', 'Bearer ', 'bearer x', 'Basic dXNlcjpwYXNz', 'Bearer ' + 'a'.repeat(10_000), 'Bearer \u00ff\u00fe', 'Bearer a b', 'Token x', 'Bearer eyJhbGciOiJub25lIn0.e30.'];
    for (const authorization of headers) {
      for (const path of ['/fhir/Flag', '/ingest/maternity', '/admin/messages', '/metrics', '/cds-services']) {
        await probe(tally, `${path} ${authorization.slice(0, 20)}`, () => h.request(path, { token: null, headers: { authorization } }));
      }
    }
    report('auth', tally);
    expect(tally.serverErrors).toEqual([]);
    expect([...tally.byStatus.keys()]).toEqual([401]);
  });

  describe('over a real socket', () => {
    let port = 0;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ port, close } = await serveGateway(h.rt, 0, 'test'));
    });
    afterAll(() => close?.());

    /** Sends headers and `sent` bytes of a body that claims or streams far more; resolves with the status and how many bytes had gone out. */
    function oversize(headers: Record<string, string | number>, sent: number): Promise<{ status: number; ms: number }> {
      return new Promise((resolve, reject) => {
        const started = performance.now();
        const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/ingest/maternity', headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode!, ms: performance.now() - started });
          req.destroy();
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
        req.write(Buffer.alloc(sent, 0x20));
        // The rest is never sent: the answer must come without it.
      });
    }

    it('refuses a body whose Content-Length is over the limit with 413, before it is sent', async () => {
      const { status, ms } = await oversize({ 'content-length': 1_000_000_000 }, 1024);
      expect(status).toBe(413);
      expect(ms).toBeLessThan(2000);
    });

    it('refuses a chunked body as soon as it passes the limit, without waiting for its end', async () => {
      const { status, ms } = await oversize({ 'transfer-encoding': 'chunked' }, MAX_BODY + 4096);
      expect(status).toBe(413);
      expect(ms).toBeLessThan(2000);
    });
  });
});

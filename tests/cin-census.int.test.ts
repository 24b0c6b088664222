import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingest } from '../src/cli/commands/ingest.js';
import { localIdSystem } from '../src/fhir/canonical.js';
import type { Bundle, EpisodeOfCare, OperationOutcome } from '../src/fhir/types.js';
import { serveGateway } from '../src/gateway/server.js';
import { packageRoot } from '../src/util/package-root.js';
import { ADMIN_TOKEN, startHarness, type Harness, type Mode } from './support/harness.js';
import { patientIdOf } from './support/store-snapshot.js';

const SAMPLES = join(packageRoot, 'tests/data/external/cin-census');
const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.xml')).sort();

interface Batch { messages: Array<{ messageId: string; status: string; outcome?: OperationOutcome }> }

const postXml = (h: Harness, body: string | Buffer) => h.request('/ingest/cin-census', { method: 'POST', body, headers: { 'content-type': 'application/xml' } });
const expressions = (o: OperationOutcome) => o.issue.map((i) => i.expression?.[0]);

describe.each<Mode>(['scaled', 'embedded'])('CIN census returns over HTTP (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode);
  });
  afterAll(() => h?.close());

  it('ingests or rejects every published sample with a clear OperationOutcome, and keeps running', async () => {
    const answers = new Map<string, { status: number; json: unknown }>();
    for (const file of samples) {
      const res = await postXml(h, readFileSync(join(SAMPLES, file)));
      answers.set(file, { status: res.status, json: await res.json() });
    }
    await h.settle();
    expect(answers.get('liia_cin-2022.xml')!.status).toBe(202);
    for (const file of ['cscval_CIN2rows.xml', 'cscval_CIN_Census_2021.xml']) {
      const { status, json } = answers.get(file)!;
      expect([file, status, expressions(json as OperationOutcome)]).toEqual([file, 422, ['/Message/Children/Child[1]/ChildIdentifiers']]);
    }
    const both = answers.get('cscval_CIN_Census_2024.xml')!;
    expect(both.status).toBe(422);
    expect((both.json as Batch).messages.map((m) => [m.status, expressions(m.outcome!)[0]])).toEqual([
      ['rejected', '/Message/Children/Child[1]/ChildIdentifiers'], ['rejected', '/Message/Children/Child[2]/ChildIdentifiers/Sex'],
    ]);
    const statuses = await h.rt.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM inbound_message WHERE source = 'cin-census' GROUP BY status ORDER BY status`);
    expect(statuses.rows).toEqual([{ status: 'processed', n: 1 }, { status: 'rejected', n: 4 }]);
    expect((await h.request('/readyz', { token: null })).status).toBe(200);
  });

  it('stores the valid sample\'s child with its case and plans, findable by the authority\'s child id', async () => {
    const child = await patientIdOf(h.rt, localIdSystem('201', 'child'), 'DfEX0000001');
    expect(child).toBeDefined();
    const episodes = (await (await h.request(`/fhir/EpisodeOfCare?patient=Patient/${child}`)).json()) as Bundle;
    const summary = episodes.entry!.map((e) => e.resource as EpisodeOfCare).map((e) => `${e.type?.[0]?.coding?.[0]?.code} ${e.status}`).sort();
    expect(summary).toEqual(['cin-episode finished', 'cin-plan finished', 'cp-plan finished']);
  });

  it('rejects a return it cannot read as one message, with the XML position', async () => {
    const res = await postXml(h, '<Message><Header><Source><LEA>850</LEA></Source></Header><Children><Child></Children></Message>');
    expect(res.status).toBe(400);
    const outcome = (await res.json()) as OperationOutcome;
    expect(outcome.issue[0]!.diagnostics).toMatch(/not well-formed XML at line 1, column \d+/);
    const kept = await h.request(`/ingest/messages/${res.headers.get('x-cradle-message-id')}`);
    expect(((await kept.json()) as { status: string }).status).toBe('rejected');
  });

  it('rejects the whole return when its Header does not name the authority', async () => {
    const res = await postXml(h, '<Message><Header><Source><LEA>85</LEA></Source></Header><Children><Child/></Children></Message>');
    expect([res.status, expressions((await res.json()) as OperationOutcome)]).toEqual([422, ['/Message/Header/Source[1]/LEA']]);
  });
});

describe('cradle ingest --source cin-census on a large return', () => {
  let h: Harness;
  let gateway: { port: number; close: () => Promise<void> };
  let dir: string;
  beforeAll(async () => {
    h = await startHarness('embedded');
    gateway = await serveGateway(h.rt, 0, 'test');
    dir = mkdtempSync(join(tmpdir(), 'cradle-cin-'));
    vi.stubEnv('CRADLE_URL', `http://127.0.0.1:${gateway.port}`);
    vi.stubEnv('CRADLE_TOKEN', ADMIN_TOKEN);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await gateway?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('streams the file child by child with per-child progress, refusing only the bad child, and resumes as duplicates', async () => {
    const file = join(dir, 'return.xml');
    writeFileSync(file, bigReturn(300, 150));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await ingest(['--source', 'cin-census', file])).toBe(1);
      const first = out.mock.calls.map((c) => String(c[0])).join('');
      expect(first).toMatch(/1 files \(300 messages\) in [\d.]+ s: 299 accepted, 0 already had, 1 refused/);
      expect(first).toMatch(/return\.xml #150: 422 CRADLE_INPUT_INVALID \/Message\/Children\/Child\[150\]\/ChildIdentifiers\/PersonBirthDate/);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/ingest cin-census \[#+\] 300\/300/);
      out.mockClear();
      expect(await ingest(['--source', 'cin-census', file])).toBe(1);
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toMatch(/0 accepted, 299 already had, 1 refused/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }, 120_000);
});

function bigReturn(children: number, badChild: number): string {
  const child = (i: number) => `<Child><ChildIdentifiers><LAchildID>BIG-${i}</LAchildID><PersonBirthDate>${i === badChild ? '2020-02-30' : '2020-01-01'}</PersonBirthDate>`
    + `<GenderCurrent>1</GenderCurrent></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>`
    + `<CINdetails><CINreferralDate>2026-01-0${1 + (i % 9)}</CINreferralDate><ReferralSource>6</ReferralSource><ReferralNFA>false</ReferralNFA></CINdetails></Child>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2027</Year></CollectionDetails>`
    + `<Source><LEA>850</LEA></Source></Header><Children>\n${Array.from({ length: children }, (_, i) => child(i + 1)).join('')}</Children></Message>\n`;
}

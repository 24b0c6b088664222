import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CradleError } from '../src/fhir/outcome.js';
import type { SourceAdapter } from '../src/ingest/source.js';
import { startHarness, type Harness } from './support/harness.js';

/** A batch source for testing the machinery: parts separated by a line of dashes; a part must be a number. */
const batchSource: SourceAdapter<number> = {
  name: 'test-batch',
  mediaTypes: ['text/plain'],
  maxBodyBytes: 64,
  split(body) {
    const text = body.toString('utf8');
    if (!text.startsWith('BATCH\n')) throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['line 1'], diagnostics: 'no BATCH header' });
    return text.slice(6).split('\n---\n').map((p) => Buffer.from(p));
  },
  parse(body) {
    const n = Number(body.toString('utf8'));
    if (!Number.isInteger(n)) throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['$'], diagnostics: 'not a number' });
    return n;
  },
  identity: (n) => ({ key: `test-batch|${n}`, version: null }),
  map: () => ({ resourceType: 'Bundle', type: 'transaction', entry: [] }),
};

describe('accepting batches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('embedded', { extraSources: [batchSource] });
  });
  afterAll(() => h?.close());

  const post = (body: string) => h.request('/ingest/test-batch', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

  it('stores each part of a batch as its own message, rejecting only the bad ones', async () => {
    const res = await post('BATCH\n1\n---\nx\n---\n3');
    expect(res.status).toBe(202);
    const { messages } = (await res.json()) as { messages: Array<{ status: string; outcome?: unknown }> };
    expect(messages.map((m) => m.status)).toEqual(['received', 'rejected', 'received']);
    const again = (await (await post('BATCH\n1\n---\nx\n---\n3')).json()) as { messages: Array<{ duplicate?: boolean }> };
    expect(again.messages.every((m) => m.duplicate)).toBe(true);
  });

  it('keeps a body that cannot be split as one rejected message', async () => {
    const res = await post('garbage');
    expect(res.status).toBe(400);
    const id = res.headers.get('x-cradle-message-id')!;
    expect(((await (await h.request(`/ingest/messages/${id}`)).json()) as { status: string }).status).toBe('rejected');
  });

  it('applies the source\'s own body limit', async () => {
    expect((await post(`BATCH\n${'1'.repeat(100)}`)).status).toBe(413);
  });
});

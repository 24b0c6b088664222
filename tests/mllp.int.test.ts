import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMllpServer, type MllpServer } from '../src/gateway/mllp-server.js';
import { adtPerson } from './support/hl7.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { MllpClient, msa } from './support/mllp-client.js';

const a28 = (i: number) => adtPerson('A28', { controlId: `MLLP-${String(i).padStart(4, '0')}`, at: '20261122100000', patient: { localId: `GP-MLLP-${i}` } });

describe.each<Mode>(['scaled', 'embedded'])('MLLP listener (%s)', (mode) => {
  let h: Harness;
  let server: MllpServer;
  beforeAll(async () => {
    // Workers off: this is about the transport; what is ACKed must be in the inbound store.
    h = await startHarness(mode, { workers: false, config: { limits: { maxBodyBytes: 65536 } } });
    server = await startMllpServer(h.rt, { port: 0, host: '127.0.0.1', clientId: 'gp-mllp', allow: [], source: 'gp-hl7v2' });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('answers 1,000 messages sent over one connection with 1,000 ACKs, in order, each message stored first', async () => {
    const client = await MllpClient.open(server.port);
    const messages = Array.from({ length: 1000 }, (_, i) => a28(i));
    await client.send(messages);
    const acks = await client.waitForAcks(1000, 120_000);
    client.close();
    expect(acks).toHaveLength(1000);
    expect(acks.map((a) => msa(a))).toEqual(messages.map((_, i) => ({ code: 'AA', controlId: `MLLP-${String(i).padStart(4, '0')}` })));
    const { rows } = await h.rt.db.query<{ n: number; clients: string[] }>(
      `SELECT count(*)::int AS n, array_agg(DISTINCT client_id) AS clients FROM inbound_message WHERE source = 'gp-hl7v2' AND convert_from(body, 'UTF8') LIKE '%MLLP-%'`);
    expect(rows[0]).toEqual({ n: 1000, clients: ['gp-mllp'] });
  }, 180_000);

  it('answers a message it does not read with AR naming the field, and a resend of a stored one with AA', async () => {
    const client = await MllpClient.open(server.port);
    await client.send(['MSH|^~\\&|LAB|RXX|||20261122||ORU^R01|ORU-1|P|2.4\rPID|1||X\r', a28(0)]);
    const acks = await client.waitForAcks(2);
    client.close();
    expect(msa(acks[0]!)).toEqual({ code: 'AR', controlId: 'ORU-1' });
    expect(acks[0]).toMatch(/\rERR\|MSH\^1\^9/);
    expect(msa(acks[1]!)).toEqual({ code: 'AA', controlId: 'MLLP-0000' });
  });

  it('answers each message of a batch sent in one frame, and skips noise between frames', async () => {
    const client = await MllpClient.open(server.port);
    client.writeRaw(Buffer.from('\r\n'));
    await client.send([`BHS|^~\\&\r${a28(2001)}${a28(2002)}BTS|2\r`]);
    const acks = await client.waitForAcks(2);
    client.close();
    expect(acks.map((a) => msa(a).controlId)).toEqual(['MLLP-2001', 'MLLP-2002']);
  });

  it('refuses a frame over the size limit with AR, without storing it, and keeps serving the connection', async () => {
    const client = await MllpClient.open(server.port);
    const huge = `${a28(3001)}NTE|1||${'x'.repeat(h.rt.config.limits.maxBodyBytes)}\r`;
    await client.send([huge, a28(3002)]);
    const acks = await client.waitForAcks(2);
    client.close();
    expect(msa(acks[0]!)).toEqual({ code: 'AR', controlId: 'MLLP-3001' });
    expect(msa(acks[1]!)).toEqual({ code: 'AA', controlId: 'MLLP-3002' });
  });

  it('closes connections from addresses outside MLLP_ALLOW', async () => {
    const guarded = await startMllpServer(h.rt, { port: 0, host: '127.0.0.1', clientId: 'gp-mllp', allow: ['10.9.9.9'], source: 'gp-hl7v2' });
    try {
      const client = await MllpClient.open(guarded.port);
      await client.send([a28(4001)]);
      const acks = await client.waitForAcks(1, 3000);
      expect(acks).toEqual([]);
      expect(client.closed).toBe(true);
    } finally {
      await guarded.close();
    }
  });
});

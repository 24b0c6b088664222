import { describe, expect, it } from 'vitest';
import { CradleError } from '../../fhir/outcome.js';
import { splitEr7Batch } from './batch.js';

const msg = (id: string) => `MSH|^~\\&|APP|FAC|||20261122||ADT^A28|${id}|P|2.4\rPID|1||${id}\r`;

describe('splitting ER7 batches (HL7 v2.5 section 2.10.3)', () => {
  it('returns a single message byte for byte', () => {
    const body = Buffer.from(`\uFEFF${msg('1')}`);
    const parts = splitEr7Batch(body);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.equals(body)).toBe(true);
  });

  it('splits several MSH blocks, each part exactly the bytes of its message', () => {
    const parts = splitEr7Batch(Buffer.from(msg('1') + msg('2') + msg('3')));
    expect(parts.map((p) => p.toString())).toEqual([msg('1'), msg('2'), msg('3')]);
  });

  it('drops the FHS/BHS/BTS/FTS envelope', () => {
    const body = `FHS|^~\\&|APP\rBHS|^~\\&|APP\r${msg('1')}${msg('2')}BTS|2\rFTS|1\r`;
    expect(splitEr7Batch(Buffer.from(body)).map((p) => p.toString())).toEqual([msg('1'), msg('2')]);
  });

  it('splits messages separated by \\n and \\r\\n as well', () => {
    const lf = 'MSH|^~\\&|A|B|||1||ADT^A28|1|P|2.4\nPID|1\nMSH|^~\\&|A|B|||1||ADT^A28|2|P|2.4\nPID|2\n';
    expect(splitEr7Batch(Buffer.from(lf))).toHaveLength(2);
    expect(splitEr7Batch(Buffer.from(lf.replace(/\n/g, '\r\n')))).toHaveLength(2);
  });

  it('keeps multi-byte UTF-8 text intact when cutting', () => {
    const body = `${msg('1')}NTE|1||café\r${msg('2')}`;
    const parts = splitEr7Batch(Buffer.from(body, 'utf8'));
    expect(parts[0]!.toString('utf8')).toBe(`${msg('1')}NTE|1||café\r`);
  });

  it('refuses a body with no MSH at all', () => {
    expect(() => splitEr7Batch(Buffer.from('hello'))).toThrow(CradleError);
  });
});

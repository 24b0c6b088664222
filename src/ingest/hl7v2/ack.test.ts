import { describe, expect, it } from 'vitest';
import { ackCodeFor, ackSubject, buildAck, hl7ErrorCode } from './ack.js';
import { parseEr7 } from './er7.js';

const NOW = '2026-11-30T12:00:00Z';
const message = (version: string) => Buffer.from(
  `MSH|^~\\&|EMIS|J82001^2.16.840.1.113883.2.1.4.3^ISO|CRADLE|HUB|20261122103000||ADT^A28^ADT_A05|CTRL-42|P|${version}\rPID|1||X\r`);

describe('HL7 acknowledgements (HL7 v2.5 section 2.9.2)', () => {
  it('answers AA with sender and receiver swapped and the original control id in MSA-2', () => {
    const ack = parseEr7(buildAck(ackSubject(message('2.5')), 'AA', [], { controlId: 'ACK1', now: NOW }));
    const msh = ack.msh;
    expect([msh.get(3), msh.get(4), msh.get(5), msh.get(6), msh.get(6, 2)]).toEqual(['CRADLE', 'HUB', 'EMIS', 'J82001', '2.16.840.1.113883.2.1.4.3']);
    expect([msh.get(7), msh.get(9, 1), msh.get(9, 2), msh.get(9, 3), msh.get(10), msh.get(11), msh.get(12)])
      .toEqual(['20261130120000+0000', 'ACK', 'A28', 'ACK', 'ACK1', 'P', '2.5']);
    expect([ack.segment('MSA')!.get(1), ack.segment('MSA')!.get(2)]).toEqual(['AA', 'CTRL-42']);
    expect(ack.segment('ERR')).toBeUndefined();
  });

  it('puts each issue in its own v2.5 ERR: location (ERL), table 0357 code, severity, Cradle code, diagnostics', () => {
    const issues = [
      { code: 'CRADLE_INPUT_INVALID' as const, expression: ['PID-7'], diagnostics: 'PID-7 must be a date' },
      { code: 'CRADLE_NHS_NUMBER_INVALID' as const, expression: ['NK1[2]-33[2].1'], diagnostics: 'not an NHS number' },
    ];
    const ack = parseEr7(buildAck(ackSubject(message('2.5.1')), 'AE', issues, { controlId: 'ACK2', now: NOW }));
    expect(ack.segment('MSA')!.get(1)).toBe('AE');
    const [first, second] = ack.all('ERR');
    expect(first!.raw(2)).toBe('PID^1^7^1');
    expect([first!.get(3, 1), first!.get(3, 3), first!.get(4), first!.get(5, 1), first!.get(7)]).toEqual(['102', 'HL70357', 'E', 'CRADLE_INPUT_INVALID', 'PID-7 must be a date']);
    expect(second!.raw(2)).toBe('NK1^2^33^2^1');
  });

  it('uses the ERR-1 form of v2.4 and earlier, one repetition per issue', () => {
    const issues = [
      { code: 'CRADLE_INPUT_MISSING' as const, expression: ['PID-3'] },
      { code: 'CRADLE_INPUT_INVALID' as const, expression: ['PID-7'] },
    ];
    const text = buildAck(ackSubject(message('2.3')), 'AE', issues, { controlId: 'ACK3', now: NOW });
    const ack = parseEr7(text);
    expect(ack.msh.raw(9)).toBe('ACK^A28');
    const reps = ack.segment('ERR')!.repetitions(1);
    expect(reps.map((r) => [r.comp(1), r.comp(2), r.comp(3), r.sub(4, 1)])).toEqual([['PID', '1', '3', '101'], ['PID', '1', '7', '102']]);
    expect(ack.segment('ERR')!.raw(2)).toBe('');
  });

  it('rejects (AR) what cannot be taken at all, and errors (AE) on content', () => {
    expect(ackCodeFor([{ code: 'CRADLE_MESSAGE_UNSUPPORTED', expression: ['MSH-9.2'] }])).toBe('AR');
    expect(ackCodeFor([{ code: 'CRADLE_PARSE_ERROR', expression: ['MSH-2'] }])).toBe('AR');
    expect(ackCodeFor([{ code: 'CRADLE_INTERNAL' }])).toBe('AR');
    expect(ackCodeFor([{ code: 'CRADLE_INPUT_MISSING', expression: ['PID-3'] }])).toBe('AE');
    expect(ackCodeFor([])).toBe('AA');
  });

  it('names the unsupported part in table 0357: message type, event, processing id, version', () => {
    const code = (at: string) => hl7ErrorCode({ code: 'CRADLE_MESSAGE_UNSUPPORTED', expression: [at] }).code;
    expect([code('MSH-9.1'), code('MSH-9.2'), code('MSH-11'), code('MSH-12')]).toEqual(['200', '201', '202', '203']);
  });

  it('still answers a message too broken to parse, with an empty control id', () => {
    const subject = ackSubject(Buffer.from('not hl7'));
    const ack = parseEr7(buildAck(subject, 'AR', [{ code: 'CRADLE_PARSE_ERROR', expression: ['MSH'], diagnostics: 'no MSH' }], { controlId: 'ACK4', now: NOW }));
    expect([ack.msh.get(3), ack.msh.get(12), ack.segment('MSA')!.get(1), ack.segment('MSA')!.get(2)]).toEqual(['CRADLE', '2.5', 'AR', '']);
    expect(ack.segment('ERR')!.raw(2)).toBe('MSH^1');
  });

  it('escapes delimiters in echoed values and diagnostics', () => {
    const ack = buildAck(ackSubject(message('2.5')), 'AE', [{ code: 'CRADLE_INPUT_INVALID', expression: ['PID-7'], diagnostics: 'a|b^c' }], { controlId: 'A', now: NOW });
    expect(parseEr7(ack).segment('ERR')!.get(7)).toBe('a|b^c');
  });
});

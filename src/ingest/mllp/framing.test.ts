import { describe, expect, it } from 'vitest';
import { frameMllp, MllpDecoder, type MllpEvent } from './framing.js';

const bodies = (events: MllpEvent[]) => events.map((e) => (e.type === 'message' ? e.body.toString() : `oversize:${e.size}`));

describe('MLLP framing', () => {
  it('decodes one frame', () => {
    expect(bodies(new MllpDecoder(1000).push(frameMllp('MSH|1')))).toEqual(['MSH|1']);
  });

  it('decodes several frames arriving in one chunk, in order', () => {
    const chunk = Buffer.concat([frameMllp('A'), frameMllp('B'), frameMllp('C')]);
    expect(bodies(new MllpDecoder(1000).push(chunk))).toEqual(['A', 'B', 'C']);
  });

  it('reassembles a frame split at every possible byte, including between FS and CR', () => {
    const stream = Buffer.concat([frameMllp('MSH|first'), frameMllp('MSH|second')]);
    for (let cut = 1; cut < stream.length; cut++) {
      const d = new MllpDecoder(1000);
      const got = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(bodies(got), `cut at ${cut}`).toEqual(['MSH|first', 'MSH|second']);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const d = new MllpDecoder(1000);
    const stream = Buffer.concat([frameMllp('one'), frameMllp('two')]);
    const got = [...stream].flatMap((b) => d.push(Buffer.from([b])));
    expect(bodies(got)).toEqual(['one', 'two']);
  });

  it('skips bytes outside frames (stray CR/LF between messages)', () => {
    const chunk = Buffer.concat([Buffer.from('\r\n'), frameMllp('A'), Buffer.from('\n'), frameMllp('B')]);
    expect(bodies(new MllpDecoder(1000).push(chunk))).toEqual(['A', 'B']);
  });

  it('accepts an end block without its CR', () => {
    const chunk = Buffer.concat([Buffer.from([0x0b]), Buffer.from('A'), Buffer.from([0x1c]), frameMllp('B')]);
    expect(bodies(new MllpDecoder(1000).push(chunk))).toEqual(['A', 'B']);
  });

  it('reports an oversized frame with its head instead of buffering it, then carries on', () => {
    const d = new MllpDecoder(10);
    const big = `MSH|${'x'.repeat(100)}`;
    const events = [...d.push(frameMllp(big).subarray(0, 50)), ...d.push(frameMllp(big).subarray(50)), ...d.push(frameMllp('small'))];
    expect(bodies(events)).toEqual([`oversize:${big.length}`, 'small']);
    expect((events[0] as { head: Buffer }).head.toString().startsWith('MSH|xxx')).toBe(true);
  });

  it('keeps multi-byte UTF-8 intact across chunk boundaries', () => {
    const framed = frameMllp('café');
    const d = new MllpDecoder(1000);
    const got = [...d.push(framed.subarray(0, 5)), ...d.push(framed.subarray(5))];
    expect(bodies(got)).toEqual(['café']);
  });
});

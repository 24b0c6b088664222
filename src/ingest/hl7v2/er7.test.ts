import { describe, expect, it } from 'vitest';
import { CradleError } from '../../fhir/outcome.js';
import { parseEr7 } from './er7.js';
import { escapeEr7, unescapeEr7, DEFAULT_DELIMITERS } from './escape.js';

const MSH = 'MSH|^~\\&|APP|FAC|CRADLE|CRADLE|20261122103000||ADT^A28^ADT_A05|MSG1|P|2.4';

function errorOf(fn: () => unknown): CradleError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CradleError) return err;
    throw err;
  }
  throw new Error('expected a CradleError');
}

describe('ER7 escape sequences (HL7 v2.5 section 2.7)', () => {
  it('decodes the delimiter escapes \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ inside a field', () => {
    const msg = parseEr7(`${MSH}\rNTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f`);
    expect(msg.segment('NTE')!.get(3)).toBe('a|b^c&d~e\\f');
  });

  it('decodes hexadecimal data \\X..\\ in the message character set', () => {
    const msg = parseEr7(`${MSH}\rNTE|1||caf\\XC3A9\\ and \\X41\\`);
    expect(msg.segment('NTE')!.get(3)).toBe('café and A');
  });

  it('turns formatted-text line breaks into newlines and drops highlighting', () => {
    expect(unescapeEr7('one\\.br\\two \\H\\bold\\N\\', DEFAULT_DELIMITERS)).toBe('one\ntwo bold');
  });

  it('keeps a lone escape character that opens no sequence', () => {
    expect(unescapeEr7('C:\\temp', DEFAULT_DELIMITERS)).toBe('C:\\temp');
    expect(unescapeEr7('a\\Q\\b', DEFAULT_DELIMITERS)).toBe('a\\Q\\b');
  });

  it('uses the escape character the message declares', () => {
    const msg = parseEr7('MSH|^~#&|APP|FAC|||20261122||ADT^A28|1|P|2.4\rNTE|1||x#F#y');
    expect(msg.segment('NTE')!.get(3)).toBe('x|y');
  });

  it('round-trips text through escapeEr7 and unescapeEr7', () => {
    const text = 'a|b^c&d~e\\f';
    expect(unescapeEr7(escapeEr7(text), DEFAULT_DELIMITERS)).toBe(text);
  });
});

describe('ER7 structure', () => {
  const pid = 'PID|1||111^^^RHM^MR~9434765919^^^NHS^NH||SMITH&VAN&Smith^JANE^Q~JONES^J||20260101|F|||1 HIGH ST^^TOWN^^SO16 6YD^GBR^H';

  it('reads repetitions, components and subcomponents by HL7 position', () => {
    const seg = parseEr7(`${MSH}\r${pid}`).segment('PID')!;
    const ids = seg.repetitions(3);
    expect(ids.map((r) => [r.comp(1), r.comp(4), r.comp(5)])).toEqual([['111', 'RHM', 'MR'], ['9434765919', 'NHS', 'NH']]);
    expect(seg.get(5, 1, 1)).toBe('SMITH');
    expect(seg.get(5, 1, 3)).toBe('Smith');
    expect(seg.field(5).component(1).comp(2)).toBe('VAN');
    expect(seg.repetitions(5)[1]!.comp(2)).toBe('J');
    expect(seg.get(11, 5)).toBe('SO16 6YD');
  });

  it('answers empty for absent fields, components and the explicit null ""', () => {
    const seg = parseEr7(`${MSH}\rPID|1||X|""`).segment('PID')!;
    expect(seg.get(40)).toBe('');
    expect(seg.get(3, 9)).toBe('');
    expect(seg.repetitions(4)).toEqual([]);
    expect(seg.field(4).isEmpty).toBe(true);
  });

  it('numbers MSH fields from MSH-1, the field separator itself', () => {
    const msh = parseEr7(MSH).msh;
    expect(msh.raw(1)).toBe('|');
    expect(msh.raw(2)).toBe('^~\\&');
    expect(msh.get(3)).toBe('APP');
    expect(msh.get(9, 2)).toBe('A28');
    expect(msh.get(12)).toBe('2.4');
  });

  it.each([['\\r', '\r'], ['\\n', '\n'], ['\\r\\n', '\r\n']])('accepts %s between segments', (_name, sep) => {
    const msg = parseEr7(`${MSH}${sep}EVN|A28|20261122${sep}${pid}${sep}`);
    expect(msg.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID']);
  });

  it('counts occurrences of repeated segments and names them in locations', () => {
    const msg = parseEr7(`${MSH}\rNK1|1|A\rNK1|2|B`);
    const second = msg.segment('NK1', 2)!;
    expect(second.get(2)).toBe('B');
    expect(second.field(2).at(1)).toBe('NK1[2]-2.1');
    expect(msg.segment('NK1')!.field(2).at()).toBe('NK1-2');
  });

  it('drops a UTF-8 byte-order mark and blank lines', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${MSH}\r\n\r\nEVN|A28\r\n`)]);
    expect(parseEr7(body).segments.map((s) => s.name)).toEqual(['MSH', 'EVN']);
  });

  it('reads Latin-1 text when MSH-18 names ISO 8859/1, and when the bytes are not UTF-8', () => {
    const declared = Buffer.concat([Buffer.from(`${MSH}||||||8859/1\rNTE|1||`), Buffer.from([0xa3, 0x35])]);
    expect(parseEr7(declared).segment('NTE')!.get(3)).toBe('£5');
    const undeclared = Buffer.concat([Buffer.from(`${MSH}\rNTE|1||`), Buffer.from([0xe9])]);
    expect(parseEr7(undeclared).segment('NTE')!.get(3)).toBe('é');
  });

  it('ends a line at CR, LF or CR LF, whichever comes, and drops the blank lines between', () => {
    const msg = parseEr7(`${MSH}\r\nNTE|1||one\n\rtwo\r\rthree\r\n\nEVN|A28\r`);
    expect(msg.segment('NTE')!.get(3)).toBe('one\ntwo\nthree');
    expect(msg.segments.map((s) => s.name)).toEqual(['MSH', 'NTE', 'EVN']);
  });

  it('joins a line that is not a segment back onto the segment before it', () => {
    const msg = parseEr7(`${MSH}\nNTE|1||first line\nsecond line\nEVN|A28`);
    expect(msg.segment('NTE')!.get(3)).toBe('first line\nsecond line');
    expect(msg.segments.map((s) => s.name)).toEqual(['MSH', 'NTE', 'EVN']);
  });
});

describe('ER7 reads fields where they are, without splitting the whole segment', () => {
  // What the reader answers must be what splitting the text answers (the parser once split
  // every segment and value into arrays; it now finds only the part asked for).
  const lines = ['PID|1||A^B&b2&&b4^^D~~E^^^^|||^|&|""|^""^~""||x^y&z^\\T\\q||', 'ZZZ', 'ZZZ|', 'OBX||||||||||||||||||||||||trailing^'];
  const msg = parseEr7(`${MSH}\r${lines.join('\r')}`);
  const positions = [-1, 0, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 30, Number.NaN];

  it('answers raw fields, repetitions and field counts as a split would, in any order and as often as asked', () => {
    lines.forEach((line, i) => {
      const segment = msg.segments[i + 1]!;
      const parts = line.split('|');
      expect(segment.fieldCount).toBe(parts.length - 1);
      for (const n of [...positions, ...[...positions].reverse()]) {
        expect(segment.raw(n)).toBe(parts[n] ?? '');
        const raw = parts[n] ?? '';
        const expected = raw === '' || raw === '""' ? [] : raw.split('~');
        expect(segment.repetitions(n).map((r) => r.raw)).toEqual(expected);
        expect(segment.repetitions(n)).toBe(segment.repetitions(n));
      }
    });
  });

  it('answers components and subcomponents as a split would', () => {
    for (const segment of msg.segments.slice(1)) {
      for (let n = 0; n <= segment.fieldCount + 1; n++) {
        for (const value of [...segment.repetitions(n), segment.field(n)]) {
          const components = value.raw.split('^');
          expect(value.componentCount).toBe(value.raw === '' ? 0 : components.length);
          for (const i of positions) {
            for (const j of positions) {
              const part = (components[i - 1] ?? '').split('&')[j - 1] ?? '';
              expect(value.sub(i, j)).toBe(part === '""' ? '' : unescapeEr7(part, DEFAULT_DELIMITERS).trim());
            }
            const nested = value.component(i);
            expect(nested.raw).toBe(components[i - 1] ?? '');
            expect(nested.comp(2)).toBe((nested.raw.split('&')[1] ?? '').trim());
          }
        }
      }
    }
  });

  it('numbers MSH fields from MSH-1 however its line is read', () => {
    const parts = MSH.split('|');
    expect(msg.msh.fieldCount).toBe(parts.length);
    expect([msg.msh.raw(0), msg.msh.raw(1), msg.msh.raw(2), msg.msh.raw(3), msg.msh.raw(12), msg.msh.raw(13)]).toEqual(['MSH', '|', '^~\\&', 'APP', '2.4', '']);
  });

  it('writes locations of components as it always has, including a component read as a value of its own', () => {
    const pid = msg.segment('PID')!;
    const value = pid.repetitions(3)[1]!;
    expect([value.at(), value.at(2), value.at(2, 3), value.at(undefined, 3)]).toEqual(['PID-3[2]', 'PID-3[2].2', 'PID-3[2].2.3', 'PID-3[2].3']);
    const nested = pid.field(3).component(2);
    expect(nested.location).toEqual({ segment: 'PID', occurrence: 1, field: 3, repetition: 1, component: 2 });
    expect([nested.at(), nested.at(1), nested.component(3).at()]).toEqual(['PID-3.2', 'PID-3.1', 'PID-3.3']);
    expect([pid.at(), pid.at(7), msg.segment('ZZZ', 2)!.at(1)]).toEqual(['PID', 'PID-7', 'ZZZ[2]-1']);
  });
});

describe('MSH-1 and MSH-2 oddities', () => {
  it('collapses a doubled escape character in MSH-2 (^~\\\\&)', () => {
    const msg = parseEr7('MSH|^~\\\\&|APP|FAC|||20120921||ADT^A01|1|P|2.2\rNTE|1||a\\F\\b');
    expect(msg.delimiters).toMatchObject({ component: '^', repetition: '~', escape: '\\', subcomponent: '&' });
    expect(msg.segment('NTE')!.get(3)).toBe('a|b');
  });

  it('strips a literal "\\r" left at the end of each segment', () => {
    const msg = parseEr7('MSH|^~\\\\&|APP|FAC|||20120921||ADT^A01|1|P|2.2\\r\nEVN|A01|201209211843\\r\nPID|||123');
    expect(msg.msh.get(12)).toBe('2.2');
    expect(msg.segment('EVN')!.get(2)).toBe('201209211843');
  });

  it('keeps a trailing r that follows a closed escape sequence', () => {
    expect(parseEr7(`${MSH}\rNTE|1||\\H\\r`).segment('NTE')!.get(3)).toBe('r');
  });

  it('accepts the v2.7 truncation character as a fifth encoding character', () => {
    const msg = parseEr7('MSH|^~\\&#|APP|FAC|||20261122||ADT^A28|1|P|2.7\rNTE|1||a\\P\\b');
    expect(msg.delimiters.truncation).toBe('#');
    expect(msg.segment('NTE')!.get(3)).toBe('a#b');
  });

  it('accepts a field separator other than |', () => {
    const msg = parseEr7('MSH*^~\\&*APP*FAC***20261122**ADT^A28*1*P*2.4\rPID*1**123');
    expect(msg.segment('PID')!.get(3)).toBe('123');
  });

  it('rejects encoding characters that repeat, pointing at MSH-2', () => {
    expect(errorOf(() => parseEr7('MSH|^^\\&|APP')).issues[0]).toMatchObject({ code: 'CRADLE_PARSE_ERROR', expression: ['MSH-2'] });
  });

  it('rejects a body that does not start with MSH', () => {
    expect(errorOf(() => parseEr7('PID|1||123')).issues[0]).toMatchObject({ code: 'CRADLE_PARSE_ERROR', expression: ['MSH'] });
    expect(errorOf(() => parseEr7('')).issues[0]!.diagnostics).toBe('empty message');
  });

  it('rejects two messages in one body (batches are split before parsing)', () => {
    expect(errorOf(() => parseEr7(`${MSH}\r${MSH}`)).issues[0]).toMatchObject({ code: 'CRADLE_PARSE_ERROR', expression: ['MSH[2]'] });
  });
});

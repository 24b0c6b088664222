import { describe, expect, it } from 'vitest';
import { CradleError } from '../../src/fhir/outcome.js';
import { CinReturnSplitter, splitReturn, type CinPart } from './split-return.js';

const HEADER = '<Header><Source><LEA>850</LEA></Source></Header>';
const child = (id: string, extra = '') => `<Child><ChildIdentifiers><LAchildID>${id}</LAchildID>${extra}</ChildIdentifiers></Child>`;
const ret = (...children: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<Message>${HEADER}<Children>${children.join('')}</Children></Message>`;

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof CradleError) return err.issues.map((i) => ({ code: i.code, expression: i.expression }));
    throw err;
  }
  throw new Error('expected a CradleError');
}

describe('splitting a CIN census return into one message per child', () => {
  it('gives each child its own Message carrying the return\'s Header and its position', () => {
    const parts = splitReturn(Buffer.from(ret(child('A'), child('B'), child('C'))));
    expect(parts.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(parts[1]!.xml).toContain('<?cradle-cin-part child="2"?>');
    expect(parts[1]!.xml).toContain(`<Message>${HEADER}<Children>${child('B')}</Children></Message>`);
  });

  it('streams: hands over each child as soon as it is read, before the rest of the return arrives', () => {
    const seen: CinPart[] = [];
    const splitter = new CinReturnSplitter((p) => seen.push(p));
    const text = ret(child('A'), child('B'));
    const cut = text.indexOf('<Child><ChildIdentifiers><LAchildID>B');
    splitter.write(Buffer.from(text.slice(0, cut)));
    expect(seen.map((p) => p.index)).toEqual([1]);
    splitter.write(Buffer.from(text.slice(cut)));
    expect(splitter.end()).toBe(2);
  });

  it('keeps characters whose bytes straddle two chunks, and escapes text it re-writes', () => {
    const bytes = Buffer.from(ret(child('Zoë &amp; Åsa')));
    const seen: CinPart[] = [];
    const splitter = new CinReturnSplitter((p) => seen.push(p));
    for (let i = 0; i < bytes.length; i += 3) splitter.write(bytes.subarray(i, i + 3));
    splitter.end();
    expect(seen[0]!.xml).toContain('<LAchildID>Zoë &amp; Åsa</LAchildID>');
  });

  it('keeps stray text inside a child, for the schema check to report', () => {
    expect(splitReturn(Buffer.from(ret(child('A', 'PersonBirthDate'))))[0]!.xml).toContain('PersonBirthDate</ChildIdentifiers>');
  });

  it('splits a return of 20,000 children without holding more than one child', () => {
    let count = 0;
    let largest = 0;
    const splitter = new CinReturnSplitter((p) => {
      count++;
      largest = Math.max(largest, p.xml.length);
    });
    splitter.write(`<Message>${HEADER}<Children>`);
    for (let i = 0; i < 20_000; i++) splitter.write(child(`C${i}`, '<PersonBirthDate>2020-01-01</PersonBirthDate><GenderCurrent>1</GenderCurrent>'));
    splitter.write('</Children></Message>');
    expect(splitter.end()).toBe(20_000);
    expect(count).toBe(20_000);
    expect(largest).toBeLessThan(400);
  });

  it('rejects a return it cannot split, pointing at the problem', () => {
    expect(issuesOf(() => splitReturn(Buffer.from('<Return><Children/></Return>')))).toEqual([{ code: 'CRADLE_INPUT_INVALID', expression: ['/Return'] }]);
    expect(issuesOf(() => splitReturn(Buffer.from(`<Message>${HEADER}</Message>`)))).toEqual([{ code: 'CRADLE_INPUT_INVALID', expression: ['/Message/Children'] }]);
    expect(issuesOf(() => splitReturn(Buffer.from(`<Message>${HEADER}<Children></Children></Message>`)))).toEqual([{ code: 'CRADLE_INPUT_INVALID', expression: ['/Message/Children/Child'] }]);
    expect(issuesOf(() => splitReturn(Buffer.from(`<Message><Children>${child('A')}</Children>${HEADER}</Message>`)))).toEqual([{ code: 'CRADLE_INPUT_INVALID', expression: ['/Message/Header'] }]);
    expect(issuesOf(() => splitReturn(Buffer.from('<Message><Children>')))).toEqual([{ code: 'CRADLE_PARSE_ERROR', expression: ['/'] }]);
    expect(issuesOf(() => splitReturn(Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><Message/>')))).toEqual([{ code: 'CRADLE_PARSE_ERROR', expression: ['/'] }]);
  });
});

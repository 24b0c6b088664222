import { CradleError, type Issue } from '../../src/fhir/outcome.js';
import type { SourceAdapter } from '../../src/ingest/source.js';
import type { StreamSplitting } from '../../src/ingest/stream-split.js';
import { mapCinReturn, type CinReturnRecord } from './map-child.js';
import { childIssues, readChild, readHeader, type CinChild, type CinHeader } from './read.js';
import { HEADER_SPEC, MESSAGE } from './schema.js';
import { CinReturnSplitter, PART_PI, splitReturn, type CinPart } from './split-return.js';
import { missing, validateTree } from './validate.js';
import { parseXmlTree, type XmlNode } from './xml.js';

/** A whole LA return over HTTP: a large authority's runs to tens of megabytes (bigger ones: `cradle ingest` streams them child by child). */
const MAX_RETURN_BYTES = 100 * 1024 * 1024;

/**
 * The `cin-census` source: the DfE Children in Need census XML, a whole local authority
 * return at a time. The return is streamed (saxes, no DOM) into one message per child,
 * each carrying the return's Header; each child is checked against the XSD rules that
 * matter and mapped to the same FHIR as socialcare events. README.md lists the rules.
 */
export const cinCensusSource: SourceAdapter<CinReturnRecord> & StreamSplitting = {
  name: 'cin-census',
  mediaTypes: ['application/xml', 'text/xml'],
  contractPath: 'mappings/cin-census/contract.json',
  maxBodyBytes: MAX_RETURN_BYTES,
  split(body) {
    // A part already cut (by `cradle ingest`, or replayed) keeps its position in the return.
    if (isPart(body)) return [body];
    const parts = splitReturn(body);
    checkHeader(parts[0]!);
    return parts.map((p) => Buffer.from(p.xml, 'utf8'));
  },
  async *splitStream(chunks) {
    const ready: CinPart[] = [];
    const splitter = new CinReturnSplitter((p) => ready.push(p));
    let checked = false;
    for await (const chunk of chunks) {
      splitter.write(chunk);
      for (const part of ready.splice(0)) {
        if (!checked) {
          checkHeader(part);
          checked = true;
        }
        yield Buffer.from(part.xml, 'utf8');
      }
    }
    splitter.end();
  },
  parse(body) {
    return parseParts(isPart(body) ? [{ index: partIndex(body), xml: body.toString('utf8') }] : splitReturn(body));
  },
  identity(record) {
    // split() stores one child per message; several only in offline checks.
    if (record.children.length !== 1) throw new Error('a CIN census return must be split into one message per child first');
    const { header } = record;
    const year = header.year ?? header.referenceDate?.slice(0, 4) ?? 'unknown';
    return { key: `cin-census|${header.lea}|${record.children[0]!.laChildId}|${year}`, version: generatedAtVersion(header) };
  },
  map: mapCinReturn,
};

/** Checks each child (XSD rules, then Cradle's) and gathers every problem of every child. */
function parseParts(parts: readonly CinPart[]): CinReturnRecord {
  const issues: Issue[] = [];
  const children: CinChild[] = [];
  let header: CinHeader | undefined;
  for (const part of parts) {
    const tree = parseXmlTree(part.xml);
    const schemaIssues = validateTree(tree, MESSAGE, { childIndex: part.index });
    if (schemaIssues.length > 0) {
      issues.push(...schemaIssues);
      continue;
    }
    header ??= readHeader(element(tree, 'Header')!);
    const child = readChild(element(element(tree, 'Children')!, 'Child')!, part.index);
    const more = childIssues(child);
    if (more.length > 0) issues.push(...more);
    else children.push(child);
  }
  if (issues.length > 0) throw CradleError.of(unique(issues));
  return { header: header!, children };
}

/** The Header is the return's, shared by every child: a bad one rejects the whole return. */
function checkHeader(first: CinPart): void {
  const header = element(parseXmlTree(first.xml), 'Header');
  if (!header) throw CradleError.of([missing('/Message/Header', 'is required: it names the local authority (Source/LEA)')]);
  const issues = validateTree(header, HEADER_SPEC, { prefix: '/Message' });
  if (issues.length > 0) throw CradleError.of(issues);
}

function isPart(body: Buffer): boolean {
  return body.subarray(0, 256).toString('utf8').includes(`<?${PART_PI} `);
}

function partIndex(body: Buffer): number {
  const match = new RegExp(`<\\?${PART_PI} child="(\\d+)"`).exec(body.subarray(0, 256).toString('utf8'));
  return match ? Number(match[1]) : 1;
}

/** The return's generation time orders resubmissions of one year's return (a zone-less time is read as UTC). */
function generatedAtVersion(header: CinHeader): number | null {
  if (!header.generatedAt) return null;
  const t = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(header.generatedAt) ? header.generatedAt : `${header.generatedAt}Z`);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

function element(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** Header problems are found once per child; report each once. */
function unique(issues: Issue[]): Issue[] {
  return [...new Map(issues.map((i) => [`${i.code}|${i.expression?.join()}`, i])).values()];
}

/**
 * The UTC offset of Europe/London at an instant, as Intl gives it, without asking Intl
 * each time: a formatToParts call costs microseconds, and every HL7 time without an
 * offset needs two (see `londonOffsetAt` in datetime.ts) — most of the parse time of a
 * GP message before this cache.
 *
 * The offsets are learnt from Intl itself, one span of about a year at a time: sampled
 * once a day, and where two samples differ the change is found to the millisecond by
 * bisection. So the cache follows whatever time-zone data Node carries (BST rules, the
 * 1968–71 British Standard Time, the 1847 change from local mean time at 00:01:15 UTC),
 * assuming only that the offset never changes and changes back within one day.
 * london-offset.test.ts checks it against Intl hour by hour.
 */
const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });

/**
 * Intl's answer, in whole minutes as Cradle has always read it (`GMT+01:00` → 60;
 * the seconds of a historical `GMT-00:01:15` are not read).
 */
export function intlLondonOffset(instant: number): number {
  const name = londonParts.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const DAY = 86_400_000;
const SPAN_DAYS = 365;
const SPAN = SPAN_DAYS * DAY;
/**
 * Far more years than real traffic names; cleared when full (input naming thousands of
 * different years), so memory stays bounded. Learning a span costs about 370 Intl calls
 * (1–2 ms), once.
 */
const MAX_SPANS = 4096;
/** Spans whose samples all fall inside the range of a Date (±8.64e15 ms); beyond it (and NaN), Intl answers or throws as ever. */
const CACHED = 8.64e15 - 2 * SPAN;

/** One span `[start, start + SPAN)`: `offsets[k]` holds from `from[k]` to the next change. */
interface Span {
  readonly start: number;
  readonly from: readonly number[];
  readonly offsets: readonly number[];
}

const spans = new Map<number, Span>();
let recent: Span | undefined;

/** The offset (minutes) of Europe/London at `instant` (epoch ms): the same as {@link intlLondonOffset}. */
export function londonOffset(instant: number): number {
  if (!(Math.abs(instant) <= CACHED)) return intlLondonOffset(instant);
  let span = recent;
  if (span === undefined || instant < span.start || instant >= span.start + SPAN) span = recent = spanAt(Math.floor(instant / SPAN));
  const { from, offsets } = span;
  let k = from.length - 1;
  while (k > 0 && from[k]! > instant) k--;
  return offsets[k]!;
}

function spanAt(index: number): Span {
  const known = spans.get(index);
  if (known) return known;
  if (spans.size >= MAX_SPANS) spans.clear();
  const span = learnSpan(index * SPAN);
  spans.set(index, span);
  return span;
}

function learnSpan(start: number): Span {
  const from = [start];
  const offsets = [intlLondonOffset(start)];
  let current = offsets[0]!;
  for (let day = 1; day <= SPAN_DAYS; day++) {
    const t = start + day * DAY;
    const next = intlLondonOffset(t);
    // Usually one change in the day; more are followed one by one (bisection needs one "before" value).
    for (let lo = t - DAY; current !== next;) {
      const change = firstChangeAfter(lo, t, current);
      current = intlLondonOffset(change);
      lo = change;
      // A change exactly at the span's end is the next span's starting offset.
      if (change < start + SPAN) {
        from.push(change);
        offsets.push(current);
      }
    }
  }
  return { start, from, offsets };
}

/** Bisection: the first millisecond after `lo` (offset `old`) at which the offset is no longer `old`, at or before `hi`. */
function firstChangeAfter(lo: number, hi: number, old: number): number {
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (intlLondonOffset(mid) === old) a = mid;
    else b = mid;
  }
  return b;
}

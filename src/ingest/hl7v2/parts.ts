/**
 * Parts of delimited ER7 text found with indexOf, instead of `split` building every part:
 * a reader asks for one component (or one MSH field) at a time, and splitting each value
 * into an array of short strings was most of the parse time. A separator is one
 * delimiter, never ''.
 */

/** `text.split(separator)[n - 1] ?? ''`: the 1-based part `n` (any other `n` gives ''). */
export function nthPart(text: string, separator: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) return '';
  let start = 0;
  for (let k = 1; k < n; k++) {
    const at = text.indexOf(separator, start);
    if (at < 0) return '';
    start = at + separator.length;
  }
  const end = text.indexOf(separator, start);
  return end < 0 ? (start === 0 ? text : text.slice(start)) : text.slice(start, end);
}

/** `text.split(separator).length`. */
export function countParts(text: string, separator: string): number {
  let count = 1;
  for (let at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, at + separator.length)) count++;
  return count;
}

/** Where each part of `text.split(separator)` ends: the separators' offsets, then the length. */
export function partEnds(text: string, separator: string): number[] {
  const ends: number[] = [];
  for (let at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, at + separator.length)) ends.push(at);
  ends.push(text.length);
  return ends;
}

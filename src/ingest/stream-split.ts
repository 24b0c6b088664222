import type { SourceAdapter } from './source.js';

/**
 * A source whose bodies can be very large (a whole CIN census return) may also cut a body
 * into its message parts while reading it from a stream, holding only the part being read.
 * `cradle ingest` uses this to submit a big file part by part, with per-part progress and
 * without loading it; the parts are the same bytes `split` would give.
 */
export interface StreamSplitting {
  splitStream(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer>;
}

export function canSplitStream(adapter: SourceAdapter): adapter is SourceAdapter & StreamSplitting {
  return typeof (adapter as Partial<StreamSplitting>).splitStream === 'function';
}

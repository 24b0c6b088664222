import type { Bundle } from '../fhir/types.js';
import type { MappingContext } from '../mapping/context.js';

/** The identity of the source record a message carries, for ordering versions. */
export interface RecordIdentity {
  /** e.g. `maternity|RHM|RHM-PREG-000123`; resources this record produced carry it. */
  key: string;
  /** Higher wins; null when the source has no versions (every message applies). */
  version: number | null;
}

/**
 * One source of `POST /ingest/{source}`: how its bytes become a typed record (checking
 * the published contract) and how that record becomes FHIR. `parse` throws CradleError
 * with issues pointing into the input; `map` is pure.
 */
export interface SourceAdapter<R = unknown> {
  readonly name: string;
  /** Media types accepted; the first is the canonical one. */
  readonly mediaTypes: readonly string[];
  /** Path (from the package root) of the published contract, served at /ingest/{source}/contract. */
  readonly contractPath?: string;
  /** Largest body this source accepts, when it differs from `limits.maxBodyBytes` (e.g. a whole CIN census return). */
  readonly maxBodyBytes?: number;
  /**
   * For sources that send several messages in one body (an HL7 batch with several MSH
   * segments, a CIN census return with many children): the body cut into one part per
   * message, each stored and processed on its own. Throws CradleError when the body cannot
   * be split at all; the whole body is then kept as one rejected message.
   */
  split?(body: Buffer, mediaType: string): Buffer[];
  parse(body: Buffer, mediaType: string): R;
  identity(record: R): RecordIdentity;
  map(record: R, ctx: MappingContext): Bundle;
}

export type SourceRegistry = ReadonlyMap<string, SourceAdapter>;

export function sourceRegistry(adapters: readonly SourceAdapter[]): SourceRegistry {
  return new Map(adapters.map((a) => [a.name, a]));
}

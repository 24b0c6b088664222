import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, Identifier, Reference } from '../fhir/types.js';

/** One Bundle entry to re-home: where it sat, its fullUrl, and the resource (already R4). */
export interface BundleItem {
  index: number;
  fullUrl?: string;
  resource: AnyResource;
}

export interface RehomeOptions {
  /** Whether an entry is kept (the rest only serve to resolve references to them). */
  keep(item: BundleItem): boolean;
  /**
   * The deterministic id a kept entry gets in Cradle's store. `shared` is true when another
   * entry of the same type carries the same business identifier (NEMS NIPE procedures do):
   * the identifier alone then cannot tell them apart.
   */
  idFor(item: BundleItem, shared: boolean): string;
}

/**
 * Re-homes Bundle entries into Cradle's store (CONTRACTS.md: by business identifier,
 * never by the sender's server ids). Kept resources get their new ids, lose the sender's
 * `meta` and narrative, and have every reference resolved:
 * - to another kept entry (by fullUrl, `Type/id`, or an absolute URL ending in it) → `Type/<new id>`;
 * - to an entry not kept (an Organization, a Practitioner) → a logical reference by its
 *   identifier (NHS number, ODS code first) and name, since Cradle does not store it;
 * - to the NHS directory of services (`…/Organization/<ODS>`) → a logical reference by ODS code;
 * - to anything else outside the Bundle → dropped, keeping any identifier or display the
 *   reference carried: a server id from another system means nothing in Cradle.
 * Contained references (`#id`) are left alone.
 */
export function rehome(items: readonly BundleItem[], options: RehomeOptions): AnyResource[] {
  const index = indexItems(items);
  const ids = new Map<BundleItem, string>();
  const kept = items.filter((i) => options.keep(i));
  const keyOf = (i: BundleItem) => {
    const id = bestIdentifier(i.resource as { identifier?: Identifier[] });
    return id ? `${i.resource.resourceType}|${id.system}|${id.value}` : undefined;
  };
  const counts = new Map<string, number>();
  for (const i of kept) {
    const k = keyOf(i);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const item of kept) ids.set(item, options.idFor(item, (counts.get(keyOf(item) ?? '') ?? 0) > 1));
  const resolve = (ref: Reference): Reference | undefined => resolveReference(ref, index, ids);
  return items.filter((i) => ids.has(i)).map((item) => {
    const { meta: _meta, text: _text, id: _id, ...rest } = item.resource as AnyResource & { text?: unknown };
    return { ...(rewrite(rest, resolve) as object), id: ids.get(item)! } as AnyResource;
  });
}

/** The identifier that names a resource best: NHS number, then ODS code, then the first with a system and value. */
export function bestIdentifier(resource: { identifier?: Identifier[] | Identifier }): Identifier | undefined {
  const list = Array.isArray(resource.identifier) ? resource.identifier : resource.identifier ? [resource.identifier] : [];
  const usable = list.filter((i) => i.system && i.value).map((i) => ({ system: i.system!, value: i.value! }));
  return usable.find((i) => i.system === SYSTEM.nhsNumber) ?? usable.find((i) => i.system === SYSTEM.odsOrganisation) ?? usable[0];
}

const DIRECTORY = /^https:\/\/directory\.spineservices\.nhs\.uk\/(?:STU3|R4)\/Organization\/([A-Z0-9]{3,10})$/;

function resolveReference(ref: Reference, index: Map<string, BundleItem>, ids: Map<BundleItem, string>): Reference | undefined {
  const target = ref.reference ?? '';
  if (target.startsWith('#')) return ref;
  const { reference: _r, ...kept } = ref;
  const item = index.get(target) ?? index.get(relativeTail(target) ?? '');
  if (item) {
    const id = ids.get(item);
    if (id) return { ...kept, reference: `${item.resource.resourceType}/${id}` };
    const identifier = ref.identifier ?? bestIdentifier(item.resource as { identifier?: Identifier[] });
    const display = ref.display ?? nameOf(item.resource);
    if (!identifier && !display) return undefined;
    return { ...kept, type: item.resource.resourceType, ...(identifier ? { identifier } : {}), ...(display ? { display } : {}) };
  }
  const ods = DIRECTORY.exec(target)?.[1];
  if (ods) return { ...kept, type: 'Organization', identifier: { system: SYSTEM.odsOrganisation, value: ods } };
  return kept.identifier || kept.display ? kept : undefined;
}

function indexItems(items: readonly BundleItem[]): Map<string, BundleItem> {
  const index = new Map<string, BundleItem>();
  for (const item of items) {
    if (item.fullUrl) index.set(item.fullUrl, item);
    const local = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
    if (item.resource.id && !index.has(local)) index.set(local, item);
  }
  return index;
}

/** `https://server/fhir/Patient/123` (or `…/_history/2`) → `Patient/123`. */
function relativeTail(reference: string): string | undefined {
  return /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?$/.exec(reference)?.[1];
}

function nameOf(resource: AnyResource): string | undefined {
  const name = (resource as { name?: unknown }).name;
  if (typeof name === 'string') return name;
  if (Array.isArray(name)) {
    const n = name[0] as { text?: string; family?: string; given?: string[] } | undefined;
    return n?.text ?? ([...(n?.given ?? []), n?.family].filter(Boolean).join(' ') || undefined);
  }
  return undefined;
}

/** Deep copy with every Reference rewritten; references that resolve to nothing are removed. */
function rewrite(value: unknown, resolve: (ref: Reference) => Reference | undefined): unknown {
  if (Array.isArray(value)) {
    const out = value.map((v) => rewrite(v, resolve)).filter((v) => v !== undefined);
    return out.length > 0 ? out : undefined;
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.reference === 'string') return resolve(obj as Reference);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const r = rewrite(v, resolve);
      if (r !== undefined) out[k] = r;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

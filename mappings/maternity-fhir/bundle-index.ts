import type { AnyResource, Bundle, Reference } from '../../src/fhir/types.js';

export interface Located<T extends AnyResource = AnyResource> {
  resource: T;
  /** FHIRPath of the resource in the input: `Bundle.entry[3].resource`. */
  path: string;
}

/**
 * The resources of an input Bundle with in-Bundle reference resolution (FHIR R4 Bundle
 * §2.36.4: a reference resolves to the entry whose fullUrl it equals, or whose
 * `Type/id` it names). Server ids are used only to follow references inside the Bundle,
 * never to name anything Cradle stores: that is by business identifier.
 */
export class BundleIndex {
  readonly all: Located[];
  private readonly byRef = new Map<string, Located>();

  constructor(bundle: Bundle) {
    this.all = (bundle.entry ?? []).flatMap((e, i) => (e.resource ? [{ resource: e.resource, path: `Bundle.entry[${i}].resource` }] : []));
    (bundle.entry ?? []).forEach((e, i) => {
      const located = this.all.find((l) => l.path === `Bundle.entry[${i}].resource`);
      if (!located) return;
      if (e.fullUrl) this.byRef.set(e.fullUrl, located);
      if (located.resource.id) this.byRef.set(`${located.resource.resourceType}/${located.resource.id}`, located);
    });
  }

  ofType<K extends AnyResource['resourceType']>(type: K): Array<Located<Extract<AnyResource, { resourceType: K }>>> {
    return this.all.filter((l) => l.resource.resourceType === type) as Array<Located<Extract<AnyResource, { resourceType: K }>>>;
  }

  /** The entry a reference points at, when it is inside the Bundle. */
  resolve(ref: Reference | undefined): Located | undefined {
    const r = ref?.reference;
    if (!r) return undefined;
    return this.byRef.get(r) ?? this.byRef.get(r.replace(/^.*\/([A-Z][A-Za-z]+\/[^/]+)$/, '$1'));
  }
}

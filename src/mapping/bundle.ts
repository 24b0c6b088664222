import type { AnyResource, Bundle, BundleEntry } from '../fhir/types.js';

/**
 * A transaction Bundle of PUTs by id — the shape every mapping returns. Cradle's own
 * store applies it (after identity linking); the same Bundle is a valid FHIR transaction
 * for any server that allows client-assigned ids.
 */
export function transactionBundle(resources: readonly AnyResource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource): BundleEntry => ({
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    })),
  };
}

export function bundleResources(bundle: Bundle): AnyResource[] {
  // One pass, no intermediate array: every message's resources go through here.
  const resources: AnyResource[] = [];
  for (const e of bundle.entry ?? []) if (e.resource !== undefined) resources.push(e.resource);
  return resources;
}

import type { AnyResource, Identifier, Reference } from '../../src/fhir/types.js';
import type { FhirNode } from '../../src/ingest/fhir-tree.js';
import type { BundleItem } from '../../src/mapping/rehome.js';
import { careTeamR4, encounterR4, episodeOfCareR4, observationR4, procedureR4, stubR4 } from './stu3-clinical.js';
import { identifier, list, reference } from './stu3-datatypes.js';
import { patientR4, relatedPersonR4 } from './stu3-people.js';

/** One entry of the STU3 message: where it sat, its fullUrl, its resource type and element. */
export interface Entry {
  index: number;
  fullUrl: string | undefined;
  type: string;
  node: FhirNode;
}

/**
 * One STU3 entry → an R4 item (with the sender's id for now: re-homing assigns Cradle's).
 * Resources Cradle does not keep become stubs with what references to them need; the
 * Communication NEMS points its MessageHeader at keeps its subject, which says who the
 * event is about.
 */
export function convertEntry(e: Entry, all: readonly Entry[]): BundleItem {
  const id = e.node.str('id') ?? `entry-${e.index}`;
  const resource = withEncounterContextOnly(convert(e, id, all), all);
  return { index: e.index, ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}), resource };
}

function convert(e: Entry, id: string, all: readonly Entry[]): AnyResource {
  const n = e.node;
  switch (e.type) {
    case 'Patient': return patientR4(n, id);
    case 'RelatedPerson': return relatedPersonR4(n, id, linkedIdentifiers(e, id, all));
    case 'Observation': return observationR4(n, id);
    case 'Encounter': return encounterR4(n, id);
    case 'EpisodeOfCare': return episodeOfCareR4(n, id);
    case 'Procedure': return procedureR4(n, id);
    case 'CareTeam': return careTeamR4(n, id);
    case 'Communication': {
      const subject = reference(n.one('subject'));
      return { ...stubR4(e.type, n, id), ...(subject ? { subject } : {}) } as AnyResource;
    }
    default: return stubR4(e.type, n, id);
  }
}

/** The identifiers of the Patient that links to this RelatedPerson (CareConnect puts them there). */
function linkedIdentifiers(e: Entry, id: string, all: readonly Entry[]): Identifier[] {
  const names = new Set([e.fullUrl, `RelatedPerson/${id}`].filter(Boolean));
  const owner = all.find((p) => p.type === 'Patient' && p.node.all('link').some((l) => names.has(l.one('other')?.str('reference'))));
  return owner ? list(owner.node.all('identifier'), identifier) : [];
}

/** R4 `encounter` refers only to an Encounter; an STU3 `context` naming an EpisodeOfCare is dropped. */
function withEncounterContextOnly(r: AnyResource, all: readonly Entry[]): AnyResource {
  const ref = (r as { encounter?: Reference }).encounter?.reference;
  if (!ref) return r;
  const target = all.find((x) => x.fullUrl === ref || `${x.type}/${x.node.str('id')}` === ref);
  const isEncounter = target ? target.type === 'Encounter' : /(^|\/)Encounter\//.test(ref);
  if (isEncounter) return r;
  const { encounter: _e, ...rest } = r as AnyResource & { encounter?: Reference };
  return rest as AnyResource;
}

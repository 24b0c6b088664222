import { sourceRegistry, type SourceRegistry } from '../src/ingest/source.js';
import { cinCensusSource } from './cin-census/index.js';
import { gpFhirSource } from './gp-fhir/index.js';
import { gpHl7v2Source } from './gp-hl7v2/index.js';
import { maternityFhirSource } from './maternity-fhir/index.js';
import { maternitySource } from './maternity/index.js';
import { nemsSource } from './nems/index.js';
import { socialcareSource } from './socialcare/index.js';

/** Every source Cradle accepts on POST /ingest/{source}. Add a source here and in CONTRACTS.md. */
export function allSources(): SourceRegistry {
  return sourceRegistry([maternitySource, gpHl7v2Source, socialcareSource, cinCensusSource, maternityFhirSource, gpFhirSource, nemsSource]);
}

import type { AnyResource, Bundle } from '../../src/fhir/types.js';
import { transactionBundle } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { mapContacts } from './contacts.js';
import { mapReferrals, mapSocialFactors } from './factors-and-referrals.js';
import { mapPeople } from './people.js';
import { mapPregnancy } from './pregnancy.js';
import { mapProvenance } from './provenance.js';
import type { MaternityRecord } from './record.js';
import { MaternityScope } from './scope.js';

/**
 * A maternity record → a transaction Bundle of UK Core resources: the mother, partner,
 * household and babies; the pregnancy; contacts, findings and what was discussed; social
 * factors; referrals; and a Provenance for the message. Pure: ids are deterministic and
 * the only time used is the message's receipt.
 */
export function mapMaternityRecord(record: MaternityRecord, ctx: MappingContext): Bundle {
  const scope = new MaternityScope(record, ctx);
  const resources: AnyResource[] = [
    ...mapPeople(scope),
    ...mapPregnancy(scope),
    ...mapContacts(scope),
    ...mapSocialFactors(scope),
    ...mapReferrals(scope),
  ];
  // Appended rather than copied into a second array: the Provenance lists the others.
  resources.push(mapProvenance(scope, resources));
  return transactionBundle(resources);
}

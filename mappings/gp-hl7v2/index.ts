import { splitEr7Batch } from '../../src/ingest/hl7v2/batch.js';
import { ER7_MEDIA_TYPE } from '../../src/ingest/hl7v2/er7.js';
import type { SourceAdapter } from '../../src/ingest/source.js';
import { mapGpHl7Message } from './gp-hl7v2-message.js';
import { gpHl7Identity } from './identity.js';
import { readGpHl7Message } from './read-message.js';
import type { GpHl7Record } from './record.js';

export const GP_HL7V2_CONTRACT = 'mappings/gp-hl7v2/contract.json';

/**
 * The `gp-hl7v2` source: HL7 v2 ADT (A01 A04 A08 A28 A31 A40) and SIU (S12 S26) from GP
 * and hospital systems, over HTTP or MLLP (CONTRACTS.md). A batch (FHS/BHS or several
 * MSH) is split and each message kept on its own.
 */
export const gpHl7v2Source: SourceAdapter<GpHl7Record> = {
  name: 'gp-hl7v2',
  mediaTypes: [ER7_MEDIA_TYPE, 'text/plain', 'application/hl7-v2'],
  contractPath: GP_HL7V2_CONTRACT,
  split: (body) => splitEr7Batch(body),
  parse: (body) => readGpHl7Message(body),
  identity: gpHl7Identity,
  map: mapGpHl7Message,
};

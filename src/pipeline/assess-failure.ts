import { routeFamily } from '../delivery/routing.js';
import type { CradleError } from '../fhir/outcome.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import { validateResources } from '../fhir/validator.js';
import { assessmentFailedAlerts, subjectsOf } from '../rules/alerts.js';
import { loadFamilyPicture } from '../store/family-loader.js';
import { recordFlagEvents, wakeSubscribers } from '../subscriptions/record-events.js';
import type { Runtime } from '../runtime/runtime.js';

/**
 * A family whose assessment keeps failing — a rule's output the validator refuses, a picture
 * that cannot be loaded — would otherwise look like a family with no concerns. So it gets a
 * high-priority error Flag on its infants (or the mother), pushed to its recipients and told
 * to subscribers like any alert. The work item stays: the recovery sweep retries, and the
 * first assessment that completes withdraws the error Flag.
 * Returns how many Flags were written (0 when they were already there).
 */
export async function raiseAssessmentFailure(rt: Runtime, familyKey: string, error: CradleError): Promise<number> {
  const now = rt.clock();
  let picture: FamilyPicture | undefined;
  try {
    picture = await loadFamilyPicture(rt.db, rt.families, familyKey, now);
  } catch (err) {
    rt.logger.error({ familyKey, err }, 'family picture could not be loaded; error Flag raised on the family key alone');
  }
  const alerts = assessmentFailedAlerts(picture ? subjectsOf(picture) : [familyKey], picture?.flags ?? [], now);
  const invalid = validateResources(alerts);
  if (invalid.length > 0) throw error;
  const recipients = picture ? routeFamily(picture, rt.config.recipients).map((r) => r.recipient.id) : [];
  const { written, due, notify } = await rt.db.transaction(async (tx) => {
    const results = await rt.resources.putMany(tx, alerts, { sourceKey: null, now });
    const changed = results.some((r) => r.changed);
    if (changed) await rt.deliveries.markPending(tx, familyKey, recipients, now);
    return {
      written: results.filter((r) => r.changed && r.ref.startsWith('Flag/')).length,
      due: changed ? await rt.work.mark(tx, 'deliver', recipients.map((id) => `${id}|${familyKey}`), now) : [],
      notify: await recordFlagEvents(rt, tx, results, now),
    };
  });
  await rt.queue.add('deliver', due.map((w) => ({ recipientId: w.key.split('|')[0]!, familyKey, generation: w.generation })));
  await wakeSubscribers(rt, notify);
  return written;
}

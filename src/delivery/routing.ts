import type { Config, RecipientConfig } from '../config/config.js';
import { CS, SYSTEM } from '../fhir/canonical.js';
import type { EpisodeOfCare, Flag, Organization, Patient } from '../fhir/types.js';
import { infants, mother, type FamilyPicture } from '../identity/family-picture.js';

export interface Route {
  recipient: RecipientConfig;
  reason: 'gp-practice' | 'postcode' | 'caseload' | 'local-authority';
}

/**
 * Which recipients serve a family. A family's recipients follow the baby: its registered
 * practice (or, until the baby is registered, the mother's), its home postcode (or the
 * mother's), an explicit caseload (NHS numbers a team holds), and for children's social care
 * the local authority responsible for a child in the family. Before birth the mother stands
 * in for the baby. A change of GP or address (HL7, NEMS, maternity) changes the routes.
 */
export function routeFamily(picture: FamilyPicture, recipients: readonly RecipientConfig[]): Route[] {
  const practices = new Set(practicesOf(picture));
  const postcodes = postcodesOfFamily(picture);
  const nhsNumbers = new Set(nhsNumbersOf(picture));
  const authorities = new Set(localAuthoritiesOf(picture));
  const routes: Route[] = [];
  for (const recipient of recipients) {
    const r = recipient.routing;
    if (r.gpPractices.some((p) => practices.has(p))) routes.push({ recipient, reason: 'gp-practice' });
    else if (r.caseload.some((n) => nhsNumbers.has(n))) routes.push({ recipient, reason: 'caseload' });
    else if (r.localAuthorities.some((la) => authorities.has(la))) routes.push({ recipient, reason: 'local-authority' });
    else if (r.postcodePrefixes.some((prefix) => postcodes.some((pc) => pc.startsWith(prefix)))) routes.push({ recipient, reason: 'postcode' });
  }
  return routes;
}

/** The registered practice(s) the family follows: the infants', or the mother's until they are registered. */
export function practicesOf(picture: FamilyPicture): string[] {
  const mum = mother(picture);
  return [...new Set(firstNonEmpty([...infants(picture).map(practicesOfPatient), mum ? practicesOfPatient(mum) : []]))];
}

function postcodesOfFamily(picture: FamilyPicture): string[] {
  const mum = mother(picture);
  return firstNonEmpty([...infants(picture).map(postcodesOf), mum ? postcodesOf(mum) : []]);
}

function nhsNumbersOf(picture: FamilyPicture): string[] {
  return [...infants(picture), ...(mother(picture) ? [mother(picture)!] : [])]
    .flatMap((p) => (p.identifier ?? []).filter((i) => i.system === SYSTEM.nhsNumber && i.value).map((i) => i.value!));
}

/** Local authorities managing a social care episode for any child of the family. */
function localAuthoritiesOf(picture: FamilyPicture): string[] {
  return picture.resources
    .filter((r): r is EpisodeOfCare => r.resourceType === 'EpisodeOfCare' && (r.type ?? []).some((t) => (t.coding ?? []).some((c) => c.system === CS.socialCareEpisode)))
    .flatMap((e) => {
      const org = (e.contained?.find((c) => `#${c.id}` === e.managingOrganization?.reference) as Organization | undefined);
      return [...(org?.identifier ?? []), ...(e.managingOrganization?.identifier ? [e.managingOrganization.identifier] : [])];
    })
    .map((i) => i.value)
    .filter((v): v is string => !!v);
}

function practicesOfPatient(p: Patient): string[] {
  return (p.generalPractitioner ?? [])
    .filter((g) => g.identifier?.system === SYSTEM.odsOrganisation && g.identifier.value)
    .map((g) => g.identifier!.value!);
}

function postcodesOf(p: Patient): string[] {
  return (p.address ?? []).filter((a) => a.use !== 'old' && !a.period?.end).map((a) => a.postalCode?.replace(/\s+/g, '').toUpperCase()).filter((x): x is string => !!x);
}

/** The babies' values where any baby has one, else the mother's. */
function firstNonEmpty(lists: string[][]): string[] {
  const babyValues = lists.slice(0, -1).flat();
  return babyValues.length > 0 ? babyValues : (lists.at(-1) ?? []);
}

/** Whether a family is routed to a recipient now (for withdrawal after a change of GP or address). */
export function isRouted(picture: FamilyPicture, recipient: RecipientConfig): boolean {
  return routeFamily(picture, [recipient]).length > 0;
}

/** The escalation recipient receives a family while one of its alerts is escalated (unseen too long). */
export function escalationRecipients(config: Config, flags: readonly Flag[]): string[] {
  const recipient = config.delivery.escalation.recipient;
  const escalated = flags.some((f) => f.status === 'active' && f.code.coding?.some((c) => c.code === 'alert-not-seen'));
  return recipient && escalated ? [recipient] : [];
}

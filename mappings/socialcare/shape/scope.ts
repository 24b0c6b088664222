import { localIdSystem, SYSTEM, unbornChildIdentifier } from '../../../src/fhir/canonical.js';
import type { Identifier, Reference } from '../../../src/fhir/types.js';
import { deterministicId, deterministicIdsUnder } from '../../../src/mapping/ids.js';
import type { ChildFacts, LaFacts } from './model.js';

/**
 * Ids and references for everything known about one child in one local authority. Ids
 * come from source identity only (LA, the LA's child id, the plan and its start date), so
 * every message about the same fact, from events or the census, writes the same resource.
 */
export class ChildScope {
  readonly childId: string;
  readonly motherId: string | undefined;
  /** A deterministic id for a fact about this child in this authority (the prefix joined once). */
  readonly id: (...parts: Array<string | number>) => string;
  private readonly childReference: string;

  constructor(readonly la: LaFacts, readonly child: ChildFacts) {
    this.childId = childPersonId(la, child);
    this.motherId = child.motherNhsNumber ? nhsPersonId(child.motherNhsNumber) : undefined;
    this.id = deterministicIdsUnder('socialcare', la.scheme, la.code, child.laChildId);
    this.childReference = `Patient/${this.childId}`;
  }

  /** The identifier system for this authority's local ids of one kind (child, person, cin-plan…). */
  localSystem(kind: string): string {
    return localIdSystem(this.la.code, kind);
  }

  /** A fresh Reference on each call: resources never share one. */
  get childRef(): Reference {
    return { reference: this.childReference };
  }

  /** A logical reference to the authority (no Organization resource needed). */
  get laRef(): Reference {
    const identifier = laIdentifier(this.la);
    return this.la.name ? { type: 'Organization', identifier, display: this.la.name } : { type: 'Organization', identifier };
  }

  /** Not born when the event gives no birth date but an expected one (CIN census, CP-IS UCPP). */
  get unborn(): boolean {
    return !this.child.birthDate && !!this.child.expectedBirthDate;
  }

  childIdentifiers(): Identifier[] {
    const c = this.child;
    const ids: Identifier[] = [];
    if (c.nhsNumber) ids.push({ system: SYSTEM.nhsNumber, value: c.nhsNumber });
    ids.push({ system: this.localSystem('child'), value: c.laChildId });
    if (c.upn) ids.push({ system: SYSTEM.upn, value: c.upn });
    // Carried whenever the event still names the pregnancy, born or not: the identity step
    // then sees the unborn child and the born child as one person.
    if (c.motherNhsNumber && c.expectedBirthDate) ids.push(unbornChildIdentifier(c.motherNhsNumber, c.expectedBirthDate));
    return ids;
  }
}

export function laIdentifier(la: LaFacts): Identifier {
  return { system: la.scheme === 'gss' ? SYSTEM.laGssCode : SYSTEM.laDfeNumber, value: la.code };
}

export function nhsPersonId(nhsNumber: string): string {
  // The same id the maternity mapping gives a person with this NHS number.
  return deterministicId('person', 'nhs', nhsNumber);
}

function childPersonId(la: LaFacts, c: ChildFacts): string {
  if (c.nhsNumber) return nhsPersonId(c.nhsNumber);
  if (!c.birthDate && c.expectedBirthDate && c.motherNhsNumber) return deterministicId('person', 'unborn', c.motherNhsNumber, c.expectedBirthDate);
  return deterministicId('person', 'local', `${la.scheme}:${la.code}`, 'child', c.laChildId);
}

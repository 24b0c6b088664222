import { CS, localIdSystem, PROFILE } from '../../src/fhir/canonical.js';
import type { Appointment } from '../../src/fhir/types.js';
import { translated } from '../../src/mapping/terminology.js';
import { codeable } from './codes.js';
import type { Hl7Scope } from './scope.js';

/**
 * SIU S12 (booked) and S26 (patient did not show up) → Appointment. A no-show is kept
 * with its reason: for a child (under 18 at the appointment) it is "was not brought" —
 * the child depends on an adult to get there, and a pattern of missed appointments is a
 * sign a parent is struggling (DOMAIN.md section 0) — otherwise "did not attend".
 */
export function mapAppointment(scope: Hl7Scope): Appointment[] {
  const a = scope.record.appointment;
  if (!a) return [];
  const noShow = scope.record.header.event === 'S26';
  const reason = noShow ? (isChildAt(scope.record.patient.birthDate, a.start) ? 'was-not-brought' : 'did-not-attend') : undefined;
  return [{
    resourceType: 'Appointment',
    id: scope.id('appointment'),
    meta: { profile: [PROFILE.ukCoreAppointment] },
    identifier: [{ system: localIdSystem(a.id.authority, 'appointment'), value: a.id.value }],
    status: noShow ? 'noshow' : 'booked',
    ...(reason ? { cancelationReason: translated(CS.notAttendedReason, reason) } : {}),
    ...(a.service ? { serviceType: [codeable(a.service, scope.facility)] } : {}),
    ...(a.type ? { appointmentType: codeable(a.type, scope.facility) } : {}),
    ...(a.reason ? { reasonCode: [codeable(a.reason, scope.facility)] } : {}),
    // FHIR's app-2: start and end together. Without an end, the duration gives it; without
    // either, the booked instant is both (no length is claimed).
    start: a.start,
    end: a.end ?? (a.minutes !== undefined && Number.isFinite(Date.parse(a.start)) ? new Date(Date.parse(a.start) + a.minutes * 60_000).toISOString() : a.start),
    ...(a.minutes !== undefined ? { minutesDuration: a.minutes } : {}),
    participant: [{ actor: scope.patient, status: 'accepted' }],
  }];
}

/** Under 18 on the appointment's date. Unknown birth date: not known to be a child. */
export function isChildAt(birthDate: string | undefined, at: string): boolean {
  if (!birthDate || birthDate.length < 10) return false;
  const eighteenth = `${Number(birthDate.slice(0, 4)) + 18}${birthDate.slice(4, 10)}`;
  return at.slice(0, 10) < eighteenth;
}

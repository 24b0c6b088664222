import type { Er7Message } from '../../src/ingest/hl7v2/er7.js';
import { readCoded, readDateTime, type IssueList } from './read-values.js';
import type { AppointmentRecord } from './record.js';

const MINUTES_PER: Readonly<Record<string, number>> = { S: 1 / 60, SEC: 1 / 60, M: 1, MIN: 1, MINUTES: 1, H: 60, HR: 60, HOUR: 60, HOURS: 60, D: 1440, DAY: 1440 };

/**
 * SIU: the appointment (SCH, TQ1, AIS). Its id is SCH-2 (the filler's, the scheduling
 * system's own) else SCH-1; its start TQ1-7 (v2.5+) else SCH-11.4 (TQ, v2.3–2.4) else
 * AIS-4; its end TQ1-8, SCH-11.5, or the start plus the duration (SCH-9/10, AIS-7/8).
 * A start is required: FHIR booked and noshow Appointments need one (R4 invariant app-3).
 */
export function readAppointment(msg: Er7Message, facility: string, issues: IssueList): AppointmentRecord | undefined {
  const sch = msg.segment('SCH');
  if (!sch) {
    issues.missing('SCH', 'schedule activity segment');
    return undefined;
  }
  const idField = sch.get(2) ? sch.field(2) : sch.field(1);
  if (!idField.comp(1)) issues.missing('SCH-2', 'filler appointment id (or SCH-1 placer appointment id)');
  const tq1 = msg.segment('TQ1');
  const ais = msg.segment('AIS');
  const startAt = tq1?.get(7) ? readDateTime(tq1.field(7), 1, issues, 'start date/time')
    : sch.get(11, 4) ? readDateTime(sch.field(11), 4, issues, 'appointment start')
      : ais?.get(4) ? readDateTime(ais.field(4), 1, issues, 'start date/time') : undefined;
  if (!tq1?.get(7) && !sch.get(11, 4) && !ais?.get(4)) issues.missing(tq1 ? 'TQ1-7' : 'SCH-11.4', 'appointment start date/time');
  const endAt = tq1?.get(8) ? readDateTime(tq1.field(8), 1, issues, 'end date/time')
    : sch.get(11, 5) ? readDateTime(sch.field(11), 5, issues, 'appointment end') : undefined;
  const minutes = duration(sch.get(9), sch.get(10, 1) || sch.get(10, 2)) ?? duration(ais?.get(7) ?? '', ais?.get(8, 1) ?? '');
  if (!startAt || !idField.comp(1)) return undefined;
  const end = endAt?.fhir ?? (minutes !== undefined && startAt.hasTime ? shift(startAt.fhir, startAt.instant, minutes) : undefined);
  const reason = readCoded(sch.field(7));
  const type = readCoded(sch.field(8));
  const service = readCoded(ais?.field(3));
  return {
    id: { authority: idField.comp(2) || facility, value: idField.comp(1) },
    start: startAt.fhir,
    ...(end ? { end } : {}),
    ...(minutes !== undefined ? { minutes } : {}),
    ...(reason ? { reason } : {}),
    ...(type ? { type } : {}),
    ...(service ? { service } : {}),
  };
}

function duration(amount: string, unit: string): number | undefined {
  const n = Number(amount);
  const per = MINUTES_PER[unit.toUpperCase() || 'M'];
  if (!amount || !Number.isFinite(n) || n <= 0 || per === undefined) return undefined;
  return Math.round(n * per);
}

/** `start` plus `minutes`, written with start's own UTC offset. */
function shift(startFhir: string, instant: number, minutes: number): string {
  const offset = /([+-]\d{2}:\d{2})$/.exec(startFhir)?.[1] ?? '+00:00';
  const sign = offset.startsWith('-') ? -1 : 1;
  const offsetMinutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(instant + (minutes + offsetMinutes) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}

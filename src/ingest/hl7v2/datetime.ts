/**
 * HL7 v2 dates and times (DT, TS/DTM: HL7 v2.5 section 2.A.22/2.A.77):
 * `YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]`.
 */
export interface Hl7DateTime {
  /** FHIR `dateTime` at the precision sent: `2026`, `2026-11`, `2026-11-22`, or a full time with its offset. */
  fhir: string;
  /** The date part, FHIR `date` (possibly partial). */
  date: string;
  /** Epoch milliseconds (the start of the period when only a date was sent). */
  instant: number;
  hasTime: boolean;
}

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;
/** ISO dates with dashes (`1928-01-01`) are not valid DT, but unambiguous: accepted (seen from iSOFT PAS). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a DT/DTM value; undefined when it is not one (the caller reports where). A time
 * without an offset is the sender's local time (HL7 v2.5 section 2.A.22): Cradle's
 * senders are in England, so it is read as Europe/London time, GMT or BST as the date
 * says.
 */
export function parseHl7DateTime(raw: string): Hl7DateTime | undefined {
  const iso = ISO_DATE.exec(raw);
  const m = iso ? [raw, iso[1], iso[2], iso[3]] : DTM.exec(raw);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = m as Array<string | undefined>;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const date = [y, mo, d].filter((p) => p !== undefined).join('-');
  if (h === undefined) return { fhir: date, date, instant: Date.UTC(year, month - 1, day), hasTime: false };
  if (d === undefined) return undefined;
  const [hour, minute, second] = [Number(h), Number(mi ?? 0), Number(s ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const offset = zone ? zoneMinutes(zone) : londonOffsetAt(wall);
  if (offset === undefined) return undefined;
  const fhir = `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${formatOffset(offset)}`;
  return { fhir, date, instant: wall - offset * 60_000, hasTime: true };
}

/** An instant as the 14-digit number `YYYYMMDDHHMMSS` (UTC) Cradle orders HL7 record versions by. */
export function versionNumber(instant: number): number {
  const t = new Date(instant);
  const parts = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  return Number(parts.map((p, i) => (i === 0 ? String(p) : pad(p))).join(''));
}

/** An instant as an HL7 DTM in UTC, `YYYYMMDDHHMMSS+0000` (for ACK headers). */
export function formatHl7DateTime(iso: string): string {
  return `${versionNumber(Date.parse(iso))}+0000`;
}

function zoneMinutes(zone: string): number | undefined {
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(3, 5));
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });

/** UTC offset of Europe/London (minutes) for a wall-clock time there, given as if it were UTC. */
function londonOffsetAt(wall: number): number {
  const offsetOf = (instant: number) => {
    const name = londonParts.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
  const first = offsetOf(wall);
  return offsetOf(wall - first * 60_000);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');

import { CS } from '../fhir/canonical.js';
import type { Appointment, Patient } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import { means } from '../mapping/terminology.js';
import { birthInstant, refOf, ukDate, whoRecorded } from './evidence.js';
import { missedAppointments } from './facts/care.js';
import { alertSubjects, bornInfants } from './facts/people.js';
import { currentPregnancy } from './facts/pregnancy.js';
import type { Rule, RuleContext, RuleFinding } from './rule.js';

const DAY = 86_400_000;

/**
 * A pattern of missed appointments: the baby not brought, or antenatal care missed.
 *
 * Learning: "a pattern of missed appointments or not bringing the baby (was not brought)" is
 * a sign a parent is struggling. Two or more missed appointments for the baby within 90
 * days, or two or more missed antenatal appointments, from any source (maternity, GP, SIU
 * no-shows). A child does not miss an appointment: they are not brought.
 */
export const wasNotBrought: Rule = {
  id: 'was-not-brought',
  version: '1.0.0',
  title: 'Missed appointments',
  protocol: {
    name: 'Was Not Brought: missed appointments as a safeguarding signal',
    url: 'https://www.hampshirescp.org.uk/',
    learning: 'A pattern of missed appointments or not bringing the baby is a sign a parent is struggling.',
  },
  settings: {
    schema: { minMissed: { type: 'integer', minimum: 2, maximum: 10 }, windowDays: { type: 'integer', minimum: 7, maximum: 365 } },
    defaults: { minMissed: 2, windowDays: 90 },
  },
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[] {
    const min = Number(ctx.settings.minMissed ?? 2);
    const window = Number(ctx.settings.windowDays ?? 90) * DAY;
    const antenatal = antenatalMisses(picture);
    return alertSubjects(picture).flatMap((subject) => {
      const baby = bornInfants(picture).find((b) => b.id === subject);
      const babyRun = baby ? densestRun(missedAppointments(picture, baby.id!), window) : [];
      const parts: string[] = [];
      if (babyRun.length >= min) parts.push(`the baby was not brought to ${babyRun.length} appointments within ${window / DAY} days: ${babyRun.map(describe).join('; ')}`);
      if (antenatal(baby).length >= min) parts.push(`${antenatal(baby).length} antenatal appointments were missed: ${antenatal(baby).map(describe).join('; ')}`);
      if (parts.length === 0) return [];
      const evidence = [...babyRun.length >= min ? babyRun : [], ...(antenatal(baby).length >= min ? antenatal(baby) : [])].map(refOf);
      return [{
        subject,
        priority: 'medium' as const,
        summary: 'Pattern of missed appointments (was not brought): a sign a parent may be struggling',
        detail: `${parts.join('. ').replace(/^./, (c) => c.toUpperCase())}.`,
        action: 'Follow up each missed appointment with the family, record "was not brought" for the baby, and share the pattern with the health visitor, GP and, where there are other concerns, children\'s social care.',
        evidence: [...new Set(evidence)],
      }];
    });
  },
};

/** Missed antenatal or booking appointments of the current pregnancy, or of the one that ended in this baby's birth. */
function antenatalMisses(picture: FamilyPicture): (baby: Patient | undefined) => Appointment[] {
  const all = missedAppointments(picture, picture.key).filter((a) => means(a.appointmentType, CS.contactType, 'antenatal') || means(a.appointmentType, CS.contactType, 'booking'));
  return (baby) => {
    if (!baby) {
      const start = currentPregnancy(picture)?.episode.period?.start;
      return all.filter((a) => !start || Date.parse(a.start!) >= Date.parse(start) - 31 * DAY);
    }
    const born = Date.parse(birthInstant(baby)!);
    return all.filter((a) => Date.parse(a.start!) <= born && Date.parse(a.start!) > born - 300 * DAY);
  };
}

/** The largest set of misses falling within one window. */
function densestRun(missed: Appointment[], window: number): Appointment[] {
  const sorted = [...missed].sort((a, b) => Date.parse(a.start!) - Date.parse(b.start!));
  let best: Appointment[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const run = sorted.filter((a, j) => j >= i && Date.parse(a.start!) - Date.parse(sorted[i]!.start!) <= window);
    if (run.length > best.length) best = run;
  }
  return best;
}

function describe(a: Appointment): string {
  const what = a.appointmentType?.text ?? a.serviceType?.[0]?.text ?? a.serviceType?.[0]?.coding?.[0]?.display ?? 'appointment';
  return `${what.toLowerCase()} on ${ukDate(a.start!)} (${whoRecorded(a)})`;
}

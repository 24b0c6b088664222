import pg from 'pg';
import type { Flag, Patient } from '../../../src/fhir/types.js';
import type { FaultyRecipient } from './faulty-recipient.js';
import { BRUISE_RULE, type Family, type Message } from './workload.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

/** What a scenario ends with, counted from Cradle's store and the recipient's. */
export interface Counts {
  scenario: string;
  /** Distinct messages the sources sent (a re-send of the same bytes is not a new message). */
  sent: number;
  /** Sent messages stored and processed, each exactly once. */
  processed: number;
  /** Missing: a message not stored or not processed; a record's latest version overwritten by an earlier one; an expected alert not raised; not at the recipient. */
  lost: { messages: number; versions: number; flags: number; pushes: number };
  /** The same thing twice: a message stored twice, a baby with two Patients, two alerts for one concern in Cradle or at the recipient. */
  duplicated: { messages: number; patients: number; flags: number; pushes: number };
  /** Work still queued or parked when the scenario ended. */
  unfinished: { work: number; parked: number };
  /** For the report: source retries, push requests the recipient applied, and how many were replays. */
  retries: number;
  pushesApplied: number;
  pushReplays: number;
}

export const totalLost = (c: Counts) => Object.values(c.lost).reduce((a, b) => a + b, 0);
export const totalDuplicated = (c: Counts) => Object.values(c.duplicated).reduce((a, b) => a + b, 0);
export const settled = (c: Counts) => totalLost(c) === 0 && c.unfinished.work === 0;

export async function count(scenario: string, databaseUrl: string, schema: string, fams: readonly Family[], msgs: readonly Message[],
  recipient: FaultyRecipient, retries: number): Promise<Counts> {
  const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const shas = [...new Set(msgs.map((m) => m.sha256))];
    const stored = (await client.query<{ sha256: string; status: string }>(
      `SELECT sha256, status FROM inbound_message WHERE source = 'maternity' AND sha256 = ANY($1)`, [shas])).rows;
    const rowsBySha = new Map<string, string[]>();
    for (const r of stored) rowsBySha.set(r.sha256, [...(rowsBySha.get(r.sha256) ?? []), r.status]);
    const processed = shas.filter((s) => rowsBySha.get(s)?.length === 1 && rowsBySha.get(s)![0] === 'processed').length;

    const latest = new Map<string, number>();
    for (const m of msgs) latest.set(`maternity|RHM|${m.recordId}`, Math.max(latest.get(`maternity|RHM|${m.recordId}`) ?? 0, m.version));
    const applied = (await client.query<{ business_key: string; version: number }>(
      'SELECT business_key, version FROM source_record WHERE business_key = ANY($1)', [[...latest.keys()]])).rows;
    const staleVersions = [...latest].filter(([key, v]) => Number(applied.find((a) => a.business_key === key)?.version) !== v).length;

    const babies = new Set(fams.map((f) => f.babyNhs));
    const patients = (await client.query<{ id: string; content: Patient }>(`SELECT id, content FROM resource WHERE res_type = 'Patient' AND NOT deleted`)).rows;
    const babyOf = new Map<string, string>();
    const patientsPerBaby = new Map<string, number>();
    for (const p of patients) {
      const nhs = p.content.identifier?.find((i) => i.system === NHS)?.value;
      if (!nhs || !babies.has(nhs)) continue;
      babyOf.set(`Patient/${p.id}`, nhs);
      patientsPerBaby.set(nhs, (patientsPerBaby.get(nhs) ?? 0) + 1);
    }
    const flags = (await client.query<{ content: Flag }>(`SELECT content FROM resource WHERE res_type = 'Flag' AND NOT deleted`)).rows.map((r) => r.content);
    const flagsPerBaby = new Map<string, number>();
    for (const f of flags) {
      const nhs = babyOf.get(f.subject?.reference ?? '');
      if (nhs && f.status === 'active' && f.code.coding?.[0]?.code === BRUISE_RULE) flagsPerBaby.set(nhs, (flagsPerBaby.get(nhs) ?? 0) + 1);
    }
    const work = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM work_item')).rows[0]!.n);
    const parked = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM delivery WHERE status = 'parked'`)).rows[0]!.n);

    const perBaby = (f: (nhs: string) => number) => fams.map((fam) => f(fam.babyNhs));
    const held = perBaby((nhs) => recipient.activeFlags(nhs, BRUISE_RULE));
    const raised = perBaby((nhs) => flagsPerBaby.get(nhs) ?? 0);
    return {
      scenario,
      sent: shas.length,
      processed,
      lost: { messages: shas.length - processed, versions: staleVersions, flags: raised.filter((n) => n === 0).length, pushes: held.filter((n) => n === 0).length },
      duplicated: {
        messages: [...rowsBySha.values()].filter((rows) => rows.length > 1).length,
        patients: perBaby((nhs) => patientsPerBaby.get(nhs) ?? 0).filter((n) => n > 1).length,
        flags: raised.filter((n) => n > 1).length,
        pushes: held.filter((n) => n > 1).length,
      },
      unfinished: { work, parked },
      retries,
      pushesApplied: recipient.applied,
      pushReplays: recipient.replays,
    };
  } finally {
    await client.end();
  }
}

/** One line per scenario, for CI logs and bench/README.md. */
export function formatCounts(c: Counts): string {
  const dup = totalDuplicated(c);
  return [
    c.scenario.padEnd(28), `sent ${c.sent}`, `processed ${c.processed}`,
    `lost ${totalLost(c)} (msg ${c.lost.messages}, version ${c.lost.versions}, flag ${c.lost.flags}, push ${c.lost.pushes})`,
    `duplicated ${dup}`, `unfinished ${c.unfinished.work}/${c.unfinished.parked} parked`,
    `source retries ${c.retries}`, `pushes ${c.pushesApplied} (${c.pushReplays} replays)`,
  ].join(' | ');
}

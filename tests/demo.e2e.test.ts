import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnDemo, type DemoProcess } from './support/demo-process.js';

/** `cradle demo`, spawned as a user runs it: alerts from several rules, from every kind of source, in under a minute. */
describe('cradle demo', () => {
  let demo: DemoProcess | undefined;
  afterAll(() => demo?.stop());

  it('loads synthetic families from every source and prints alerts from several rules in under a minute, then exits (--exit)', async () => {
    const started = Date.now();
    demo = await spawnDemo(['--exit']);
    const code = await demo.exited;
    const seconds = (Date.now() - started) / 1000;
    const out = demo.stdout();
    expect(code, `${out}\n${demo.stderr()}`).toBe(0);
    expect(seconds).toBeLessThan(60);

    const [, active, rules] = /Alerts: (\d+) active, from (\d+) rules/.exec(out) ?? [];
    expect(Number(rules)).toBeGreaterThanOrEqual(8);
    expect(Number(active)).toBeGreaterThanOrEqual(Number(rules));
    // One rule per kind of source the families were built from: maternity alone, GP HL7 v2, social care.
    expect(out).toMatch(/^ {2}HIGH {4}bruising-non-mobile-infant +\S/m);
    expect(out).toMatch(/^ {2}HIGH {4}partner-risk-history +\S/m);
    expect(out).toMatch(/^ {2}MEDIUM {2}was-not-brought +\S/m);
    expect(out).toMatch(/^ {2}HIGH {4}child-protection-plan +\S/m);
    expect(out).toMatch(/^ {2}HIGH {4}ubb-case-closed-early +\S/m);
    expect(out).not.toMatch(/\b999\d{7}\b/); // no NHS numbers in the terminal either
    expect(demo.stderr()).not.toMatch(/unexpected answer/);
    expect(demo.stderr()).toMatch(/loading GP, social care, NEMS \[#+\] 11\/11/);

    const dashboard = /Dashboard \(commissioner\): +(http:\/\/localhost:\d+\/dashboard\?token=[\w-]+)/.exec(out);
    expect(dashboard).not.toBeNull();
    const dataDir = /embedded store in (\S+) \(removed on exit\)/.exec(out)![1]!;
    expect(existsSync(dataDir)).toBe(false);
  }, 90_000);
});

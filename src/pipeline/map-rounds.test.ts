import { describe, expect, it } from 'vitest';
import type { Prepared } from './map-apply.js';
import { rounds } from './map-message.js';

const message = (name: string, ...claims: string[]) => ({ name, claims }) as unknown as Prepared & { name: string };
const names = (rs: Prepared[][]) => rs.map((r) => r.map((p) => (p as Prepared & { name: string }).name));

describe('rounds of a map batch', () => {
  it('puts messages that share nothing in one round', () => {
    expect(names(rounds([message('a', 'record 1'), message('b', 'record 2'), message('c', 'record 3')]))).toEqual([['a', 'b', 'c']]);
  });

  it('puts a message after every earlier one it shares a claim with, keeping their order', () => {
    const batch = [
      message('v1', 'record 1', 'identifier nhs|1'),
      message('other', 'record 2'),
      message('v2', 'record 1', 'identifier nhs|1'),
      message('visit', 'record 3', 'identifier nhs|1'),
      message('late', 'record 4', 'identifier nhs|2'),
    ];
    expect(names(rounds(batch))).toEqual([['v1', 'other', 'late'], ['v2'], ['visit']]);
  });

  it('never puts a message in a round before one it conflicts with, even when an earlier round has room', () => {
    const batch = [message('a', 'x'), message('b', 'y'), message('c', 'x'), message('d', 'y', 'z'), message('e', 'x', 'y')];
    expect(names(rounds(batch))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});

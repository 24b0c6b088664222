import { describe, expect, it } from 'vitest';
import { iconSafeSleepNotRecorded as rule } from './icon-safe-sleep-not-recorded.js';
import { PictureBuilder } from './picture.fixture.js';

const ctx = { now: '2026-12-01T00:00:00Z', settings: {} };
const contact = () => new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z').contact('b1', 'postnatal', '2026-11-10T10:00:00Z', 'pn1');
const discussed = (b: PictureBuilder, type: string, at: string, encounter = 'pn1') => b.observation('b1', type, at, { valueBoolean: true, encounter: { reference: `Encounter/${encounter}` } });

describe('icon-safe-sleep-not-recorded', () => {
  it('fires low when ICON was not recorded as discussed at a postnatal contact', () => {
    const [f] = rule.evaluate(discussed(contact(), 'safe-sleep-discussed', '2026-11-10T10:00:00Z').build(), ctx);
    expect(f).toMatchObject({ subject: 'b1', priority: 'low' });
    expect(f!.detail).toMatch(/^ICON \(infant crying is normal.*not recorded as discussed at the postnatal contact on 10 Nov 2026/);
  });

  it('is silent when both were discussed then, or ICON was discussed later', () => {
    const both = discussed(discussed(contact(), 'safe-sleep-discussed', '2026-11-10T10:00:00Z'), 'icon-discussed', '2026-11-10T10:00:00Z');
    expect(rule.evaluate(both.build(), ctx)).toEqual([]);
    const later = discussed(discussed(contact(), 'safe-sleep-discussed', '2026-11-10T10:00:00Z'), 'icon-discussed', '2026-11-20T10:00:00Z', 'other');
    expect(rule.evaluate(later.build(), ctx)).toEqual([]);
  });
});

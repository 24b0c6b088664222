import type { FamilyPicture } from '../identity/family-picture.js';

export type Priority = 'high' | 'medium' | 'low';

/** The protocol a rule follows, and the case-review learning behind it. */
export interface Protocol {
  name: string;
  url: string;
  learning: string;
}

/** One concern a rule found about one subject (the infant, or the mother before birth). */
export interface RuleFinding {
  /** Patient id of the subject. */
  subject: string;
  priority: Priority;
  /** Short, for a Flag's code text and a CDS card summary (≤ 140 characters). */
  summary: string;
  /** Plain English: source, date and finding, no more than the recipient needs. */
  detail: string;
  /** What the protocol recommends. */
  action: string;
  /** `Type/id` of every stored resource the finding rests on. */
  evidence: string[];
}

export interface RuleContext {
  /** The assessment time (ISO), passed in: rules never read the clock. */
  now: string;
  settings: Readonly<Record<string, unknown>>;
}

/**
 * A safeguarding rule: pure, one file each in src/rules/, named by its id from the
 * catalogue. It reads the family picture and returns findings; throwing is allowed and
 * becomes an error Flag, never a silent "no concern".
 */
export interface Rule {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly protocol: Protocol;
  /** JSON Schema properties for the rule's settings, and their defaults. */
  readonly settings: { schema: Record<string, unknown>; defaults: Record<string, unknown> };
  evaluate(picture: FamilyPicture, ctx: RuleContext): RuleFinding[];
}

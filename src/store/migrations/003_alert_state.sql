-- The acknowledgement loop of each alert at each recipient: raised → delivered → seen
-- (a CDS Hooks card shown or fed back, or a read of the Flag) → accepted or overridden.
-- Escalation looks here for high-priority alerts nobody has seen.
CREATE TABLE alert_state (
  flag_id text NOT NULL,
  recipient_id text NOT NULL,
  delivered_at timestamptz,
  seen_at timestamptz,
  seen_via text,
  decision text CHECK (decision IN ('accepted', 'overridden')),
  decided_at timestamptz,
  decided_by text,
  reason jsonb,
  PRIMARY KEY (flag_id, recipient_id)
);
CREATE INDEX alert_state_seen ON alert_state (flag_id, seen_at);

-- FHIR Subscriptions (R5 Backport IG for R4) on the safeguarding-flag topic.

-- One row per Subscription a client created. `resource` is the Subscription as accepted
-- (its status kept in step); the other columns are what the notifier reads. `revision`
-- counts updates, so a notification sent for an older revision cannot change a newer one.
CREATE TABLE subscription (
  id text PRIMARY KEY,
  client_id text NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  status text NOT NULL CHECK (status IN ('requested', 'active', 'error', 'off')),
  resource jsonb NOT NULL,
  spec jsonb NOT NULL,
  server_base text NOT NULL,
  end_at timestamptz,
  events_since_start bigint NOT NULL DEFAULT 0,
  notified_through bigint NOT NULL DEFAULT 0,
  next_heartbeat_at timestamptz,
  last_error jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX subscription_client ON subscription (client_id);
CREATE INDEX subscription_heartbeat ON subscription (next_heartbeat_at) WHERE next_heartbeat_at IS NOT NULL;

-- Every event of every subscription, numbered 1, 2, 3… per subscription in the transaction
-- that changed the Flag, so none is lost and `$events` can replay any of them. The Flag is
-- kept by reference and version (its content is in resource_history).
CREATE TABLE subscription_event (
  subscription_id text NOT NULL REFERENCES subscription (id) ON DELETE CASCADE,
  event_number bigint NOT NULL,
  focus text NOT NULL,
  focus_version integer NOT NULL,
  created boolean NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (subscription_id, event_number)
);

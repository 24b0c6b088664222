-- Cradle's store. One schema for PostgreSQL and PGlite.

-- Every message a source sends, byte for byte, before it is acknowledged. The inbound
-- store is the source of truth: everything else can be recomputed from it by replay.
CREATE TABLE inbound_message (
  id uuid PRIMARY KEY,
  source text NOT NULL,
  content_type text NOT NULL,
  body bytea NOT NULL,
  sha256 text NOT NULL,
  status text NOT NULL CHECK (status IN ('received', 'processed', 'rejected', 'failed')),
  outcome jsonb,
  client_id text,
  received_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  business_key text,
  business_version bigint,
  resource_refs jsonb NOT NULL DEFAULT '[]',
  UNIQUE (source, sha256)
);
CREATE INDEX inbound_message_status ON inbound_message (status, received_at);
CREATE INDEX inbound_message_source ON inbound_message (source, received_at);
CREATE INDEX inbound_message_business ON inbound_message (business_key);

-- The version of each source record (a maternity record, a GP patient) last applied,
-- so that an older version arriving late changes nothing.
CREATE TABLE source_record (
  business_key text PRIMARY KEY,
  version bigint NOT NULL,
  message_id uuid NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Current FHIR resources. `source_key` names the source record that produced a resource,
-- so a newer version of that record can retire what it no longer contains.
CREATE TABLE resource (
  res_type text NOT NULL,
  id text NOT NULL,
  version_id integer NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  content jsonb NOT NULL,
  content_hash text NOT NULL,
  source_key text,
  PRIMARY KEY (res_type, id)
);
CREATE INDEX resource_source_key ON resource (source_key);
CREATE INDEX resource_last_updated ON resource (res_type, last_updated);

-- Every version ever written (FHIR _history), including deletions.
CREATE TABLE resource_history (
  res_type text NOT NULL,
  id text NOT NULL,
  version_id integer NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL,
  content jsonb NOT NULL,
  PRIMARY KEY (res_type, id, version_id)
);

-- Search index: token and reference parameters of current, non-deleted resources.
CREATE TABLE search_token (
  res_type text NOT NULL,
  id text NOT NULL,
  param text NOT NULL,
  system text NOT NULL DEFAULT '',
  code text NOT NULL
);
CREATE INDEX search_token_lookup ON search_token (res_type, param, code, system);
CREATE INDEX search_token_owner ON search_token (res_type, id);

CREATE TABLE search_reference (
  res_type text NOT NULL,
  id text NOT NULL,
  param text NOT NULL,
  target text NOT NULL
);
CREATE INDEX search_reference_lookup ON search_reference (res_type, param, target);
CREATE INDEX search_reference_owner ON search_reference (res_type, id);

-- Identity: which person (Patient id) each business identifier belongs to.
CREATE TABLE identity_link (
  system text NOT NULL,
  value text NOT NULL,
  person_id text NOT NULL,
  source_key text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (system, value)
);
CREATE INDEX identity_link_person ON identity_link (person_id);

-- What each source says about a person; the Patient resource is their merge.
CREATE TABLE person_contribution (
  person_id text NOT NULL,
  source_key text NOT NULL,
  content jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, source_key)
);

-- Who belongs to which family, and which source said so.
CREATE TABLE family_member (
  family_key text NOT NULL,
  person_id text NOT NULL,
  role text NOT NULL,
  source_key text NOT NULL,
  PRIMARY KEY (family_key, person_id, role, source_key)
);
CREATE INDEX family_member_person ON family_member (person_id);

-- Durable outbox: work that must happen (assess a family, deliver a view). Queue jobs
-- are only wake-ups; a lost job is re-created from here on start-up or by the sweep.
CREATE SEQUENCE work_generation;
CREATE TABLE work_item (
  queue text NOT NULL,
  key text NOT NULL,
  generation bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (queue, key)
);

-- One row per recipient and family: what was last pushed, and how the last attempt went.
CREATE TABLE delivery (
  recipient_id text NOT NULL,
  family_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'parked', 'withdrawn')),
  view_hash text,
  delivered_hash text,
  attempts integer NOT NULL DEFAULT 0,
  last_attempt_at timestamptz,
  last_outcome jsonb,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (recipient_id, family_key)
);
CREATE INDEX delivery_status ON delivery (status);

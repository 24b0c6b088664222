-- Identity, as in HAPI MDM: how each source identity is linked to a person, why, and who said so.

-- How an identifier came to point at its person: the NHS number or an identifier already
-- known (MATCH by rule), a probabilistic match (MATCH with a score), or an operator (MANUAL).
ALTER TABLE identity_link ADD COLUMN match_result text NOT NULL DEFAULT 'MATCH';
ALTER TABLE identity_link ADD COLUMN link_source text NOT NULL DEFAULT 'AUTO';
ALTER TABLE identity_link ADD COLUMN score real;

-- Searchable demographics of each person (blocking keys for candidate search), kept in
-- step with the merged Patient.
CREATE TABLE person_demographics (
  person_id text PRIMARY KEY,
  family text,
  given text,
  family_code text,
  given_code text,
  birth_date date,
  sex text,
  postcode text,
  nhs_number text,
  identifier_systems text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL
);
CREATE INDEX person_demographics_birth ON person_demographics (birth_date);
CREATE INDEX person_demographics_family ON person_demographics (family_code, birth_date);
CREATE INDEX person_demographics_postcode ON person_demographics (postcode);

-- Possible matches waiting for an operator: kept apart until someone decides.
CREATE TABLE identity_review (
  id uuid PRIMARY KEY,
  person_id text NOT NULL,
  candidate_id text NOT NULL,
  score real NOT NULL,
  explanation jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'matched', 'not-matched', 'superseded')),
  created_at timestamptz NOT NULL,
  resolved_at timestamptz,
  resolved_by text,
  reason text,
  UNIQUE (person_id, candidate_id)
);
CREATE INDEX identity_review_status ON identity_review (status, created_at);

-- Operator decisions that two persons are different people: automatic matching never
-- links them again, whatever is re-processed.
CREATE TABLE identity_nonmatch (
  person_a text NOT NULL,
  person_b text NOT NULL,
  decided_by text NOT NULL,
  decided_at timestamptz NOT NULL,
  reason text,
  PRIMARY KEY (person_a, person_b)
);

-- Every merge, with what it moved, so it can be undone and audited.
CREATE TABLE identity_merge (
  id uuid PRIMARY KEY,
  survivor_id text NOT NULL,
  merged_id text NOT NULL,
  identifiers jsonb NOT NULL,
  source_keys jsonb NOT NULL,
  reason text NOT NULL,
  decided_by text NOT NULL,
  merged_at timestamptz NOT NULL,
  unmerged_at timestamptz,
  unmerged_by text
);
CREATE INDEX identity_merge_persons ON identity_merge (survivor_id, merged_id);

-- When a family edge was first asserted by its source.
ALTER TABLE family_member ADD COLUMN since timestamptz;

-- Children are stored as children; whether one is the infant or an older sibling depends
-- on the assessment date, so the family picture decides it, not the stored role.
UPDATE family_member SET role = 'child' WHERE role IN ('baby', 'sibling');

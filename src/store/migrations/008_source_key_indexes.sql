-- Re-mapping a source record replaces what it contributed: its family memberships and its
-- person contributions are deleted by source_key, which neither table's primary key leads
-- with, so every map job scanned both tables (bench/README.md, "Profile findings").
CREATE INDEX family_member_source ON family_member (source_key);
CREATE INDEX person_contribution_source ON person_contribution (source_key);
-- Identity blocking on surname sound and postcode.
CREATE INDEX person_demographics_family_postcode ON person_demographics (family_code, postcode);
-- Each delivery job reads the family's deliveries to every recipient; the primary key leads with recipient_id.
CREATE INDEX delivery_family ON delivery (family_key);

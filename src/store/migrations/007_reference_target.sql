-- Resources about a person, by reference target alone (any resource type): the family
-- picture loads everything whose `patient` points at a family member. The lookup index
-- leads with res_type, so without this every assessment and delivery scanned the whole
-- store (bench/README.md, "Profile findings").
CREATE INDEX search_reference_target ON search_reference (target, param);

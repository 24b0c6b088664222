-- Every reference search names its targets, and (target, param) — search_reference_target,
-- migration 007 — finds them as well as (res_type, param, target) did; the type is a filter
-- on a handful of rows. Each reference row paid for both indexes: measured on the mapped
-- maternity records, dropping this one takes ~10% off the store's CPU per write
-- (bench/README.md, "Profile findings").
DROP INDEX IF EXISTS search_reference_lookup;

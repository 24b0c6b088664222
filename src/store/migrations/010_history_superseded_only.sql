-- resource_history kept every version, the current one included, so each write stored its
-- content twice. It now keeps only superseded versions: the current one is the row in
-- `resource`. `resource_version` is every version, as resource_history used to be.
DELETE FROM resource_history h USING resource r
  WHERE h.res_type = r.res_type AND h.id = r.id AND h.version_id = r.version_id;
CREATE VIEW resource_version AS
  SELECT res_type, id, version_id, last_updated, deleted, content FROM resource
  UNION ALL
  SELECT res_type, id, version_id, last_updated, deleted, content FROM resource_history;

-- When each alert last reached each recipient. The flag → delivered metric counts the first
-- delivery since an alert was raised; it used to find that by searching the push
-- AuditEvents that carried the Flag, which grow with every push of a busy family, so each
-- delivery cost more than the last (bench/README.md, "Profile findings").
ALTER TABLE alert_state ADD COLUMN last_delivered_at timestamptz;
UPDATE alert_state SET last_delivered_at = delivered_at WHERE delivered_at IS NOT NULL;

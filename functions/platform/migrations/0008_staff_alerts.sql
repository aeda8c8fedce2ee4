-- Staff alerts (SLA reminders and escalations, addressed to a staff
-- audience) were kept in a table named `outbox`, beside
-- `notification_outbox` (what followers are told, delivered by `notify`).
-- They are different things: nothing sends a staff alert, staff read them.
-- The table's name now says so (see platform/src/staff_alerts.rs).
-- lapor: while-column outbox.audience
ALTER TABLE outbox RENAME TO staff_alerts;
DROP INDEX IF EXISTS outbox_pending;
CREATE INDEX IF NOT EXISTS staff_alerts_report ON staff_alerts (report_id, id);

//! The `staff_alerts` table: SLA reminders and escalations addressed to a
//! staff audience (administrators, or an agency's roles). Apart from
//! `notification_outbox` (what followers are told, sent by `notify`):
//! nothing sends a staff alert; staff read them.

use anyhow::Result;
use lapor_domain::event::EventType;

use crate::db::{int, opt_text, text, Db};

/// One alert.
pub struct Alert {
    pub report_id: i64,
    pub event: EventType,
    /// As `SweepStep::staff_alert_audience` addresses it.
    pub audience: String,
    pub tracking_id: String,
    pub clock: Option<String>,
    pub due: Option<String>,
}

pub fn insert(db: &Db, alert: &Alert, now: &str) -> Result<()> {
    db.execute(
        "INSERT INTO staff_alerts (report_id, event_type, audience, payload, created_at, next_attempt_at)
         VALUES (?1, ?2, ?3, json_object('tracking_id', ?4, 'clock', ?5, 'due', ?6), ?7, ?7)",
        &[
            int(alert.report_id),
            text(alert.event.as_str()),
            text(alert.audience.as_str()),
            text(alert.tracking_id.as_str()),
            opt_text(alert.clock.as_deref()),
            opt_text(alert.due.as_deref()),
            text(now),
        ],
    )?;
    Ok(())
}

//! The service levels of LAPOR!/SP4N as clocks on a report.
//!
//! - verification: a submitted report is verified and dispatched within 3
//!   working days (counted in WIB, where the platform's administrators are);
//!   `on_hold` pauses it, and it resumes with the working days that were left.
//! - response: the agency posts a follow-up within 5 working days of
//!   dispatch, in its own time zone; a forward restarts it for the new agency,
//!   and a reporter's reply to a follow-up starts it again.
//! - completion: a responded report completes after 10 working days with no
//!   reply; a reply stops it.
//!
//! A reminder is due when 80% of a clock's time has elapsed; on breach the
//! report is escalated (or, for completion, completed). Each at most once
//! per deadline.

use chrono::{DateTime, FixedOffset, Utc};

use crate::agency::TimeZone;
use crate::calendar::{fraction_elapsed_at, offset_of, Calendar};

pub const VERIFICATION_WORKING_DAYS: u32 = 3;
pub const RESPONSE_WORKING_DAYS: u32 = 5;
pub const COMPLETION_WORKING_DAYS: u32 = 10;
pub const REMINDER_FRACTION: f64 = 0.8;

/// Which clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockKind {
    Verification,
    Response,
    Completion,
}

impl ClockKind {
    pub const ALL: [ClockKind; 3] = [ClockKind::Verification, ClockKind::Response, ClockKind::Completion];

    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::Verification => "verification",
            ClockKind::Response => "response",
            ClockKind::Completion => "completion",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// Running out of the completion clock completes the report; running
    /// out of the others escalates it.
    pub fn completes_on_breach(self) -> bool {
        self == ClockKind::Completion
    }

    /// Whether 80% of the clock's time brings a reminder. Not for
    /// completion: that wait is the reporter's, and its end completes.
    pub fn reminds(self) -> bool {
        self != ClockKind::Completion
    }

    /// The column of `reports` that shows this deadline publicly.
    pub fn due_column(self) -> &'static str {
        match self {
            ClockKind::Verification => "verification_due",
            ClockKind::Response => "response_due",
            ClockKind::Completion => "completion_due",
        }
    }

    pub fn working_days(self) -> u32 {
        match self {
            ClockKind::Verification => VERIFICATION_WORKING_DAYS,
            ClockKind::Response => RESPONSE_WORKING_DAYS,
            ClockKind::Completion => COMPLETION_WORKING_DAYS,
        }
    }
}

/// A running clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    pub kind: ClockKind,
    /// In the responsible zone, for people.
    pub due_local: DateTime<FixedOffset>,
    /// For comparisons.
    pub due: DateTime<Utc>,
    pub remind_at: DateTime<Utc>,
}

impl Clock {
    /// Starts `kind` at `now`, counted in `zone`.
    pub fn start(kind: ClockKind, now: DateTime<Utc>, zone: TimeZone, calendar: &Calendar) -> Clock {
        Self::with_working_days(kind, now, kind.working_days(), zone, calendar)
    }

    fn with_working_days(kind: ClockKind, now: DateTime<Utc>, days: u32, zone: TimeZone, calendar: &Calendar) -> Clock {
        let due_local = calendar.deadline(now, days.max(1), zone);
        let due = due_local.with_timezone(&Utc);
        Clock { kind, due_local, due, remind_at: fraction_elapsed_at(now, due, REMINDER_FRACTION) }
    }

    /// The verification clock after a hold: the working days that were left
    /// when it was paused (at least one), counted from the resumption.
    pub fn resume_verification(paused_due: DateTime<Utc>, held_at: DateTime<Utc>, now: DateTime<Utc>, calendar: &Calendar) -> Clock {
        let zone = TimeZone::Wib;
        let offset = offset_of(zone);
        let held_date = held_at.with_timezone(&offset).date_naive();
        let due_date = paused_due.with_timezone(&offset).date_naive();
        let left = calendar.working_days_between(held_date, due_date);
        Self::with_working_days(ClockKind::Verification, now, left, zone, calendar)
    }
}

/// What the sweep owes a report at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepAction {
    /// 80% of the clock's time has passed: remind the responsible people.
    Remind(ClockKind),
    /// The deadline passed: escalate (verification and response clocks).
    Escalate(ClockKind),
    /// The completion clock ran out with no reply: complete the report.
    Complete,
}

/// The sweep's steps, each taking one kind of action, in the order it takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepStep {
    Complete,
    Escalate,
    Remind,
}

impl SweepAction {
    pub fn step(self) -> SweepStep {
        match self {
            SweepAction::Remind(_) => SweepStep::Remind,
            SweepAction::Escalate(_) => SweepStep::Escalate,
            SweepAction::Complete => SweepStep::Complete,
        }
    }
}

impl SweepStep {
    pub const ORDER: [SweepStep; 3] = [SweepStep::Complete, SweepStep::Escalate, SweepStep::Remind];

    /// The event this step leaves in a report's history.
    pub fn event_type(self) -> crate::event::EventType {
        use crate::event::EventType;
        match self {
            SweepStep::Complete => EventType::Completed,
            SweepStep::Escalate => EventType::SlaEscalated,
            SweepStep::Remind => EventType::SlaReminder,
        }
    }

    /// Who sees that event: a completion is public (its followers are told),
    /// reminders and escalations are for staff.
    pub fn event_visibility(self) -> crate::view::EventVisibility {
        match self {
            SweepStep::Complete => crate::view::EventVisibility::Public,
            SweepStep::Escalate | SweepStep::Remind => crate::view::EventVisibility::Staff,
        }
    }

    /// The staff alerted of this step on a report held by `agency` (none
    /// yet: the administrators verify it), as stored in `staff_alerts`;
    /// `None` for a completion, which the report's followers hear of instead.
    /// An escalation goes up (administrators, the agency's coordinators and
    /// executives), a reminder to those who act (coordinators and officers).
    pub fn staff_alert_audience(self, agency: Option<&str>) -> Option<String> {
        match (self, agency) {
            (SweepStep::Complete, _) => None,
            (_, None) => Some("admins".to_string()),
            (SweepStep::Escalate, Some(agency)) => Some(format!("admins,agency:{agency}:coordinator,executive")),
            (SweepStep::Remind, Some(agency)) => Some(format!("agency:{agency}:coordinator,officer")),
        }
    }

    /// The clocks whose actions this step takes: the sweep looks for its
    /// candidates among these only.
    pub fn kinds(self) -> Vec<ClockKind> {
        ClockKind::ALL
            .into_iter()
            .filter(|k| match self {
                SweepStep::Complete => k.completes_on_breach(),
                SweepStep::Escalate => !k.completes_on_breach(),
                SweepStep::Remind => k.reminds(),
            })
            .collect()
    }

    /// Whether the step acts at the deadline (else at the reminder time).
    pub fn at_deadline(self) -> bool {
        self != SweepStep::Remind
    }
}

/// The marks a report carries for its running clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockState {
    pub kind: ClockKind,
    pub due: DateTime<Utc>,
    pub remind_at: DateTime<Utc>,
    pub reminded: bool,
    pub escalated: bool,
}

/// The one action owed at `now`, if any. Each is owed at most once per
/// deadline: the sweep records `reminded`/`escalated`, and a new deadline
/// clears them. A breach that was never reminded is only escalated.
pub fn due_action(clock: &ClockState, now: DateTime<Utc>) -> Option<SweepAction> {
    if now >= clock.due {
        return match clock.kind {
            kind if kind.completes_on_breach() => Some(SweepAction::Complete),
            kind if !clock.escalated => Some(SweepAction::Escalate(kind)),
            _ => None,
        };
    }
    if now >= clock.remind_at && !clock.reminded && clock.kind.reminds() {
        return Some(SweepAction::Remind(clock.kind));
    }
    None
}

/// RFC 3339 with the zone's offset, e.g. `2026-11-26T23:59:59+08:00`.
pub fn local_rfc3339(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn clocks_start_in_their_zone() {
        let cal = Calendar::default();
        // Monday 23 Nov 2026, 10:00 WIB.
        let now = utc("2026-11-23T03:00:00Z");
        let verification = Clock::start(ClockKind::Verification, now, TimeZone::Wib, &cal);
        assert_eq!(local_rfc3339(verification.due_local), "2026-11-26T23:59:59+07:00");
        let response = Clock::start(ClockKind::Response, now, TimeZone::Wita, &cal);
        assert_eq!(local_rfc3339(response.due_local), "2026-11-30T23:59:59+08:00");
        let completion = Clock::start(ClockKind::Completion, now, TimeZone::Wit, &cal);
        assert_eq!(local_rfc3339(completion.due_local), "2026-12-07T23:59:59+09:00");
        assert!(verification.remind_at > now && verification.remind_at < verification.due);
    }

    /// Runs a report through every rule with a simulated clock that steps
    /// an hour at a time, applying what the sweep would apply.
    #[test]
    fn a_simulated_clock_through_every_rule() {
        let cal = Calendar::default();
        let hour = chrono::Duration::hours(1);
        let mut now = utc("2026-11-23T03:00:00Z"); // Monday 10:00 WIB
        let mut log: Vec<(String, SweepAction)> = Vec::new();

        let run = |clock: Clock, until: DateTime<Utc>, now: &mut DateTime<Utc>, log: &mut Vec<(String, SweepAction)>| {
            let mut state = ClockState { kind: clock.kind, due: clock.due, remind_at: clock.remind_at, reminded: false, escalated: false };
            while *now < until {
                if let Some(action) = due_action(&state, *now) {
                    log.push((now.to_rfc3339(), action));
                    match action {
                        SweepAction::Remind(_) => state.reminded = true,
                        SweepAction::Escalate(_) => {
                            state.escalated = true;
                            state.reminded = true;
                        }
                        SweepAction::Complete => break,
                    }
                }
                *now += hour;
            }
        };

        // Verification runs late: a reminder, then one escalation, nothing more.
        let verification = Clock::start(ClockKind::Verification, now, TimeZone::Wib, &cal);
        run(verification.clone(), verification.due + chrono::Duration::days(3), &mut now, &mut log);
        // Dispatched: the agency answers in time, so only a reminder.
        let response = Clock::start(ClockKind::Response, now, TimeZone::Wita, &cal);
        run(response.clone(), response.due - hour, &mut now, &mut log);
        // Responded: ten working days of silence complete it.
        let completion = Clock::start(ClockKind::Completion, now, TimeZone::Wita, &cal);
        run(completion.clone(), completion.due + chrono::Duration::days(2), &mut now, &mut log);

        let actions: Vec<SweepAction> = log.iter().map(|(_, a)| *a).collect();
        assert_eq!(
            actions,
            [
                SweepAction::Remind(ClockKind::Verification),
                SweepAction::Escalate(ClockKind::Verification),
                SweepAction::Remind(ClockKind::Response),
                SweepAction::Complete,
            ],
            "{log:?}"
        );
        // The escalation came right after the deadline, not before.
        let escalated_at = DateTime::parse_from_rfc3339(&log[1].0).unwrap().with_timezone(&Utc);
        assert!(escalated_at >= verification.due && escalated_at < verification.due + hour);
    }

    #[test]
    fn a_breach_that_was_never_reminded_is_only_escalated_once() {
        let due = utc("2026-11-26T16:59:59Z");
        let state = ClockState { kind: ClockKind::Response, due, remind_at: utc("2026-11-26T00:00:00Z"), reminded: false, escalated: false };
        assert_eq!(due_action(&state, due + chrono::Duration::hours(5)), Some(SweepAction::Escalate(ClockKind::Response)));
        let escalated = ClockState { escalated: true, reminded: true, ..state };
        assert_eq!(due_action(&escalated, due + chrono::Duration::days(9)), None);
        assert_eq!(due_action(&state, utc("2026-11-25T00:00:00Z")), None, "before 80%");
    }

    /// Every action `due_action` decides belongs to a step that looks for
    /// candidates among that clock's kind, at that time (deadline or
    /// reminder); no step looks elsewhere for nothing.
    #[test]
    fn each_step_looks_where_its_actions_are() {
        let due = utc("2026-11-26T16:59:59Z");
        let remind_at = utc("2026-11-26T00:00:00Z");
        let mut seen = Vec::new();
        for kind in ClockKind::ALL {
            for (reminded, escalated) in [(false, false), (true, false), (true, true), (false, true)] {
                let state = ClockState { kind, due, remind_at, reminded, escalated };
                for now in [remind_at - chrono::Duration::hours(1), remind_at, due - chrono::Duration::seconds(1), due, due + chrono::Duration::days(3)] {
                    let Some(action) = due_action(&state, now) else { continue };
                    let step = action.step();
                    assert!(step.kinds().contains(&kind), "{action:?} from a {kind:?} clock");
                    assert_eq!(step.at_deadline(), now >= due, "{action:?} at {now}");
                    seen.push((step, kind));
                }
            }
        }
        for step in SweepStep::ORDER {
            for kind in step.kinds() {
                assert!(seen.contains(&(step, kind)), "{step:?} looks among {kind:?} clocks for nothing");
            }
        }
    }

    #[test]
    fn a_hold_keeps_the_working_days_that_were_left() {
        let cal = Calendar::default();
        let filed = utc("2026-11-23T03:00:00Z"); // Mon: due Thu 26
        let clock = Clock::start(ClockKind::Verification, filed, TimeZone::Wib, &cal);
        let held = utc("2026-11-24T03:00:00Z"); // Tue: 2 working days left (Wed, Thu)
        let resumed = utc("2026-12-01T03:00:00Z"); // the next Tuesday
        let resumed_clock = Clock::resume_verification(clock.due, held, resumed, &cal);
        assert_eq!(local_rfc3339(resumed_clock.due_local), "2026-12-03T23:59:59+07:00");
    }

    #[test]
    fn staff_alerts_go_up_on_escalation_and_to_those_who_act_on_reminders() {
        assert_eq!(SweepStep::Complete.staff_alert_audience(Some("pemkot-32.73")), None);
        assert_eq!(SweepStep::Escalate.staff_alert_audience(None).as_deref(), Some("admins"));
        assert_eq!(SweepStep::Remind.staff_alert_audience(None).as_deref(), Some("admins"));
        assert_eq!(
            SweepStep::Escalate.staff_alert_audience(Some("pemkot-32.73")).as_deref(),
            Some("admins,agency:pemkot-32.73:coordinator,executive")
        );
        assert_eq!(SweepStep::Remind.staff_alert_audience(Some("pemkot-32.73")).as_deref(), Some("agency:pemkot-32.73:coordinator,officer"));
        assert_eq!(SweepStep::Complete.event_type(), "completed");
        assert_eq!(SweepStep::Escalate.event_type(), "sla_escalated");
        assert_eq!(SweepStep::Remind.event_type(), "sla_reminder");
    }

}

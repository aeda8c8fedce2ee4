//! The facts of one change to a report: the statistics' rules.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::agency::TimeZone;
use crate::calendar::{offset_of, Calendar};
use crate::event::EventType;
use crate::lifecycle::ArchiveReason;
use crate::sla::ClockKind;

/// The groups a report belongs to at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Dims {
    /// The responsible agency (before dispatch: the one the reporter named).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Kemendagri code as filed (province, regency/city or finer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// As stored (`web`, `sms`, `embed:<agency>`, `open311:<key>`, ...).
    pub channel: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confidential: bool,
}

/// What happened, for the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Happened {
    Received,
    /// Verified by an administrator and sent to its first agency.
    Verified,
    ForwardedOut,
    ForwardedIn,
    /// Routed to a work unit of the agency.
    Assigned,
    /// The agency answered a running response deadline.
    Responded { on_time: bool, working_days: u32 },
    /// A missed response deadline: +1 when escalated, -1 when it stops
    /// (weight), so the sum over all days is "overdue now".
    Overdue,
    Completed { automatic: bool },
    Archived { reason: String },
    Rated { score: u8 },
    Supported,
}

/// One count: `weight` (+1, or -1 to take back an earlier fact) of
/// `happened`, on `day` (the local date in the responsible agency's zone),
/// for the groups in `dims`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub day: NaiveDate,
    pub dims: Dims,
    #[serde(flatten)]
    pub happened: Happened,
    #[serde(default = "plus_one", skip_serializing_if = "is_plus_one")]
    pub weight: i64,
}

fn plus_one() -> i64 {
    1
}

fn is_plus_one(weight: &i64) -> bool {
    *weight == 1
}

impl Fact {
    pub fn new(at: DateTime<Utc>, zone: TimeZone, dims: Dims, happened: Happened) -> Fact {
        Fact { day: local_day(at, zone), dims, happened, weight: 1 }
    }

    /// The same fact taken back.
    pub fn negated(&self) -> Fact {
        Fact { weight: -self.weight, ..self.clone() }
    }
}

/// The local date of `at` in `zone`.
pub fn local_day(at: DateTime<Utc>, zone: TimeZone) -> NaiveDate {
    at.with_timezone(&offset_of(zone)).date_naive()
}

/// The clock that ran before a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunningClock {
    pub kind: ClockKind,
    pub due: DateTime<Utc>,
    /// The sweep escalated it: its deadline was missed.
    pub escalated: bool,
    /// When this clock started (the dispatch, forward or reporter reply).
    pub started_at: Option<DateTime<Utc>>,
}

/// What some events carry besides their type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventExtras {
    /// The system acted (the sweep), not a person.
    pub automatic: bool,
    pub archive_reason: Option<ArchiveReason>,
    pub rating: Option<u8>,
}

/// What a change to a report was, as the platform read it in the change's
/// transaction.
#[derive(Debug, Clone)]
pub struct ChangeFacts<'a> {
    pub event: EventType,
    pub at: DateTime<Utc>,
    /// The report's groups before and after the change, and the zones they
    /// are counted in.
    pub before: &'a Dims,
    pub zone_before: TimeZone,
    pub after: &'a Dims,
    pub zone_after: TimeZone,
    pub running: Option<RunningClock>,
    /// The change stops or replaces the running clock.
    pub clock_stopped: bool,
    pub extras: EventExtras,
    /// The "overdue" count the running clock's escalation added, if it was
    /// escalated (kept with the report): stopping the clock takes back exactly it.
    pub escalation: Option<&'a Fact>,
    /// The report's own "received" facts, for a change of visibility (they
    /// move to the new side; each report has one).
    pub received: &'a [Fact],
    pub calendar: &'a Calendar,
}

impl<'a> ChangeFacts<'a> {
    /// A change that leaves the report's groups as they are (filing, a
    /// rating, the sweep's marks), with no clock and nothing extra yet.
    pub fn unchanged(event: EventType, at: DateTime<Utc>, dims: &'a Dims, zone: TimeZone, calendar: &'a Calendar) -> ChangeFacts<'a> {
        ChangeFacts {
            event,
            at,
            before: dims,
            zone_before: zone,
            after: dims,
            zone_after: zone,
            running: None,
            clock_stopped: false,
            extras: EventExtras::default(),
            escalation: None,
            received: &[],
            calendar,
        }
    }
}

/// The facts one change to a report counts for.
///
/// - filing: received (in the named agency's groups, if any);
/// - dispatch: verified (once per report), in the agency it went to;
/// - forward: out of the old agency, in to the new one;
/// - assignment: in to the work unit;
/// - a response counts on time or late only when it answers a running
///   response deadline, with the working days since that clock started
///   (a second follow-up while the completion clock runs counts nothing);
/// - a response deadline escalated by the sweep is overdue until the clock
///   stops (a response, a forward) or is replaced: then exactly the count
///   the escalation added is taken back (in the groups it was counted in);
///   while it stays overdue it moves with the report (to the unit it is
///   routed to);
/// - a change of visibility at dispatch moves the report's received count
///   from one side to the other (public splits leave confidential reports out).
pub fn facts_of(change: &ChangeFacts<'_>) -> Vec<Fact> {
    let after = |happened| Fact::new(change.at, change.zone_after, change.after.clone(), happened);
    let before = |happened| Fact::new(change.at, change.zone_before, change.before.clone(), happened);
    let mut facts = Vec::new();
    match change.event {
        EventType::Submitted => facts.push(after(Happened::Received)),
        EventType::Dispatched => facts.push(after(Happened::Verified)),
        EventType::Forwarded => {
            facts.push(before(Happened::ForwardedOut));
            facts.push(after(Happened::ForwardedIn));
        }
        EventType::Assigned => facts.push(after(Happened::Assigned)),
        EventType::Responded => {
            if let Some(clock) = change.running.filter(|c| c.kind == ClockKind::Response) {
                let on_time = !clock.escalated && change.at <= clock.due;
                let working_days = clock
                    .started_at
                    .map(|start| change.calendar.working_days_between(local_day(start, change.zone_before), local_day(change.at, change.zone_before)))
                    .unwrap_or(0);
                facts.push(before(Happened::Responded { on_time, working_days }));
            }
        }
        EventType::SlaEscalated => {
            if change.running.is_some_and(|c| c.kind == ClockKind::Response) {
                facts.push(after(Happened::Overdue));
            }
        }
        EventType::Completed => facts.push(after(Happened::Completed { automatic: change.extras.automatic })),
        EventType::Archived => {
            let reason = change.extras.archive_reason.map(|r| r.as_str().to_string()).unwrap_or_else(|| "unknown".into());
            facts.push(after(Happened::Archived { reason }));
        }
        EventType::Rated => {
            if let Some(score) = change.extras.rating {
                facts.push(after(Happened::Rated { score }));
            }
        }
        EventType::OnHold
        | EventType::ReporterReply
        | EventType::ForwardReason
        | EventType::SlaReminder => {}
    }
    if let Some(escalation) = change.escalation {
        if change.clock_stopped {
            facts.push(escalation.negated());
        } else if escalation.dims != *change.after {
            // Still overdue, now in other groups (routed to a unit): the
            // level moves with the report, from the day it was escalated.
            facts.push(escalation.negated());
            facts.push(Fact { dims: change.after.clone(), ..escalation.clone() });
        }
    }
    if change.before.confidential != change.after.confidential {
        for received in change.received.iter().filter(|f| f.happened == Happened::Received && f.weight > 0) {
            let mut moved = received.clone();
            moved.dims.confidential = change.after.confidential;
            facts.push(received.negated());
            facts.push(moved);
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn dims(agency: Option<&str>) -> Dims {
        Dims { agency: agency.map(Into::into), channel: "web".into(), ..Dims::default() }
    }

    fn change<'a>(event: EventType, before: &'a Dims, after: &'a Dims, calendar: &'a Calendar) -> ChangeFacts<'a> {
        ChangeFacts { before, after, ..ChangeFacts::unchanged(event, at("2026-12-03T02:00:00Z"), before, TimeZone::Wib, calendar) }
    }

    #[test]
    fn a_day_is_the_local_date_in_the_agency_zone() {
        // 16:30 UTC on the 2nd is the 2nd in WIB (23:30) but the 3rd in WIT.
        let t = at("2026-12-02T16:30:00Z");
        assert_eq!(local_day(t, TimeZone::Wib).to_string(), "2026-12-02");
        assert_eq!(local_day(t, TimeZone::Wit).to_string(), "2026-12-03");
    }

    #[test]
    fn a_response_counts_only_against_a_running_response_deadline() {
        let calendar = Calendar::default();
        let d = dims(Some("kemenkes"));
        let mut c = change(EventType::Responded, &d, &d, &calendar);
        assert!(facts_of(&c).is_empty(), "no clock, nothing to be on time for");
        c.running = Some(RunningClock { kind: ClockKind::Completion, due: at("2026-12-10T00:00:00Z"), escalated: false, started_at: None });
        assert!(facts_of(&c).is_empty(), "a second follow-up answers no deadline");
        // Monday 30 Nov -> Thursday 3 Dec: 3 working days, before the due.
        c.running = Some(RunningClock {
            kind: ClockKind::Response,
            due: at("2026-12-07T16:59:59Z"),
            escalated: false,
            started_at: Some(Utc.with_ymd_and_hms(2026, 11, 30, 3, 0, 0).unwrap()),
        });
        c.clock_stopped = true;
        assert_eq!(facts_of(&c).iter().map(|f| f.happened.clone()).collect::<Vec<_>>(), [Happened::Responded { on_time: true, working_days: 3 }]);
    }

    #[test]
    fn an_escalated_deadline_is_late_and_stops_being_overdue_when_answered() {
        let calendar = Calendar::default();
        let d = dims(Some("kemenkes"));
        let mut c = change(EventType::Responded, &d, &d, &calendar);
        c.running = Some(RunningClock { kind: ClockKind::Response, due: at("2026-12-01T00:00:00Z"), escalated: true, started_at: None });
        c.clock_stopped = true;
        // Escalated before the report went to a unit: the take-back is in the escalation's groups.
        let escalation = Fact::new(at("2026-12-02T01:00:00Z"), TimeZone::Wib, dims(Some("kemenkes")), Happened::Overdue);
        let moved = Dims { unit: Some("kemenkes/x".into()), ..d.clone() };
        let mut c = ChangeFacts { before: &moved, after: &moved, escalation: Some(&escalation), ..c };
        let facts = facts_of(&c);
        assert_eq!(facts[0].happened, Happened::Responded { on_time: false, working_days: 0 });
        assert_eq!(facts[1], escalation.negated(), "exactly what the escalation added");
        c.escalation = None;
        assert_eq!(facts_of(&c).len(), 1, "no escalation counted, nothing to take back");
    }

    #[test]
    fn a_forward_moves_the_report_and_its_overdue_mark_to_the_old_agency() {
        let calendar = Calendar::default();
        let (old, new) = (dims(Some("a")), dims(Some("b")));
        let mut c = change(EventType::Forwarded, &old, &new, &calendar);
        c.running = Some(RunningClock { kind: ClockKind::Response, due: at("2026-12-01T00:00:00Z"), escalated: true, started_at: None });
        c.clock_stopped = true;
        let escalation = Fact::new(at("2026-12-02T01:00:00Z"), TimeZone::Wib, old.clone(), Happened::Overdue);
        c.escalation = Some(&escalation);
        let facts = facts_of(&c);
        let summary: Vec<_> = facts.iter().map(|f| (f.dims.agency.clone().unwrap(), f.happened.clone(), f.weight)).collect();
        assert_eq!(
            summary,
            [("a".into(), Happened::ForwardedOut, 1), ("b".into(), Happened::ForwardedIn, 1), ("a".into(), Happened::Overdue, -1)]
        );
    }

    #[test]
    fn an_overdue_report_routed_to_a_unit_moves_its_overdue_count_there() {
        let calendar = Calendar::default();
        let before = dims(Some("a"));
        let after = Dims { unit: Some("a/pupr".into()), ..before.clone() };
        let escalation = Fact::new(at("2026-11-30T01:00:00Z"), TimeZone::Wib, before.clone(), Happened::Overdue);
        let mut c = change(EventType::Assigned, &before, &after, &calendar);
        c.escalation = Some(&escalation);
        let facts = facts_of(&c);
        assert_eq!(facts[0].happened, Happened::Assigned);
        assert_eq!(facts[1], escalation.negated());
        assert_eq!(facts[2], Fact { dims: after.clone(), ..escalation.clone() }, "same day, the unit's groups");
    }

    #[test]
    fn becoming_confidential_moves_the_received_count() {
        let calendar = Calendar::default();
        let before = dims(None);
        let after = Dims { confidential: true, agency: Some("a".into()), ..dims(None) };
        let received = [Fact { day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), dims: before.clone(), happened: Happened::Received, weight: 1 }];
        let mut c = change(EventType::Dispatched, &before, &after, &calendar);
        c.received = &received;
        let facts = facts_of(&c);
        assert_eq!(facts.len(), 3);
        assert_eq!(facts[1], received[0].negated());
        assert_eq!(facts[2].day, received[0].day, "the count stays on the day it was received");
        assert!(facts[2].dims.confidential && facts[2].dims.agency.is_none());
    }

    #[test]
    fn facts_round_trip_through_their_stored_form() {
        let fact = Fact { day: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), dims: dims(Some("a")), happened: Happened::Rated { score: 4 }, weight: -1 };
        let stored = serde_json::to_string(&fact).unwrap();
        assert_eq!(stored, r#"{"day":"2026-12-02","dims":{"agency":"a","channel":"web"},"what":"rated","score":4,"weight":-1}"#);
        assert_eq!(serde_json::from_str::<Fact>(&stored).unwrap(), fact);
    }
}

//! `CEK <ID>`: the status in words, the running deadline and the latest
//! follow-up, in one segment, with the tracking page's link for a report
//! the public may see. The sender sees what the public sees, or what the
//! reporter sees when the number is the reporter's: a confidential report's
//! status goes only to its reporter's phone (to anyone else it does not exist).

use lapor_domain::event::EventType;
use lapor_domain::message::reply::{self as text, StatusFacts};
use lapor_domain::privacy::Viewer;
use lapor_domain::sla::ClockKind;
use lapor_domain::tracking_id::TrackingId;
use lapor_domain::view::report_view;
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;
use lapor_platform::store;

use super::{Done, Sender};

pub fn apply(db: &Db, sender: &Sender<'_>, id: &TrackingId) -> Result<Done, ApiError> {
    let id = id.to_string();
    let not_found = || Done::reply(text::not_found(&id, sender.lang));
    let Some(report) = store::find_report(db, &id)? else { return Ok(not_found()) };
    let viewer = if store::phone_proved_reporter(db, report.id, sender.phone)? { Viewer::Reporter } else { Viewer::Public };
    let events = store::events(db, report.id)?;
    let Some(view) = report_view(&report.record, &events, &viewer) else { return Ok(not_found()) };
    let agency = match &view.agency {
        Some(code) => store::find_agency(db, code)?.map(|a| a.name),
        None => None,
    };
    let due = [
        (ClockKind::Verification, view.deadlines.verification_due.as_deref()),
        (ClockKind::Response, view.deadlines.response_due.as_deref()),
        (ClockKind::Completion, view.deadlines.completion_due.as_deref()),
    ]
    .into_iter()
    .find_map(|(kind, due)| due.map(|due| (kind, due)));
    let latest_follow_up = view.timeline.iter().rev().find(|e| e.event_type == EventType::Responded).and_then(|e| e.text.as_deref());
    let public = !view.privacy.is_confidential();
    let facts = StatusFacts {
        id: &id,
        status: view.status,
        agency: agency.as_deref(),
        due,
        latest_follow_up,
        link: public.then(|| format!("{}/lapor/{id}", sender.base)),
    };
    Ok(Done::on(report.id, text::status(&facts, sender.lang)))
}

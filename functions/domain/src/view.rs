//! What a viewer is shown of a report: the public view, the reporter's view.
//!
//! Typed views, serialized for the API and rendered by the HTML pages alike.
//! Built only from [`ReportRecord`], which has no identity fields besides the
//! name a reporter chose to publish; contact details enter a view only through
//! [`ReportView::with_identity`], which asks `privacy` first.

use serde::Serialize;

use crate::event::EventType;
use crate::lifecycle::Status;
use crate::privacy::{Privacy, Viewer};
use crate::report::Kind;

/// A stored report as the public read path loads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRecord {
    pub tracking_id: String,
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub category: Option<String>,
    pub agency: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub incident_date: Option<String>,
    pub privacy: Privacy,
    pub status: Status,
    /// Present only for `public` reports whose reporter gave a name.
    pub public_reporter_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// When an administrator verified it (public listing shows only these).
    pub verified_at: Option<String>,
    /// The agency the reporter suggested (a hint for administrators).
    pub suggested_agency: Option<String>,
    /// The running SLA deadline (at most one is set), RFC 3339 local time.
    pub verification_due: Option<String>,
    pub response_due: Option<String>,
    pub completion_due: Option<String>,
    /// How it arrived (`report::Channel::as_string`: `web`, `sms`,
    /// `embed:<agency>`, `open311:<key name>`, ...).
    pub channel: String,
}

/// Who may see an event of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventVisibility {
    /// Everyone who may see the report.
    Public,
    /// The reporter and staff (e.g. a hold asking for details).
    Participants,
    /// Staff only (internal notes, assignments).
    Staff,
}

impl EventVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            EventVisibility::Public => "public",
            EventVisibility::Participants => "participants",
            EventVisibility::Staff => "staff",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        [Self::Public, Self::Participants, Self::Staff].into_iter().find(|v| v.as_str() == raw)
    }

    fn visible_to(self, viewer: &Viewer) -> bool {
        match self {
            EventVisibility::Public => true,
            EventVisibility::Participants => !matches!(viewer, Viewer::Public),
            EventVisibility::Staff => matches!(viewer, Viewer::Admin | Viewer::Agency(_)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub at: String,
    pub event_type: EventType,
    pub actor_role: String,
    pub visibility: EventVisibility,
    pub text: Option<String>,
}

/// What a viewer is shown of a report. Serialized as the API's JSON and
/// rendered by the HTML pages; there is no field for contact details except
/// [`ReporterView::Identity`], which only [`ReportView::with_identity`] sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportView {
    pub tracking_id: String,
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub category: Option<String>,
    pub agency: Option<String>,
    /// The reporter's suggestion, shown only until an agency is assigned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_agency: Option<String>,
    pub region: Option<String>,
    pub status: Status,
    /// Shown as the one-word name (kept for older clients) and both properties.
    #[serde(flatten, serialize_with = "crate::privacy::fields")]
    pub privacy: Privacy,
    /// Null until an administrator verified it: until then it is not listed.
    pub verified_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationView>,
    pub incident_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<ReporterView>,
    pub created_at: String,
    pub updated_at: String,
    /// How it arrived (the channel, never who sent it).
    pub channel: String,
    pub deadlines: Deadlines,
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocationView {
    pub lat: f64,
    pub lon: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// Who filed the report, as far as the viewer may know.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ReporterView {
    /// The name a public, named reporter published.
    Public { name: String },
    /// Name and contacts, for staff entitled to them.
    Identity { name: Option<String>, phone: Option<String>, email: Option<String> },
}

/// The running deadline (at most one is set), RFC 3339 local time.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Deadlines {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    pub at: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub actor_role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A reporter's identity as stored apart from the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIdentity {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl ReportView {
    /// Adds the reporter's identity if `viewer` is entitled to it; says
    /// whether it did and the read must be logged (`identity_read_is_logged`).
    pub fn with_identity(&mut self, identity: StoredIdentity, viewer: &Viewer) -> bool {
        if !self.privacy.identity_visible_to(viewer) {
            return false;
        }
        self.reporter = Some(ReporterView::Identity { name: identity.name, phone: identity.phone, email: identity.email });
        true
    }
}

/// The report as `viewer` may see it, or `None` when they may not see it at
/// all (answered exactly like an unknown tracking ID).
pub fn report_view(record: &ReportRecord, events: &[EventRecord], viewer: &Viewer) -> Option<ReportView> {
    // Staff of an agency that does not hold the report are the public here:
    // staff-only events are for the agency handling it.
    let public = Viewer::Public;
    let viewer = match viewer {
        Viewer::Agency(agency) if record.agency.as_deref() != Some(agency.as_str()) => &public,
        other => other,
    };
    if !record.privacy.report_visible_to(viewer, record.agency.as_deref()) {
        return None;
    }
    let location = match (record.lat, record.lon) {
        (Some(lat), Some(lon)) => Some(LocationView { lat, lon, address: record.address.clone() }),
        _ => None,
    };
    let reporter = match (&record.public_reporter_name, record.privacy.name_is_public()) {
        (Some(name), true) => Some(ReporterView::Public { name: name.clone() }),
        _ => None,
    };
    let timeline = events
        .iter()
        .filter(|e| e.visibility.visible_to(viewer))
        .map(|e| TimelineEntry { at: e.at.clone(), event_type: e.event_type, actor_role: e.actor_role.clone(), text: e.text.clone() })
        .collect();
    Some(ReportView {
        tracking_id: record.tracking_id.clone(),
        kind: record.kind,
        title: record.title.clone(),
        body: record.body.clone(),
        category: record.category.clone(),
        agency: record.agency.clone(),
        suggested_agency: record.suggested_agency.clone().filter(|_| record.agency.is_none()),
        region: record.region.clone(),
        status: record.status,
        privacy: record.privacy,
        verified_at: record.verified_at.clone(),
        location,
        incident_date: record.incident_date.clone(),
        reporter,
        created_at: record.created_at.clone(),
        updated_at: record.updated_at.clone(),
        channel: record.channel.clone(),
        deadlines: Deadlines {
            verification_due: record.verification_due.clone(),
            response_due: record.response_due.clone(),
            completion_due: record.completion_due.clone(),
        },
        timeline,
    })
}

/// `GET /api/v1/reports/{id}`: the report with its attachments, counts and links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: ReportView,
    pub attachments: Vec<AttachmentView>,
    pub supports: i64,
    pub comments: i64,
    pub links: ReportLinks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentView {
    pub id: String,
    pub kind: String,
    pub size: i64,
    pub url: String,
}

impl AttachmentView {
    pub fn new(tracking_id: &str, id: String, kind: String, size: i64) -> Self {
        let url = format!("/api/v1/reports/{tracking_id}/attachments/{id}");
        AttachmentView { id, kind, size, url }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLinks {
    #[serde(rename = "self")]
    pub self_: String,
    pub html: String,
    pub supports: String,
    pub comments: String,
    pub follows: String,
}

impl ReportLinks {
    pub fn of(tracking_id: &str) -> Self {
        let api = format!("/api/v1/reports/{tracking_id}");
        ReportLinks {
            html: format!("/lapor/{tracking_id}"),
            supports: format!("{api}/supports"),
            comments: format!("{api}/comments"),
            follows: format!("{api}/follows"),
            self_: api,
        }
    }
}

/// What staff see: the view their role entitles them to, its version (for
/// `If-Match`) and work unit; the identity if [`ReportView::with_identity`]
/// allowed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffReportView {
    #[serde(flatten)]
    pub report: ReportView,
    pub version: i64,
    pub unit: Option<String>,
}

/// One line of the public listing: small, for cheap phones on slow networks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    pub tracking_id: String,
    pub kind: Kind,
    pub title: String,
    pub excerpt: String,
    pub category: Option<String>,
    pub agency: Option<String>,
    pub region: Option<String>,
    pub status: Status,
    pub privacy: Privacy,
    pub created_at: String,
    pub updated_at: String,
}

pub fn list_item(record: &ReportRecord) -> ListItem {
    ListItem {
        tracking_id: record.tracking_id.clone(),
        kind: record.kind,
        title: record.title.clone(),
        excerpt: record.body.chars().take(200).collect(),
        category: record.category.clone(),
        agency: record.agency.clone(),
        region: record.region.clone(),
        status: record.status,
        privacy: record.privacy,
        created_at: record.created_at.clone(),
        updated_at: record.updated_at.clone(),
    }
}

/// A comment as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentView {
    pub id: String,
    pub body: String,
    pub display_name: Option<String>,
    pub created_at: String,
}

/// One page of a listing: its items and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A comment in a staff review queue: with its report, flags and history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewItem {
    #[serde(flatten)]
    pub comment: CommentView,
    pub report: String,
    pub state: crate::engagement::CommentState,
    /// Every flag ever, and those since the last review (from anyone / from proved phones).
    pub flags: i64,
    pub open_flags: i64,
    pub proved_flags: i64,
    pub moderation: Vec<ModerationEntry>,
}

/// One line of a comment's moderation trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModerationEntry {
    pub at: String,
    pub action: String,
    pub actor: String,
    pub reason: Option<String>,
}

/// An agency of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyView {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub agency_type: String,
    pub parent: Option<String>,
    pub region: Option<String>,
    pub timezone: String,
}

/// `GET /api/v1/agencies/{code}`: the agency and its work units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyDetail {
    #[serde(flatten)]
    pub agency: AgencyView,
    pub units: Vec<UnitView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitView {
    pub code: String,
    pub name: String,
}

/// A non-working day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolidayView {
    pub date: String,
    pub name: String,
    pub kind: String,
}

/// `GET /api/v1/calendar/holidays?year=`: one year's non-working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarYear {
    pub year: i32,
    pub items: Vec<HolidayView>,
}

/// A notification in the dead letter, as administrators see it (address masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadLetterView {
    pub id: i64,
    pub kind: crate::event::OutboxKind,
    pub report: Option<String>,
    pub event: Option<String>,
    pub channel: Option<&'static str>,
    pub address: String,
    pub attempts: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Option<String>,
}

/// One of the caller's own follows of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowView {
    pub channel: Option<String>,
    pub address: Option<String>,
    pub created_at: Option<String>,
}

/// `GET /api/v1/reports/{id}/follows`: the caller's follows of that report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnFollows {
    pub report: String,
    pub items: Vec<FollowView>,
}

/// One category of the taxonomy (`GET /api/v1/categories`): a topic has
/// no `parent`; `retired_at` is set once it takes no new reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryView {
    pub code: String,
    pub parent: Option<String>,
    pub name_id: String,
    pub name_en: String,
    pub retired_at: Option<String>,
}

impl CategoryView {
    /// Its name in `lang`.
    pub fn name(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.name_id, &self.name_en)
    }
}

/// `GET /api/v1/categories`: topics each followed by their sub-topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryList {
    pub items: Vec<CategoryView>,
}

/// `201` to `POST /api/v1/reports`: the tracking ID and the reporter token
/// (shown this once).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiledReport {
    pub tracking_id: String,
    pub status: Status,
    #[serde(flatten, serialize_with = "crate::privacy::fields")]
    pub privacy: Privacy,
    pub reporter_token: String,
    pub created_at: String,
    pub links: FiledLinks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledLinks {
    #[serde(rename = "self")]
    pub self_: String,
    pub html: String,
}

// The answers below replace JSON objects once built by hand, whose keys
// serde_json (without `preserve_order`) wrote in alphabetical order: their
// fields are declared in that order, so the bytes stay the same.

/// The answer to a successful lifecycle action: the report's new status and
/// version (also its ETag, for `If-Match`), and what an assign or forward set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Done {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    pub status: Status,
    pub tracking_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub version: i64,
}

impl Done {
    pub fn new(tracking_id: &str, status: Status, version: i64) -> Self {
        Done { agency: None, status, tracking_id: tracking_id.to_string(), unit: None, version }
    }
}

/// `201` to a reporter's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rated {
    pub comment: Option<String>,
    pub score: u8,
    pub tracking_id: String,
}

/// `201` to an upload: the stored attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentUploaded {
    pub content_type: &'static str,
    pub id: String,
    pub kind: &'static str,
    pub size: usize,
    pub url: String,
}

/// A report's support count, and whether the caller is among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SupportCount {
    pub supported: bool,
    pub supports: i64,
}

/// Where an SMS code went (the number masked) and until when it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneVerification {
    pub channel: &'static str,
    pub expires_at: String,
    pub phone: String,
}

/// `201` to `POST /api/v1/citizens`: the token (shown this once), and the
/// code sent if a phone was given (else null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitizenCreated {
    pub citizen_token: String,
    pub phone_verification: Option<PhoneVerification>,
}

/// `202` to `POST /api/v1/citizens/verify {phone}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeSent {
    pub phone_verification: PhoneVerification,
}

/// `200` to `POST /api/v1/citizens/verify {code}`: the phone now proved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneProved {
    pub phone: String,
    pub verified: bool,
}

/// `GET /api/v1/citizens/me`: what the token is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IdentityView {
    Citizen { phone: Option<String>, phone_verified: bool },
    Reporter,
    Phone { phone: String },
}

/// The answer to a flag: whether the comment is hidden now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flagged {
    pub flagged: bool,
    pub hidden: bool,
    pub id: String,
}

/// The answer to a moderation: the comment's state now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moderated {
    pub id: String,
    pub state: crate::engagement::CommentState,
}

/// The answer to a follow: `secret` only for a new webhook follow (shown
/// this once), `already_following` only when the address already followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowAdded {
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub already_following: Option<bool>,
    pub channel: &'static str,
    pub following: bool,
    pub report: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// The answer to an unfollow: how many follows stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unfollowed {
    pub removed: u64,
    pub report: String,
}

/// `201` to `POST /api/v1/staff`: the account and its token (shown this once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffAccountCreated {
    pub agency: Option<String>,
    pub expires_at: String,
    pub id: String,
    pub name: String,
    pub role: crate::staff::Role,
    pub token: String,
    pub unit: Option<String>,
}

/// A dead notification put back in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requeued {
    pub id: i64,
    pub state: crate::event::OutboxState,
}

/// One report of a staff queue, its columns as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    pub agency: Option<String>,
    pub category: Option<String>,
    pub completion_due: Option<String>,
    pub created_at: String,
    pub kind: String,
    pub privacy: Privacy,
    pub region: Option<String>,
    pub response_due: Option<String>,
    pub status: String,
    pub title: String,
    pub tracking_id: String,
    pub unit: Option<String>,
    pub updated_at: String,
    pub verification_due: Option<String>,
    pub version: i64,
}

/// A staff queue's page: its items, how many reports of its scope are in
/// each status (keyed by status name, so in alphabetical order), and how
/// many the whole list holds; an agency's inbox also names the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffQueue {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    pub counts: std::collections::BTreeMap<&'static str, i64>,
    pub items: Vec<QueueItem>,
    pub next_cursor: Option<String>,
    pub total: i64,
}

/// What one notification delivery call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeliveryRun {
    pub claimed: usize,
    pub dead: u64,
    pub expired: u64,
    pub more: bool,
    pub released: u64,
    pub retrying: u64,
    pub sent: u64,
}

/// What one SLA sweep call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SweepRun {
    pub completed: i64,
    pub escalated: i64,
    pub examined: i64,
    pub more: bool,
    pub reminded: i64,
}

/// An agency's embed settings (`GET/PUT /api/v1/agencies/{code}/embed-origins`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmbedOriginsView {
    pub agency: String,
    /// Empty: any website may embed the agency's form.
    pub origins: Vec<String>,
    /// The `frame-ancestors` the embed page is sent with.
    pub frame_ancestors: String,
}

/// The response figures an agency's embed badge shows
/// (`GET /api/v1/agencies/{code}/figures`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyFigures {
    pub agency: String,
    pub name: String,
    /// Reports sent to the agency and not archived.
    pub received: i64,
    /// Of those, answered (responded or completed).
    pub responded: i64,
    pub completed: i64,
    /// `responded` as a whole percentage of `received` (none of none: null).
    pub responded_percent: Option<i64>,
}

impl AgencyFigures {
    pub fn new(agency: &str, name: &str, received: i64, responded: i64, completed: i64) -> Self {
        let responded_percent = (received > 0).then(|| (responded * 100 + received / 2) / received);
        AgencyFigures { agency: agency.to_string(), name: name.to_string(), received, responded, completed, responded_percent }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn view_json(record: &ReportRecord, events: &[EventRecord], viewer: &Viewer) -> Option<Value> {
        report_view(record, events, viewer).map(|v| serde_json::to_value(v).unwrap())
    }

    fn record(privacy: Privacy) -> ReportRecord {
        ReportRecord {
            tracking_id: "7K3QD-M2X9C".into(),
            kind: Kind::Pengaduan,
            title: "Jalan rusak".into(),
            body: "Jalan rusak parah di depan pasar.".into(),
            category: None,
            agency: Some("pemkot-3273".into()),
            region: Some("32.73".into()),
            lat: Some(-6.9),
            lon: Some(107.6),
            address: None,
            incident_date: None,
            privacy,
            status: Status::Submitted,
            public_reporter_name: (privacy == Privacy::PUBLIC).then(|| "Siti".to_string()),
            created_at: "2026-11-23T01:00:00.000Z".into(),
            updated_at: "2026-11-23T01:00:00.000Z".into(),
            verified_at: None,
            suggested_agency: None,
            verification_due: Some("2026-11-26T23:59:59+07:00".into()),
            response_due: None,
            completion_due: None,
            channel: "web".into(),
        }
    }

    fn events() -> Vec<EventRecord> {
        vec![
            EventRecord { at: "t1".into(), event_type: EventType::Submitted, actor_role: "reporter".into(), visibility: EventVisibility::Public, text: None },
            EventRecord { at: "t2".into(), event_type: EventType::OnHold, actor_role: "admin".into(), visibility: EventVisibility::Participants, text: Some("Mohon foto".into()) },
            EventRecord { at: "t3".into(), event_type: EventType::ForwardReason, actor_role: "admin".into(), visibility: EventVisibility::Staff, text: Some("internal".into()) },
        ]
    }

    #[test]
    fn public_sees_public_events_and_the_published_name_only() {
        let v = view_json(&record(Privacy::PUBLIC), &events(), &Viewer::Public).unwrap();
        assert_eq!(v["reporter"], json!({"name": "Siti"}));
        assert_eq!(v["timeline"].as_array().unwrap().len(), 1);
        assert_eq!(v["location"], json!({"lat": -6.9, "lon": 107.6}));
        assert_eq!(v["deadlines"], json!({"verification_due": "2026-11-26T23:59:59+07:00"}));
    }

    #[test]
    fn anonymous_reports_carry_no_reporter_field_for_anyone() {
        for privacy in [Privacy::ANONYMOUS, Privacy::CONFIDENTIAL_ANONYMOUS] {
            for viewer in [Viewer::Public, Viewer::Reporter, Viewer::Agency("pemkot-3273".into())] {
                let Some(v) = view_json(&record(privacy), &events(), &viewer) else { continue };
                assert!(v.get("reporter").is_none(), "{privacy:?} {viewer:?}");
                assert_eq!(v["reporter_identity"], "anonymous");
            }
        }
        let v = view_json(&record(Privacy::CONFIDENTIAL_ANONYMOUS), &events(), &Viewer::Reporter).unwrap();
        assert_eq!((v["privacy"].as_str(), v["visibility"].as_str()), (Some("confidential_anonymous"), Some("confidential")));
    }

    #[test]
    fn confidential_reports_are_invisible_to_the_public_only() {
        assert!(view_json(&record(Privacy::CONFIDENTIAL), &events(), &Viewer::Public).is_none());
        let v = view_json(&record(Privacy::CONFIDENTIAL), &events(), &Viewer::Reporter).unwrap();
        let types: Vec<&str> = v["timeline"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["submitted", "on_hold"], "the reporter sees participant events, not staff notes");
        assert!(view_json(&record(Privacy::CONFIDENTIAL), &events(), &Viewer::Agency("other".into())).is_none());
    }

    #[test]
    fn staff_of_another_agency_see_what_the_public_sees() {
        let other = Viewer::Agency("kemenkes".into());
        let v = view_json(&record(Privacy::PUBLIC), &events(), &other).unwrap();
        let types: Vec<&str> = v["timeline"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["submitted"]);
        let own = view_json(&record(Privacy::PUBLIC), &events(), &Viewer::Agency("pemkot-3273".into())).unwrap();
        assert_eq!(own["timeline"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn list_items_are_small() {
        let mut r = record(Privacy::PUBLIC);
        r.body = "x".repeat(5000);
        let item = serde_json::to_value(list_item(&r)).unwrap();
        assert_eq!(item["excerpt"].as_str().unwrap().len(), 200);
        assert!(item.get("body").is_none());
        assert!(item.get("reporter").is_none());
    }

    #[test]
    fn identity_enters_a_view_only_where_privacy_allows() {
        let identity = || StoredIdentity { name: Some("Siti".into()), phone: Some("+6281234567890".into()), email: None };
        let agency = Viewer::Agency("pemkot-3273".into());
        for privacy in Privacy::ALL {
            let mut view = report_view(&record(privacy), &events(), &agency).unwrap();
            let added = view.with_identity(identity(), &agency);
            assert_eq!(added, !privacy.is_anonymous(), "{privacy:?}");
            let json = serde_json::to_value(StaffReportView { report: view, version: 3, unit: None }).unwrap();
            assert_eq!(json["reporter"].get("phone").is_some(), !privacy.is_anonymous(), "{privacy:?}: {json}");
            assert_eq!((json["version"].as_i64(), json["unit"].is_null()), (Some(3), true));
        }
        let mut view = report_view(&record(Privacy::CONFIDENTIAL_ANONYMOUS), &events(), &Viewer::Admin).unwrap();
        assert!(view.with_identity(identity(), &Viewer::Admin));
        assert!(!view.with_identity(identity(), &Viewer::Public));
    }

    #[test]
    fn the_detail_view_is_the_report_with_attachments_counts_and_links() {
        let report = report_view(&record(Privacy::PUBLIC), &events(), &Viewer::Public).unwrap();
        let attachments = vec![AttachmentView::new("7K3QD-M2X9C", "ab".into(), "jpeg".into(), 10)];
        let detail = ReportDetail { report, attachments, supports: 2, comments: 1, links: ReportLinks::of("7K3QD-M2X9C") };
        let json = serde_json::to_value(detail).unwrap();
        assert_eq!(json["title"], "Jalan rusak");
        assert_eq!(json["attachments"][0]["url"], "/api/v1/reports/7K3QD-M2X9C/attachments/ab");
        assert_eq!(json["links"]["self"], "/api/v1/reports/7K3QD-M2X9C");
        assert_eq!((json["supports"].as_i64(), json["comments"].as_i64()), (Some(2), Some(1)));
    }

    /// The bytes an answer once built with `json!` had (its keys sorted).
    fn same_bytes<T: Serialize>(view: &T, before: Value) {
        assert_eq!(serde_json::to_string(view).unwrap(), serde_json::to_string(&before).unwrap());
    }

    #[test]
    fn answers_keep_the_bytes_of_their_hand_built_json() {
        let done = Done::new("7K3QD-M2X9C", Status::Dispatched, 3);
        same_bytes(&done, json!({"tracking_id": "7K3QD-M2X9C", "status": "dispatched", "version": 3}));
        same_bytes(&Done { unit: Some("u".into()), ..done.clone() }, json!({"tracking_id": "7K3QD-M2X9C", "status": "dispatched", "version": 3, "unit": "u"}));
        same_bytes(&Done { agency: Some("a".into()), ..done }, json!({"tracking_id": "7K3QD-M2X9C", "status": "dispatched", "version": 3, "agency": "a"}));
        same_bytes(&Rated { comment: None, score: 4, tracking_id: "T".into() }, json!({"tracking_id": "T", "score": 4, "comment": null}));
        same_bytes(
            &AttachmentUploaded { content_type: "image/png", id: "i".into(), kind: "png", size: 12, url: "/u".into() },
            json!({"id": "i", "kind": "png", "content_type": "image/png", "size": 12, "url": "/u"}),
        );
        same_bytes(&SupportCount { supported: true, supports: 2 }, json!({"supports": 2, "supported": true}));
        let sent = PhoneVerification { channel: "sms", expires_at: "e".into(), phone: "+62812****7890".into() };
        let sent_json = json!({"phone": "+62812****7890", "expires_at": "e", "channel": "sms"});
        same_bytes(&CitizenCreated { citizen_token: "c".into(), phone_verification: None }, json!({"citizen_token": "c", "phone_verification": null}));
        same_bytes(&CitizenCreated { citizen_token: "c".into(), phone_verification: Some(sent.clone()) }, json!({"citizen_token": "c", "phone_verification": sent_json}));
        same_bytes(&CodeSent { phone_verification: sent }, json!({"phone_verification": sent_json}));
        same_bytes(&PhoneProved { phone: "+62".into(), verified: true }, json!({"phone": "+62", "verified": true}));
        same_bytes(
            &IdentityView::Citizen { phone: None, phone_verified: false },
            json!({"kind": "citizen", "phone_verified": false, "phone": null}),
        );
        same_bytes(&IdentityView::Reporter, json!({"kind": "reporter"}));
        same_bytes(&IdentityView::Phone { phone: "+62".into() }, json!({"kind": "phone", "phone": "+62"}));
        same_bytes(&Flagged { flagged: true, hidden: false, id: "c".into() }, json!({"id": "c", "flagged": true, "hidden": false}));
        same_bytes(
            &Moderated { id: "c".into(), state: crate::engagement::CommentState::HiddenByStaff },
            json!({"id": "c", "state": "hidden_by_staff"}),
        );
        let added = FollowAdded { address: "a".into(), already_following: None, channel: "webhook", following: true, report: "T".into(), secret: None };
        same_bytes(&added, json!({"report": "T", "channel": "webhook", "address": "a", "following": true}));
        same_bytes(
            &FollowAdded { secret: Some("s".into()), ..added.clone() },
            json!({"report": "T", "channel": "webhook", "address": "a", "following": true, "secret": "s"}),
        );
        same_bytes(
            &FollowAdded { already_following: Some(true), ..added },
            json!({"report": "T", "channel": "webhook", "address": "a", "following": true, "already_following": true}),
        );
        same_bytes(&Unfollowed { removed: 2, report: "T".into() }, json!({"report": "T", "removed": 2}));
        same_bytes(
            &StaffAccountCreated {
                agency: None,
                expires_at: "e".into(),
                id: "i".into(),
                name: "A".into(),
                role: crate::staff::Role::Admin,
                token: "t".into(),
                unit: None,
            },
            json!({"id": "i", "role": "admin", "name": "A", "agency": null, "unit": null, "token": "t", "expires_at": "e"}),
        );
        same_bytes(&Requeued { id: 7, state: crate::event::OutboxState::Pending }, json!({"id": 7, "state": "pending"}));
        same_bytes(
            &DeliveryRun { claimed: 3, dead: 1, expired: 0, more: false, released: 0, retrying: 1, sent: 1 },
            json!({"claimed": 3, "sent": 1, "retrying": 1, "dead": 1, "released": 0, "expired": 0, "more": false}),
        );
        same_bytes(
            &SweepRun { completed: 1, escalated: 2, examined: 6, more: true, reminded: 3 },
            json!({"examined": 6, "reminded": 3, "escalated": 2, "completed": 1, "more": true}),
        );
    }

    #[test]
    fn a_staff_queue_keeps_the_bytes_of_its_hand_built_json() {
        let item = QueueItem {
            agency: None,
            category: None,
            completion_due: None,
            created_at: "c".into(),
            kind: "pengaduan".into(),
            privacy: Privacy::ANONYMOUS,
            region: Some("32.73".into()),
            response_due: None,
            status: "submitted".into(),
            title: "Jalan".into(),
            tracking_id: "T".into(),
            unit: None,
            updated_at: "u".into(),
            verification_due: Some("v".into()),
            version: 1,
        };
        let item_json = json!({
            "privacy": "anonymous", "tracking_id": "T", "kind": "pengaduan", "title": "Jalan", "status": "submitted",
            "agency": null, "unit": null, "category": null, "region": "32.73", "created_at": "c", "updated_at": "u",
            "verification_due": "v", "response_due": null, "completion_due": null, "version": 1,
        });
        let counts: std::collections::BTreeMap<&'static str, i64> = Status::ALL.into_iter().map(|s| (s.as_str(), 1)).collect();
        let counts_json: serde_json::Map<String, Value> = Status::ALL.into_iter().map(|s| (s.as_str().to_string(), json!(1))).collect();
        let queue = StaffQueue { agency: None, counts, items: vec![item], next_cursor: None, total: 6 };
        same_bytes(&queue, json!({"items": [item_json.clone()], "next_cursor": null, "counts": counts_json.clone(), "total": 6}));
        same_bytes(
            &StaffQueue { agency: Some("pemkot-32.73".into()), ..queue },
            json!({"items": [item_json], "next_cursor": null, "counts": counts_json, "total": 6, "agency": "pemkot-32.73"}),
        );
    }
}

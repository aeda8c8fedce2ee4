//! What GeoReport v2 answers show: a service request, a created request, a
//! token's request, the discovery document. Each is one `Serialize` struct,
//! rendered as JSON and as XML by `format::render`.
//!
//! A service request is built from the report's *public* view
//! (`view::report_view` with `Viewer::Public`), so it holds only what anyone
//! may see: no contact field exists in it, a confidential report has no
//! view at all, and `status_notes` is the latest follow-up of the public
//! timeline. Times are W3C date-times in the zone of the agency handling the
//! report (WIB before one does, as verification is counted),
//! `expected_datetime` is the running deadline (verification, response or
//! completion) as our deadlines are kept: in that zone, with its offset.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::status::Open311Status;
use crate::agency::TimeZone;
use crate::event::EventType;
use crate::lang::Lang;
use crate::view::ReportView;

/// One request of `requests.{fmt}` and `requests/{id}.{fmt}`, in the spec's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRequestView {
    pub service_request_id: String,
    pub status: Open311Status,
    pub status_notes: Option<String>,
    pub service_name: Option<String>,
    pub service_code: Option<String>,
    pub description: String,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    /// We keep no address register.
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

/// What a request is shown with besides its public view.
#[derive(Debug, Clone, Copy)]
pub struct RequestFacts<'a> {
    /// The report as the public sees it.
    pub view: &'a ReportView,
    /// The name of its category in the caller's language.
    pub service_name: Option<&'a str>,
    /// The name of the agency handling it.
    pub agency_name: Option<&'a str>,
    /// That agency's zone (WIB before dispatch).
    pub zone: TimeZone,
    pub media_url: Option<&'a str>,
}

/// The request of `facts`, in `lang`.
pub fn service_request(facts: &RequestFacts<'_>, lang: Lang) -> ServiceRequestView {
    let view = facts.view;
    let status_notes = view.timeline.iter().rev().find(|e| e.event_type == EventType::Responded).and_then(|e| e.text.clone());
    let deadlines = &view.deadlines;
    let expected = deadlines.verification_due.as_ref().or(deadlines.response_due.as_ref()).or(deadlines.completion_due.as_ref());
    let location = view.location.as_ref();
    ServiceRequestView {
        service_request_id: view.tracking_id.clone(),
        status: Open311Status::of(view.status),
        status_notes,
        service_name: facts.service_name.map(str::to_string),
        service_code: view.category.clone(),
        // The spec's limit; a report from another channel may be longer.
        description: view.body.chars().take(super::request::MAX_DESCRIPTION_CHARS).collect(),
        agency_responsible: facts.agency_name.map(str::to_string),
        service_notice: Some(view.status.label(lang).to_string()),
        requested_datetime: w3c_in(&view.created_at, facts.zone),
        updated_datetime: w3c_in(&view.updated_at, facts.zone),
        expected_datetime: expected.cloned(),
        address: location.and_then(|l| l.address.clone()),
        address_id: None,
        zipcode: None,
        lat: location.map(|l| l.lat),
        long: location.map(|l| l.lon),
        media_url: facts.media_url.map(str::to_string),
    }
}

/// A stored RFC 3339 time (UTC) in `zone`, to the second, with its offset.
pub fn w3c_in(stored: &str, zone: TimeZone) -> String {
    let offset = FixedOffset::east_opt(zone.utc_offset_hours() * 3600).expect("Indonesian offsets are valid");
    match DateTime::parse_from_rfc3339(stored) {
        Ok(at) => crate::sla::local_rfc3339(at.with_timezone(&offset)),
        Err(_) => stored.to_string(),
    }
}

/// The answer to `POST requests.{fmt}`: one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedView {
    pub service_request_id: String,
    pub service_notice: String,
    /// We keep no accounts for partner apps' users.
    pub account_id: Option<String>,
}

impl CreatedView {
    /// `base` is the public origin; a confidential report's page is its
    /// reporter's alone, so its notice has no link.
    pub fn new(tracking_id: &str, confidential: bool, base: &str, lang: Lang) -> Self {
        let days = crate::sla::VERIFICATION_WORKING_DAYS;
        let mut notice = lang
            .pick(
                &format!("Laporan diterima dengan nomor pelacakan {tracking_id}. Administrator LAPOR! memverifikasinya dalam {days} hari kerja, lalu meneruskannya ke instansi yang berwenang."),
                &format!("Report received with tracking ID {tracking_id}. The LAPOR! administrators verify it within {days} working days, then send it to the agency in charge."),
            )
            .to_string();
        if confidential {
            notice.push(' ');
            notice.push_str(lang.pick(
                "Laporan ini rahasia: tidak tampil melalui Open311; kabar dikirim ke kontak pelapor.",
                "This report is confidential: it does not appear through Open311; news goes to the reporter's contacts.",
            ));
        } else {
            notice.push_str(&format!(" {base}/lapor/{tracking_id}"));
        }
        CreatedView { service_request_id: tracking_id.to_string(), service_notice: notice, account_id: None }
    }
}

/// The answer to `GET tokens/{token}.{fmt}`. Requests are created at once
/// (`type` realtime), so no POST answers with a token; a token is taken to
/// be the tracking ID itself, which leads to the same request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    pub service_request_id: String,
    pub token: String,
}

/// `discovery.{fmt}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscoveryView {
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<EndpointView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointView {
    pub specification: &'static str,
    pub url: String,
    pub changeset: String,
    #[serde(rename = "type")]
    pub endpoint_type: &'static str,
    pub formats: Vec<&'static str>,
}

impl DiscoveryView {
    /// `base` is the public origin; `changeset` when the services last
    /// changed (the taxonomy), as a W3C date-time.
    pub fn new(base: &str, changeset: &str, lang: Lang) -> Self {
        DiscoveryView {
            changeset: changeset.to_string(),
            contact: lang
                .pick(
                    &format!("Administrator LAPOR!: lihat {base}/cara-kerja"),
                    &format!("The LAPOR! administrators: see {base}/cara-kerja"),
                )
                .to_string(),
            key_service: lang
                .pick(
                    "Kunci API (api_key) untuk aplikasi mitra diterbitkan oleh administrator LAPOR! (POST /api/v1/open311/keys); membaca tidak memerlukan kunci.",
                    "API keys (api_key) for partner apps are issued by the LAPOR! administrators (POST /api/v1/open311/keys); reading needs no key.",
                )
                .to_string(),
            endpoints: vec![EndpointView {
                specification: super::SPECIFICATION,
                url: format!("{base}{}", super::BASE_PATH),
                changeset: changeset.to_string(),
                endpoint_type: "production",
                formats: super::format::Format::MEDIA_TYPES.to_vec(),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::Status;
    use crate::privacy::{Privacy, Viewer};
    use crate::report::Kind;
    use crate::view::{report_view, EventRecord, EventVisibility, ReportRecord};

    fn record(privacy: Privacy, status: Status) -> ReportRecord {
        ReportRecord {
            tracking_id: "7K3QD-M2X9C".into(),
            kind: Kind::Pengaduan,
            title: "Jalan berlubang".into(),
            body: "Lubang besar di depan sekolah sudah dua bulan.".into(),
            category: Some("infrastruktur-jalan".into()),
            agency: Some("pemkot-32.73".into()),
            region: None,
            lat: Some(-6.9147),
            lon: Some(107.6098),
            address: Some("Jl. Merdeka 1".into()),
            incident_date: None,
            privacy,
            status,
            public_reporter_name: (privacy == Privacy::PUBLIC).then(|| "Siti".into()),
            created_at: "2026-11-23T03:15:30.123Z".into(),
            updated_at: "2026-11-24T17:00:00.000Z".into(),
            verified_at: Some("2026-11-23T05:00:00.000Z".into()),
            suggested_agency: None,
            verification_due: None,
            response_due: Some("2026-12-01T23:59:59+07:00".into()),
            completion_due: None,
            channel: "open311:qlue".into(),
        }
    }

    fn event(event_type: EventType, visibility: EventVisibility, text: &str) -> EventRecord {
        EventRecord { at: "2026-11-24T00:00:00Z".into(), event_type, actor_role: "officer".into(), visibility, text: Some(text.into()) }
    }

    fn facts_of(view: &ReportView) -> RequestFacts<'_> {
        RequestFacts { view, service_name: Some("Jalan rusak"), agency_name: Some("Kota Bandung"), zone: TimeZone::Wib, media_url: None }
    }

    #[test]
    fn a_request_is_the_public_view_in_the_specs_fields() {
        let events = [
            event(EventType::Responded, EventVisibility::Public, "Tim sudah meninjau lokasi."),
            event(EventType::Assigned, EventVisibility::Staff, "catatan internal"),
            event(EventType::Responded, EventVisibility::Public, "Perbaikan dijadwalkan minggu depan."),
        ];
        let view = report_view(&record(Privacy::PUBLIC, Status::Responded), &events, &Viewer::Public).unwrap();
        let request = service_request(&facts_of(&view), Lang::En);
        assert_eq!(request.service_request_id, "7K3QD-M2X9C");
        assert_eq!(request.status, Open311Status::Open);
        assert_eq!(request.status_notes.as_deref(), Some("Perbaikan dijadwalkan minggu depan."), "the latest public follow-up");
        assert_eq!(request.requested_datetime, "2026-11-23T10:15:30+07:00");
        assert_eq!(request.updated_datetime, "2026-11-25T00:00:00+07:00");
        assert_eq!(request.expected_datetime.as_deref(), Some("2026-12-01T23:59:59+07:00"));
        assert_eq!((request.lat, request.long, request.address.as_deref()), (Some(-6.9147), Some(107.6098), Some("Jl. Merdeka 1")));
        assert_eq!(request.agency_responsible.as_deref(), Some("Kota Bandung"));
        assert_eq!(request.service_notice.as_deref(), Some("Answered by the agency"));
        let json = serde_json::to_value(&request).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        for contact in ["email", "phone", "first_name", "last_name", "name", "reporter"] {
            assert!(!keys.contains(&contact), "{contact}");
        }
        assert!(!json.to_string().contains("Siti"), "not even the public name");
    }

    #[test]
    fn closed_requests_and_staff_notes() {
        let events = [event(EventType::Responded, EventVisibility::Staff, "internal only")];
        let view = report_view(&record(Privacy::ANONYMOUS, Status::Completed), &events, &Viewer::Public).unwrap();
        let request = service_request(&RequestFacts { zone: TimeZone::Wit, ..facts_of(&view) }, Lang::Id);
        assert_eq!((request.status, request.status_notes), (Open311Status::Closed, None));
        assert_eq!(request.requested_datetime, "2026-11-23T12:15:30+09:00", "in the agency's zone");
        assert!(report_view(&record(Privacy::CONFIDENTIAL, Status::Dispatched), &[], &Viewer::Public).is_none(), "no public view: never a request");
    }

    #[test]
    fn long_bodies_are_cut_to_the_specs_limit() {
        let mut long = record(Privacy::PUBLIC, Status::Dispatched);
        long.body = "é".repeat(4500);
        let view = report_view(&long, &[], &Viewer::Public).unwrap();
        assert_eq!(service_request(&facts_of(&view), Lang::Id).description.chars().count(), 4000);
    }

    #[test]
    fn a_created_request_links_its_page_unless_confidential() {
        let public = CreatedView::new("7K3QD-M2X9C", false, "https://lapor.go.id", Lang::En);
        assert!(public.service_notice.ends_with("https://lapor.go.id/lapor/7K3QD-M2X9C"), "{}", public.service_notice);
        assert_eq!(public.account_id, None);
        let confidential = CreatedView::new("7K3QD-M2X9C", true, "https://lapor.go.id", Lang::Id);
        assert!(!confidential.service_notice.contains("/lapor/"), "{}", confidential.service_notice);
    }

    #[test]
    fn discovery_names_the_endpoint_and_its_formats() {
        let d = DiscoveryView::new("https://lapor.go.id", "2026-11-01T00:00:00+07:00", Lang::En);
        assert_eq!(d.endpoints[0].url, "https://lapor.go.id/open311/v2");
        assert_eq!(d.endpoints[0].specification, "http://wiki.open311.org/GeoReport_v2");
        assert_eq!(d.endpoints[0].formats, ["application/json", "text/xml"]);
        assert_eq!((d.endpoints[0].endpoint_type, d.changeset.as_str()), ("production", "2026-11-01T00:00:00+07:00"));
    }
}

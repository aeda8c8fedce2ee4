//! What a viewer is shown of a report: the public view, the reporter's view.
//!
//! Built only from [`ReportRecord`], which has no identity fields besides the
//! name a reporter chose to publish; contact details cannot appear here.

use serde_json::{json, Map, Value};

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
    pub event_type: String,
    pub actor_role: String,
    pub visibility: EventVisibility,
    pub text: Option<String>,
}

fn put(map: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    map.insert(key.to_string(), value.clone().map(Value::String).unwrap_or(Value::Null));
}

/// The report as `viewer` may see it, or `None` when they may not see it at
/// all (answered exactly like an unknown tracking ID).
pub fn report_view(record: &ReportRecord, events: &[EventRecord], viewer: &Viewer) -> Option<Value> {
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
    let mut map = Map::new();
    map.insert("tracking_id".into(), json!(record.tracking_id));
    map.insert("kind".into(), json!(record.kind.as_str()));
    map.insert("title".into(), json!(record.title));
    map.insert("body".into(), json!(record.body));
    put(&mut map, "category", &record.category);
    put(&mut map, "agency", &record.agency);
    if record.suggested_agency.is_some() && record.agency.is_none() {
        put(&mut map, "suggested_agency", &record.suggested_agency);
    }
    put(&mut map, "region", &record.region);
    map.insert("status".into(), json!(record.status.as_str()));
    map.insert("privacy".into(), json!(record.privacy.as_str()));
    map.insert("visibility".into(), json!(record.privacy.visibility.as_str()));
    map.insert("reporter_identity".into(), json!(record.privacy.identity.as_str()));
    // Null until an administrator verified it: until then it is not listed.
    put(&mut map, "verified_at", &record.verified_at);
    if let (Some(lat), Some(lon)) = (record.lat, record.lon) {
        let mut location = json!({"lat": lat, "lon": lon});
        if let Some(address) = &record.address {
            location["address"] = json!(address);
        }
        map.insert("location".into(), location);
    }
    put(&mut map, "incident_date", &record.incident_date);
    if record.privacy.name_is_public() {
        if let Some(name) = &record.public_reporter_name {
            map.insert("reporter".into(), json!({"name": name}));
        }
    }
    map.insert("created_at".into(), json!(record.created_at));
    map.insert("updated_at".into(), json!(record.updated_at));
    let mut deadlines = Map::new();
    for (key, value) in [
        ("verification_due", &record.verification_due),
        ("response_due", &record.response_due),
        ("completion_due", &record.completion_due),
    ] {
        if let Some(value) = value {
            deadlines.insert(key.into(), json!(value));
        }
    }
    map.insert("deadlines".into(), Value::Object(deadlines));
    let timeline: Vec<Value> = events
        .iter()
        .filter(|e| e.visibility.visible_to(viewer))
        .map(|e| {
            let mut item = json!({"at": e.at, "type": e.event_type, "actor_role": e.actor_role});
            if let Some(text) = &e.text {
                item["text"] = json!(text);
            }
            item
        })
        .collect();
    map.insert("timeline".into(), Value::Array(timeline));
    Some(Value::Object(map))
}

/// One line of the public listing: small, for cheap phones on slow networks.
pub fn list_item(record: &ReportRecord) -> Value {
    let excerpt: String = record.body.chars().take(200).collect();
    json!({
        "tracking_id": record.tracking_id,
        "kind": record.kind.as_str(),
        "title": record.title,
        "excerpt": excerpt,
        "category": record.category,
        "agency": record.agency,
        "region": record.region,
        "status": record.status.as_str(),
        "privacy": record.privacy.as_str(),
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        }
    }

    fn events() -> Vec<EventRecord> {
        vec![
            EventRecord { at: "t1".into(), event_type: "submitted".into(), actor_role: "reporter".into(), visibility: EventVisibility::Public, text: None },
            EventRecord { at: "t2".into(), event_type: "on_hold".into(), actor_role: "admin".into(), visibility: EventVisibility::Participants, text: Some("Mohon foto".into()) },
            EventRecord { at: "t3".into(), event_type: "note".into(), actor_role: "admin".into(), visibility: EventVisibility::Staff, text: Some("internal".into()) },
        ]
    }

    #[test]
    fn public_sees_public_events_and_the_published_name_only() {
        let v = report_view(&record(Privacy::PUBLIC), &events(), &Viewer::Public).unwrap();
        assert_eq!(v["reporter"], json!({"name": "Siti"}));
        assert_eq!(v["timeline"].as_array().unwrap().len(), 1);
        assert_eq!(v["location"], json!({"lat": -6.9, "lon": 107.6}));
        assert_eq!(v["deadlines"], json!({"verification_due": "2026-11-26T23:59:59+07:00"}));
    }

    #[test]
    fn anonymous_reports_carry_no_reporter_field_for_anyone() {
        for privacy in [Privacy::ANONYMOUS, Privacy::CONFIDENTIAL_ANONYMOUS] {
            for viewer in [Viewer::Public, Viewer::Reporter, Viewer::Agency("pemkot-3273".into())] {
                let Some(v) = report_view(&record(privacy), &events(), &viewer) else { continue };
                assert!(v.get("reporter").is_none(), "{privacy:?} {viewer:?}");
                assert_eq!(v["reporter_identity"], "anonymous");
            }
        }
        let v = report_view(&record(Privacy::CONFIDENTIAL_ANONYMOUS), &events(), &Viewer::Reporter).unwrap();
        assert_eq!((v["privacy"].as_str(), v["visibility"].as_str()), (Some("confidential_anonymous"), Some("confidential")));
    }

    #[test]
    fn confidential_reports_are_invisible_to_the_public_only() {
        assert!(report_view(&record(Privacy::CONFIDENTIAL), &events(), &Viewer::Public).is_none());
        let v = report_view(&record(Privacy::CONFIDENTIAL), &events(), &Viewer::Reporter).unwrap();
        let types: Vec<&str> = v["timeline"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["submitted", "on_hold"], "the reporter sees participant events, not staff notes");
        assert!(report_view(&record(Privacy::CONFIDENTIAL), &events(), &Viewer::Agency("other".into())).is_none());
    }

    #[test]
    fn staff_of_another_agency_see_what_the_public_sees() {
        let other = Viewer::Agency("kemenkes".into());
        let v = report_view(&record(Privacy::PUBLIC), &events(), &other).unwrap();
        let types: Vec<&str> = v["timeline"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["submitted"]);
        let own = report_view(&record(Privacy::PUBLIC), &events(), &Viewer::Agency("pemkot-3273".into())).unwrap();
        assert_eq!(own["timeline"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn list_items_are_small() {
        let mut r = record(Privacy::PUBLIC);
        r.body = "x".repeat(5000);
        let item = list_item(&r);
        assert_eq!(item["excerpt"].as_str().unwrap().len(), 200);
        assert!(item.get("body").is_none());
        assert!(item.get("reporter").is_none());
    }
}

//! A new report as a citizen submits it, parsed from JSON or a web form.
//!
//! Parsing collects every problem at once (a citizen on a slow connection
//! should fix the form in one go), and a [`NewReport`] can only exist valid.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::codes::{AgencyCode, CategoryCode, RegionCode};
use crate::contact::{Email, PhoneNumber};
use crate::invalid::Invalid;
use crate::location::{IncidentDate, Location};
use crate::privacy::{Privacy, PrivacyRequest, ReporterIdentity, Visibility};
use crate::text::{Address, Body, PersonName, Title};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A complaint about a public service.
    Pengaduan,
    /// An aspiration: a suggestion or a wish.
    Aspirasi,
    /// A request for public information.
    PermintaanInformasi,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Pengaduan, Kind::Aspirasi, Kind::PermintaanInformasi];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pengaduan => "pengaduan",
            Kind::Aspirasi => "aspirasi",
            Kind::PermintaanInformasi => "permintaan_informasi",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(
                field,
                "Pilih salah satu: pengaduan, aspirasi, permintaan_informasi.",
                "Choose one of: pengaduan, aspirasi, permintaan_informasi.",
            )
        })
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// How a report arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
    Sms,
    Whatsapp,
    /// An agency's embedded form.
    Embed(AgencyCode),
    /// A partner app through Open311 GeoReport v2, by its key's name.
    Open311(crate::open311::key::KeyName),
}

impl Channel {
    pub fn as_string(&self) -> String {
        match self {
            Channel::Web => "web".into(),
            Channel::Api => "api".into(),
            Channel::Sms => "sms".into(),
            Channel::Whatsapp => "whatsapp".into(),
            Channel::Embed(agency) => format!("embed:{}", agency.as_str()),
            Channel::Open311(key) => format!("open311:{}", key.as_str()),
        }
    }

    /// Whether a report stored with channel `stored` was sent from its
    /// reporter's phone: by SMS or WhatsApp the carrier (or Meta) proves the
    /// sender's number, so that number may later act as the reporter (BALAS,
    /// NILAI, CEK of a confidential report). A number typed into a form
    /// proves nothing.
    pub fn proves_reporter_phone(stored: &str) -> bool {
        [Channel::Sms, Channel::Whatsapp].iter().any(|c| c.as_string() == stored)
    }

    /// How the reporter of a report from this channel follows it on their phone.
    pub fn phone_follow_channel(&self) -> crate::follow::FollowChannel {
        match self {
            Channel::Whatsapp => crate::follow::FollowChannel::Whatsapp,
            _ => crate::follow::FollowChannel::Sms,
        }
    }
}

/// The reporter's own details; all optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reporter {
    pub name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
}

impl Reporter {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.email.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub kind: Kind,
    pub title: Title,
    pub body: Body,
    pub category: Option<CategoryCode>,
    pub agency: Option<AgencyCode>,
    pub region: Option<RegionCode>,
    pub location: Option<Location>,
    /// A place described in words only (`location.address` without
    /// coordinates: the web form never asks for a map).
    pub address: Option<Address>,
    pub incident_date: Option<IncidentDate>,
    pub privacy: Privacy,
    pub reporter: Reporter,
}

const TOP_FIELDS: &[&str] =
    &["kind", "title", "body", "category", "agency", "region", "location", "incident_date", "privacy", "visibility", "reporter_identity", "reporter"];
const LOCATION_FIELDS: &[&str] = &["lat", "lon", "address"];
const REPORTER_FIELDS: &[&str] = &["name", "phone", "email"];

/// Reads fields out of a JSON object, recording every problem.
struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: &'static str,
    errors: &'a mut Vec<Invalid>,
}

impl Fields<'_> {
    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn reject_unknown(&mut self, known: &[&str]) {
        for key in self.object.keys() {
            if !known.contains(&key.as_str()) {
                let path = self.path(key);
                self.errors.push(Invalid::unknown_field(path, known));
            }
        }
    }

    /// A string field; absent, null and (for optional fields) empty count as missing.
    fn text(&mut self, name: &str) -> Option<String> {
        match self.object.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                let path = self.path(name);
                self.errors.push(Invalid::not_text(path));
                None
            }
        }
    }

    fn required_text(&mut self, name: &str) -> Option<String> {
        let present = matches!(self.object.get(name), Some(Value::String(s)) if !s.trim().is_empty());
        let value = self.text(name);
        if !present && !matches!(self.object.get(name), Some(v) if !v.is_null() && !v.is_string()) {
            let path = self.path(name);
            self.errors.push(Invalid::required(path));
        }
        value
    }

    /// A required text field, parsed.
    fn required<T>(&mut self, name: &str, parse: impl FnOnce(&str, &str) -> Result<T, Invalid>) -> Option<T> {
        let raw = self.required_text(name);
        self.parsed(name, raw, parse)
    }

    /// An optional text field, parsed when present.
    fn optional<T>(&mut self, name: &str, parse: impl FnOnce(&str, &str) -> Result<T, Invalid>) -> Option<T> {
        let raw = self.text(name);
        self.parsed(name, raw, parse)
    }

    fn parsed<T>(&mut self, name: &str, raw: Option<String>, parse: impl FnOnce(&str, &str) -> Result<T, Invalid>) -> Option<T> {
        let raw = raw?;
        let path = self.path(name);
        match parse(&path, &raw) {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// An optional field that, once present, must be valid: an empty string
    /// is an error here, not the default.
    fn present<T>(&mut self, name: &str, parse: impl FnOnce(&str, &str) -> Result<T, Invalid>) -> Option<T> {
        match self.object.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(raw)) => {
                let raw = raw.clone();
                self.parsed(name, Some(raw), parse)
            }
            Some(_) => self.optional(name, parse),
        }
    }

    /// A number, also accepted as a numeric string (web forms send text).
    fn number(&mut self, name: &str) -> Option<f64> {
        let path = self.path(name);
        match self.object.get(name) {
            None | Some(Value::Null) => {
                self.errors.push(Invalid::required(path));
                None
            }
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) if s.trim().parse::<f64>().is_ok() => s.trim().parse().ok(),
            Some(_) => {
                self.errors.push(Invalid::new(path, "Harus berupa angka.", "Must be a number."));
                None
            }
        }
    }

    fn object(&mut self, name: &str) -> Option<&'_ Map<String, Value>> {
        match self.object.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(o)) => Some(o),
            Some(_) => {
                let path = self.path(name);
                self.errors.push(Invalid::new(path, "Harus berupa objek.", "Must be an object."));
                None
            }
        }
    }
}

impl NewReport {
    /// Parses a submitted report. `today` is the latest current date in
    /// Indonesia (WIT), for the incident date check.
    pub fn parse(input: &Value, today: NaiveDate) -> Result<NewReport, Vec<Invalid>> {
        let mut errors = Vec::new();
        let Some(object) = input.as_object() else {
            return Err(vec![Invalid::new("", "Isi permintaan harus berupa objek JSON.", "The request body must be a JSON object.")]);
        };
        let mut f = Fields { object, prefix: "", errors: &mut errors };
        f.reject_unknown(TOP_FIELDS);

        let kind = f.required("kind", Kind::parse);
        let title = f.required("title", Title::parse);
        let body = f.required("body", Body::parse);
        let category = f.optional("category", CategoryCode::parse);
        let agency = f.optional("agency", AgencyCode::parse);
        let region = f.optional("region", RegionCode::parse);
        let incident_date = f.optional("incident_date", |field, raw| IncidentDate::parse(field, raw, today));
        // Absent means public and named; present but invalid is an error, never public by accident.
        let legacy = f.present("privacy", Privacy::parse);
        let visibility = f.present("visibility", Visibility::parse);
        let identity = f.present("reporter_identity", ReporterIdentity::parse);
        let privacy = match PrivacyRequest::combine(legacy, visibility, identity) {
            Ok(request) => Some(request.applied_to(Privacy::PUBLIC)),
            Err(conflicts) => {
                f.errors.extend(conflicts);
                None
            }
        };
        let location_object = f.object("location").cloned();
        let reporter_object = f.object("reporter").cloned();

        let mut address_only = None;
        let location = location_object.and_then(|o| {
            let mut f = Fields { object: &o, prefix: "location.", errors: &mut errors };
            f.reject_unknown(LOCATION_FIELDS);
            let absent = |name: &str| o.get(name).is_none_or(|v| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()));
            if absent("lat") && absent("lon") && !absent("address") {
                address_only = f.optional("address", Address::parse);
                return None;
            }
            let lat = f.number("lat");
            let lon = f.number("lon");
            let address = f.optional("address", Address::parse);
            match Location::parse(lat?, lon?, address) {
                Ok(location) => Some(location),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            }
        });

        let reporter = match reporter_object {
            None => Reporter::default(),
            Some(o) => {
                let mut f = Fields { object: &o, prefix: "reporter.", errors: &mut errors };
                f.reject_unknown(REPORTER_FIELDS);
                Reporter {
                    name: f.optional("name", PersonName::parse),
                    phone: f.optional("phone", PhoneNumber::parse),
                    email: f.optional("email", Email::parse),
                }
            }
        };

        // Every missing part recorded an error, so no error means all are here.
        match (kind, title, body, privacy) {
            (Some(kind), Some(title), Some(body), Some(privacy)) if errors.is_empty() => {
                Ok(NewReport { kind, title, body, category, agency, region, location, address: address_only, incident_date, privacy, reporter })
            }
            _ => Err(errors),
        }
    }

    /// Turns `application/x-www-form-urlencoded` pairs into the JSON shape,
    /// with `location.lat`-style names for nested fields.
    pub fn form_to_json(pairs: impl IntoIterator<Item = (String, String)>) -> Value {
        let mut top = Map::new();
        for (key, value) in pairs {
            match key.split_once('.') {
                Some((outer, inner)) if outer == "location" || outer == "reporter" => {
                    let entry = top.entry(outer.to_string()).or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(map) = entry {
                        map.insert(inner.to_string(), Value::String(value));
                    }
                }
                _ => {
                    top.insert(key, Value::String(value));
                }
            }
        }
        // An untouched form sends empty nested fields: treat them as absent.
        for nested in ["location", "reporter"] {
            if let Some(Value::Object(map)) = top.get(nested) {
                if map.values().all(|v| v.as_str().is_some_and(|s| s.trim().is_empty())) {
                    top.remove(nested);
                }
            }
        }
        Value::Object(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn valid() -> Value {
        json!({
            "kind": "pengaduan",
            "title": "Jalan berlubang di Jl. Merdeka",
            "body": "Lubang besar di depan sekolah sudah dua bulan tidak diperbaiki.",
            "category": "infrastruktur-jalan",
            "agency": "pemkot-3273",
            "region": "32.73",
            "location": {"lat": -6.9147, "lon": 107.6098, "address": "Jl. Merdeka No. 1, Bandung"},
            "incident_date": "2026-11-20",
            "privacy": "anonymous",
            "reporter": {"name": "Siti Aminah", "phone": "0812-3456-7890", "email": "siti@example.id"}
        })
    }

    #[test]
    fn parses_a_complete_report() {
        let r = NewReport::parse(&valid(), today()).unwrap();
        assert_eq!(r.kind, Kind::Pengaduan);
        assert_eq!(r.privacy, Privacy::ANONYMOUS);
        assert_eq!(r.reporter.phone.unwrap().as_str(), "+6281234567890");
        assert_eq!(r.location.unwrap().address.unwrap().as_str(), "Jl. Merdeka No. 1, Bandung");
        assert_eq!(r.region.unwrap().as_str(), "32.73");
    }

    #[test]
    fn minimal_report_defaults_to_public_without_reporter() {
        let r = NewReport::parse(&json!({"kind": "aspirasi", "title": "Taman kota", "body": "Mohon tambah bangku di taman kota."}), today()).unwrap();
        assert_eq!(r.privacy, Privacy::PUBLIC);
        assert!(r.reporter.is_empty());
        assert!(r.location.is_none());
    }

    #[test]
    fn reports_every_problem_at_once() {
        let input = json!({
            "kind": "keluhan",
            "title": "abc",
            "body": 42,
            "tittle": "typo",
            "location": {"lat": 51.5, "lon": "x"},
            "incident_date": "2030-01-01",
            "reporter": {"phone": "12345", "email": "nope"}
        });
        let errors = NewReport::parse(&input, today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for expected in ["tittle", "kind", "title", "body", "incident_date", "location.lon", "reporter.phone", "reporter.email"] {
            assert!(fields.contains(&expected), "{expected} missing from {fields:?}");
        }
    }

    #[test]
    fn missing_required_fields() {
        let errors = NewReport::parse(&json!({}), today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "title", "body"]);
        assert!(errors.iter().all(|e| e.en == "Required."));
        assert!(NewReport::parse(&json!([1, 2]), today()).is_err());
    }

    #[test]
    fn a_privacy_of_the_wrong_type_is_an_error_not_public() {
        let mut input = json!({"kind": "aspirasi", "title": "Taman kota", "body": "Mohon tambah bangku di taman kota."});
        input["privacy"] = json!(3);
        let errors = NewReport::parse(&input, today()).unwrap_err();
        assert_eq!(errors[0].field, "privacy");
        input["privacy"] = json!("secret");
        assert!(NewReport::parse(&input, today()).is_err());
        input["privacy"] = json!("");
        assert!(NewReport::parse(&input, today()).is_err(), "an empty privacy is not public");
    }

    #[test]
    fn privacy_is_two_properties_named_together_or_apart() {
        let base = json!({"kind": "pengaduan", "title": "Pungli di kantor", "body": "Petugas meminta uang untuk layanan yang gratis."});
        let parsed = |extra: Value| {
            let mut input = base.clone();
            input.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            NewReport::parse(&input, today())
        };
        assert_eq!(parsed(json!({})).unwrap().privacy, Privacy::PUBLIC);
        assert_eq!(parsed(json!({"privacy": "confidential_anonymous"})).unwrap().privacy, Privacy::CONFIDENTIAL_ANONYMOUS);
        assert_eq!(
            parsed(json!({"visibility": "confidential", "reporter_identity": "anonymous"})).unwrap().privacy,
            Privacy::CONFIDENTIAL_ANONYMOUS
        );
        assert_eq!(parsed(json!({"reporter_identity": "anonymous"})).unwrap().privacy, Privacy::ANONYMOUS);
        assert_eq!(parsed(json!({"privacy": "anonymous", "visibility": "public"})).unwrap().privacy, Privacy::ANONYMOUS);
        let conflict = parsed(json!({"privacy": "anonymous", "reporter_identity": "named"})).unwrap_err();
        assert_eq!(conflict[0].field, "reporter_identity");
        assert_eq!(parsed(json!({"visibility": ""})).unwrap_err()[0].field, "visibility");
        assert_eq!(parsed(json!({"reporter_identity": 1})).unwrap_err()[0].field, "reporter_identity");
    }

    #[test]
    fn an_address_alone_is_a_place_without_coordinates() {
        let input = json!({"kind": "aspirasi", "title": "Taman kota", "body": "Mohon tambah bangku di taman kota.", "location": {"address": "Jl. Merdeka 1", "lat": ""}});
        let r = NewReport::parse(&input, today()).unwrap();
        assert_eq!((r.location, r.address.unwrap().as_str()), (None, "Jl. Merdeka 1"));
        let half = json!({"kind": "aspirasi", "title": "Taman kota", "body": "Mohon tambah bangku di taman kota.", "location": {"address": "x", "lat": -6.2}});
        assert_eq!(NewReport::parse(&half, today()).unwrap_err()[0].field, "location.lon");
    }

    #[test]
    fn form_fields_map_to_the_json_shape() {
        let pairs = vec![
            ("kind".to_string(), "pengaduan".to_string()),
            ("title".to_string(), "Lampu jalan mati".to_string()),
            ("body".to_string(), "Lampu jalan di gang kami mati sejak minggu lalu.".to_string()),
            ("location.lat".to_string(), "-6.2".to_string()),
            ("location.lon".to_string(), "106.8".to_string()),
            ("reporter.name".to_string(), "".to_string()),
            ("reporter.phone".to_string(), "".to_string()),
        ];
        let json = NewReport::form_to_json(pairs);
        assert!(json.get("reporter").is_none(), "an empty nested group is dropped");
        let r = NewReport::parse(&json, today()).unwrap();
        assert_eq!(r.location.unwrap().lat, -6.2);
    }
}

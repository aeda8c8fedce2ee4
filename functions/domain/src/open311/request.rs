//! `POST requests.{fmt}`: a form-encoded service request read into the JSON
//! a report from any channel is filed as, so `NewReport::parse` (and then
//! intake: directory checks, rate limits, the one write) applies every rule.
//!
//! The mapping:
//!
//! - `service_code` -> `category` (the handler checks it is an active
//!   category first: 404 otherwise, as the spec says);
//! - `description` -> `body` (required here: our reports need 20 to 4,000
//!   characters of it, the spec's limit); the title is derived from its
//!   first words as for SMS (`grammar::title_of`), or the service's name;
//! - `lat` + `long` (with `address_string` as the address when sent), or
//!   `address_string` alone -> `location`; `address_id` names a place in a
//!   city's own address register, which we do not have: refused (400);
//! - `first_name` + `last_name` -> the reporter's name, `email`, `phone` ->
//!   the reporter's contacts (kept apart from the report, as for every
//!   channel; never shown through Open311);
//! - `attribute[privacy]` -> `privacy` (`service::PRIVACY_ATTRIBUTE`);
//! - `media_url` -> the last line of the body (`Media: <url>`, so staff
//!   see it wherever they read the report) and the report's `media_url`,
//!   given back in `GET requests`;
//! - every report is a `pengaduan` (complaint);
//! - `jurisdiction_id`, `device_id`, `account_id` are accepted and unused.
//!
//! Field errors name the Open311 parameter (`lat`, not `location.lat`).

use serde_json::{json, Map, Value};

use super::service::PRIVACY_ATTRIBUTE;
use crate::codes::CategoryCode;
use crate::invalid::{char_count, Invalid};
use crate::privacy::Privacy;
use crate::text::{Body, Title};

/// The spec's limit on `description`.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// A `media_url` at most this long: with the longest description and the
/// `Media:` line it still fits our 5,000-character body.
pub const MAX_MEDIA_URL_CHARS: usize = 900;

/// The partner's key as sent (`api_key`, in the body as the spec sends it,
/// or in the query string).
pub fn api_key<'a>(body: &'a [(String, String)], query: &'a [(String, String)]) -> Option<&'a str> {
    first(body, "api_key").or_else(|| first(query, "api_key"))
}

fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    // An empty parameter is no parameter (the spec's "optional arguments").
    pairs.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.as_str())
}

/// A media URL: absolute `http` or `https`, with a host, no user
/// information, plain ASCII, at most [`MAX_MEDIA_URL_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaUrl(String);

impl MediaUrl {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let invalid = || {
            Invalid::new(
                field,
                format!("Alamat media tidak valid: URL http(s) lengkap, paling banyak {MAX_MEDIA_URL_CHARS} karakter."),
                format!("Not a valid media URL: a full http(s) URL of at most {MAX_MEDIA_URL_CHARS} characters."),
            )
        };
        // The url crate would quietly drop tabs and line breaks inside; such
        // a URL is refused instead.
        if s.len() > MAX_MEDIA_URL_CHARS || !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid());
        }
        let url = url::Url::parse(s).map_err(|_| invalid())?;
        let ok = matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()) && url.username().is_empty() && url.password().is_none();
        if !ok || url.as_str().len() > MAX_MEDIA_URL_CHARS {
            return Err(invalid());
        }
        Ok(MediaUrl(url.as_str().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the request is, as sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// `lat` and `long` as sent (checked by `NewReport::parse`), with
    /// `address_string` if any.
    Point { lat: String, long: String, address: Option<String> },
    /// `address_string` alone.
    Address(String),
}

/// A POST's parameters, read (the report's own rules come after).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRequestForm {
    pub service_code: CategoryCode,
    pub description: Body,
    pub place: Place,
    /// `attribute[privacy]`; `None`: public.
    pub privacy: Option<Privacy>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub media_url: Option<MediaUrl>,
}

impl ServiceRequestForm {
    /// Reads the body's pairs; every problem at once, each naming its parameter.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, Vec<Invalid>> {
        let mut errors = Vec::new();
        let service_code = take(&mut errors, match first(pairs, "service_code") {
            Some(raw) => CategoryCode::parse("service_code", raw),
            None => Err(Invalid::required("service_code")),
        });
        let description = take(&mut errors, match first(pairs, "description") {
            None => Err(Invalid::new(
                "description",
                format!("Wajib diisi: uraikan masalahnya ({} sampai {MAX_DESCRIPTION_CHARS} karakter).", Body::MIN_CHARS),
                format!("Required: describe the problem ({} to {MAX_DESCRIPTION_CHARS} characters).", Body::MIN_CHARS),
            )),
            Some(raw) if char_count(raw.trim()) > MAX_DESCRIPTION_CHARS => Err(Invalid::new(
                "description",
                format!("Terlalu panjang: maksimal {MAX_DESCRIPTION_CHARS} karakter."),
                format!("Too long: at most {MAX_DESCRIPTION_CHARS} characters."),
            )),
            Some(raw) => Body::parse("description", raw),
        });
        let place = take(&mut errors, place(pairs));
        let privacy = take(&mut errors, privacy(pairs));
        let media_url = take(&mut errors, first(pairs, "media_url").map(|raw| MediaUrl::parse("media_url", raw)).transpose());
        let names: Vec<&str> = ["first_name", "last_name"].iter().filter_map(|n| first(pairs, n)).map(str::trim).collect();
        let name = (!names.is_empty()).then(|| names.join(" "));
        let text = |name: &str| first(pairs, name).map(|v| v.trim().to_string());
        let (email, phone) = (text("email"), text("phone"));
        match (service_code, description, place, privacy, media_url) {
            (Some(service_code), Some(description), Some(place), Some(privacy), Some(media_url)) if errors.is_empty() => {
                Ok(ServiceRequestForm { service_code, description, place, privacy, name, email, phone, media_url })
            }
            _ => Err(errors),
        }
    }

    /// The report in the API's JSON shape; `service_name` titles it when
    /// the description's first words cannot.
    pub fn report_json(&self, service_name: &str) -> Value {
        let description = self.description.as_str();
        let body = match &self.media_url {
            Some(url) => format!("{description}\n\nMedia: {}", url.as_str()),
            None => description.to_string(),
        };
        let mut report = json!({
            "kind": "pengaduan",
            "title": title(description, service_name),
            "body": body,
            "category": self.service_code.as_str(),
        });
        report["location"] = match &self.place {
            Place::Point { lat, long, address } => {
                let mut location = json!({"lat": lat, "lon": long});
                if let Some(address) = address {
                    location["address"] = json!(address);
                }
                location
            }
            Place::Address(address) => json!({"address": address}),
        };
        if let Some(privacy) = self.privacy {
            report["privacy"] = json!(privacy.as_str());
        }
        let mut reporter = Map::new();
        for (field, value) in [("name", &self.name), ("email", &self.email), ("phone", &self.phone)] {
            if let Some(value) = value {
                reporter.insert(field.to_string(), json!(value));
            }
        }
        if !reporter.is_empty() {
            report["reporter"] = Value::Object(reporter);
        }
        report
    }
}

fn place(pairs: &[(String, String)]) -> Result<Place, Invalid> {
    let address = first(pairs, "address_string").map(|a| a.trim().to_string());
    match (first(pairs, "lat"), first(pairs, "long")) {
        (Some(lat), Some(long)) => Ok(Place::Point { lat: lat.trim().into(), long: long.trim().into(), address }),
        (Some(_), None) => Err(Invalid::new("long", "Kirim lat dan long bersama.", "Send lat and long together.")),
        (None, Some(_)) => Err(Invalid::new("lat", "Kirim lat dan long bersama.", "Send lat and long together.")),
        (None, None) => match (address, first(pairs, "address_id")) {
            (Some(address), _) => Ok(Place::Address(address)),
            (None, Some(_)) => Err(Invalid::new(
                "address_id",
                "address_id tidak didukung (kami tidak memiliki daftar alamat kota): kirim lat dan long, atau address_string.",
                "address_id is not supported (we keep no city address register): send lat and long, or address_string.",
            )),
            (None, None) => Err(Invalid::new(
                "lat",
                "Lokasi wajib diisi: lat dan long, atau address_string.",
                "A location is required: lat and long, or address_string.",
            )),
        },
    }
}

fn privacy(pairs: &[(String, String)]) -> Result<Option<Privacy>, Invalid> {
    let mut privacy = None;
    for (key, value) in pairs {
        let Some(code) = key.strip_prefix("attribute[") else { continue };
        if code != format!("{PRIVACY_ATTRIBUTE}]") {
            return Err(Invalid::new(
                key.as_str(),
                format!("Atribut tidak dikenal; layanan ini hanya memiliki {PRIVACY_ATTRIBUTE}."),
                format!("Unknown attribute; this service has only {PRIVACY_ATTRIBUTE}."),
            ));
        }
        if privacy.is_none() && !value.trim().is_empty() {
            privacy = Some(Privacy::parse(key, value)?);
        }
    }
    Ok(privacy)
}

/// The title: the description's first words, else the service's name.
fn title(description: &str, service_name: &str) -> String {
    let candidates = [crate::message::grammar::title_of(description), service_name.to_string(), format!("Laporan: {service_name}")];
    candidates.into_iter().find(|t| Title::parse("title", t).is_ok()).unwrap_or_else(|| "Laporan Open311".to_string())
}

/// The Open311 parameter a field error of our report names.
pub fn parameter_of(field: &str) -> &str {
    match field {
        "title" | "body" => "description",
        "category" => "service_code",
        "location.lat" => "lat",
        "location.lon" => "long",
        "location.address" => "address_string",
        "reporter.name" => "first_name",
        "reporter.phone" => "phone",
        "reporter.email" => "email",
        "privacy" | "visibility" | "reporter_identity" => "attribute[privacy]",
        other => other,
    }
}

/// The value, or `None` with its error recorded.
fn take<T>(errors: &mut Vec<Invalid>, result: Result<T, Invalid>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::NewReport;
    use chrono::NaiveDate;

    const DESCRIPTION: &str = "Lubang besar di depan SDN 3 Cibeunying, sudah dua motor jatuh minggu ini.";

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn fields(errors: Vec<Invalid>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn the_specs_example_becomes_our_report() {
        let form = ServiceRequestForm::parse(&pairs(&[
            ("api_key", "xyz"),
            ("jurisdiction_id", "lapor.go.id"),
            ("service_code", "infrastruktur-jalan"),
            ("lat", "-6.9147"),
            ("long", "107.6098"),
            ("address_string", "Jl. Merdeka No. 1, Bandung"),
            ("email", "siti@example.id"),
            ("device_id", "tt222111"),
            ("account_id", "123456"),
            ("first_name", "Siti"),
            ("last_name", "Aminah"),
            ("phone", "0812-3456-7890"),
            ("description", DESCRIPTION),
            ("media_url", "https://foto.example.id/lubang.jpg"),
            ("attribute[privacy]", "anonymous"),
        ]))
        .unwrap();
        let json = form.report_json("Jalan rusak atau berlubang");
        let report = NewReport::parse(&json, today()).unwrap();
        assert_eq!(report.category.unwrap().as_str(), "infrastruktur-jalan");
        assert_eq!(report.privacy, Privacy::ANONYMOUS);
        assert_eq!(report.body.as_str(), format!("{DESCRIPTION}\n\nMedia: https://foto.example.id/lubang.jpg"));
        assert!(report.title.as_str().starts_with("Lubang besar di depan SDN 3"), "{}", report.title.as_str());
        let location = report.location.unwrap();
        assert_eq!((location.lat, location.lon, location.address.unwrap().as_str()), (-6.9147, 107.6098, "Jl. Merdeka No. 1, Bandung"));
        assert_eq!(report.reporter.name.unwrap().as_str(), "Siti Aminah");
        assert_eq!(report.reporter.phone.unwrap().as_str(), "+6281234567890");
        assert_eq!(report.reporter.email.unwrap().as_str(), "siti@example.id");
        assert_eq!(form.media_url.unwrap().as_str(), "https://foto.example.id/lubang.jpg");
    }

    #[test]
    fn an_address_alone_is_a_place_and_nothing_else_is_needed() {
        let form = ServiceRequestForm::parse(&pairs(&[
            ("service_code", "drainase"),
            ("address_string", "Gang Sukaluyu, Cibeunying Kaler"),
            ("description", DESCRIPTION),
            ("first_name", ""),
            ("attribute[privacy]", ""),
        ]))
        .unwrap();
        let report = NewReport::parse(&form.report_json("Drainase"), today()).unwrap();
        assert_eq!((report.location, report.address.unwrap().as_str()), (None, "Gang Sukaluyu, Cibeunying Kaler"));
        assert_eq!(report.privacy, Privacy::PUBLIC, "no choice is public");
        assert!(report.reporter.is_empty(), "empty parameters are no parameters");
    }

    #[test]
    fn every_missing_parameter_at_once() {
        let errors = ServiceRequestForm::parse(&pairs(&[("api_key", "x")])).unwrap_err();
        assert_eq!(fields(errors), ["service_code", "description", "lat"]);
        let errors = ServiceRequestForm::parse(&pairs(&[
            ("service_code", "Not A Code!"),
            ("description", "pendek"),
            ("lat", "-6.2"),
            ("media_url", "javascript:alert(1)"),
            ("attribute[privacy]", "secret"),
        ]))
        .unwrap_err();
        assert_eq!(fields(errors), ["service_code", "description", "long", "attribute[privacy]", "media_url"]);
    }

    #[test]
    fn address_id_alone_is_refused_by_name() {
        let errors = ServiceRequestForm::parse(&pairs(&[("service_code", "drainase"), ("description", DESCRIPTION), ("address_id", "545483")])).unwrap_err();
        assert_eq!(errors[0].field, "address_id");
        assert!(errors[0].en.contains("not supported"));
    }

    #[test]
    fn descriptions_are_held_to_the_specs_limit() {
        let long = "a".repeat(MAX_DESCRIPTION_CHARS + 1);
        let errors = ServiceRequestForm::parse(&pairs(&[("service_code", "drainase"), ("description", &long), ("address_string", "x")])).unwrap_err();
        assert_eq!((errors[0].field.as_str(), errors[0].en.as_str()), ("description", "Too long: at most 4000 characters."));
        let longest = "é".repeat(MAX_DESCRIPTION_CHARS);
        let url = format!("https://foto.example.id/{}", "x".repeat(MAX_MEDIA_URL_CHARS - 24));
        let form = ServiceRequestForm::parse(&pairs(&[("service_code", "drainase"), ("description", &longest), ("address_string", "x"), ("media_url", &url)]))
            .unwrap();
        assert!(NewReport::parse(&form.report_json("Drainase"), today()).is_ok(), "the longest description and media URL fit our body");
    }

    #[test]
    fn unknown_attributes_are_refused() {
        let errors = ServiceRequestForm::parse(&pairs(&[
            ("service_code", "drainase"),
            ("description", DESCRIPTION),
            ("address_string", "x"),
            ("attribute[WHISPAWN]", "123456"),
        ]))
        .unwrap_err();
        assert_eq!(errors[0].field, "attribute[WHISPAWN]");
        let ok = ServiceRequestForm::parse(&pairs(&[
            ("service_code", "drainase"),
            ("description", DESCRIPTION),
            ("address_string", "x"),
            ("attribute[privacy]", "confidential_anonymous"),
        ]))
        .unwrap();
        assert_eq!(ok.privacy, Some(Privacy::CONFIDENTIAL_ANONYMOUS));
    }

    #[test]
    fn media_urls_are_plain_absolute_web_addresses() {
        for good in ["https://foto.example.id/a.jpg", "http://10.0.0.1/x?y=1", "https://x.id"] {
            assert!(MediaUrl::parse("media_url", good).is_ok(), "{good}");
        }
        for bad in ["ftp://x.id/a", "https://user:pw@x.id/a", "/relative.jpg", "https://x.id/a b", "https://x.id/\ta", "data:image/png;base64,AAAA", "https://"] {
            assert_eq!(MediaUrl::parse("media_url", bad).unwrap_err().field, "media_url", "{bad}");
        }
        assert!(MediaUrl::parse("media_url", &format!("https://x.id/{}", "a".repeat(MAX_MEDIA_URL_CHARS))).is_err());
    }

    #[test]
    fn a_title_comes_from_the_first_words_or_the_service() {
        assert_eq!(title("Lampu jalan mati\nsejak minggu lalu di gang kami.", "Lampu"), "Lampu jalan mati");
        assert_eq!(title("KTP", "Jalan rusak atau berlubang"), "Jalan rusak atau berlubang");
        assert_eq!(title("KTP", "KTP"), "Laporan: KTP");
    }

    #[test]
    fn our_field_names_map_to_the_specs_parameters() {
        for (ours, theirs) in [
            ("body", "description"),
            ("category", "service_code"),
            ("location.lat", "lat"),
            ("location.lon", "long"),
            ("reporter.phone", "phone"),
            ("reporter.name", "first_name"),
            ("privacy", "attribute[privacy]"),
            ("Idempotency-Key", "Idempotency-Key"),
        ] {
            assert_eq!(parameter_of(ours), theirs);
        }
        let errors = NewReport::parse(
            &ServiceRequestForm::parse(&pairs(&[("service_code", "drainase"), ("description", DESCRIPTION), ("lat", "51.5"), ("long", "-0.1"), ("phone", "12345")]))
                .unwrap()
                .report_json("Drainase"),
            today(),
        )
        .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| parameter_of(&e.field)).collect();
        assert_eq!(named, ["lat", "long", "phone"]);
    }

    #[test]
    fn the_key_is_read_from_the_body_first() {
        let body = pairs(&[("api_key", "from-body")]);
        let query = pairs(&[("api_key", "from-query")]);
        assert_eq!(api_key(&body, &query), Some("from-body"));
        assert_eq!(api_key(&[], &query), Some("from-query"));
        assert_eq!(api_key(&pairs(&[("api_key", " ")]), &[]), None);
    }
}

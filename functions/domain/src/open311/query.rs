//! `GET requests.{fmt}`: the query's filters, read once.
//!
//! - `service_request_id`: a comma list of tracking IDs (at most
//!   [`MAX_IDS`]); it overrides every other filter, as the spec says, and is
//!   answered as reading each ID would be (a public report its ID names is
//!   shown even before an administrator verified it).
//! - Otherwise a search of the public listing: `service_code` (a comma list
//!   of category codes), `status` (`open`, `closed`, or both), and
//!   `requested_datetime` between `start_date` and `end_date`: W3C date-times
//!   with a zone (`2026-11-01T00:00:00+07:00` or `...Z`), at most 90 days
//!   apart. Without them the window is the 90 days before now; with one of
//!   them, the 90 days after `start_date` or before `end_date`.
//! - `page` (from 1) and `page_size` (1 to 1,000, default 1,000: the spec's
//!   "first 1000 requests"), the common extension.
//!
//! Empty parameters are absent ones (the spec's optional arguments); other
//! parameters (`jurisdiction_id`) are ignored. A query string cannot carry
//! `+` unencoded (it reads as a space), so a space inside a date-time is
//! taken for the `+` of its offset.

use chrono::{DateTime, Duration, Utc};

use super::status::Open311Status;
use crate::codes::CategoryCode;
use crate::invalid::Invalid;
use crate::lifecycle::Status;
use crate::tracking_id::{TrackingId, TrackingIdError};

/// The longest span a search may cover, and its default.
pub const WINDOW_DAYS: i64 = 90;
/// The largest and default page.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// How many pages one may ask for (an offset beyond this is never useful).
pub const MAX_PAGE: u32 = 10_000;
/// IDs in one `service_request_id` list.
pub const MAX_IDS: usize = 100;
/// Codes in one `service_code` list.
pub const MAX_CODES: usize = 50;

/// What to answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// These reports, as each would be read.
    Ids(Vec<TrackingId>),
    /// The public listing, filtered.
    Search(Search),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// Empty: every service.
    pub service_codes: Vec<CategoryCode>,
    /// Our statuses the requested `status`es cover; empty: every status.
    pub statuses: Vec<Status>,
    /// `requested_datetime` from `start` to `end`, both included.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestQuery {
    pub selection: Selection,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

impl RequestQuery {
    /// Reads the query's pairs; every refused parameter at once. `now` sets
    /// the default window.
    pub fn parse(pairs: &[(String, String)], now: DateTime<Utc>) -> Result<Self, Vec<Invalid>> {
        let mut errors = Vec::new();
        let get = |name: &str| pairs.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim());
        let page = take(&mut errors, number(get("page"), "page", 1, MAX_PAGE, 1));
        let page_size = take(&mut errors, number(get("page_size"), "page_size", 1, MAX_PAGE_SIZE, MAX_PAGE_SIZE));
        let selection = match get("service_request_id") {
            Some(raw) => take(&mut errors, ids(raw)).map(Selection::Ids),
            None => {
                let service_codes = take(&mut errors, list(get("service_code"), "service_code", MAX_CODES, CategoryCode::parse));
                let statuses = take(&mut errors, list(get("status"), "status", 2, Open311Status::parse));
                let start = take(&mut errors, get("start_date").map(|raw| w3c("start_date", raw)).transpose());
                let end = take(&mut errors, get("end_date").map(|raw| w3c("end_date", raw)).transpose());
                // Each is `Some` once read (and holds the date when given).
                let window = match (start, end) {
                    (Some(start), Some(end)) => take(&mut errors, window(start, end, now)),
                    _ => None,
                };
                match (service_codes, statuses, window) {
                    (Some(service_codes), Some(statuses), Some((start, end))) => {
                        let statuses = statuses.into_iter().flat_map(Open311Status::ours).collect();
                        Some(Selection::Search(Search { service_codes, statuses, start, end }))
                    }
                    _ => None,
                }
            }
        };
        match (selection, page, page_size) {
            (Some(selection), Some(page), Some(page_size)) if errors.is_empty() => Ok(RequestQuery { selection, page, page_size }),
            _ => Err(errors),
        }
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.page_size)
    }
}

/// The window of a search: both given, one, or neither.
fn window(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), Invalid> {
    let span = Duration::days(WINDOW_DAYS);
    let (start, end) = match (start, end) {
        (Some(start), Some(end)) => (start, end),
        (Some(start), None) => (start, start + span),
        (None, Some(end)) => (end - span, end),
        (None, None) => (now - span, now),
    };
    if end < start {
        return Err(Invalid::new("end_date", "end_date harus sesudah start_date.", "end_date must come after start_date."));
    }
    if end - start > span {
        return Err(Invalid::new(
            "end_date",
            format!("Rentang start_date sampai end_date paling lama {WINDOW_DAYS} hari."),
            format!("start_date to end_date may span at most {WINDOW_DAYS} days."),
        ));
    }
    Ok((start, end))
}

/// A W3C (ISO 8601) date-time with its zone, as the spec requires.
pub fn w3c(field: &str, raw: &str) -> Result<DateTime<Utc>, Invalid> {
    let restored = raw.trim().replace(' ', "+");
    DateTime::parse_from_rfc3339(&restored).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        Invalid::new(
            field,
            "Gunakan tanggal-waktu W3C dengan zona, misalnya 2026-11-01T00:00:00+07:00 atau 2026-11-01T00:00:00Z.",
            "Use a W3C date-time with its zone, e.g. 2026-11-01T00:00:00+07:00 or 2026-11-01T00:00:00Z.",
        )
    })
}

fn number(raw: Option<&str>, field: &str, min: u32, max: u32, default: u32) -> Result<u32, Invalid> {
    match raw {
        None => Ok(default),
        Some(raw) => raw.parse::<u32>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
            Invalid::new(field, format!("Gunakan angka {min} sampai {max}."), format!("Use a number from {min} to {max}."))
        }),
    }
}

/// A comma list of at most `max` distinct values, each parsed.
fn list<T: PartialEq>(raw: Option<&str>, field: &str, max: usize, parse: impl Fn(&str, &str) -> Result<T, Invalid>) -> Result<Vec<T>, Invalid> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    let mut values = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let value = parse(field, item)?;
        if !values.contains(&value) {
            values.push(value);
        }
    }
    if values.len() > max {
        return Err(Invalid::new(field, format!("Paling banyak {max} nilai."), format!("At most {max} values.")));
    }
    Ok(values)
}

fn ids(raw: &str) -> Result<Vec<TrackingId>, Invalid> {
    list(Some(raw), "service_request_id", MAX_IDS, |field, item| {
        TrackingId::parse(item).map_err(|e| match e {
            TrackingIdError::ProbableTypo => Invalid::new(
                field,
                format!("{item}: simbol pemeriksa tidak cocok, kemungkinan salah ketik."),
                format!("{item}: the check symbol does not match; probably a typo."),
            ),
            TrackingIdError::Malformed => Invalid::new(
                field,
                format!("{item} bukan nomor pelacakan (contoh: 7K3QD-M2X9C)."),
                format!("{item} is not a tracking ID (e.g. 7K3QD-M2X9C)."),
            ),
        })
    })
}

/// The value, or `None` with its error recorded.
fn take<T>(errors: &mut Vec<Invalid>, result: Result<T, Invalid>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T03:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn parse(list: &[(&str, &str)]) -> Result<RequestQuery, Vec<Invalid>> {
        let pairs: Vec<(String, String)> = list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        RequestQuery::parse(&pairs, now())
    }

    fn search(list: &[(&str, &str)]) -> Search {
        match parse(list).unwrap().selection {
            Selection::Search(search) => search,
            other => panic!("{other:?}"),
        }
    }

    fn fields(errors: Vec<Invalid>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    fn id(n: u8) -> TrackingId {
        TrackingId::generate([n & 31, n >> 5, 7, 7, 7, 7, 7, 7, 7])
    }

    #[test]
    fn by_default_the_last_90_days_first_1000() {
        let q = parse(&[("jurisdiction_id", "lapor.go.id")]).unwrap();
        assert_eq!((q.page, q.page_size, q.offset()), (1, 1000, 0));
        let s = search(&[]);
        assert_eq!((s.end, s.end - s.start), (now(), Duration::days(90)));
        assert!(s.service_codes.is_empty() && s.statuses.is_empty());
        assert_eq!(search(&[("start_date", ""), ("status", "")]).start, now() - Duration::days(90), "empty is absent");
    }

    #[test]
    fn dates_are_w3c_with_a_zone() {
        let s = search(&[("start_date", "2026-11-01T00:00:00+07:00"), ("end_date", "2026-11-30T23:59:59Z")]);
        assert_eq!(s.start.to_rfc3339(), "2026-10-31T17:00:00+00:00");
        assert_eq!(s.end.to_rfc3339(), "2026-11-30T23:59:59+00:00");
        let unencoded = search(&[("start_date", "2026-11-01T00:00:00 07:00")]);
        assert_eq!(unencoded.start, s.start, "a + sent unencoded arrives as a space");
        assert_eq!(unencoded.end - unencoded.start, Duration::days(90), "90 days from start_date");
        let before = search(&[("end_date", "2026-11-30T00:00:00Z")]);
        assert_eq!(before.end - before.start, Duration::days(90));
        for bad in ["2026-11-01", "2026-11-01T00:00:00", "yesterday", "2026-13-01T00:00:00Z"] {
            assert_eq!(fields(parse(&[("start_date", bad)]).unwrap_err()), ["start_date"], "{bad}");
        }
    }

    #[test]
    fn a_window_runs_forwards_and_at_most_90_days() {
        let backwards = parse(&[("start_date", "2026-11-02T00:00:00Z"), ("end_date", "2026-11-01T00:00:00Z")]).unwrap_err();
        assert_eq!(fields(backwards), ["end_date"]);
        let long = parse(&[("start_date", "2026-01-01T00:00:00Z"), ("end_date", "2026-06-01T00:00:00Z")]).unwrap_err();
        assert!(long[0].en.contains("90 days"), "{:?}", long[0]);
        assert!(parse(&[("start_date", "2026-01-01T00:00:00Z"), ("end_date", "2026-04-01T00:00:00Z")]).is_ok(), "exactly 90 days");
    }

    #[test]
    fn lists_are_comma_separated_and_bounded() {
        let s = search(&[("service_code", "drainase, infrastruktur-jalan,drainase"), ("status", "open")]);
        let codes: Vec<&str> = s.service_codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes, ["drainase", "infrastruktur-jalan"]);
        assert_eq!(s.statuses, [Status::Submitted, Status::OnHold, Status::Dispatched, Status::Responded]);
        assert_eq!(search(&[("status", "open,closed")]).statuses.len(), 6);
        assert_eq!(fields(parse(&[("status", "pending")]).unwrap_err()), ["status"]);
        let many: Vec<String> = (0..=MAX_CODES).map(|i| format!("kode-{i}")).collect();
        assert_eq!(fields(parse(&[("service_code", &many.join(","))]).unwrap_err()), ["service_code"]);
    }

    #[test]
    fn ids_override_every_other_filter() {
        let ids = format!("{},{}", id(1), id(2).to_string().to_lowercase());
        let q = parse(&[("service_request_id", &ids), ("status", "nonsense"), ("start_date", "x")]).unwrap();
        assert_eq!(q.selection, Selection::Ids(vec![id(1), id(2)]));
        let good = id(1).to_string();
        let typo = format!("{}{}", if good.starts_with('A') { 'B' } else { 'A' }, &good[1..]);
        let errors = parse(&[("service_request_id", &format!("{},{typo}", id(3)))]).unwrap_err();
        assert_eq!(fields(errors), ["service_request_id"]);
        assert!(parse(&[("service_request_id", "12345")]).unwrap_err()[0].en.contains("not a tracking ID"));
        let too_many: Vec<String> = (0..=MAX_IDS as u8).map(|n| id(n).to_string()).collect();
        assert!(parse(&[("service_request_id", &too_many.join(","))]).is_err());
    }

    #[test]
    fn pages_are_bounded() {
        let q = parse(&[("page", "3"), ("page_size", "50")]).unwrap();
        assert_eq!((q.page, q.page_size, q.offset()), (3, 50, 100));
        for (name, bad) in [("page", "0"), ("page", "x"), ("page", "10001"), ("page_size", "0"), ("page_size", "1001"), ("page_size", "-1")] {
            assert_eq!(fields(parse(&[(name, bad)]).unwrap_err()), [name], "{name}={bad}");
        }
        assert_eq!(fields(parse(&[("page", "0"), ("page_size", "0"), ("status", "x")]).unwrap_err()), ["page", "page_size", "status"], "all at once");
    }
}

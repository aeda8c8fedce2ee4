//! The current time, in the forms the service uses.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// RFC 3339 in UTC with milliseconds; sorts as text.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Today's date in WIT (UTC+9), the easternmost Indonesian time zone, so no
/// reporter's "today" is ever taken for the future.
pub fn latest_indonesian_date(at: DateTime<Utc>) -> NaiveDate {
    let wit = FixedOffset::east_opt(9 * 3600).expect("valid offset");
    at.with_timezone(&wit).date_naive()
}

/// Today's date in `zone` (statistics count days in the agency's zone).
pub fn today_in(zone: lapor_domain::agency::TimeZone) -> NaiveDate {
    lapor_domain::stats::local_day(now(), zone)
}

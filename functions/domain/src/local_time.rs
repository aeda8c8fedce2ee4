//! Times in words, in an Indonesian time zone: "Kamis, 3 Desember 2026
//! pukul 23.59 WIB" / "Thursday, 3 December 2026 at 23:59 WIB". Deadlines
//! are promised in the responsible agency's zone, so they are shown in it.

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};

use crate::agency::TimeZone;
use crate::lang::Lang;

const DAYS_ID: [&str; 7] = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"];
const DAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS_ID: [&str; 12] = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
const MONTHS_EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// `at` in `zone`, in words of `lang`.
pub fn in_words(at: DateTime<Utc>, zone: TimeZone, lang: Lang) -> String {
    let offset = FixedOffset::east_opt(zone.utc_offset_hours() * 3600).expect("Indonesian offsets are valid");
    let local = at.with_timezone(&offset);
    let day = local.weekday().num_days_from_monday() as usize;
    let month = local.month0() as usize;
    match lang {
        Lang::Id => format!(
            "{}, {} {} {} pukul {:02}.{:02} {}",
            DAYS_ID[day], local.day(), MONTHS_ID[month], local.year(), local.hour(), local.minute(), zone.as_str()
        ),
        Lang::En => format!(
            "{}, {} {} {} at {:02}:{:02} {}",
            DAYS_EN[day], local.day(), MONTHS_EN[month], local.year(), local.hour(), local.minute(), zone.as_str()
        ),
    }
}

/// An RFC 3339 time (as stored or as the views carry it) in words; the
/// text itself if it cannot be read.
pub fn rfc3339_in_words(raw: &str, zone: TimeZone, lang: Lang) -> String {
    match DateTime::parse_from_rfc3339(raw) {
        Ok(at) => in_words(at.with_timezone(&Utc), zone, lang),
        Err(_) => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_in_each_zone_and_language() {
        let due = DateTime::parse_from_rfc3339("2026-12-03T16:59:59Z").unwrap().with_timezone(&Utc);
        assert_eq!(in_words(due, TimeZone::Wib, Lang::Id), "Kamis, 3 Desember 2026 pukul 23.59 WIB");
        assert_eq!(in_words(due, TimeZone::Wib, Lang::En), "Thursday, 3 December 2026 at 23:59 WIB");
        assert_eq!(in_words(due, TimeZone::Wit, Lang::Id), "Jumat, 4 Desember 2026 pukul 01.59 WIT");
        assert_eq!(rfc3339_in_words("2026-11-30T23:59:59+08:00", TimeZone::Wita, Lang::Id), "Senin, 30 November 2026 pukul 23.59 WITA");
        assert_eq!(rfc3339_in_words("soon", TimeZone::Wita, Lang::Id), "soon");
    }
}

//! Dates and times as citizens read them, in Bahasa Indonesia and English:
//! "Kamis, 3 Desember 2026 pukul 23.59 WIB" / "Thursday 3 December 2026,
//! 23:59 WIB". Always in one of Indonesia's zones (the agency's, or WIB),
//! never in UTC; no locale data is needed for two languages.
//!
//! The running deadline of a report is said as a sentence ([`due_sentence`])
//! from the clock kind and its RFC 3339 local time (`view::Deadlines`).

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc, Weekday};

use crate::agency::TimeZone;
use crate::calendar::offset_of;
use crate::lang::Lang;
use crate::sla::ClockKind;

const MONTHS_ID: [&str; 12] =
    ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
const MONTHS_EN: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

fn weekday(day: Weekday, lang: Lang) -> &'static str {
    let (id, en) = match day {
        Weekday::Mon => ("Senin", "Monday"),
        Weekday::Tue => ("Selasa", "Tuesday"),
        Weekday::Wed => ("Rabu", "Wednesday"),
        Weekday::Thu => ("Kamis", "Thursday"),
        Weekday::Fri => ("Jumat", "Friday"),
        Weekday::Sat => ("Sabtu", "Saturday"),
        Weekday::Sun => ("Minggu", "Sunday"),
    };
    lang.pick(id, en)
}

/// The zone whose offset a local time carries (WIB for any other offset:
/// the platform's own zone).
pub fn zone_of_offset(offset: FixedOffset) -> TimeZone {
    [TimeZone::Wib, TimeZone::Wita, TimeZone::Wit]
        .into_iter()
        .find(|z| z.utc_offset_hours() * 3600 == offset.local_minus_utc())
        .unwrap_or(TimeZone::Wib)
}

/// A moment in `zone`, in words: "Kamis, 3 Desember 2026 pukul 23.59 WIB" /
/// "Thursday 3 December 2026, 23:59 WIB". Minutes are cut, not rounded, so a
/// deadline of 23:59:59 reads 23.59.
pub fn in_words(at: DateTime<Utc>, zone: TimeZone, lang: Lang) -> String {
    let local = at.with_timezone(&offset_of(zone));
    let month = local.month0() as usize;
    let (day, year, hour, minute) = (local.day(), local.year(), local.hour(), local.minute());
    let name = weekday(local.weekday(), lang);
    match lang {
        Lang::Id => format!("{name}, {day} {} {year} pukul {hour:02}.{minute:02} {}", MONTHS_ID[month], zone.as_str()),
        Lang::En => format!("{name} {day} {} {year}, {hour:02}:{minute:02} {}", MONTHS_EN[month], zone.as_str()),
    }
}

/// An RFC 3339 time (any offset) in words in `zone`; `None` if unreadable.
pub fn rfc3339_in_words(raw: &str, zone: TimeZone, lang: Lang) -> Option<String> {
    let at = DateTime::parse_from_rfc3339(raw).ok()?;
    Some(in_words(at.with_timezone(&Utc), zone, lang))
}

/// The running deadline as a sentence, in the zone its local time carries:
/// "harus ditanggapi sebelum Kamis, 3 Desember 2026 pukul 23.59 WIB".
pub fn due_sentence(kind: ClockKind, due_local: &str, lang: Lang) -> Option<String> {
    let at = DateTime::parse_from_rfc3339(due_local).ok()?;
    let when = in_words(at.with_timezone(&Utc), zone_of_offset(*at.offset()), lang);
    let lead = match kind {
        ClockKind::Verification => lang.pick("harus diverifikasi admin sebelum", "must be verified by the administrators by"),
        ClockKind::Response => lang.pick("harus ditanggapi sebelum", "must be answered by"),
        ClockKind::Completion => {
            lang.pick("selesai otomatis bila tidak ada balasan sebelum", "completes automatically unless there is a reply by")
        }
    };
    Some(format!("{lead} {when}"))
}

/// The local date of an RFC 3339 time, short, for an SMS: "3 Des 2026" /
/// "3 Dec 2026"; `None` if unreadable.
pub fn short_date(raw: &str, lang: Lang) -> Option<String> {
    let local = DateTime::parse_from_rfc3339(raw).ok()?;
    let month = MONTHS_ID.get(local.month0() as usize).zip(MONTHS_EN.get(local.month0() as usize))?;
    let name: String = lang.pick(month.0, month.1).chars().take(3).collect();
    Some(format!("{} {name} {}", local.day(), local.year()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn short_dates_are_the_local_day() {
        assert_eq!(short_date("2026-12-03T23:59:59+07:00", Lang::Id).as_deref(), Some("3 Des 2026"));
        assert_eq!(short_date("2026-08-17T00:00:00+09:00", Lang::Id).as_deref(), Some("17 Agu 2026"));
        assert_eq!(short_date("2026-08-17T00:00:00+09:00", Lang::En).as_deref(), Some("17 Aug 2026"));
        assert_eq!(short_date("soon", Lang::Id), None);
    }

    #[test]
    fn a_deadline_reads_as_the_issue_says() {
        assert_eq!(
            due_sentence(ClockKind::Response, "2026-12-03T23:59:59+07:00", Lang::Id).unwrap(),
            "harus ditanggapi sebelum Kamis, 3 Desember 2026 pukul 23.59 WIB"
        );
        assert_eq!(
            due_sentence(ClockKind::Response, "2026-12-03T23:59:59+07:00", Lang::En).unwrap(),
            "must be answered by Thursday 3 December 2026, 23:59 WIB"
        );
    }

    #[test]
    fn each_zone_names_itself_and_its_local_date() {
        // 16:30 UTC on Wednesday 2 December is already Thursday in WITA and WIT.
        let at = utc("2026-12-02T16:30:00Z");
        assert_eq!(in_words(at, TimeZone::Wib, Lang::Id), "Rabu, 2 Desember 2026 pukul 23.30 WIB");
        assert_eq!(in_words(at, TimeZone::Wita, Lang::Id), "Kamis, 3 Desember 2026 pukul 00.30 WITA");
        assert_eq!(in_words(at, TimeZone::Wit, Lang::En), "Thursday 3 December 2026, 01:30 WIT");
        assert_eq!(zone_of_offset(FixedOffset::east_opt(8 * 3600).unwrap()), TimeZone::Wita);
        assert_eq!(zone_of_offset(FixedOffset::east_opt(0).unwrap()), TimeZone::Wib);
    }

    #[test]
    fn every_month_and_weekday_is_spelled() {
        // 1 January 2024 was a Monday; 12 consecutive months, 7 consecutive days.
        let months: Vec<String> =
            (1..=12).map(|m| in_words(utc(&format!("2024-{m:02}-15T05:00:00Z")), TimeZone::Wib, Lang::Id)).collect();
        for (line, month) in months.iter().zip(MONTHS_ID) {
            assert!(line.contains(month), "{line}");
        }
        let days: Vec<String> = (1..=7).map(|d| in_words(utc(&format!("2024-01-{d:02}T05:00:00Z")), TimeZone::Wib, Lang::En)).collect();
        assert_eq!(days[0], "Monday 1 January 2024, 12:00 WIB");
        assert!(days[6].starts_with("Sunday 7 January"));
        assert_eq!(in_words(utc("2024-01-05T05:00:00Z"), TimeZone::Wib, Lang::Id), "Jumat, 5 Januari 2024 pukul 12.00 WIB");
    }

    #[test]
    fn other_clocks_and_unreadable_times() {
        assert!(due_sentence(ClockKind::Verification, "2026-11-26T23:59:59+07:00", Lang::Id).unwrap().starts_with("harus diverifikasi"));
        assert!(due_sentence(ClockKind::Completion, "2026-12-07T23:59:59+09:00", Lang::En).unwrap().ends_with("23:59 WIT"));
        assert_eq!(due_sentence(ClockKind::Response, "soon", Lang::Id), None);
        assert_eq!(rfc3339_in_words("2026-11-23T03:09:04.953Z", TimeZone::Wita, Lang::Id).unwrap(), "Senin, 23 November 2026 pukul 11.09 WITA");
    }
}

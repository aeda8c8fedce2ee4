//! Indonesian working days: Monday to Friday, except national holidays and
//! cuti bersama (collective leave).
//!
//! The rule for "within N working days" (the SLA clocks): take the calendar
//! date of the event in the responsible agency's time zone; the deadline is
//! 23:59:59 local time of the Nth working day after that date. An event on a
//! Saturday, a holiday or at 23:00 on a Friday all count from their own date,
//! so the first working day after it is day 1.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone as _, Utc, Weekday};

use crate::agency::TimeZone;
use crate::invalid::Invalid;

/// The seed of non-working dates, compiled in and loaded by a migration.
pub const SEED_TSV: &str = include_str!("../../../infra/seed/holidays.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A national holiday (libur nasional).
    Holiday,
    /// Collective leave (cuti bersama) for civil servants.
    CutiBersama,
}

impl HolidayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::Holiday => "holiday",
            HolidayKind::CutiBersama => "cuti_bersama",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        match raw.trim() {
            "holiday" => Ok(HolidayKind::Holiday),
            "cuti_bersama" => Ok(HolidayKind::CutiBersama),
            _ => Err(Invalid::new(field, "Jenis: holiday atau cuti_bersama.", "Kind: holiday or cuti_bersama.")),
        }
    }
}

/// One non-working date of the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidaySeed {
    pub date: NaiveDate,
    pub name: &'static str,
    pub kind: HolidayKind,
}

/// Parses the seed; the tests below keep it valid.
pub fn seed() -> Vec<HolidaySeed> {
    crate::seed::rows(SEED_TSV)
        .map(|row| {
            let line = row.line;
            let date = NaiveDate::parse_from_str(row.col(0), "%Y-%m-%d").unwrap_or_else(|_| panic!("holiday seed row {line:?}: bad date"));
            let name = row.col(1);
            let kind = HolidayKind::parse("kind", row.col(2)).unwrap_or_else(|_| panic!("holiday seed row {line:?}: bad kind"));
            HolidaySeed { date, name, kind }
        })
        .collect()
}

/// A set of non-working dates (weekends are implied).
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    closed: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(non_working: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { closed: non_working.into_iter().collect() }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.closed.contains(&date)
    }

    /// The `n`th working day after `date` (n >= 1); `date` itself never counts.
    pub fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut counted = 0;
        while counted < n.max(1) {
            day = day.succ_opt().expect("dates stay far from chrono's limits");
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day
    }

    /// Working days in `(from, to]`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.succ_opt().expect("dates stay far from chrono's limits");
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }

    /// 23:59:59 local time of the `n`th working day after the local date of `event`.
    pub fn deadline(&self, event: DateTime<Utc>, n: u32, zone: TimeZone) -> DateTime<FixedOffset> {
        let offset = offset_of(zone);
        let local_date = event.with_timezone(&offset).date_naive();
        let due_date = self.nth_working_day_after(local_date, n);
        let end_of_day = due_date.and_hms_opt(23, 59, 59).expect("valid time");
        offset.from_local_datetime(&end_of_day).single().expect("fixed offsets are unambiguous")
    }
}

pub fn offset_of(zone: TimeZone) -> FixedOffset {
    FixedOffset::east_opt(zone.utc_offset_hours() * 3600).expect("valid offset")
}

/// The moment `fraction` of the time from `start` to `due` has elapsed.
pub fn fraction_elapsed_at(start: DateTime<Utc>, due: DateTime<Utc>, fraction: f64) -> DateTime<Utc> {
    let total = (due - start).num_seconds().max(0) as f64;
    start + Duration::seconds((total * fraction).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn seeded() -> Calendar {
        Calendar::new(seed().into_iter().map(|h| h.date))
    }

    #[test]
    fn the_seed_covers_2024_to_2027_with_both_kinds() {
        let seed = seed();
        for year in 2024..=2027 {
            let of_year: Vec<_> = seed.iter().filter(|h| h.date.year() == year).collect();
            assert!(of_year.iter().any(|h| h.kind == HolidayKind::Holiday), "{year}");
            assert!(of_year.iter().any(|h| h.kind == HolidayKind::CutiBersama), "{year}");
            assert!(of_year.iter().any(|h| h.date == date(&format!("{year}-08-17"))), "Independence Day {year}");
        }
    }

    #[test]
    fn idul_fitri_2026_with_cuti_bersama_spanning_a_weekend() {
        let cal = seeded();
        // Thu 19 Mar is Nyepi, Fri 20 cuti bersama, Sat-Sun 21-22 Idul Fitri,
        // Mon-Tue 23-24 cuti bersama: Wed 25 is the first working day.
        for closed in ["2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24"] {
            assert!(!cal.is_working_day(date(closed)), "{closed}");
        }
        assert_eq!(cal.nth_working_day_after(date("2026-03-18"), 1), date("2026-03-25"));
        // Filed on Wed 18 Mar at 10:00 WIB: 3 working days end Fri 27 Mar 23:59:59 WIB.
        let due = cal.deadline(utc("2026-03-18T03:00:00Z"), 3, TimeZone::Wib);
        assert_eq!(due.to_rfc3339(), "2026-03-27T23:59:59+07:00");
    }

    #[test]
    fn year_boundary() {
        let cal = seeded();
        // Wed 31 Dec 2025 + 1: Thu 1 Jan is New Year, Fri 2 Jan works.
        assert_eq!(cal.nth_working_day_after(date("2025-12-31"), 1), date("2026-01-02"));
        // Christmas week 2026: Fri 25 Dec holiday; 5 working days from Wed 23 Dec.
        let due = cal.nth_working_day_after(date("2026-12-23"), 5);
        assert!(cal.is_working_day(due));
        assert_eq!(due.year(), 2027);
    }

    #[test]
    fn time_zone_boundary_changes_the_counting_date() {
        let cal = Calendar::default();
        // 23:30 WIB Monday is already Tuesday 00:30 WITA and 01:30 WIT.
        let event = utc("2026-11-23T16:30:00Z");
        assert_eq!(cal.deadline(event, 1, TimeZone::Wib).to_rfc3339(), "2026-11-24T23:59:59+07:00");
        assert_eq!(cal.deadline(event, 1, TimeZone::Wita).to_rfc3339(), "2026-11-25T23:59:59+08:00");
        assert_eq!(cal.deadline(event, 1, TimeZone::Wit).to_rfc3339(), "2026-11-25T23:59:59+09:00");
    }

    #[test]
    fn a_deadline_never_lands_on_a_holiday_or_weekend() {
        let cal = Calendar::new([date("2026-12-25")]);
        // From Tue 22 Dec, the 3rd working day would be Fri 25 (holiday): it moves to Mon 28.
        assert_eq!(cal.nth_working_day_after(date("2026-12-22"), 3), date("2026-12-28"));
        // An event on Saturday counts from Monday as day 1.
        assert_eq!(cal.nth_working_day_after(date("2026-11-21"), 1), date("2026-11-23"));
    }

    #[test]
    fn working_days_between_and_eighty_percent() {
        let cal = Calendar::default();
        assert_eq!(cal.working_days_between(date("2026-11-20"), date("2026-11-27")), 5); // Fri -> next Fri
        assert_eq!(cal.working_days_between(date("2026-11-20"), date("2026-11-20")), 0);
        let start = utc("2026-11-23T00:00:00Z");
        let due = utc("2026-11-28T00:00:00Z");
        assert_eq!(fraction_elapsed_at(start, due, 0.8), utc("2026-11-27T00:00:00Z"));
    }

    proptest! {
        #[test]
        fn deadlines_are_working_days_and_monotone(day in 0i64..1500, n in 1u32..15) {
            let cal = seeded();
            let start = date("2024-01-01") + Duration::days(day);
            let due = cal.nth_working_day_after(start, n);
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due > start);
            prop_assert!(cal.nth_working_day_after(start, n + 1) > due);
            prop_assert_eq!(cal.working_days_between(start, due), n);
        }
    }
}

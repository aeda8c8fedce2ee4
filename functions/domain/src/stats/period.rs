//! The span of a statistics query and its periods.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::invalid::Invalid;

/// How days are grouped into periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Day => "day",
            Group::Week => "week",
            Group::Month => "month",
        }
    }

    pub fn parse(raw: &str) -> Result<Group, Invalid> {
        match raw.trim() {
            "day" => Ok(Group::Day),
            "week" => Ok(Group::Week),
            "month" => Ok(Group::Month),
            _ => Err(Invalid::new("group", "Pilih salah satu: day, week, month.", "Choose one of: day, week, month.")),
        }
    }

    /// The first day of the period holding `day`.
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Group::Day => day,
            Group::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Group::Month => day.with_day(1).expect("every month has a first day"),
        }
    }

    /// The first day of the period after the one starting at `start`.
    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Group::Day => start + Duration::days(1),
            Group::Week => start + Duration::days(7),
            Group::Month => {
                let (y, m) = if start.month() == 12 { (start.year() + 1, 1) } else { (start.year(), start.month() + 1) };
                NaiveDate::from_ymd_opt(y, m, 1).expect("valid month")
            }
        }
    }
}

/// One period of a query, clipped to the query's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The days a query covers, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group: Group,
}

/// Why a query's range is refused: every field error at once.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeError(pub Vec<Invalid>);

impl Range {
    /// The longest span one query may cover (two years and a day).
    pub const MAX_DAYS: i64 = 732;
    /// When no `from` is given: the last 90 days.
    pub const DEFAULT_DAYS: i64 = 90;

    pub fn last_days(today: NaiveDate, days: i64, group: Group) -> Range {
        Range { from: today - Duration::days(days - 1), to: today, group }
    }

    /// The `months` calendar months up to `today` (the first from its 1st,
    /// the last until `today`), by month.
    pub fn last_months(today: NaiveDate, months: u32) -> Range {
        let mut from = Group::Month.start_of(today);
        for _ in 1..months {
            from = Group::Month.start_of(from - Duration::days(1));
        }
        Range { from, to: today, group: Group::Month }
    }

    /// `from`, `to` (YYYY-MM-DD) and `group` of a query, `today` being the
    /// default end; `default_group` when none is named.
    pub fn parse(from: Option<&str>, to: Option<&str>, group: Option<&str>, today: NaiveDate, default_group: Group) -> Result<Range, RangeError> {
        let mut errors = Vec::new();
        // Years are bounded so no period arithmetic can leave chrono's range.
        let date = |field: &str, raw: &str, errors: &mut Vec<Invalid>| {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| (2000..=2100).contains(&d.year()) && raw.trim().len() == 10)
                .ok_or_else(|| errors.push(Invalid::new(field, "Tanggal harus berformat YYYY-MM-DD, tahun 2000 sampai 2100.", "A date must be YYYY-MM-DD, in the years 2000 to 2100.")))
                .ok()
        };
        let to = match to.filter(|s| !s.trim().is_empty()) {
            Some(raw) => date("to", raw, &mut errors),
            None => Some(today),
        };
        let from = match from.filter(|s| !s.trim().is_empty()) {
            Some(raw) => date("from", raw, &mut errors),
            None => to.map(|to| to - Duration::days(Self::DEFAULT_DAYS - 1)),
        };
        let group = match group.filter(|s| !s.trim().is_empty()) {
            Some(raw) => Group::parse(raw).map_err(|e| errors.push(e)).ok(),
            None => Some(default_group),
        };
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                errors.push(Invalid::new("from", "`from` harus sebelum atau sama dengan `to`.", "`from` must not be after `to`."));
            } else if (to - from).num_days() + 1 > Self::MAX_DAYS {
                errors.push(Invalid::new("from", "Rentang paling lama dua tahun.", "The range may cover at most two years."));
            }
        }
        match (from, to, group, errors.is_empty()) {
            (Some(from), Some(to), Some(group), true) => Ok(Range { from, to, group }),
            _ => Err(RangeError(errors)),
        }
    }

    /// The periods, in order, each clipped to the range.
    pub fn periods(&self) -> Vec<Period> {
        let mut periods = Vec::new();
        let mut start = self.group.start_of(self.from);
        while start <= self.to {
            let next = self.group.next(start);
            periods.push(Period { start: start.max(self.from), end: (next - Duration::days(1)).min(self.to) });
            start = next;
        }
        periods
    }

    /// The index in [`Range::periods`] of the period holding `day`.
    pub fn period_index(&self, day: NaiveDate) -> Option<usize> {
        if day < self.from || day > self.to {
            return None;
        }
        let first = self.group.start_of(self.from);
        let start = self.group.start_of(day);
        Some(match self.group {
            Group::Day => (start - first).num_days() as usize,
            Group::Week => ((start - first).num_days() / 7) as usize,
            Group::Month => ((start.year() - first.year()) * 12 + start.month() as i32 - first.month() as i32) as usize,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn defaults_are_the_last_90_days_by_week() {
        let r = Range::parse(None, None, None, d("2026-12-02"), Group::Week).unwrap();
        assert_eq!((r.from, r.to, r.group), (d("2026-09-04"), d("2026-12-02"), Group::Week));
        let periods = r.periods();
        assert_eq!(periods[0], Period { start: d("2026-09-04"), end: d("2026-09-06") }, "clipped to the range");
        assert_eq!(periods.last().unwrap(), &Period { start: d("2026-11-30"), end: d("2026-12-02") });
    }

    #[test]
    fn months_roll_over_the_year() {
        let r = Range::parse(Some("2026-11-15"), Some("2027-01-10"), Some("month"), d("2026-12-02"), Group::Week).unwrap();
        let starts: Vec<_> = r.periods().iter().map(|p| p.start.to_string()).collect();
        assert_eq!(starts, ["2026-11-15", "2026-12-01", "2027-01-01"]);
        assert_eq!(r.period_index(d("2027-01-10")), Some(2));
    }

    #[test]
    fn a_year_of_months_starts_on_the_first_eleven_months_back() {
        let r = Range::last_months(d("2026-12-02"), 12);
        assert_eq!((r.from, r.to, r.group), (d("2026-01-01"), d("2026-12-02"), Group::Month));
        assert_eq!(r.periods().len(), 12);
        assert_eq!(Range::last_months(d("2026-03-31"), 3).from, d("2026-01-01"));
    }

    #[test]
    fn bad_ranges_say_every_problem() {
        let e = Range::parse(Some("2026-13-01"), Some("x"), Some("year"), d("2026-12-02"), Group::Week).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["to", "from", "group"]);
        assert!(Range::parse(Some("2026-12-03"), Some("2026-12-02"), None, d("2026-12-02"), Group::Week).is_err());
        assert!(Range::parse(Some("2020-01-01"), Some("2026-12-02"), None, d("2026-12-02"), Group::Week).is_err());
        for far in ["+262142-12-31", "-0001-01-01", "1999-12-31", "2101-01-01"] {
            assert!(Range::parse(Some("2026-01-01"), Some(far), None, d("2026-12-02"), Group::Month).is_err(), "{far}");
        }
    }

    proptest! {
        #[test]
        fn every_day_falls_in_the_period_that_holds_it(offset in 0i64..700, len in 1i64..400, g in 0usize..3, probe in 0i64..400) {
            let group = [Group::Day, Group::Week, Group::Month][g];
            let from = d("2025-01-01") + Duration::days(offset);
            let range = Range { from, to: from + Duration::days(len - 1), group };
            let periods = range.periods();
            let day = from + Duration::days(probe % len);
            let i = range.period_index(day).unwrap();
            prop_assert!(periods[i].start <= day && day <= periods[i].end);
            prop_assert_eq!(periods.first().unwrap().start, range.from);
            prop_assert_eq!(periods.last().unwrap().end, range.to);
        }
    }
}

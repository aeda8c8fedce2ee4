//! Sums of rollup cells -> the figures the API, the pages and the CSV show.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::cells::{ArchivedAs, Dimension, Measure, RESPONSE_DAYS_CAP};

/// Measure -> sum over some cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums(pub BTreeMap<Measure, i64>);

impl Sums {
    pub fn add(&mut self, measure: Measure, n: i64) {
        *self.0.entry(measure).or_insert(0) += n;
    }

    pub fn get(&self, measure: Measure) -> i64 {
        self.0.get(&measure).copied().unwrap_or(0)
    }

    pub fn merge(&mut self, other: &Sums) {
        for (&measure, &n) in &other.0 {
            self.add(measure, n);
        }
    }
}

/// Archived reports by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedByReason {
    pub not_in_scope: i64,
    pub spam: i64,
    pub unclear: i64,
    pub duplicate: i64,
    pub other: i64,
}

/// The published figures of a group over a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub received: i64,
    pub verified: i64,
    /// First dispatches plus forwards in.
    pub dispatched: i64,
    pub responded_on_time: i64,
    pub responded_late: i64,
    pub completed_by_response: i64,
    pub completed_automatically: i64,
    pub archived: ArchivedByReason,
    pub forwarded_in: i64,
    pub forwarded_out: i64,
    pub assigned: i64,
    /// Of the responses to a deadline: the share on time (0..1), if any.
    pub on_time_rate: Option<f64>,
    /// Working days from dispatch (or forward, or the reporter's reply) to
    /// the response: exact, from the histogram. `60` means "60 or more".
    pub response_days_median: Option<u32>,
    pub response_days_p90: Option<u32>,
    /// Completed / (dispatched - forwarded out): of the reports that stayed
    /// (for a work unit: assigned - forwarded out).
    pub completion_rate: Option<f64>,
    pub rating_average: Option<f64>,
    pub rating_count: i64,
    pub supports: i64,
}

/// The `q`-quantile (0 < q <= 1) of a histogram of whole days, nearest-rank:
/// the smallest value with at least `ceil(q * n)` observations at or below it.
pub fn quantile(histogram: &[(u32, i64)], q: f64) -> Option<u32> {
    let total: i64 = histogram.iter().map(|(_, n)| (*n).max(0)).sum();
    if total == 0 {
        return None;
    }
    let rank = ((q * total as f64).ceil() as i64).max(1);
    let mut seen = 0;
    for &(value, n) in histogram {
        seen += n.max(0);
        if seen >= rank {
            return Some(value);
        }
    }
    histogram.last().map(|(v, _)| *v)
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

/// Four decimals, so JSON and CSV show the same number.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Figures {
    /// The figures of a group of `dimension` from its sums (the completion
    /// rate's base is what came in to it: `Dimension::incoming`).
    pub fn of(sums: &Sums, dimension: Dimension) -> Figures {
        let get = |m| sums.get(m);
        let responses = get(Measure::RespondedOnTime) + get(Measure::RespondedLate);
        let histogram: Vec<(u32, i64)> = (0..=RESPONSE_DAYS_CAP).map(|d| (d, get(Measure::ResponseDays(d)))).collect();
        let completed = get(Measure::CompletedByResponse) + get(Measure::CompletedAutomatically);
        let came_in = if dimension.incoming() == Measure::Assigned { get(Measure::Assigned) } else { get(Measure::Dispatched) };
        let stayed = came_in - get(Measure::ForwardedOut);
        let rating_count = get(Measure::RatingCount);
        Figures {
            received: get(Measure::Received),
            verified: get(Measure::Verified),
            dispatched: get(Measure::Dispatched),
            responded_on_time: get(Measure::RespondedOnTime),
            responded_late: get(Measure::RespondedLate),
            completed_by_response: get(Measure::CompletedByResponse),
            completed_automatically: get(Measure::CompletedAutomatically),
            archived: ArchivedByReason {
                not_in_scope: get(Measure::Archived(ArchivedAs::NotInScope)),
                spam: get(Measure::Archived(ArchivedAs::Spam)),
                unclear: get(Measure::Archived(ArchivedAs::Unclear)),
                duplicate: get(Measure::Archived(ArchivedAs::Duplicate)),
                other: get(Measure::Archived(ArchivedAs::Other)),
            },
            forwarded_in: get(Measure::ForwardedIn),
            forwarded_out: get(Measure::ForwardedOut),
            assigned: get(Measure::Assigned),
            on_time_rate: ratio(get(Measure::RespondedOnTime), responses),
            response_days_median: quantile(&histogram, 0.5),
            response_days_p90: quantile(&histogram, 0.9),
            completion_rate: ratio(completed, stayed),
            rating_average: (rating_count > 0).then(|| (get(Measure::RatingSum) as f64 / rating_count as f64 * 100.0).round() / 100.0),
            rating_count,
            supports: get(Measure::Supports),
        }
    }

    pub fn responses(&self) -> i64 {
        self.responded_on_time + self.responded_late
    }

    /// "Reports in" for a group of `dimension` (`Dimension::incoming`).
    pub fn incoming(&self, dimension: Dimension) -> i64 {
        match dimension.incoming() {
            Measure::Dispatched => self.dispatched,
            Measure::Assigned => self.assigned,
            _ => self.received,
        }
    }

    pub fn completed(&self) -> i64 {
        self.completed_by_response + self.completed_automatically
    }

    pub fn archived_total(&self) -> i64 {
        let a = &self.archived;
        a.not_in_scope + a.spam + a.unclear + a.duplicate + a.other
    }

    /// The CSV columns after the group and period columns, in order.
    pub const CSV_COLUMNS: [&'static str; 22] = [
        "received",
        "verified",
        "dispatched",
        "responded_on_time",
        "responded_late",
        "completed_by_response",
        "completed_automatically",
        "archived_not_in_scope",
        "archived_spam",
        "archived_unclear",
        "archived_duplicate",
        "archived_other",
        "forwarded_in",
        "forwarded_out",
        "assigned",
        "on_time_rate",
        "response_days_median",
        "response_days_p90",
        "completion_rate",
        "rating_average",
        "rating_count",
        "supports",
    ];

    /// The values of [`Figures::CSV_COLUMNS`] (empty where there is none).
    pub fn csv_values(&self) -> Vec<String> {
        let opt_f = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
        let opt_u = |x: Option<u32>| x.map(|x| x.to_string()).unwrap_or_default();
        let a = &self.archived;
        vec![
            self.received.to_string(),
            self.verified.to_string(),
            self.dispatched.to_string(),
            self.responded_on_time.to_string(),
            self.responded_late.to_string(),
            self.completed_by_response.to_string(),
            self.completed_automatically.to_string(),
            a.not_in_scope.to_string(),
            a.spam.to_string(),
            a.unclear.to_string(),
            a.duplicate.to_string(),
            a.other.to_string(),
            self.forwarded_in.to_string(),
            self.forwarded_out.to_string(),
            self.assigned.to_string(),
            opt_f(self.on_time_rate),
            opt_u(self.response_days_median),
            opt_u(self.response_days_p90),
            opt_f(self.completion_rate),
            opt_f(self.rating_average),
            self.rating_count.to_string(),
            self.supports.to_string(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        // 1, 2, 2, 3, 10
        let h = [(1, 1), (2, 2), (3, 1), (10, 1)];
        assert_eq!(quantile(&h, 0.5), Some(2));
        assert_eq!(quantile(&h, 0.9), Some(10));
        assert_eq!(quantile(&[(4, 1)], 0.5), Some(4));
        assert_eq!(quantile(&[(1, 0)], 0.5), None);
    }

    proptest! {
        #[test]
        fn the_histogram_quantile_equals_the_sorted_list(values in proptest::collection::vec(0u32..=20, 1..200), q in 0.01f64..=1.0) {
            let mut sorted = values.clone();
            sorted.sort();
            let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
            let histogram: Vec<(u32, i64)> = (0..=20).map(|d| (d, values.iter().filter(|v| **v == d).count() as i64)).collect();
            prop_assert_eq!(quantile(&histogram, q), Some(sorted[rank - 1]));
        }
    }

    #[test]
    fn figures_from_sums() {
        let mut sums = Sums::default();
        sums.add(Measure::RespondedOnTime, 3);
        sums.add(Measure::RespondedLate, 1);
        sums.add(Measure::ResponseDays(2), 3);
        sums.add(Measure::ResponseDays(9), 1);
        sums.add(Measure::Dispatched, 5);
        sums.add(Measure::ForwardedOut, 1);
        sums.add(Measure::CompletedAutomatically, 2);
        sums.add(Measure::RatingSum, 9);
        sums.add(Measure::RatingCount, 2);
        let f = Figures::of(&sums, Dimension::Agency);
        assert_eq!(f.on_time_rate, Some(0.75));
        assert_eq!((f.response_days_median, f.response_days_p90), (Some(2), Some(9)));
        assert_eq!(f.completion_rate, Some(0.5));
        assert_eq!(f.rating_average, Some(4.5));
        assert_eq!(Figures::of(&Sums::default(), Dimension::National).on_time_rate, None);
        // A unit's base is what was assigned to it.
        let mut unit = Sums::default();
        unit.add(Measure::Assigned, 4);
        unit.add(Measure::CompletedByResponse, 1);
        assert_eq!(Figures::of(&unit, Dimension::Unit).completion_rate, Some(0.25));
        assert_eq!(Figures::of(&unit, Dimension::Agency).completion_rate, None);
        assert_eq!(f.csv_values().len(), Figures::CSV_COLUMNS.len());
    }
}

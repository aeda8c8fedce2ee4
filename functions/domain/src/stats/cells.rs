//! Rollup cells: (dimension, key, day, confidential, measure) -> count.

use chrono::NaiveDate;

use super::fact::{Fact, Happened};

/// The groups figures are kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Everything (key `""`).
    National,
    Agency,
    /// A work unit inside an agency (key: the unit's code).
    Unit,
    Category,
    /// A regency or city (`32.73`), or a province when no finer code was given.
    Region,
    /// The two-digit province code.
    Province,
    /// The channel's family (`web`, `api`, `sms`, `whatsapp`, `embed`, `open311`).
    Channel,
    /// An agency's reports by category (key `agency/category`), for its dashboard.
    AgencyCategory,
    /// An agency's reports by regency/city (key `agency/region`), for its dashboard.
    AgencyRegion,
}

impl Dimension {
    pub const ALL: [Dimension; 9] = [
        Dimension::National,
        Dimension::Agency,
        Dimension::Unit,
        Dimension::Category,
        Dimension::Region,
        Dimension::Province,
        Dimension::Channel,
        Dimension::AgencyCategory,
        Dimension::AgencyRegion,
    ];

    /// Which count is "reports in" for a group of this dimension: reports
    /// filed nationally (and by category, region, channel), reports sent to
    /// an agency, reports routed to a unit.
    pub fn incoming(self) -> Measure {
        match self {
            Dimension::Agency | Dimension::AgencyCategory | Dimension::AgencyRegion => Measure::Dispatched,
            Dimension::Unit => Measure::Assigned,
            _ => Measure::Received,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::National => "national",
            Dimension::Agency => "agency",
            Dimension::Unit => "unit",
            Dimension::Category => "category",
            Dimension::Region => "region",
            Dimension::Province => "province",
            Dimension::Channel => "channel",
            Dimension::AgencyCategory => "agency_category",
            Dimension::AgencyRegion => "agency_region",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Dimension> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw)
    }
}

/// The largest working-day count kept exactly; slower responses count here.
pub const RESPONSE_DAYS_CAP: u32 = 60;

/// What a cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    Received,
    Verified,
    /// Sent to an agency: its first dispatch or a forward in.
    Dispatched,
    RespondedOnTime,
    RespondedLate,
    /// Responses that took this many working days (capped): the histogram
    /// the median and p90 come from, exactly.
    ResponseDays(u32),
    /// +1 / -1 per missed response deadline; summed over all days: overdue now.
    Overdue,
    CompletedByResponse,
    CompletedAutomatically,
    Archived(ArchivedAs),
    ForwardedIn,
    ForwardedOut,
    /// Routed to a work unit.
    Assigned,
    RatingSum,
    RatingCount,
    Supports,
}

/// Archive reasons as measures (unknown stored reasons count as `Other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArchivedAs {
    NotInScope,
    Spam,
    Unclear,
    Duplicate,
    Other,
}

impl ArchivedAs {
    pub const ALL: [ArchivedAs; 5] = [ArchivedAs::NotInScope, ArchivedAs::Spam, ArchivedAs::Unclear, ArchivedAs::Duplicate, ArchivedAs::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            ArchivedAs::NotInScope => "not_in_scope",
            ArchivedAs::Spam => "spam",
            ArchivedAs::Unclear => "unclear",
            ArchivedAs::Duplicate => "duplicate",
            ArchivedAs::Other => "other",
        }
    }

    fn of(reason: &str) -> ArchivedAs {
        Self::ALL.into_iter().find(|a| a.as_str() == reason).unwrap_or(ArchivedAs::Other)
    }
}

impl Measure {
    /// The measures without a parameter (the histogram's days and the
    /// archive reasons are the others).
    pub const PLAIN: [Measure; 14] = [
        Measure::Received,
        Measure::Verified,
        Measure::Dispatched,
        Measure::RespondedOnTime,
        Measure::RespondedLate,
        Measure::Overdue,
        Measure::CompletedByResponse,
        Measure::CompletedAutomatically,
        Measure::ForwardedIn,
        Measure::ForwardedOut,
        Measure::Assigned,
        Measure::RatingSum,
        Measure::RatingCount,
        Measure::Supports,
    ];

    /// The stored name (`stats_daily.measure`).
    pub fn name(self) -> String {
        match self {
            Measure::Received => "received".into(),
            Measure::Verified => "verified".into(),
            Measure::Dispatched => "dispatched".into(),
            Measure::RespondedOnTime => "responded_on_time".into(),
            Measure::RespondedLate => "responded_late".into(),
            Measure::ResponseDays(n) => format!("response_days_{n}"),
            Measure::Overdue => "overdue".into(),
            Measure::CompletedByResponse => "completed_by_response".into(),
            Measure::CompletedAutomatically => "completed_automatically".into(),
            Measure::Archived(reason) => format!("archived_{}", reason.as_str()),
            Measure::ForwardedIn => "forwarded_in".into(),
            Measure::ForwardedOut => "forwarded_out".into(),
            Measure::Assigned => "assigned".into(),
            Measure::RatingSum => "rating_sum".into(),
            Measure::RatingCount => "rating_count".into(),
            Measure::Supports => "supports".into(),
        }
    }

    /// A stored name back; `None` for a name this build does not know.
    pub fn from_name(raw: &str) -> Option<Measure> {
        if let Some(n) = raw.strip_prefix("response_days_") {
            return n.parse().ok().filter(|n| *n <= RESPONSE_DAYS_CAP).map(Measure::ResponseDays);
        }
        if let Some(reason) = raw.strip_prefix("archived_") {
            return ArchivedAs::ALL.into_iter().find(|a| a.as_str() == reason).map(Measure::Archived);
        }
        Self::PLAIN.into_iter().find(|m| m.name() == raw)
    }
}

/// One addition to a rollup cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub dimension: Dimension,
    pub key: String,
    pub day: NaiveDate,
    pub confidential: bool,
    pub measure: Measure,
    pub delta: i64,
}

/// The measures a fact adds to, with their amounts (before its weight).
fn measures(happened: &Happened) -> Vec<(Measure, i64)> {
    match happened {
        Happened::Received => vec![(Measure::Received, 1)],
        Happened::Verified => vec![(Measure::Verified, 1), (Measure::Dispatched, 1)],
        Happened::ForwardedOut => vec![(Measure::ForwardedOut, 1)],
        Happened::ForwardedIn => vec![(Measure::ForwardedIn, 1), (Measure::Dispatched, 1)],
        Happened::Assigned => vec![(Measure::Assigned, 1)],
        Happened::Responded { on_time, working_days } => vec![
            (if *on_time { Measure::RespondedOnTime } else { Measure::RespondedLate }, 1),
            (Measure::ResponseDays((*working_days).min(RESPONSE_DAYS_CAP)), 1),
        ],
        Happened::Overdue => vec![(Measure::Overdue, 1)],
        Happened::Completed { automatic: true } => vec![(Measure::CompletedAutomatically, 1)],
        Happened::Completed { automatic: false } => vec![(Measure::CompletedByResponse, 1)],
        Happened::Archived { reason } => vec![(Measure::Archived(ArchivedAs::of(reason)), 1)],
        Happened::Rated { score } => vec![(Measure::RatingSum, i64::from(*score)), (Measure::RatingCount, 1)],
        Happened::Supported => vec![(Measure::Supports, 1)],
    }
}

/// The regency/city part of a region code (`32.73` of `32.73.05.1001`); a
/// province-only code stays itself.
pub fn regency_of(region: &str) -> &str {
    region.get(..5).filter(|_| region.len() >= 5).unwrap_or(region)
}

/// The channel's family: `embed:kemenkes` counts as `embed`.
pub fn channel_family(channel: &str) -> &str {
    channel.split(':').next().unwrap_or(channel)
}

/// The groups a fact's report belongs to.
pub fn groups_of(fact: &Fact) -> Vec<(Dimension, String)> {
    let dims = &fact.dims;
    let mut groups = vec![(Dimension::National, String::new())];
    if let Some(agency) = &dims.agency {
        groups.push((Dimension::Agency, agency.clone()));
    }
    if let Some(unit) = &dims.unit {
        groups.push((Dimension::Unit, unit.clone()));
    }
    if let Some(category) = &dims.category {
        groups.push((Dimension::Category, category.clone()));
    }
    if let Some(region) = &dims.region {
        groups.push((Dimension::Region, regency_of(region).to_string()));
        if let Some(province) = region.get(..2) {
            groups.push((Dimension::Province, province.to_string()));
        }
    }
    groups.push((Dimension::Channel, channel_family(&dims.channel).to_string()));
    if let Some(agency) = &dims.agency {
        if let Some(category) = &dims.category {
            groups.push((Dimension::AgencyCategory, format!("{agency}/{category}")));
        }
        if let Some(region) = &dims.region {
            groups.push((Dimension::AgencyRegion, format!("{agency}/{}", regency_of(region))));
        }
    }
    groups
}

/// Every cell a fact adds to.
pub fn cells_of(fact: &Fact) -> Vec<Cell> {
    let measures = measures(&fact.happened);
    groups_of(fact)
        .into_iter()
        .flat_map(|(dimension, key)| {
            measures.iter().map(move |&(measure, amount)| (dimension, key.clone(), measure, amount))
        })
        .map(|(dimension, key, measure, amount)| Cell {
            dimension,
            key,
            day: fact.day,
            confidential: fact.dims.confidential,
            measure,
            delta: amount * fact.weight,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fact::Dims;

    #[test]
    fn measure_names_round_trip() {
        let mut all = Measure::PLAIN.to_vec();
        all.extend((0..=RESPONSE_DAYS_CAP).map(Measure::ResponseDays));
        all.extend(ArchivedAs::ALL.map(Measure::Archived));
        for measure in all {
            assert_eq!(Measure::from_name(&measure.name()), Some(measure), "{}", measure.name());
        }
        assert_eq!(Measure::from_name("response_days_61"), None);
        assert_eq!(Measure::from_name("bogus"), None);
    }

    #[test]
    fn a_fact_counts_in_every_group_of_its_report() {
        let fact = Fact {
            day: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            dims: Dims {
                agency: Some("pemkot-bandung".into()),
                unit: Some("pemkot-bandung-dishub".into()),
                category: Some("transportasi".into()),
                region: Some("32.73.05".into()),
                channel: "embed:pemkot-bandung".into(),
                confidential: true,
            },
            happened: Happened::Rated { score: 4 },
            weight: -1,
        };
        let cells = cells_of(&fact);
        let keys: Vec<_> = cells.iter().filter(|c| c.measure == Measure::RatingSum).map(|c| (c.dimension, c.key.as_str())).collect();
        assert_eq!(
            keys,
            [
                (Dimension::National, ""),
                (Dimension::Agency, "pemkot-bandung"),
                (Dimension::Unit, "pemkot-bandung-dishub"),
                (Dimension::Category, "transportasi"),
                (Dimension::Region, "32.73"),
                (Dimension::Province, "32"),
                (Dimension::Channel, "embed"),
                (Dimension::AgencyCategory, "pemkot-bandung/transportasi"),
                (Dimension::AgencyRegion, "pemkot-bandung/32.73"),
            ]
        );
        assert!(cells.iter().all(|c| c.confidential));
        assert!(cells.iter().filter(|c| c.measure == Measure::RatingSum).all(|c| c.delta == -4));
        assert!(cells.iter().filter(|c| c.measure == Measure::RatingCount).all(|c| c.delta == -1));
    }

    #[test]
    fn slow_responses_share_the_last_bucket() {
        let fact = Fact {
            day: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            dims: Dims { channel: "web".into(), ..Dims::default() },
            happened: Happened::Responded { on_time: false, working_days: 200 },
            weight: 1,
        };
        assert!(cells_of(&fact).iter().any(|c| c.measure == Measure::ResponseDays(RESPONSE_DAYS_CAP)));
    }
}

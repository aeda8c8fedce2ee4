//! The statistics as the API serializes them and the pages render them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::figures::Figures;
use super::period::Group;

/// One period's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodFigures {
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(flatten)]
    pub figures: Figures,
}

/// One key of a dimension with its figures over a range (a unit of an
/// agency, a category, a regency of a province).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFigures {
    pub key: String,
    pub name: String,
    /// Missed response deadlines still unanswered (not bound to the range).
    pub overdue_now: i64,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The parts a group is split into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub dimension: String,
    pub items: Vec<KeyFigures>,
}

/// A group's figures over a range: totals, "overdue now", each period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    pub dimension: String,
    pub key: String,
    pub name: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group: Group,
    /// `public` or `staff`: whether confidential reports are counted in
    /// splits (see `lapor_domain::stats::Audience`).
    pub audience: String,
    pub counts_confidential: bool,
    pub overdue_now: i64,
    pub totals: Figures,
    pub periods: Vec<PeriodFigures>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Breakdown>,
}

/// A list of keys of one dimension (categories, regions, channels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyList {
    pub dimension: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub audience: String,
    pub counts_confidential: bool,
    pub items: Vec<KeyFigures>,
}

/// The statistics' CSV header: the group, the period, then every figure.
pub fn csv_header() -> impl Iterator<Item = &'static str> {
    ["dimension", "key", "name", "period_start", "period_end"].into_iter().chain(Figures::CSV_COLUMNS)
}

/// One CSV row: a group's figures over one period.
pub fn csv_record(dimension: &str, key: &str, name: &str, period: &PeriodFigures) -> Vec<String> {
    let mut record = vec![dimension.to_string(), key.to_string(), name.to_string(), period.start.to_string(), period.end.to_string()];
    record.extend(period.figures.csv_values());
    record
}

//! Performance statistics: what each event of a report counts for, and the
//! figures read back from the counts.
//!
//! Every change to a report yields [`Fact`]s (`facts_of`); each fact adds to
//! a handful of rollup cells (`cells_of`: one per dimension the report
//! belongs to, per day, per measure). The platform writes a change's facts
//! into the event's own row (`report_events.data`) and adds their cells to
//! `stats_daily` in the same transaction, so the rollups can always be
//! recomputed from the event log, and a dashboard reads days x groups cells,
//! never the reports table.
//!
//! - `fact.rs`: the facts of one change (the rules: which response counts as
//!   on time, when a report is overdue, how a re-classified report moves).
//! - `cells.rs`: dimensions, measures and the cells a fact adds to.
//! - `figures.rs`: sums of cells -> the published figures (rates, median
//!   and p90 working days, average rating).
//! - `period.rs`: the `from` / `to` / `group` of a query, periods of days.
//! - `league.rs`: the public league table's ranking rule.
//! - `disclosure.rs`: what public surfaces may split by (confidential reports).
//! - `trend.rs`: what the dashboard points at (rising groups, lagging ones).
//! - `view.rs`: the figures as the API serializes them and the pages render them.

mod cells;
mod disclosure;
mod fact;
mod figures;
mod league;
mod period;
mod trend;
mod view;

pub use cells::{cells_of, channel_family, groups_of, regency_of, ArchivedAs, Cell, Dimension, Measure, RESPONSE_DAYS_CAP};
pub use disclosure::Audience;
pub use fact::{facts_of, local_day, ChangeFacts, EventExtras, Dims, Fact, Happened, RunningClock};
pub use figures::{quantile, ArchivedByReason, Figures, Sums};
pub use league::{rank, LeagueRow, Ranked, LEAGUE_DAYS, MIN_RESPONSES_TO_RANK};
pub use period::{Group, Period, Range, RangeError};
pub use trend::{lagging, rising, Rising};
pub use view::{csv_header, csv_record, Breakdown, GroupStats, KeyFigures, KeyList, PeriodFigures};

//! The public league table: every agency ranked by how often it answers on time.

use serde::Serialize;

use super::figures::Figures;

/// The window the league table covers: the last 90 days.
pub const LEAGUE_DAYS: i64 = 90;

/// Responses to a deadline an agency needs in the window before it is
/// ranked: below this a rate says more about chance than about the agency.
pub const MIN_RESPONSES_TO_RANK: i64 = 10;

/// One agency's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeagueRow {
    pub agency: String,
    pub name: String,
    #[serde(rename = "type")]
    pub agency_type: String,
    /// The province code of a local government, if any.
    pub province: Option<String>,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// Position (1 = best) and row, best first.
    pub ranked: Vec<(usize, LeagueRow)>,
    /// Agencies with too few responses to rank, by reports sent to them, then code.
    pub unranked: Vec<LeagueRow>,
}

/// Ranks by on-time rate (highest first); ties go to the agency with more
/// responses, then the lower median working days, then the agency code.
/// Agencies with fewer than `min_responses` responses are listed unranked.
pub fn rank(rows: Vec<LeagueRow>, min_responses: i64) -> Ranked {
    let (mut ranked, mut unranked): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.figures.responses() >= min_responses);
    ranked.sort_by(|a, b| {
        let rate = |r: &LeagueRow| r.figures.on_time_rate.unwrap_or(0.0);
        rate(b)
            .total_cmp(&rate(a))
            .then(b.figures.responses().cmp(&a.figures.responses()))
            .then(a.figures.response_days_median.unwrap_or(u32::MAX).cmp(&b.figures.response_days_median.unwrap_or(u32::MAX)))
            .then(a.agency.cmp(&b.agency))
    });
    unranked.sort_by(|a, b| b.figures.dispatched.cmp(&a.figures.dispatched).then(a.agency.cmp(&b.agency)));
    Ranked { ranked: ranked.into_iter().enumerate().map(|(i, r)| (i + 1, r)).collect(), unranked }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(agency: &str, on_time: i64, late: i64, median: Option<u32>) -> LeagueRow {
        let responses = on_time + late;
        let figures = Figures {
            responded_on_time: on_time,
            responded_late: late,
            on_time_rate: (responses > 0).then(|| on_time as f64 / responses as f64),
            response_days_median: median,
            ..Figures::default()
        };
        LeagueRow { agency: agency.into(), name: agency.into(), agency_type: "lembaga".into(), province: None, figures }
    }

    #[test]
    fn ranks_by_rate_then_volume_then_speed_then_code() {
        let ranked = rank(
            vec![row("d", 9, 1, Some(2)), row("a", 18, 2, Some(3)), row("c", 10, 0, Some(4)), row("b", 18, 2, Some(1)), row("e", 3, 0, Some(1))],
            10,
        );
        let order: Vec<_> = ranked.ranked.iter().map(|(i, r)| (*i, r.agency.as_str())).collect();
        assert_eq!(order, [(1, "c"), (2, "b"), (3, "a"), (4, "d")]);
        assert_eq!(ranked.unranked.iter().map(|r| r.agency.as_str()).collect::<Vec<_>>(), ["e"]);
    }
}

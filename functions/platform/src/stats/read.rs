//! The statistics read back: a group's figures per period, the keys of a
//! dimension, names for keys, the league table's rows. Each is a few
//! range reads of `stats_daily` (days x groups), never of `reports`.

use std::collections::BTreeMap;

use anyhow::Result;
use lapor_domain::lang::Lang;
use lapor_domain::agency::AgencyType;
use lapor_domain::codes::RegionCode;
use lapor_domain::invalid::Invalid;
use lapor_domain::stats::{
    rank, Audience, Breakdown, Dimension, Figures, Group, GroupStats, KeyFigures, KeyList, LeagueRow, PeriodFigures, Range, Ranked, Sums, LEAGUE_DAYS,
    MIN_RESPONSES_TO_RANK,
};

use super::{by_key, daily, overdue_now};
use crate::db::{text, Db};
use crate::request::ApiRequest;
use crate::response::ApiError;

/// One group's figures over `range`, with each period's, and (for an agency
/// or a province) its parts.
pub fn group_stats(db: &Db, dimension: Dimension, key: &str, range: &Range, audience: Audience, lang: Lang) -> Result<GroupStats> {
    let periods = range.periods();
    let mut per_period = vec![Sums::default(); periods.len()];
    let mut totals = Sums::default();
    for (day, sums) in daily(db, dimension, key, range, audience)? {
        if let Some(i) = range.period_index(day) {
            per_period[i].merge(&sums);
        }
        totals.merge(&sums);
    }
    let breakdown = match dimension {
        Dimension::Agency => {
            // A unit's code starts with its agency's (`pemkot-32.73/pupr`).
            let units = unit_names(db, key)?;
            let prefix = format!("{key}/");
            Some(Breakdown { dimension: Dimension::Unit.as_str().into(), items: key_figures(db, Dimension::Unit, &prefix, range, audience, &units, true)? })
        }
        Dimension::Province => {
            let names = names_of(db, Dimension::Region, lang)?;
            let prefix = format!("{key}.");
            Some(Breakdown { dimension: Dimension::Region.as_str().into(), items: key_figures(db, Dimension::Region, &prefix, range, audience, &names, false)? })
        }
        _ => None,
    };
    let name = name_of(db, dimension, key, lang)?;
    Ok(GroupStats {
        dimension: dimension.as_str().into(),
        key: key.to_string(),
        name,
        from: range.from,
        to: range.to,
        group: range.group,
        audience: audience.as_str().into(),
        counts_confidential: audience.counts_confidential(dimension),
        overdue_now: overdue_now(db, dimension, key, audience)?.get(key).copied().unwrap_or(0),
        totals: Figures::of(&totals, dimension),
        periods: periods.iter().zip(per_period).map(|(p, sums)| PeriodFigures { start: p.start, end: p.end, figures: Figures::of(&sums, dimension) }).collect(),
        breakdown,
    })
}

/// A group's trends as the performance pages show them: the last
/// [`LEAGUE_DAYS`] days by week, and the last twelve months by month.
pub fn trends(db: &Db, dimension: Dimension, key: &str, today: chrono::NaiveDate, audience: Audience, lang: Lang) -> Result<(GroupStats, GroupStats)> {
    let weeks = group_stats(db, dimension, key, &Range::last_days(today, LEAGUE_DAYS, Group::Week), audience, lang)?;
    let months = group_stats(db, dimension, key, &Range::last_months(today, 12), audience, lang)?;
    Ok((weeks, months))
}

/// The keys of `dimension` starting with `prefix`, with their figures over
/// `range`. With `only_named`, keys missing from `names` are left out (the
/// units of one agency among every unit).
fn key_figures(
    db: &Db,
    dimension: Dimension,
    prefix: &str,
    range: &Range,
    audience: Audience,
    names: &BTreeMap<String, String>,
    only_named: bool,
) -> Result<Vec<KeyFigures>> {
    let overdue = overdue_now(db, dimension, prefix, audience)?;
    let mut items: Vec<KeyFigures> = by_key(db, dimension, prefix, range, audience)?
        .into_iter()
        .filter(|(key, _)| !only_named || names.contains_key(key))
        .map(|(key, sums)| KeyFigures {
            name: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
            overdue_now: overdue.get(&key).copied().unwrap_or(0),
            figures: Figures::of(&sums, dimension),
            key,
        })
        .collect();
    // Busiest first; the key breaks ties so the order is stable.
    items.sort_by(|a, b| b.figures.incoming(dimension).cmp(&a.figures.incoming(dimension)).then(a.key.cmp(&b.key)));
    Ok(items)
}

/// Every key of `dimension` with figures over `range` (categories, regions,
/// provinces, channels, agencies).
pub fn key_list(db: &Db, dimension: Dimension, range: &Range, audience: Audience, lang: Lang) -> Result<KeyList> {
    let names = names_of(db, dimension, lang)?;
    Ok(KeyList {
        dimension: dimension.as_str().into(),
        from: range.from,
        to: range.to,
        audience: audience.as_str().into(),
        counts_confidential: audience.counts_confidential(dimension),
        items: key_figures(db, dimension, "", range, audience, &names, false)?,
    })
}

/// Key -> name for a dimension's keys.
pub fn names_of(db: &Db, dimension: Dimension, lang: Lang) -> Result<BTreeMap<String, String>> {
    names(db, dimension, lang, None)
}

/// The name of one key of a dimension (one indexed row, not the whole list).
pub fn name_of(db: &Db, dimension: Dimension, key: &str, lang: Lang) -> Result<Option<String>> {
    Ok(names(db, dimension, lang, Some(key))?.remove(key))
}

/// Key -> name, of every key or of `only` that one.
fn names(db: &Db, dimension: Dimension, lang: Lang, only: Option<&str>) -> Result<BTreeMap<String, String>> {
    let pairs = |sql: &str| -> Result<BTreeMap<String, String>> {
        // SQLite flattens the subquery, so `k = ?` still uses the table's key.
        let rows = match only {
            Some(key) => db.query(&format!("SELECT k, n FROM ({sql}) WHERE k = ?"), &[text(key)])?,
            None => db.query(sql, &[])?,
        };
        Ok(rows.map(|row| Ok((row.text("k")?, row.text("n")?)))?.into_iter().collect())
    };
    let fixed = |pairs: Vec<(String, String)>| -> BTreeMap<String, String> { pairs.into_iter().filter(|(k, _)| only.is_none_or(|o| o == k)).collect() };
    match dimension {
        Dimension::National => Ok(fixed(vec![(String::new(), lang.pick("Nasional", "National").to_string())])),
        Dimension::Agency => pairs("SELECT code AS k, name AS n FROM agencies"),
        Dimension::Unit => pairs("SELECT code AS k, name AS n FROM units"),
        Dimension::Category => pairs(lang.pick("SELECT code AS k, name_id AS n FROM categories", "SELECT code AS k, name_en AS n FROM categories")),
        Dimension::Region | Dimension::Province => pairs(REGION_NAMES),
        Dimension::Channel => Ok(fixed(CHANNELS.iter().map(|(k, id, en)| (k.to_string(), lang.pick(id, en).to_string())).collect())),
        // Keys `agency/...`: named by their second part (`rising_this_month` is given those names).
        Dimension::AgencyCategory | Dimension::AgencyRegion => Ok(BTreeMap::new()),
    }
}

const CHANNELS: [(&str, &str, &str); 6] = [
    ("web", "Situs web", "Website"),
    ("api", "API", "API"),
    ("sms", "SMS", "SMS"),
    ("whatsapp", "WhatsApp", "WhatsApp"),
    ("embed", "Formulir di situs instansi", "Form on an agency's site"),
    ("open311", "Aplikasi mitra (Open311)", "Partner apps (Open311)"),
];

/// Region code -> the name of its local government (a province's or a
/// regency's/city's), the directory's only names for regions.
const REGION_NAMES: &str = "SELECT region AS k, name AS n FROM agencies WHERE region IS NOT NULL AND type IN ('pemprov', 'pemkab', 'pemkot')";

fn unit_names(db: &Db, agency: &str) -> Result<BTreeMap<String, String>> {
    Ok(db
        .query("SELECT code AS k, name AS n FROM units WHERE agency = ?", &[text(agency)])?
        .map(|row| Ok((row.text("k")?, row.text("n")?)))?
        .into_iter()
        .collect())
}

/// The league table's rows: every agency of `agency_type` (any if `None`)
/// in `province` (any if `None`) with reports in `range`, public figures.
pub fn league_rows(db: &Db, range: &Range, agency_type: Option<&str>, province: Option<&str>) -> Result<Vec<LeagueRow>> {
    let sums = by_key(db, Dimension::Agency, "", range, Audience::Public)?;
    let agencies = db
        .query("SELECT code, name, type, region FROM agencies", &[])?
        .map(|row| Ok((row.text("code")?, row.text("name")?, row.text("type")?, row.opt_text("region")?)))?;
    Ok(agencies
        .into_iter()
        .filter(|(_, _, t, _)| agency_type.is_none_or(|wanted| wanted == t))
        .filter(|(_, _, _, region)| province.is_none_or(|p| region.as_deref().is_some_and(|r| r.get(..2) == Some(p))))
        .filter_map(|(code, name, agency_type, region)| {
            let sums = sums.get(&code)?;
            Some(LeagueRow { figures: Figures::of(sums, Dimension::Agency), agency: code, name, agency_type, province: region.and_then(|r| r.get(..2).map(str::to_string)) })
        })
        .collect())
}

/// `?type=` and `?province=` of a league table request (API and page).
pub fn league_filters(request: &ApiRequest) -> Result<(Option<AgencyType>, Option<String>), ApiError> {
    let mut invalid = Vec::new();
    let agency_type = match request.query("type").filter(|t| !t.trim().is_empty()) {
        Some(raw) => AgencyType::parse("type", raw).map_err(|e| invalid.push(e)).ok(),
        None => None,
    };
    let province = match request.query("province").filter(|p| !p.trim().is_empty()) {
        Some(raw) => match RegionCode::parse("province", raw) {
            Ok(code) if code.as_str().len() == 2 => Some(code.as_str().to_string()),
            _ => {
                invalid.push(Invalid::new("province", "Kode provinsi dua angka (contoh: 32).", "A two-digit province code (e.g. 32)."));
                None
            }
        },
        None => None,
    };
    if invalid.is_empty() {
        Ok((agency_type, province))
    } else {
        Err(ApiError::bad_parameters(request.lang, &invalid))
    }
}

/// The league table today: the last [`LEAGUE_DAYS`] days, ranked by
/// `lapor_domain::stats::rank` (months as periods, for the trend).
pub fn league(db: &Db, today: chrono::NaiveDate, agency_type: Option<AgencyType>, province: Option<&str>) -> Result<(Range, Ranked)> {
    let range = Range::last_days(today, LEAGUE_DAYS, Group::Month);
    let rows = league_rows(db, &range, agency_type.map(AgencyType::as_str), province)?;
    Ok((range, rank(rows, MIN_RESPONSES_TO_RANK)))
}

/// The provinces (code, name) for a filter's choices.
pub fn provinces(db: &Db) -> Result<Vec<(String, String)>> {
    db.query("SELECT region AS k, name AS n FROM agencies WHERE type = 'pemprov' AND region IS NOT NULL ORDER BY region", &[])?
        .map(|row| Ok((row.text("k")?, row.text("n")?)))
}

/// What rose this month (`today`'s month so far against the same days of
/// the month before) in `dimension`'s keys under `prefix`: received or
/// sent to the agency (`Dimension::incoming`).
pub fn rising_this_month(db: &Db, dimension: Dimension, prefix: &str, today: chrono::NaiveDate, audience: Audience, names: &BTreeMap<String, String>) -> Result<Vec<lapor_domain::stats::Rising>> {
    use chrono::Datelike;
    let this_month = Range { from: today.with_day(1).expect("first of the month"), to: today, group: Group::Month };
    let last_start = (this_month.from - chrono::Duration::days(1)).with_day(1).expect("first of the month");
    let last_end = (last_start + chrono::Duration::days(i64::from(today.day()) - 1)).min(this_month.from - chrono::Duration::days(1));
    let last_month = Range { from: last_start, to: last_end, group: Group::Month };
    let volume = |sums: &Sums| sums.get(dimension.incoming());
    let name = |key: &str| {
        let short = key.trim_start_matches(prefix);
        names.get(short).cloned().unwrap_or_else(|| short.to_string())
    };
    let now: Vec<_> = by_key(db, dimension, prefix, &this_month, audience)?.iter().map(|(k, s)| (k.clone(), name(k), volume(s))).collect();
    let before: Vec<_> = by_key(db, dimension, prefix, &last_month, audience)?.iter().map(|(k, s)| (k.clone(), volume(s))).collect();
    Ok(lapor_domain::stats::rising(&now, &before, 5))
}

/// A report past its response deadline and not yet answered.
#[derive(Debug, Clone)]
pub struct Overdue {
    pub tracking_id: String,
    pub title: String,
    pub agency_name: String,
    pub unit_name: Option<String>,
    pub due: String,
    /// The agency's zone, to show the deadline in.
    pub zone: lapor_domain::agency::TimeZone,
}

/// The oldest missed response deadlines still open, of `agency` (every
/// agency if `None`): at most `limit` rows of a partial index holding only
/// reports past their response deadline (migration 13), never a scan.
pub fn oldest_overdue(db: &Db, agency: Option<&str>, limit: i64) -> Result<Vec<Overdue>> {
    let columns = "SELECT r.tracking_id, r.title, a.name AS agency_name, a.timezone, u.name AS unit_name, r.clock_due
           FROM reports r JOIN agencies a ON a.code = r.agency LEFT JOIN units u ON u.code = r.unit
          WHERE r.clock = 'response' AND r.clock_escalated = 1";
    let rows = match agency {
        Some(agency) => db.query(&format!("{columns} AND r.agency = ?1 ORDER BY r.clock_due LIMIT ?2"), &[text(agency), crate::db::int(limit)])?,
        None => db.query(&format!("{columns} ORDER BY r.clock_due LIMIT ?1"), &[crate::db::int(limit)])?,
    };
    rows.map(|row| {
        Ok(Overdue {
            tracking_id: row.text("tracking_id")?,
            title: row.text("title")?,
            agency_name: row.text("agency_name")?,
            unit_name: row.opt_text("unit_name")?,
            due: row.text("clock_due")?,
            zone: row.opt_text("timezone")?.and_then(|z| lapor_domain::agency::TimeZone::from_stored(&z)).unwrap_or(lapor_domain::agency::TimeZone::Wib),
        })
    })
}

/// Every agency with its figures over `range` as `audience` reads them.
pub fn agencies(db: &Db, range: &Range, audience: Audience) -> Result<Vec<KeyFigures>> {
    let names = names_of(db, Dimension::Agency, Lang::Id)?;
    key_figures(db, Dimension::Agency, "", range, audience, &names, false)
}

//! `/api/v1/stats`: the service's performance figures, live from the
//! rollups (`lapor_platform::stats`). Routes: `lapor_domain::routes::STATS`.
//!
//! Anyone may read them; a staff bearer token reads its own agency (an
//! administrator: everything) with confidential reports counted in every
//! split (`lapor_domain::stats::Audience`). Query: `from`, `to`
//! (YYYY-MM-DD, default the last 90 days), `group` (`day`, `week`, `month`).

mod export;

use lapor_domain::agency::TimeZone;
use lapor_domain::codes::RegionCode;
use lapor_domain::invalid::Invalid;
use lapor_domain::routes::{Found, Stats, STATS};
use lapor_domain::stats::{Audience, Dimension, Group, Range, MIN_RESPONSES_TO_RANK};
use lapor_platform::auth::{require_admin, require_staff};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::stats::read;
use lapor_platform::{clock, stats, store};
use serde::Serialize;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &STATS, |_| 1024, route).await
}

fn route(request: &ApiRequest, found: &Found<Stats>) -> Result<Response, ApiError> {
    match found.route {
        Stats::National => group(request, Dimension::National, ""),
        Stats::Agency => agency(request, found.param("code")),
        Stats::Categories => list(request, Dimension::Category),
        Stats::Regions => list(request, Dimension::Province),
        Stats::Region => region(request, found.param("code")),
        Stats::Channels => list(request, Dimension::Channel),
        Stats::League => league(request),
        Stats::Export => export::csv(request),
        Stats::Rebuild => rebuild(request),
        Stats::Weekly => weekly(request),
    }
}

/// The reader: staff if a bearer token is sent (401 if it is not valid).
fn reader(db: &Db, request: &ApiRequest) -> Result<Option<lapor_domain::staff::Principal>, ApiError> {
    if request.header("authorization").is_none() {
        return Ok(None);
    }
    require_staff(db, request, &clock::timestamp(clock::now())).map(Some)
}

/// `from` / `to` / `group` of the query; `to` defaults to today in `zone`
/// (the agency's, WIB for national and cross-agency figures).
pub(crate) fn range_of(request: &ApiRequest, zone: TimeZone) -> Result<Range, ApiError> {
    Range::parse(request.query("from"), request.query("to"), request.query("group"), clock::today_in(zone), Group::Week)
        .map_err(|e| ApiError::bad_parameters(request.lang, &e.0))
}

/// Public answers may be cached briefly; staff answers are private.
pub(crate) fn cache_for(audience: Audience) -> &'static str {
    match audience {
        Audience::Public => "public, max-age=60",
        Audience::Staff => "private, no-store",
    }
}

fn answer<T: Serialize>(value: &T, audience: Audience) -> Response {
    let mut answer = response::json(200, value, cache_for(audience));
    answer.set_header("vary", "authorization, accept-language");
    answer
}

fn group(request: &ApiRequest, dimension: Dimension, key: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let audience = Audience::of_reader(reader(&db, request)?.as_ref(), None);
    let range = range_of(request, TimeZone::Wib)?;
    Ok(answer(&read::group_stats(&db, dimension, key, &range, audience, request.lang)?, audience))
}

fn agency(request: &ApiRequest, code: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let agency = store::find_agency(&db, code)?.ok_or_else(|| ApiError::not_found(request.lang))?;
    let audience = Audience::of_reader(reader(&db, request)?.as_ref(), Some(&agency.code));
    let range = range_of(request, TimeZone::from_stored(&agency.timezone).unwrap_or(TimeZone::Wib))?;
    Ok(answer(&read::group_stats(&db, Dimension::Agency, &agency.code, &range, audience, request.lang)?, audience))
}

fn region(request: &ApiRequest, raw: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let code = RegionCode::parse("code", raw).map_err(|e| ApiError::bad_parameters(lang, &[e]))?;
    let dimension = match code.as_str().len() {
        2 => Dimension::Province,
        5 => Dimension::Region,
        _ => {
            return Err(ApiError::bad_parameters(
                lang,
                &[Invalid::new("code", "Gunakan kode provinsi (32) atau kabupaten/kota (32.73).", "Use a province (32) or regency/city (32.73) code.")],
            ))
        }
    };
    group(request, dimension, code.as_str())
}

fn list(request: &ApiRequest, dimension: Dimension) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let audience = Audience::of_reader(reader(&db, request)?.as_ref(), None);
    let range = range_of(request, TimeZone::Wib)?;
    Ok(answer(&read::key_list(&db, dimension, &range, audience, request.lang)?, audience))
}

/// The league table as JSON (the page `/kinerja` renders the same rows).
#[derive(Serialize)]
struct League {
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    /// Responses to a deadline needed in the window to be ranked.
    min_responses: i64,
    rule: &'static str,
    ranked: Vec<Position>,
    unranked: Vec<lapor_domain::stats::LeagueRow>,
}

#[derive(Serialize)]
struct Position {
    position: usize,
    #[serde(flatten)]
    row: lapor_domain::stats::LeagueRow,
}

fn league(request: &ApiRequest) -> Result<Response, ApiError> {
    let (agency_type, province) = read::league_filters(request)?;
    let db = Db::open()?;
    let (range, ranked) = read::league(&db, clock::today_in(TimeZone::Wib), agency_type, province.as_deref())?;
    let league = League {
        from: range.from,
        to: range.to,
        min_responses: MIN_RESPONSES_TO_RANK,
        rule: "on_time_rate desc, responses desc, response_days_median asc, agency asc",
        ranked: ranked.ranked.into_iter().map(|(position, row)| Position { position, row }).collect(),
        unranked: ranked.unranked,
    };
    Ok(answer(&league, Audience::Public))
}

fn rebuild(request: &ApiRequest) -> Result<Response, ApiError> {
    let db = Db::open()?;
    require_admin(&db, request, &clock::timestamp(clock::now()))?;
    Ok(response::json(200, &stats::rebuild(&db)?, "no-store"))
}

/// `POST /internal/stats/weekly`: stores last week's summaries (national
/// and per agency); safe to repeat.
fn weekly(request: &ApiRequest) -> Result<Response, ApiError> {
    lapor_platform::auth::require_internal_call(request, "weekly_summary_token")?;
    let db = Db::open()?;
    let now = clock::now();
    let week = stats::weekly::last_full_week(clock::today_in(TimeZone::Wib));
    let stored = db.transaction(|db| stats::weekly::store(db, &week, &clock::timestamp(now)))?;
    Ok(response::json(200, &serde_json::json!({"week_start": week.from, "week_end": week.to, "stored": stored}), "no-store"))
}

//! `/api/v1/calendar/holidays`: the non-working days the SLA clocks skip
//! (weekends are implied and never listed). Routes:
//! `lapor_domain::routes::CALENDAR`: anyone lists a year (`?year=YYYY`);
//! administrators put (`{name, kind}`) and delete a day (`YYYY-MM-DD`).
//!
//! A change applies to deadlines computed after it; deadlines already set
//! keep their value (a report's promise does not move under it).

use chrono::{Datelike, NaiveDate};
use lapor_domain::command::SetHoliday;
use lapor_domain::problem::ProblemKind;
use lapor_domain::routes::{Calendar, Found, CALENDAR};
use lapor_actions::holidays;
use lapor_domain::view::CalendarYear;
use lapor_platform::auth::require_admin;
use lapor_platform::calendar;
use lapor_platform::db::Db;
use lapor_platform::request::{bad_parameter, ApiRequest};
use lapor_platform::response::{self, ApiError};
use lapor_platform::{clock, workflow};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &CALENDAR, |_| 8 * 1024, route).await
}

fn route(request: &ApiRequest, found: &Found<Calendar>) -> Result<Response, ApiError> {
    match found.route {
        Calendar::List => list(request),
        Calendar::Put => put(request, found.param("date")),
        Calendar::Delete => delete(request, found.param("date")),
    }
}

fn list(request: &ApiRequest) -> Result<Response, ApiError> {
    let year: i32 = match request.query("year").filter(|y| !y.is_empty()) {
        None => clock::latest_indonesian_date(clock::now()).year(),
        Some(raw) => raw.trim().parse().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(|| {
            bad_parameter(request.lang, "year", "Gunakan tahun 2000 sampai 2100.", "Use a year from 2000 to 2100.")
        })?,
    };
    let db = Db::open()?;
    let items = calendar::holidays_in_year(&db, year)?;
    Ok(response::json(200, &CalendarYear { year, items }, "public, max-age=3600"))
}

fn parse_date(request: &ApiRequest, raw: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| ApiError::new(ProblemKind::MalformedRequest, request.lang, "Tanggal harus berbentuk YYYY-MM-DD.", "The date must be YYYY-MM-DD."))
}

fn put(request: &ApiRequest, raw_date: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let date = parse_date(request, raw_date)?;
    let body = workflow::json_object(request)?;
    let command = SetHoliday::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let principal = require_admin(&db, request, &clock::timestamp(clock::now()))?;
    let (day, existed) = holidays::set(&db, &principal, date, &command, lang)?;
    Ok(response::json(if existed { 200 } else { 201 }, &day, "no-store"))
}

fn delete(request: &ApiRequest, raw_date: &str) -> Result<Response, ApiError> {
    let date = parse_date(request, raw_date)?;
    let db = Db::open()?;
    let principal = require_admin(&db, request, &clock::timestamp(clock::now()))?;
    holidays::delete(&db, &principal, date, request.lang)?;
    Ok(Response::builder().status(204).header("cache-control", "no-store").body(Vec::new()).build())
}

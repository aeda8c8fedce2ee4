//! `GET /api/v1/stats/export.csv`: one row per group and period.
//!
//! Query: `dimension` (national, agency, unit, category, region, province,
//! channel; default national), `key` (one group; default every group of the
//! dimension), `from`, `to`, `group`. UTF-8, a header row, RFC 4180 quoting
//! (the `csv` crate).

use lapor_domain::invalid::Invalid;
use lapor_domain::stats::{csv_header, csv_record, Audience, Dimension, Figures, PeriodFigures, Sums};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::stats::{daily_by_key, read};
use spin_sdk::http::Response;

pub fn csv(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let dimension = match request.query("dimension").filter(|d| !d.trim().is_empty()) {
        None => Dimension::National,
        Some(raw) => Dimension::from_stored(raw.trim()).ok_or_else(|| {
            ApiError::bad_parameters(
                lang,
                &[Invalid::new(
                    "dimension",
                    "Pilih: national, agency, unit, category, region, province, channel.",
                    "Choose: national, agency, unit, category, region, province, channel.",
                )],
            )
        })?,
    };
    let key = request.query("key").map(str::trim).filter(|k| !k.is_empty());
    let db = Db::open()?;
    let reader = super::reader(&db, request)?;
    let agency = if dimension == Dimension::Agency { key } else { None };
    let audience = Audience::of_reader(reader.as_ref(), agency);
    let range = super::range_of(request, lapor_domain::agency::TimeZone::Wib)?;
    let names = read::names_of(&db, dimension, lang)?;
    let mut groups = daily_by_key(&db, dimension, key.unwrap_or(""), &range, audience)?;
    if let Some(key) = key {
        // The read is by prefix; one group was asked for.
        groups.retain(|k, _| k == key);
        groups.entry(key.to_string()).or_default();
    }
    if dimension == Dimension::National {
        groups.entry(String::new()).or_default();
    }
    let periods = range.periods();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(csv_header()).map_err(anyhow::Error::from)?;
    for (key, days) in &groups {
        let mut per_period = vec![Sums::default(); periods.len()];
        for (day, sums) in days {
            if let Some(i) = range.period_index(*day) {
                per_period[i].merge(sums);
            }
        }
        let name = names.get(key).cloned().unwrap_or_else(|| key.clone());
        for (period, sums) in periods.iter().zip(per_period) {
            let figures = PeriodFigures { start: period.start, end: period.end, figures: Figures::of(&sums, dimension) };
            out.write_record(csv_record(dimension.as_str(), key, &name, &figures)).map_err(anyhow::Error::from)?;
        }
    }
    let body = out.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
    let filename = format!("lapor-statistik-{}-{}-{}.csv", dimension.as_str(), range.from, range.to);
    Ok(Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", format!("attachment; filename=\"{filename}\""))
        .header("cache-control", super::cache_for(audience))
        .header("vary", "authorization, accept-language")
        .body(body)
        .build())
}

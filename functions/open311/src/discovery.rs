//! `GET discovery.{fmt}`: where the endpoint is, what it speaks, whom to ask
//! for a key. `changeset` is when the services (the taxonomy) last changed,
//! so a client knows when to fetch them again.

use lapor_domain::agency::TimeZone;
use lapor_domain::open311::format::{Document, Format};
use lapor_domain::open311::view::{w3c_in, DiscoveryView};
use lapor_platform::categories;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use spin_sdk::http::Response;

use crate::answer::{self, Failure, Internal};

/// Before any change to the taxonomy: when this endpoint was first served.
const FIRST_CHANGESET: &str = "2026-01-01T00:00:00+07:00";

pub fn discovery(request: &ApiRequest, format: Format) -> Result<Response, Failure> {
    let db = Db::open().or_internal(format)?;
    let changeset = categories::last_change(&db).or_internal(format)?.map(|at| w3c_in(&at, TimeZone::Wib));
    let view = DiscoveryView::new(&lapor_platform::site::public_base_url(), changeset.as_deref().unwrap_or(FIRST_CHANGESET), request.lang);
    Ok(answer::document(format, Document::Discovery, &view, 200, "public, max-age=300", request.lang))
}

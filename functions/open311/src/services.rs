//! `GET services.{fmt}` (every active category, as services) and
//! `GET services/{code}.{fmt}` (a service's definition: its attributes).
//! A retired category takes no new requests, so it is no service any more
//! (404), though requests filed under it keep its code and name.

use lapor_domain::category::Standing;
use lapor_domain::codes::CategoryCode;
use lapor_domain::open311::error::Open311Error;
use lapor_domain::open311::format::{Document, Format};
use lapor_domain::open311::service;
use lapor_platform::categories;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use spin_sdk::http::Response;

use crate::answer::{self, Failure, Internal};

/// The taxonomy changes rarely: five minutes (as `/api/v1/categories`).
const CACHE: &str = "public, max-age=300";

pub fn list(request: &ApiRequest, format: Format) -> Result<Response, Failure> {
    let db = Db::open().or_internal(format)?;
    let taxonomy = categories::list(&db, false).or_internal(format)?;
    let services = service::services(&taxonomy, request.lang);
    Ok(answer::document(format, Document::Services, &services, 200, CACHE, request.lang))
}

pub fn definition(request: &ApiRequest, code: &str, format: Format) -> Result<Response, Failure> {
    let not_found = || Failure::new(format, Open311Error::service_not_found(request.lang, code));
    let code = CategoryCode::parse("service_code", code).map_err(|_| not_found())?;
    let db = Db::open().or_internal(format)?;
    if categories::standing(&db, code.as_str()).or_internal(format)? != Standing::Active {
        return Err(not_found());
    }
    let definition = service::definition(code.as_str(), request.lang);
    Ok(answer::document(format, Document::ServiceDefinition, &definition, 200, CACHE, request.lang))
}

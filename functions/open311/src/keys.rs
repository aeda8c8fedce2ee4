//! `POST /api/v1/open311/keys {name}` and `DELETE /api/v1/open311/keys/{name}`:
//! administrators issue a partner app's key (shown once, in the `201`; only
//! its hash is kept) and revoke it. Our own API: problem details, 401 without
//! a staff token, 403 for any role but admin.

use lapor_domain::open311::key::{IssueKey, IssuedKey, KeyName};
use lapor_domain::problem::ProblemKind;
use lapor_domain::report::Channel;
use lapor_domain::routes::{Found, Open311};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::{auth, clock, open311 as data, random, workflow};
use spin_sdk::http::Response;

pub fn route(request: &ApiRequest, found: &Found<Open311>) -> Result<Response, ApiError> {
    match found.route {
        Open311::IssueKey => issue(request),
        Open311::RevokeKey => revoke(request, found.param("name")),
        // The /open311/v2/ routes never come here (their paths are not under /api/).
        _ => Err(ApiError::not_found(request.lang)),
    }
}

fn issue(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let db = Db::open()?;
    let now = clock::timestamp(clock::now());
    let admin = auth::require_admin(&db, request, &now)?;
    let body = workflow::json_object(request)?;
    let command = IssueKey::parse(&body).map_err(|invalid| ApiError::validation(lang, &invalid))?;
    let key = random::secret_token()?;
    if !data::insert_key(&db, &command.name, &key.hash(), &admin.id, &now)? {
        return Err(ApiError::new(
            ProblemKind::Conflict,
            lang,
            "Nama kunci ini sudah dipakai (juga oleh kunci yang dicabut): pilih nama lain.",
            "This key name is taken (revoked keys keep theirs): choose another.",
        ));
    }
    let issued = IssuedKey {
        channel: Channel::Open311(command.name.clone()).as_string(),
        name: command.name,
        api_key: key.as_str().to_string(),
        created_at: now,
    };
    Ok(response::json(201, &issued, "no-store"))
}

fn revoke(request: &ApiRequest, raw_name: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let now = clock::timestamp(clock::now());
    auth::require_admin(&db, request, &now)?;
    let decoded = percent_encoding::percent_decode_str(raw_name).decode_utf8_lossy();
    let name = KeyName::parse("name", &decoded).map_err(|_| ApiError::not_found(request.lang))?;
    if !data::revoke_key(&db, name.as_str(), &now)? {
        return Err(ApiError::not_found(request.lang));
    }
    Ok(Response::builder().status(204).header("cache-control", "no-store").body(Vec::new()).build())
}

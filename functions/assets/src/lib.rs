//! `GET /static/{name}`: the public pages' static files (`lapor_web_assets`),
//! compiled in under content-hashed names.
//!
//! A name is its content's hash, so a file may be cached for a year and
//! never revalidated (`immutable`); a changed file is a new name, linked by
//! the pages from the same constants. A strong `ETag` still lets a cache that
//! does revalidate get `304`. Unknown names are problem 404s, as every other
//! address of the table's component answers.

use lapor_domain::conditional::none_match_fails;
use lapor_domain::routes::{Assets, ASSETS};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

const CACHE: &str = "public, max-age=31536000, immutable";

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &ASSETS, |_| 0, |request, found| match found.route {
        Assets::File => file(request, found.param("name")),
        Assets::EmbedScript => embed_script(request),
    })
    .await
}

fn file(request: &ApiRequest, name: &str) -> Result<Response, ApiError> {
    let asset = lapor_web_assets::find(name).ok_or_else(|| ApiError::not_found(request.lang))?;
    Ok(serve(request, asset, CACHE))
}

/// `/embed.js`: agency websites link this fixed address, so a new version
/// must reach them within the hour; the ETag makes the check cheap.
fn embed_script(request: &ApiRequest) -> Result<Response, ApiError> {
    let name = lapor_web_assets::EMBED_JS.trim_start_matches("/static/");
    let asset = lapor_web_assets::find(name).ok_or_else(|| ApiError::not_found(request.lang))?;
    let mut response = serve(request, asset, "public, max-age=3600");
    // Loaded by other sites' pages; it reads nothing of theirs.
    response.set_header("cross-origin-resource-policy", "cross-origin");
    Ok(response)
}

fn serve(request: &ApiRequest, asset: &lapor_web_assets::Asset, cache: &str) -> Response {
    let status = if none_match_fails(request.header("if-none-match"), asset.etag) { 304 } else { 200 };
    let mut response = Response::builder();
    response
        .status(status)
        .header("etag", asset.etag)
        .header("cache-control", cache)
        .header("x-content-type-options", "nosniff");
    // A 304 carries the validators, not the body or its type (RFC 9110 §15.4.5).
    if status == 200 {
        response.header("content-type", asset.content_type).body(asset.bytes.to_vec());
    }
    response.build()
}

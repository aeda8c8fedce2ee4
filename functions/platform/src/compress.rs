//! Compression on every component's response path: Spin does not compress,
//! so the app does. `finish` is applied to each answer (by `request::serve`,
//! `routes::serve`, and the `web` component's own entry point):
//! brotli or gzip as `lapor_domain::encoding::negotiate` chooses from the
//! request's `Accept-Encoding`, for compressible types above a small size,
//! with `Vary: Accept-Encoding` wherever the answer depends on it.
//!
//! Both encoders are pure Rust (flate2 on miniz_oxide, brotli), so they build
//! for wasm32-wasip2. Bodies are whole in memory already (views are rendered
//! before they are sent), so compressing them whole costs no streaming.

use std::io::Write as _;

use lapor_domain::encoding::{compressible, negotiate, Coding, MIN_COMPRESSIBLE_BYTES};
use spin_sdk::http::Response;

/// Brotli quality for answers made per request: 5 is near gzip's speed
/// with clearly smaller output (11, the maximum, is for precompressed files).
const BROTLI_QUALITY: i32 = 5;
const BROTLI_WINDOW_BITS: i32 = 22;
const GZIP_LEVEL: u32 = 6;

/// The response, compressed if the client accepts a coding we speak and
/// the body is worth it. Status codes without a body (1xx, 204, 304) and
/// bodies that already carry a `Content-Encoding` are left alone. A HEAD
/// request's answer is treated as its GET's, so its headers (type, length,
/// encoding) are the ones a GET would get; the host sends no body.
pub fn finish(mut response: Response, accept_encoding: Option<&str>) -> Response {
    let status = *response.status();
    if status < 200 || status == 204 || status == 304 || response.header("content-encoding").is_some() {
        return response;
    }
    let content_type = response.header("content-type").and_then(|v| v.as_str()).unwrap_or("").to_string();
    if !compressible(&content_type) || response.body().len() < MIN_COMPRESSIBLE_BYTES {
        return response;
    }
    add_vary(&mut response, "accept-encoding");
    let Some(coding) = negotiate(accept_encoding) else { return response };
    let encoded = match encode(coding, response.body()) {
        Ok(encoded) => encoded,
        Err(e) => {
            // Writing into a Vec cannot fail; should it ever, identity is still right.
            eprintln!("compression failed, sent as is: {e}");
            return response;
        }
    };
    *response.body_mut() = encoded;
    response.set_header("content-encoding", coding.token());
    response
}

/// The body in `coding`.
pub fn encode(coding: Coding, body: &[u8]) -> std::io::Result<Vec<u8>> {
    match coding {
        Coding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::new(GZIP_LEVEL));
            encoder.write_all(body)?;
            encoder.finish()
        }
        Coding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams { quality: BROTLI_QUALITY, lgwin: BROTLI_WINDOW_BITS, ..Default::default() };
            let mut out = Vec::with_capacity(body.len() / 3);
            brotli::BrotliCompress(&mut &body[..], &mut out, &params)?;
            Ok(out)
        }
    }
}

/// Adds `name` to the response's `Vary` unless it is there already.
pub fn add_vary(response: &mut Response, name: &str) {
    let current = response.header("vary").and_then(|v| v.as_str()).unwrap_or("").to_string();
    if current.split(',').any(|v| v.trim().eq_ignore_ascii_case(name) || v.trim() == "*") {
        return;
    }
    let value = if current.trim().is_empty() { name.to_string() } else { format!("{current}, {name}") };
    response.set_header("vary", value);
}

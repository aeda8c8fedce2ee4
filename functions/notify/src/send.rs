//! One outbound POST with timeouts and a capped response.
//!
//! spin-sdk 5.2's `http::send` sets no timeouts (the host's default is ten
//! minutes) and reads any response whole. A follower's webhook is someone
//! else's server: it may hang or answer forever. So this goes one level
//! down, to `wasi:http/outgoing-handler` with `request-options`, and reads
//! at most `MAX_RESPONSE_BYTES`.

use lapor_domain::notification::{url_parts, ProviderRequest};
use spin_sdk::wit::wasi::http0_2_0::outgoing_handler;
use spin_sdk::wit::wasi::http0_2_0::types::{Fields, Method, OutgoingBody, OutgoingRequest, RequestOptions, Scheme};

const SECOND_NS: u64 = 1_000_000_000;
/// Provider answers are small JSON documents; more is not read.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// What came back.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Sends `call`; `Err` for anything that is not an HTTP answer (refused,
/// timed out, denied by `allowed_outbound_hosts`).
///
/// `timeout_seconds` bounds the connect, the wait for the first byte, each
/// gap between bytes, and the whole read of the answer.
pub fn post(call: &ProviderRequest, timeout_seconds: u64) -> Result<Answer, String> {
    let timeout_ns = timeout_seconds.max(1) * SECOND_NS;
    let (https, authority, path) = url_parts(&call.url)?;
    let scheme = if https { Scheme::Https } else { Scheme::Http };
    let entries: Vec<(String, Vec<u8>)> = call.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.as_bytes().to_vec())).collect();
    let headers = Fields::from_list(&entries).map_err(|e| format!("bad header: {e:?}"))?;
    let request = OutgoingRequest::new(headers);
    let _ = request.set_method(&Method::Post);
    let _ = request.set_scheme(Some(&scheme));
    request.set_authority(Some(authority)).map_err(|_| format!("bad host {authority}"))?;
    request.set_path_with_query(Some(path)).map_err(|_| format!("bad path {path}"))?;
    let body = request.body().map_err(|_| "request body unavailable".to_string())?;
    let options = RequestOptions::new();
    let _ = options.set_connect_timeout(Some(timeout_ns));
    let _ = options.set_first_byte_timeout(Some(timeout_ns));
    let _ = options.set_between_bytes_timeout(Some(timeout_ns));
    // Handle first, then write: the body flows while the host sends.
    let pending = outgoing_handler::handle(request, Some(options)).map_err(|e| format!("{e:?}"))?;
    {
        let stream = body.write().map_err(|_| "request body stream unavailable".to_string())?;
        for chunk in call.body.chunks(4096) {
            stream.blocking_write_and_flush(chunk).map_err(|e| format!("writing the body: {e:?}"))?;
        }
    }
    OutgoingBody::finish(body, None).map_err(|e| format!("finishing the body: {e:?}"))?;
    pending.subscribe().block();
    let response = match pending.get() {
        Some(Ok(Ok(response))) => response,
        Some(Ok(Err(code))) => return Err(format!("{code:?}")),
        _ => return Err("no response".into()),
    };
    let status = response.status();
    let headers = response
        .headers()
        .entries()
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
        .collect();
    let mut answer = Answer { status, headers, body: Vec::new() };
    let started = std::time::Instant::now();
    if let Ok(incoming) = response.consume() {
        if let Ok(stream) = incoming.stream() {
            while answer.body.len() < MAX_RESPONSE_BYTES && started.elapsed().as_secs() < timeout_seconds.max(1) {
                match stream.blocking_read(16 * 1024) {
                    Ok(chunk) => answer.body.extend_from_slice(&chunk),
                    // Closed is the normal end; a broken body still leaves the status.
                    Err(_) => break,
                }
            }
        }
    }
    answer.body.truncate(MAX_RESPONSE_BYTES);
    Ok(answer)
}

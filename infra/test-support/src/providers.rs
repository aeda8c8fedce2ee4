//! Stand-ins for the third-party messaging providers (Twilio SMS, the WhatsApp
//! Cloud API, SendGrid email, and outbound webhooks).
//!
//! They are real HTTP servers speaking each provider's documented wire
//! format, not mocks of our client code: the application under test sends
//! real HTTP to them, so a wrong header, an unencoded form or a missing JSON
//! field fails here the way it would fail against the provider. Errors come
//! back in each provider's own error shape, so the application's error
//! handling is exercised too.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use http_body_util::{BodyExt as _, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use serde_json::{json, Value};

/// The providers `fail_next` and `requests_to` know about.
const PROVIDERS: [&str; 4] = ["twilio", "whatsapp", "email", "webhook"];

/// One request a stand-in received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `"twilio"`, `"whatsapp"`, `"email"`, `"webhook"`, or `"unknown"` for a
    /// request that matched no route (answered 404) — recorded so that a
    /// misconfigured base URL shows up in `requests()` instead of vanishing.
    pub provider: &'static str,
    pub method: String,
    /// Path and query, as received.
    pub path: String,
    /// Header names are lowercase; values that are not UTF-8 are lossily decoded.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The status the stand-in answered.
    pub status: u16,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as `application/x-www-form-urlencoded` pairs (Twilio's format), decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        parse_form(&self.body)
    }

    /// The body as JSON. Panics, showing the body, if it is not JSON: a test
    /// that asks for JSON from a non-JSON body has found a bug.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} {} ({}) body is not JSON ({e}): {:?}",
                self.method,
                self.path,
                self.provider,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// One server on `127.0.0.1:<random port>` serving all four providers by path:
///
/// - Twilio Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`
/// - WhatsApp Cloud API: `POST /{version}/{phone_number_id}/messages`
/// - SendGrid v3: `POST /v3/mail/send`
/// - webhook receiver: `POST /hooks/...`, answered 204
///
/// Point the application's provider base URLs at [`Providers::origin`] and give
/// it the credentials in the associated constants.
///
/// The server runs on its own thread with its own tokio runtime, so it serves
/// sync tests as well as async ones (it never depends on the caller's runtime
/// making progress), and it stops when this is dropped.
pub struct Providers {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the handlers share with the test.
struct State {
    log: Mutex<Vec<Recorded>>,
    /// Statuses still to be injected, per provider, front first.
    failures: Mutex<HashMap<&'static str, VecDeque<u16>>>,
    /// Woken on every recorded request, so `wait_for_delivered` returns as
    /// soon as the delivery lands instead of on the next poll tick.
    arrived: tokio::sync::Notify,
}

impl Providers {
    /// Account SID the Twilio stand-in accepts (in the path and as the Basic auth user).
    pub const TWILIO_ACCOUNT_SID: &'static str = "AC00000000000000000000000000000000";
    /// Auth token the Twilio stand-in accepts (the Basic auth password).
    pub const TWILIO_AUTH_TOKEN: &'static str = "test-twilio-auth-token";
    /// Bearer token the WhatsApp stand-in accepts.
    pub const WHATSAPP_TOKEN: &'static str = "test-whatsapp-token";
    /// The only phone number ID the WhatsApp stand-in knows; others get Graph's
    /// "object does not exist" error, as a wrong ID would in production.
    pub const WHATSAPP_PHONE_NUMBER_ID: &'static str = "123456789012345";
    /// Bearer token the SendGrid stand-in accepts.
    pub const EMAIL_API_KEY: &'static str = "SG.test-key";

    pub fn start() -> Providers {
        Self::start_on("127.0.0.1:0".parse().unwrap()).unwrap()
    }

    /// The stand-ins on a chosen address (`make run`'s dev inbox).
    pub fn start_on(addr: SocketAddr) -> std::io::Result<Providers> {
        // Bound here, before the thread starts, so the port is known and
        // accepting (queued in the backlog) by the time `start` returns.
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            log: Mutex::new(Vec::new()),
            failures: Mutex::new(HashMap::new()),
            arrived: tokio::sync::Notify::new(),
        });
        let (shutdown, mut stop) = tokio::sync::oneshot::channel::<()>();
        let served = state.clone();
        let thread = std::thread::Builder::new()
            .name("provider-stand-ins".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    loop {
                        tokio::select! {
                            _ = &mut stop => break,
                            accepted = listener.accept() => {
                                let Ok((stream, _)) = accepted else { continue };
                                let state = served.clone();
                                tokio::spawn(async move {
                                    let service = hyper::service::service_fn(move |req| {
                                        let state = state.clone();
                                        async move { Ok::<_, Infallible>(handle(&state, req).await) }
                                    });
                                    // A client hanging up mid-request is not our failure to report.
                                    let _ = hyper::server::conn::http1::Builder::new()
                                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                                        .await;
                                });
                            }
                        }
                    }
                });
                // Dropping the runtime here cancels the open (keep-alive)
                // connections, so clients see the server go away.
            })?;
        Ok(Providers { addr, state, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// `http://127.0.0.1:<port>`
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next `n` requests to `provider` are answered with `status` (e.g.
    /// 500, 503, 429, 400) and a body in that provider's error format; after
    /// that, success again. Calls queue up behind each other.
    ///
    /// Injected failures come before authentication and validation, like an
    /// outage in front of the provider: whatever the request, it gets the
    /// failure.
    pub fn fail_next(&self, provider: &'static str, n: usize, status: u16) {
        assert!(PROVIDERS.contains(&provider), "unknown provider {provider:?}: one of {PROVIDERS:?}");
        assert!((100..=599).contains(&status), "not an HTTP status: {status}");
        let mut failures = self.state.failures.lock().unwrap();
        failures.entry(provider).or_default().extend(std::iter::repeat_n(status, n));
    }

    /// All requests so far (successful or not), in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.log.lock().unwrap().clone()
    }

    pub fn requests_to(&self, provider: &str) -> Vec<Recorded> {
        self.state.log.lock().unwrap().iter().filter(|r| r.provider == provider).cloned().collect()
    }

    /// Successful (2xx) requests to `provider`.
    pub fn delivered(&self, provider: &str) -> Vec<Recorded> {
        self.state
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.provider == provider && (200..300).contains(&r.status))
            .cloned()
            .collect()
    }

    /// Waits (up to `timeout`) until at least `n` successful requests to
    /// `provider` arrived; returns them.
    ///
    /// Panics on timeout, listing what did arrive: the application sends
    /// asynchronously, so a test's "it was delivered" needs a wait, and when
    /// it was not delivered the failed attempts are the diagnosis. Needs a
    /// tokio runtime with timers (`#[tokio::test]` has one).
    pub async fn wait_for_delivered(&self, provider: &str, n: usize, timeout: Duration) -> Vec<Recorded> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before checking, so an arrival between the check and
            // the wait still wakes us.
            let arrived = self.state.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let delivered = self.delivered(provider);
            if delivered.len() >= n {
                return delivered;
            }
            // The poll interval is a backstop only; `arrived` normally wakes us.
            let tick = (tokio::time::Instant::now() + Duration::from_millis(50)).min(deadline);
            if tokio::time::timeout_at(tick, arrived).await.is_err() && tokio::time::Instant::now() >= deadline {
                let seen: Vec<String> = self
                    .requests_to(provider)
                    .iter()
                    .map(|r| format!("{} {} -> {}: {}", r.method, r.path, r.status, String::from_utf8_lossy(&r.body)))
                    .collect();
                panic!(
                    "expected {n} deliveries to {provider} within {timeout:?}, got {}; requests to {provider}: {seen:#?}",
                    delivered.len()
                );
            }
        }
    }
}

impl Drop for Providers {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An answer before it becomes a hyper response (and a record).
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json; charset=utf-8".into())],
            body: body.to_string().into_bytes(),
        }
    }

    fn empty(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), body: Vec::new() }
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// Which stand-in a path belongs to, with what the path carries.
enum Route<'a> {
    Twilio { account_sid: &'a str },
    WhatsApp { phone_number_id: &'a str },
    Email,
    Webhook,
    Unknown,
}

fn route<'a>(method: &hyper::Method, path: &'a str) -> Route<'a> {
    if method != hyper::Method::POST {
        return Route::Unknown;
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["2010-04-01", "Accounts", sid, "Messages.json"] => Route::Twilio { account_sid: sid },
        ["v3", "mail", "send"] => Route::Email,
        ["hooks", rest @ ..] if rest.iter().any(|s| !s.is_empty()) => Route::Webhook,
        [version, id, "messages"] if is_graph_version(version) => Route::WhatsApp { phone_number_id: id },
        _ => Route::Unknown,
    }
}

/// Graph API versions look like `v21.0`.
fn is_graph_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else { return false };
    let mut parts = rest.split('.');
    let all_digits = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    all_digits(parts.next()) && all_digits(parts.next()) && parts.next().is_none()
}

async fn handle(state: &State, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = req.method().clone();
    let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    // A body the client failed to finish sending is recorded as what arrived: nothing.
    let body = match req.into_body().collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let path_only = path.split('?').next().unwrap_or("");
    let route = route(&method, path_only);
    let provider = match route {
        Route::Twilio { .. } => "twilio",
        Route::WhatsApp { .. } => "whatsapp",
        Route::Email => "email",
        Route::Webhook => "webhook",
        Route::Unknown => "unknown",
    };
    let injected = state.failures.lock().unwrap().get_mut(provider).and_then(|q| q.pop_front());
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let reply = match (injected, &route) {
        (Some(status), _) => injected_failure(provider, status),
        (None, Route::Twilio { account_sid }) => twilio(account_sid, header("authorization"), &body),
        (None, Route::WhatsApp { phone_number_id }) => whatsapp(phone_number_id, header("authorization"), &body),
        (None, Route::Email) => sendgrid(header("authorization"), &body),
        (None, Route::Webhook) => Reply::empty(204),
        (None, Route::Unknown) => Reply::empty(404),
    };

    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(*name, value);
    }
    let response = response.body(Full::new(Bytes::from(reply.body))).unwrap();
    state.log.lock().unwrap().push(Recorded {
        provider,
        method: method.to_string(),
        path,
        headers,
        body,
        status: reply.status,
    });
    state.arrived.notify_waiters();
    response
}

/// The body (in `provider`'s error format) for a `fail_next` failure.
fn injected_failure(provider: &'static str, status: u16) -> Reply {
    match provider {
        "twilio" => {
            let (code, message) = match status {
                400 => (21211, "Invalid 'To' Phone Number"),
                401 => (20003, "Authenticate"),
                404 => (20404, "The requested resource was not found"),
                429 => (20429, "Too Many Requests"),
                503 => (20503, "Service Unavailable"),
                _ => (20500, "Internal Server Error"),
            };
            twilio_error(status, code, message)
        }
        "whatsapp" => match status {
            400 => graph_error(400, 100, "(#100) Invalid parameter", None, None),
            401 => graph_error(401, 190, "Invalid OAuth access token.", None, None),
            429 => graph_error(
                429,
                130429,
                "(#130429) Rate limit hit",
                None,
                Some("Cloud API message throughput has been reached."),
            ),
            503 => graph_error(503, 2, "Service temporarily unavailable", None, None),
            _ => graph_error(status, 1, "An unknown error has occurred.", None, None),
        },
        "email" => {
            let message = match status {
                400 => "Bad Request",
                401 => "The provided authorization grant is invalid, expired, or revoked",
                403 => "access forbidden",
                413 => "Payload Too Large",
                429 => "too many requests",
                503 => "Service Unavailable",
                _ => "An internal server error occurred.",
            };
            Reply::json(status, json!({"errors": [{"message": message, "field": null, "help": null}]}))
        }
        _ => Reply::empty(status),
    }
}

// ---- Twilio -------------------------------------------------------------

/// Twilio's REST error body.
fn twilio_error(status: u16, code: u32, message: &str) -> Reply {
    Reply::json(
        status,
        json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status,
        }),
    )
}

/// `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: creates a Message.
fn twilio(account_sid: &str, authorization: Option<&str>, body: &[u8]) -> Reply {
    let authenticated = basic_credentials(authorization)
        .is_some_and(|(user, pass)| user == Providers::TWILIO_ACCOUNT_SID && pass == Providers::TWILIO_AUTH_TOKEN);
    // Valid credentials for one account do not open another account's path.
    if !authenticated || account_sid != Providers::TWILIO_ACCOUNT_SID {
        return twilio_error(401, 20003, "Authenticate").with_header("www-authenticate", "Basic realm=\"Twilio API\"");
    }
    let form = parse_form(body);
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    let media = form.iter().filter(|(k, v)| k == "MediaUrl" && !v.is_empty()).count();
    let Some(to) = field("To") else {
        return twilio_error(400, 21604, "A 'To' phone number is required.");
    };
    let from = field("From");
    let service = field("MessagingServiceSid");
    if from.is_none() && service.is_none() {
        return twilio_error(400, 21603, "A 'From' phone number is required.");
    }
    let text = field("Body").unwrap_or("");
    if text.is_empty() && media == 0 {
        return twilio_error(400, 21602, "Message body is required.");
    }
    if !is_e164(to.split_once(':').map_or(to, |(_, number)| number)) {
        return twilio_error(400, 21211, &format!("The 'To' number {to} is not a valid phone number."));
    }
    if text.chars().count() > 1600 {
        return twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    }

    let sid = format!("{}{:016x}{:016x}", if media > 0 { "MM" } else { "SM" }, random_u64(), random_u64());
    let now = chrono::Utc::now().to_rfc2822();
    let uri = format!("/2010-04-01/Accounts/{}/Messages/{sid}", Providers::TWILIO_ACCOUNT_SID);
    // Sent through a Messaging Service with no From, Twilio has not picked a
    // sender yet: the message is "accepted" and not yet segmented.
    let (status, segments) = match from {
        Some(_) => ("queued", sms_segments(text)),
        None => ("accepted", 0),
    };
    Reply::json(
        201,
        json!({
            "account_sid": Providers::TWILIO_ACCOUNT_SID,
            "api_version": "2010-04-01",
            "body": text,
            "date_created": now,
            "date_sent": null,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": null,
            "error_message": null,
            "from": from,
            "messaging_service_sid": service,
            "num_media": media.to_string(),
            "num_segments": segments.to_string(),
            "price": null,
            "price_unit": "USD",
            "sid": sid,
            "status": status,
            "subresource_uris": {
                "media": format!("{uri}/Media.json"),
                "feedback": format!("{uri}/Feedback.json"),
            },
            "to": to,
            "uri": format!("{uri}.json"),
        }),
    )
}

/// `+` then 7 to 15 digits, not starting with 0: what Twilio accepts as `To`.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
    })
}

/// How many SMS segments carry `text`: GSM-7 when every character is in the
/// GSM 03.38 alphabet (160 per message, 153 per part when split; extension
/// characters take two), UCS-2 otherwise (70, or 67 per part, in UTF-16 units).
/// Computed, not fixed at 1, because the application may bill or limit by it.
fn sms_segments(text: &str) -> usize {
    const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                         ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const EXTENSION: &str = "\u{c}^{}\\[~]|€";
    let gsm: Option<usize> = text
        .chars()
        .map(|c| {
            if BASIC.contains(c) {
                Some(1)
            } else if EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (units, single, part) = match gsm {
        Some(septets) => (septets, 160, 153),
        None => (text.encode_utf16().count(), 70, 67),
    };
    if units <= single {
        1
    } else {
        units.div_ceil(part)
    }
}

// ---- WhatsApp Cloud API (Graph) -----------------------------------------

/// A Graph API error body. `subcode` and `details` (WhatsApp's `error_data`)
/// are only present when Graph sends them.
fn graph_error(status: u16, code: u32, message: &str, subcode: Option<u32>, details: Option<&str>) -> Reply {
    let mut error = json!({
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_u64().to_be_bytes()),
    });
    if let Some(subcode) = subcode {
        error["error_subcode"] = json!(subcode);
    }
    if let Some(details) = details {
        error["error_data"] = json!({"messaging_product": "whatsapp", "details": details});
    }
    if matches!(code, 1 | 2) {
        error["is_transient"] = json!(true);
    }
    Reply::json(status, json!({ "error": error }))
}

/// Graph's "(#100)" validation error.
fn graph_invalid(message: &str, details: &str) -> Reply {
    graph_error(400, 100, message, None, Some(details))
}

/// `POST /{version}/{phone_number_id}/messages`: sends a message.
fn whatsapp(phone_number_id: &str, authorization: Option<&str>, body: &[u8]) -> Reply {
    if bearer_token(authorization) != Some(Providers::WHATSAPP_TOKEN) {
        return graph_error(401, 190, "Invalid OAuth access token.", None, None).with_header(
            "www-authenticate",
            "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token.\"",
        );
    }
    if phone_number_id != Providers::WHATSAPP_PHONE_NUMBER_ID {
        let message = format!(
            "Unsupported post request. Object with ID '{phone_number_id}' does not exist, cannot be loaded due to \
             missing permissions, or does not support this operation. Please read the Graph API documentation at \
             https://developers.facebook.com/docs/graph-api"
        );
        return graph_error(400, 100, &message, Some(33), None);
    }
    let Ok(message) = serde_json::from_slice::<Value>(body) else {
        return graph_invalid("(#100) Invalid parameter", "The request body is not valid JSON.");
    };
    if message["messaging_product"] != "whatsapp" {
        return graph_invalid(
            "(#100) The parameter messaging_product is required.",
            "messaging_product must be \"whatsapp\".",
        );
    }
    let Some(to) = message["to"].as_str().filter(|to| !to.is_empty()) else {
        return graph_invalid("(#100) The parameter to is required.", "to is required.");
    };
    // The Cloud API takes the number with or without its leading `+`; the
    // WhatsApp ID it answers with is the bare digits.
    let wa_id = to.strip_prefix('+').unwrap_or(to);
    if !(7..=15).contains(&wa_id.len()) || !wa_id.bytes().all(|b| b.is_ascii_digit()) {
        return graph_invalid("(#100) Invalid parameter", &format!("Invalid 'to' phone number: {to}"));
    }
    match message["type"].as_str() {
        Some("text") => match message["text"]["body"].as_str() {
            None | Some("") => {
                return graph_invalid("(#100) The parameter text['body'] is required.", "text.body is required.")
            }
            Some(text) if text.chars().count() > 4096 => {
                return graph_invalid(
                    "(#100) Param text['body'] must be at most 4096 characters long.",
                    "text.body is too long.",
                )
            }
            Some(_) => {}
        },
        // Outside the 24-hour customer service window only templates are
        // allowed, so an application may legitimately send one.
        Some("template") => {
            let template = &message["template"];
            if template["name"].as_str().is_none_or(str::is_empty)
                || template["language"]["code"].as_str().is_none_or(str::is_empty)
            {
                return graph_invalid(
                    "(#100) The parameter template['name'] and template['language']['code'] are required.",
                    "template.name and template.language.code are required.",
                );
            }
        }
        _ => return graph_invalid("(#100) Invalid parameter", "type must be \"text\" or \"template\"."),
    }
    let id = base64::engine::general_purpose::STANDARD
        .encode([random_u64(), random_u64(), random_u64()].iter().flat_map(|n| n.to_be_bytes()).collect::<Vec<u8>>());
    Reply::json(
        200,
        json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": wa_id}],
            "messages": [{"id": format!("wamid.{id}")}],
        }),
    )
}

// ---- SendGrid v3 ------------------------------------------------------------

/// One entry of SendGrid's `errors` array.
fn sendgrid_error(message: &str, field: Option<&str>, help: Option<&str>) -> Value {
    json!({"message": message, "field": field, "help": help.map(|anchor| {
        format!("http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#{anchor}")
    })})
}

/// `POST /v3/mail/send`: accepts a message for delivery (202, empty body).
fn sendgrid(authorization: Option<&str>, body: &[u8]) -> Reply {
    if bearer_token(authorization) != Some(Providers::EMAIL_API_KEY) {
        return Reply::json(
            401,
            json!({"errors": [sendgrid_error("The provided authorization grant is invalid, expired, or revoked", None, None)]}),
        );
    }
    let Ok(mail) = serde_json::from_slice::<Value>(body) else {
        return Reply::json(400, json!({"errors": [sendgrid_error("Bad Request", None, None)]}));
    };
    let valid_address =
        |v: &Value| v.as_str().is_some_and(|a| a.contains('@') && !a.starts_with('@') && !a.ends_with('@'));
    let has_text = |v: &Value| v.as_str().is_some_and(|s| !s.is_empty());
    // SendGrid reports every problem at once, not just the first.
    let mut errors = Vec::new();
    let personalizations = mail["personalizations"].as_array().filter(|p| !p.is_empty());
    match personalizations {
        None => errors.push(sendgrid_error(
            "The personalizations field is required and must have at least one personalization.",
            Some("personalizations"),
            Some("message.personalizations"),
        )),
        Some(personalizations) => {
            for (i, personalization) in personalizations.iter().enumerate() {
                match personalization["to"].as_array().filter(|to| !to.is_empty()) {
                    None => errors.push(sendgrid_error(
                        "The to array is required for all personalization objects, and must have at least one email \
                         object with a valid email address.",
                        Some(&format!("personalizations.{i}.to")),
                        Some("message.personalizations.to"),
                    )),
                    Some(to) => {
                        for (j, recipient) in to.iter().enumerate() {
                            if !valid_address(&recipient["email"]) {
                                errors.push(sendgrid_error(
                                    "Does not contain a valid address.",
                                    Some(&format!("personalizations.{i}.to.{j}.email")),
                                    Some("message.personalizations.to"),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    if !valid_address(&mail["from"]["email"]) {
        errors.push(sendgrid_error(
            "The from object must be provided for every email send. It is an object that requires the email \
             parameter, but may also contain a name parameter.",
            Some("from.email"),
            Some("message.from"),
        ));
    }
    let templated = has_text(&mail["template_id"]);
    let every_personalization_has_subject = personalizations.is_some_and(|p| p.iter().all(|p| has_text(&p["subject"])));
    if !has_text(&mail["subject"]) && !templated && !every_personalization_has_subject {
        errors.push(sendgrid_error(
            "The subject is required. You can get around this requirement if you use a template with a subject \
             defined or if every personalization has a subject defined.",
            Some("subject"),
            Some("message.subject"),
        ));
    }
    match mail["content"].as_array().filter(|c| !c.is_empty()) {
        None if !templated => errors.push(sendgrid_error(
            "Unless a valid template_id is provided, the content parameter is required. There must be at least one \
             defined content block. We typically suggest both text/plain and text/html blocks are included, but \
             only one block is required.",
            Some("content"),
            Some("message.content"),
        )),
        None => {}
        Some(content) => {
            for (i, block) in content.iter().enumerate() {
                if !has_text(&block["value"]) {
                    errors.push(sendgrid_error(
                        "The content value must be a string at least one character in length.",
                        Some(&format!("content.{i}.value")),
                        Some("message.content.value"),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Reply::json(400, json!({ "errors": errors }));
    }
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode([random_u64(), random_u64()].iter().flat_map(|n| n.to_be_bytes()).collect::<Vec<u8>>());
    Reply::empty(202).with_header("x-message-id", id)
}

// ---- Shared helpers -----------------------------------------------------------

/// `(user, password)` from an `Authorization: Basic ...` header.
fn basic_credentials(authorization: Option<&str>) -> Option<(String, String)> {
    let (scheme, encoded) = authorization?.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, pass) = decoded.split_once(':')?;
    Some((user.to_string(), pass.to_string()))
}

/// The token from an `Authorization: Bearer ...` header.
fn bearer_token(authorization: Option<&str>) -> Option<&str> {
    let (scheme, token) = authorization?.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Decodes `application/x-www-form-urlencoded` (`+` is a space, `%XX` a byte).
fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &[u8]) -> String {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                // A `%` not followed by two hex digits is kept as is, as browsers do.
                b'%' if i + 2 < s.len() && s[i + 1].is_ascii_hexdigit() && s[i + 2].is_ascii_hexdigit() => {
                    let hex = std::str::from_utf8(&s[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (decode(&pair[..eq]), decode(&pair[eq + 1..])),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// 64 random bits for IDs, from std's randomly keyed hasher (no RNG crate
/// needed; IDs only have to be unique and unpredictable-looking).
fn random_u64() -> u64 {
    use std::hash::BuildHasher as _;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    std::collections::hash_map::RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn twilio_url(p: &Providers) -> String {
        format!("{}/2010-04-01/Accounts/{}/Messages.json", p.origin(), Providers::TWILIO_ACCOUNT_SID)
    }

    fn whatsapp_url(p: &Providers) -> String {
        format!("{}/v21.0/{}/messages", p.origin(), Providers::WHATSAPP_PHONE_NUMBER_ID)
    }

    fn email_url(p: &Providers) -> String {
        format!("{}/v3/mail/send", p.origin())
    }

    async fn send_sms(client: &reqwest::Client, p: &Providers, form: &[(&str, &str)]) -> reqwest::Response {
        client
            .post(twilio_url(p))
            .basic_auth(Providers::TWILIO_ACCOUNT_SID, Some(Providers::TWILIO_AUTH_TOKEN))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    fn whatsapp_text(to: &str, body: &str) -> Value {
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text", "text": {"body": body}})
    }

    fn email(to: &str) -> Value {
        json!({
            "personalizations": [{"to": [{"email": to}]}],
            "from": {"email": "noreply@example.com", "name": "Example"},
            "subject": "Your appointment",
            "content": [{"type": "text/plain", "value": "See you tomorrow."}],
        })
    }

    #[tokio::test]
    async fn twilio_accepts_a_message_and_answers_with_the_resource() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let response =
            send_sms(&client, &p, &[("To", "+15005550006"), ("From", "+15005550001"), ("Body", "Hi & bye = 100%")])
                .await;
        assert_eq!(response.status(), 201);
        let message: Value = response.json().await.unwrap();
        let sid = message["sid"].as_str().unwrap();
        assert!(sid.starts_with("SM") && sid.len() == 34 && sid[2..].bytes().all(|b| b.is_ascii_hexdigit()), "{sid}");
        assert_eq!(message["account_sid"], Providers::TWILIO_ACCOUNT_SID);
        assert_eq!(message["to"], "+15005550006");
        assert_eq!(message["from"], "+15005550001");
        assert_eq!(message["body"], "Hi & bye = 100%");
        assert_eq!(message["status"], "queued");
        assert_eq!(message["num_segments"], "1");
        assert_eq!(message["direction"], "outbound-api");
        assert_eq!(
            message["uri"],
            format!("/2010-04-01/Accounts/{}/Messages/{sid}.json", Providers::TWILIO_ACCOUNT_SID)
        );
        chrono::DateTime::parse_from_rfc2822(message["date_created"].as_str().unwrap()).unwrap();

        let delivered = p.delivered("twilio");
        assert_eq!(delivered.len(), 1);
        let recorded = &delivered[0];
        assert_eq!((recorded.method.as_str(), recorded.status), ("POST", 201));
        assert_eq!(recorded.header("Content-Type"), Some("application/x-www-form-urlencoded"));
        assert!(recorded.form().contains(&("Body".into(), "Hi & bye = 100%".into())));
    }

    #[tokio::test]
    async fn twilio_messaging_service_without_from_is_accepted_not_queued() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let response = send_sms(
            &client,
            &p,
            &[("To", "+15005550006"), ("MessagingServiceSid", "MG00000000000000000000000000000000"), ("Body", "x")],
        )
        .await;
        assert_eq!(response.status(), 201);
        let message: Value = response.json().await.unwrap();
        assert_eq!(message["status"], "accepted");
        assert_eq!(message["from"], Value::Null);
        assert_eq!(message["messaging_service_sid"], "MG00000000000000000000000000000000");
    }

    #[tokio::test]
    async fn twilio_rejects_bad_credentials_and_foreign_accounts() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let form = [("To", "+15005550006"), ("From", "+15005550001"), ("Body", "hi")];
        let wrong_token = client
            .post(twilio_url(&p))
            .basic_auth(Providers::TWILIO_ACCOUNT_SID, Some("wrong"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(wrong_token.status(), 401);
        assert!(wrong_token.headers()["www-authenticate"].to_str().unwrap().starts_with("Basic"));
        let error: Value = wrong_token.json().await.unwrap();
        assert_eq!(
            error,
            json!({"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401})
        );
        let no_auth = client.post(twilio_url(&p)).form(&form).send().await.unwrap();
        assert_eq!(no_auth.status(), 401);
        let other_account = client
            .post(format!("{}/2010-04-01/Accounts/AC11111111111111111111111111111111/Messages.json", p.origin()))
            .basic_auth(Providers::TWILIO_ACCOUNT_SID, Some(Providers::TWILIO_AUTH_TOKEN))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(other_account.status(), 401);
        assert!(p.delivered("twilio").is_empty());
        assert_eq!(p.requests_to("twilio").iter().map(|r| r.status).collect::<Vec<_>>(), [401, 401, 401]);
    }

    #[tokio::test]
    async fn twilio_validates_the_form() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let code = |response: reqwest::Response| async move {
            assert_eq!(response.status(), 400);
            response.json::<Value>().await.unwrap()["code"].as_u64().unwrap()
        };
        assert_eq!(code(send_sms(&client, &p, &[("From", "+15005550001"), ("Body", "hi")]).await).await, 21604);
        assert_eq!(code(send_sms(&client, &p, &[("To", "+15005550006"), ("Body", "hi")]).await).await, 21603);
        assert_eq!(code(send_sms(&client, &p, &[("To", "+15005550006"), ("From", "+15005550001")]).await).await, 21602);
        assert_eq!(
            code(send_sms(&client, &p, &[("To", "555-0006"), ("From", "+15005550001"), ("Body", "hi")]).await).await,
            21211
        );
        // JSON is not what Twilio reads: the form fields are simply missing.
        let json_body = client
            .post(twilio_url(&p))
            .basic_auth(Providers::TWILIO_ACCOUNT_SID, Some(Providers::TWILIO_AUTH_TOKEN))
            .json(&json!({"To": "+15005550006", "From": "+15005550001", "Body": "hi"}))
            .send()
            .await
            .unwrap();
        assert_eq!(code(json_body).await, 21604);
        assert!(p.delivered("twilio").is_empty());
    }

    #[tokio::test]
    async fn twilio_fail_next_then_success() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        p.fail_next("twilio", 2, 503);
        let form = [("To", "+15005550006"), ("From", "+15005550001"), ("Body", "hi")];
        for _ in 0..2 {
            let response = send_sms(&client, &p, &form).await;
            assert_eq!(response.status(), 503);
            let error: Value = response.json().await.unwrap();
            assert_eq!((error["code"].as_u64(), error["status"].as_u64()), (Some(20503), Some(503)));
        }
        assert_eq!(send_sms(&client, &p, &form).await.status(), 201);
        assert_eq!(p.requests_to("twilio").iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 201]);
        assert_eq!(p.delivered("twilio").len(), 1);
    }

    #[tokio::test]
    async fn whatsapp_sends_a_text_message() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let response = client
            .post(whatsapp_url(&p))
            .bearer_auth(Providers::WHATSAPP_TOKEN)
            .json(&whatsapp_text("+15551234567", "hello"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let sent: Value = response.json().await.unwrap();
        assert_eq!(sent["messaging_product"], "whatsapp");
        assert_eq!(sent["contacts"], json!([{"input": "+15551234567", "wa_id": "15551234567"}]));
        assert!(sent["messages"][0]["id"].as_str().unwrap().starts_with("wamid."));
        let delivered = p.delivered("whatsapp");
        assert_eq!(delivered.len(), 1);
        assert_eq!(delivered[0].json()["text"]["body"], "hello");
        assert_eq!(delivered[0].header("authorization"), Some("Bearer test-whatsapp-token"));
    }

    #[tokio::test]
    async fn whatsapp_rejects_a_bad_token_with_a_graph_error() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let response = client
            .post(whatsapp_url(&p))
            .bearer_auth("nope")
            .json(&whatsapp_text("15551234567", "x"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], 190);
        assert_eq!(error["error"]["type"], "OAuthException");
        assert_eq!(error["error"]["message"], "Invalid OAuth access token.");
        assert!(error["error"]["fbtrace_id"].is_string());
        assert!(p.delivered("whatsapp").is_empty());
    }

    #[tokio::test]
    async fn whatsapp_validates_the_message() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let send = |url: String, body: Value| {
            let request = client.post(url).bearer_auth(Providers::WHATSAPP_TOKEN).json(&body);
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.json::<Value>().await.unwrap())
            }
        };
        let invalid = [
            json!({"messaging_product": "whatsapp", "to": "15551234567", "type": "text", "text": {}}),
            json!({"to": "15551234567", "type": "text", "text": {"body": "x"}}),
            json!({"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}}),
            json!({"messaging_product": "whatsapp", "to": "not a number", "type": "text", "text": {"body": "x"}}),
            json!({"messaging_product": "whatsapp", "to": "15551234567", "type": "text", "text": {"body": "x".repeat(4097)}}),
        ];
        for body in invalid {
            let (status, error) = send(whatsapp_url(&p), body.clone()).await;
            assert_eq!((status, error["error"]["code"].as_u64()), (400, Some(100)), "{body}");
        }
        let (status, error) =
            send(format!("{}/v21.0/999/messages", p.origin()), whatsapp_text("15551234567", "x")).await;
        assert_eq!(
            (status, error["error"]["code"].as_u64(), error["error"]["error_subcode"].as_u64()),
            (400, Some(100), Some(33))
        );
        let template = json!({"messaging_product": "whatsapp", "to": "15551234567", "type": "template",
                              "template": {"name": "hello_world", "language": {"code": "en_US"}}});
        assert_eq!(send(whatsapp_url(&p), template).await.0, 200);
        assert_eq!(p.delivered("whatsapp").len(), 1);
    }

    #[tokio::test]
    async fn whatsapp_fail_next_then_success() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        p.fail_next("whatsapp", 1, 500);
        p.fail_next("whatsapp", 1, 429);
        let mut statuses = Vec::new();
        for _ in 0..3 {
            let response = client
                .post(whatsapp_url(&p))
                .bearer_auth(Providers::WHATSAPP_TOKEN)
                .json(&whatsapp_text("15551234567", "x"))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            statuses.push((status, body["error"]["code"].as_u64()));
        }
        assert_eq!(statuses, [(500, Some(1)), (429, Some(130429)), (200, None)]);
        assert_eq!(p.delivered("whatsapp").len(), 1);
    }

    #[tokio::test]
    async fn sendgrid_accepts_mail_with_an_empty_202() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let response = client
            .post(email_url(&p))
            .bearer_auth(Providers::EMAIL_API_KEY)
            .json(&email("a@example.com"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        assert!(!response.headers()["x-message-id"].is_empty());
        assert!(response.bytes().await.unwrap().is_empty());
        let delivered = p.delivered("email");
        assert_eq!(delivered.len(), 1);
        assert_eq!(delivered[0].json()["personalizations"][0]["to"][0]["email"], "a@example.com");
    }

    #[tokio::test]
    async fn sendgrid_rejects_a_bad_key() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let response =
            client.post(email_url(&p)).bearer_auth("SG.wrong").json(&email("a@example.com")).send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({"errors": [{"message": "The provided authorization grant is invalid, expired, or revoked", "field": null, "help": null}]})
        );
        assert!(p.delivered("email").is_empty());
    }

    #[tokio::test]
    async fn sendgrid_reports_every_validation_error() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        let mail = json!({"personalizations": [{"to": [{"email": "not-an-address"}]}], "from": {}, "content": [{"type": "text/plain", "value": ""}]});
        let response =
            client.post(email_url(&p)).bearer_auth(Providers::EMAIL_API_KEY).json(&mail).send().await.unwrap();
        assert_eq!(response.status(), 400);
        let errors: Value = response.json().await.unwrap();
        let fields: Vec<&str> =
            errors["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["personalizations.0.to.0.email", "from.email", "subject", "content.0.value"]);
        let no_personalizations = client
            .post(email_url(&p))
            .bearer_auth(Providers::EMAIL_API_KEY)
            .json(&json!({"from": {"email": "a@example.com"}, "subject": "s", "content": [{"type": "text/plain", "value": "v"}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(no_personalizations.status(), 400);
        assert_eq!(no_personalizations.json::<Value>().await.unwrap()["errors"][0]["field"], "personalizations");
        assert!(p.delivered("email").is_empty());
    }

    #[tokio::test]
    async fn sendgrid_fail_next_then_success() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        p.fail_next("email", 1, 429);
        let send =
            || client.post(email_url(&p)).bearer_auth(Providers::EMAIL_API_KEY).json(&email("a@example.com")).send();
        let failed = send().await.unwrap();
        assert_eq!(failed.status(), 429);
        assert_eq!(failed.json::<Value>().await.unwrap()["errors"][0]["message"], "too many requests");
        assert_eq!(send().await.unwrap().status(), 202);
        assert_eq!(p.requests_to("email").iter().map(|r| r.status).collect::<Vec<_>>(), [429, 202]);
    }

    #[tokio::test]
    async fn webhook_receiver_records_and_answers_204() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        p.fail_next("webhook", 1, 500);
        let post = || {
            client
                .post(format!("{}/hooks/tenant-1/events?attempt=1", p.origin()))
                .header("X-Signature", "sha256=abc")
                .json(&json!({"event": "booked"}))
                .send()
        };
        let failed = post().await.unwrap();
        assert_eq!(failed.status(), 500);
        assert!(failed.bytes().await.unwrap().is_empty());
        assert_eq!(post().await.unwrap().status(), 204);
        let delivered = p.delivered("webhook");
        assert_eq!(delivered.len(), 1);
        assert_eq!(delivered[0].path, "/hooks/tenant-1/events?attempt=1");
        assert_eq!(delivered[0].header("x-signature"), Some("sha256=abc"));
        assert_eq!(delivered[0].json(), json!({"event": "booked"}));
    }

    #[tokio::test]
    async fn anything_else_is_404_and_still_recorded() {
        let p = Providers::start();
        let client = reqwest::Client::new();
        assert_eq!(client.post(format!("{}/nowhere", p.origin())).send().await.unwrap().status(), 404);
        assert_eq!(client.get(email_url(&p)).send().await.unwrap().status(), 404);
        assert_eq!(client.post(format!("{}/hooks/", p.origin())).send().await.unwrap().status(), 404);
        let recorded = p.requests();
        assert_eq!(recorded.len(), 3);
        assert!(recorded.iter().all(|r| r.provider == "unknown" && r.status == 404));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn many_concurrent_requests_are_all_recorded() {
        let p = Arc::new(Providers::start());
        let client = reqwest::Client::new();
        p.fail_next("twilio", 10, 500);
        let mut tasks = Vec::new();
        for i in 0..200 {
            let (p, client) = (p.clone(), client.clone());
            tasks.push(tokio::spawn(async move {
                match i % 4 {
                    0 => send_sms(
                        &client,
                        &p,
                        &[("To", "+15005550006"), ("From", "+15005550001"), ("Body", &i.to_string())],
                    )
                    .await
                    .status(),
                    1 => client
                        .post(whatsapp_url(&p))
                        .bearer_auth(Providers::WHATSAPP_TOKEN)
                        .json(&whatsapp_text("15551234567", &i.to_string()))
                        .send()
                        .await
                        .unwrap()
                        .status(),
                    2 => client
                        .post(email_url(&p))
                        .bearer_auth(Providers::EMAIL_API_KEY)
                        .json(&email("a@example.com"))
                        .send()
                        .await
                        .unwrap()
                        .status(),
                    _ => client.post(format!("{}/hooks/{i}", p.origin())).body("x").send().await.unwrap().status(),
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(p.requests().len(), 200);
        assert_eq!(p.requests_to("twilio").iter().filter(|r| r.status == 500).count(), 10);
        assert_eq!(p.delivered("twilio").len(), 40);
        for provider in ["whatsapp", "email", "webhook"] {
            assert_eq!(p.delivered(provider).len(), 50, "{provider}");
        }
        let mut bodies: Vec<String> = p
            .requests_to("twilio")
            .iter()
            .map(|r| r.form().into_iter().find(|(k, _)| k == "Body").unwrap().1)
            .collect();
        bodies.sort();
        bodies.dedup();
        assert_eq!(bodies.len(), 50);
    }

    #[tokio::test]
    async fn wait_for_delivered_returns_once_the_delivery_lands() {
        let p = Providers::start();
        let url = email_url(&p);
        p.fail_next("email", 1, 503);
        let sender = tokio::spawn(async move {
            let client = reqwest::Client::new();
            for _ in 0..2 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                client
                    .post(&url)
                    .bearer_auth(Providers::EMAIL_API_KEY)
                    .json(&email("a@example.com"))
                    .send()
                    .await
                    .unwrap();
            }
        });
        let delivered = p.wait_for_delivered("email", 1, Duration::from_secs(10)).await;
        assert_eq!(delivered.len(), 1);
        assert_eq!(p.requests_to("email").len(), 2);
        sender.await.unwrap();
    }

    #[tokio::test]
    #[should_panic(expected = "expected 1 deliveries to twilio")]
    async fn wait_for_delivered_panics_on_timeout() {
        let p = Providers::start();
        p.wait_for_delivered("twilio", 1, Duration::from_millis(100)).await;
    }

    /// No tokio anywhere in the test: the stand-ins run on their own runtime.
    #[test]
    fn serves_sync_tests_and_stops_on_drop() {
        use std::io::{Read as _, Write as _};
        let p = Providers::start();
        let addr = p.addr;
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        write!(stream, "POST /hooks/sync HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 204"), "{response}");
        assert_eq!(p.delivered("webhook")[0].body, b"ok");
        drop(p);
        assert!(std::net::TcpStream::connect(addr).is_err());
    }

    #[test]
    #[should_panic(expected = "unknown provider")]
    fn fail_next_rejects_unknown_providers() {
        Providers::start().fail_next("sms", 1, 500);
    }

    #[test]
    fn counts_sms_segments_like_twilio() {
        assert_eq!(sms_segments("hello"), 1);
        assert_eq!(sms_segments(&"a".repeat(160)), 1);
        assert_eq!(sms_segments(&"a".repeat(161)), 2);
        assert_eq!(sms_segments(&"a".repeat(306)), 2);
        assert_eq!(sms_segments(&"a".repeat(307)), 3);
        // `€` is a GSM-7 extension character: two septets.
        assert_eq!(sms_segments(&"€".repeat(80)), 1);
        assert_eq!(sms_segments(&"€".repeat(81)), 2);
        // Anything outside GSM-7 switches the whole message to UCS-2.
        assert_eq!(sms_segments(&format!("{}✓", "a".repeat(69))), 1);
        assert_eq!(sms_segments(&format!("{}✓", "a".repeat(70))), 2);
    }

    #[test]
    fn decodes_forms() {
        assert_eq!(
            parse_form(b"To=%2B15005550006&Body=Hi+there%21&Empty=&Flag&Bad=%zz%4"),
            [
                ("To".to_string(), "+15005550006".to_string()),
                ("Body".into(), "Hi there!".into()),
                ("Empty".into(), "".into()),
                ("Flag".into(), "".into()),
                ("Bad".into(), "%zz%4".into()),
            ]
        );
    }
}

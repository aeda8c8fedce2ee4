//! The HTTP listener: routing, the runtime's own routes, one log line per
//! request, a bounded number of concurrent instances, graceful shutdown.
//!
//! A request takes an instance permit only once it is ready to run: its
//! headers arrived within `header_read_timeout` and its body (up to
//! `max_buffered_body_bytes`, from a budget shared by all connections) has
//! been read, each piece within `body_read_timeout`. A client that sends
//! slowly therefore holds a connection and the bytes it sent, never an
//! instance; one address holds at most `max_connections_per_address`
//! connections. Refusals are HTTP answers: 408 for a body that stopped
//! arriving, 503 with `Retry-After` for a full buffer or too many connections.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use bytes::Bytes;
use http_body::Body as _;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::app::App;
use crate::body::RequestBody;
use crate::routes::WELL_KNOWN_PREFIX;

pub type ResponseBody = http_body_util::combinators::UnsyncBoxBody<Bytes, wasmtime_wasi_http::Error>;

/// How long shutdown waits for in-flight requests before giving up.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// What a client may hold before its request runs (the runner's CLI options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Concurrent component instances; further requests wait for a permit.
    pub max_concurrent_requests: usize,
    /// Time for a request's headers to arrive (and for an idle keep-alive
    /// connection to send its next request); past it the connection closes.
    pub header_read_timeout: Duration,
    /// Longest wait for the next piece of a request body; past it, 408.
    pub body_read_timeout: Duration,
    /// A body up to this size is read whole before its instance starts;
    /// a larger one streams to the guest after this much.
    pub max_buffered_body_bytes: usize,
    /// Bytes of request bodies held in memory across all connections; a body
    /// that would go past it is answered 503 with `Retry-After`.
    pub body_buffer_budget_bytes: usize,
    /// Open connections one client address may hold (0: no cap); a further
    /// one is answered 503 with `Retry-After`.
    pub max_connections_per_address: usize,
}

impl Limits {
    /// Above `make bench`'s connection count and any app test's; the buffer
    /// above the largest body the app accepts (5 MiB attachments).
    pub const DEFAULT: Limits = Limits {
        max_concurrent_requests: 256,
        header_read_timeout: Duration::from_secs(30),
        body_read_timeout: Duration::from_secs(30),
        max_buffered_body_bytes: 8 << 20,
        body_buffer_budget_bytes: 256 << 20,
        max_connections_per_address: 512,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The shared state behind [`Limits`].
struct Gates {
    limits: Limits,
    /// Instance permits.
    instances: Arc<Semaphore>,
    /// Bytes of request bodies held in memory, one permit per byte.
    buffer: Arc<Semaphore>,
    /// Requests whose bodies still stream to a running guest: at most a
    /// quarter of the instances, so slow large uploads cannot take them all.
    streaming: Arc<Semaphore>,
    connections: Mutex<HashMap<IpAddr, usize>>,
}

impl Gates {
    fn new(limits: Limits) -> Self {
        let instances = limits.max_concurrent_requests.max(1);
        Self {
            instances: Arc::new(Semaphore::new(instances)),
            buffer: Arc::new(Semaphore::new(limits.body_buffer_budget_bytes.min(Semaphore::MAX_PERMITS))),
            streaming: Arc::new(Semaphore::new((instances / 4).max(1))),
            connections: Mutex::new(HashMap::new()),
            limits,
        }
    }

    /// Counts a connection from `ip`, or `None` when that address is at its cap.
    fn open_connection(self: &Arc<Self>, ip: IpAddr) -> Option<ConnectionSlot> {
        let mut connections = self.connections.lock().expect("connection counts");
        let open = connections.entry(ip).or_insert(0);
        if self.limits.max_connections_per_address > 0 && *open >= self.limits.max_connections_per_address {
            return None;
        }
        *open += 1;
        Some(ConnectionSlot { gates: self.clone(), ip })
    }
}

/// One open connection, counted against its address until dropped.
struct ConnectionSlot {
    gates: Arc<Gates>,
    ip: IpAddr,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut connections = self.gates.connections.lock().expect("connection counts");
        if let Some(open) = connections.get_mut(&self.ip) {
            *open -= 1;
            if *open == 0 {
                connections.remove(&self.ip);
            }
        }
    }
}

/// Why the runner answered a request itself instead of running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// The body stopped arriving for `body_read_timeout`.
    BodyTimeout,
    /// The body buffer budget (or the streaming slots) is used up.
    Busy,
}

impl Refusal {
    fn response(self) -> http::Response<ResponseBody> {
        let mut response = match self {
            Refusal::BodyTimeout => text(http::StatusCode::REQUEST_TIMEOUT, "Request Timeout"),
            Refusal::Busy => busy(),
        };
        // The rest of the body is never read: the connection cannot be reused.
        response
            .headers_mut()
            .insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
        response
    }
}

/// 503 with `Retry-After`: the runner is full, try again in a second.
fn busy() -> http::Response<ResponseBody> {
    let mut response = text(http::StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable");
    response
        .headers_mut()
        .insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("1"));
    response
}

/// Reads `request`'s body into memory (up to `max_buffered_body_bytes`)
/// before its instance starts. Past that size the rest streams to the guest,
/// which then holds one of the streaming slots.
async fn read_body(gates: &Gates, request: http::Request<Incoming>) -> Result<http::Request<RequestBody<Incoming>>, Refusal> {
    let (parts, mut body) = request.into_parts();
    let limits = &gates.limits;
    let mut frames = VecDeque::new();
    let mut held: Option<OwnedSemaphorePermit> = None;
    let mut buffered = 0usize;
    let held_permits = |held: Option<OwnedSemaphorePermit>| held.into_iter().collect::<Vec<_>>();
    loop {
        if body.is_end_stream() {
            return Ok(http::Request::from_parts(parts, RequestBody::complete(frames, held_permits(held))));
        }
        if buffered >= limits.max_buffered_body_bytes {
            let Ok(slot) = gates.streaming.clone().try_acquire_owned() else { return Err(Refusal::Busy) };
            let mut permits = held_permits(held);
            permits.push(slot);
            let body = RequestBody::streaming(frames, body, limits.body_read_timeout, permits);
            return Ok(http::Request::from_parts(parts, body));
        }
        let frame = match tokio::time::timeout(limits.body_read_timeout, body.frame()).await {
            Err(_) => return Err(Refusal::BodyTimeout),
            Ok(None) => return Ok(http::Request::from_parts(parts, RequestBody::complete(frames, held_permits(held)))),
            // The guest sees the failure where it happened, as it would have.
            Ok(Some(Err(e))) => {
                let body = RequestBody::failed(frames, e.into(), held_permits(held));
                return Ok(http::Request::from_parts(parts, body));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Some(data) = frame.data_ref() {
            let size = u32::try_from(data.len()).map_err(|_| Refusal::Busy)?;
            let Ok(permit) = gates.buffer.clone().try_acquire_many_owned(size) else { return Err(Refusal::Busy) };
            match &mut held {
                Some(held) => held.merge(permit),
                None => held = Some(permit),
            }
            buffered += data.len();
        }
        frames.push_back(frame);
    }
}

/// A response with a whole body and, if given, its content type.
fn respond(status: http::StatusCode, content_type: Option<&'static str>, body: impl Into<Bytes>) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(Full::new(body.into()).map_err(|e| match e {}).boxed_unsync());
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    }
    response
}

/// Spin's answer to a path no route claims: 404, an empty body, no content type.
fn not_found() -> http::Response<ResponseBody> {
    respond(http::StatusCode::NOT_FOUND, None, Bytes::new())
}

fn text(status: http::StatusCode, body: &'static str) -> http::Response<ResponseBody> {
    respond(status, Some("text/plain; charset=utf-8"), body)
}

fn json(status: http::StatusCode, value: serde_json::Value) -> http::Response<ResponseBody> {
    respond(status, Some("application/json"), value.to_string())
}

/// Handles one request: well-known routes, then the application's router.
async fn handle(
    app: Arc<App>,
    gates: Arc<Gates>,
    request: http::Request<Incoming>,
    client_addr: SocketAddr,
) -> Result<http::Response<ResponseBody>, Infallible> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();

    let (component, response) = if let Some(rest) = path.strip_prefix(WELL_KNOWN_PREFIX) {
        let response = match rest {
            // As Spin: `OK` with no content type.
            "health" => respond(http::StatusCode::OK, None, "OK"),
            // As Spin: the application's name and its version if it has one.
            "info" => json(
                http::StatusCode::OK,
                match &app.version {
                    Some(version) => serde_json::json!({ "name": app.name, "version": version }),
                    None => serde_json::json!({ "name": app.name }),
                },
            ),
            _ => not_found(),
        };
        ("-".to_string(), response)
    } else if let Some(route) = app.route(&path) {
        let response = match read_body(&gates, request).await {
            Err(refusal) => refusal.response(),
            Ok(request) => {
                // Wait for a free instance slot rather than refusing the request.
                let permit = gates.instances.clone().acquire_owned().await.expect("semaphore is never closed");
                match app.invoke(&route, request, client_addr, move || drop(permit)).await {
                    Ok(response) => response.map(|body| body.boxed_unsync()),
                    Err(e) => {
                        tracing::error!(component = %route.component_id, error = %format!("{e:#}"), "request failed");
                        text(http::StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
                    }
                }
            }
        };
        (route.component_id, response)
    } else {
        ("-".to_string(), not_found())
    };

    tracing::info!(
        target: "request",
        method = %method,
        path = %path,
        component = %component,
        status = response.status().as_u16(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
    );
    Ok(response)
}

/// Serves `app` on `listener` until `shutdown` resolves, then waits for
/// in-flight requests to finish.
pub async fn serve(app: Arc<App>, listener: TcpListener, limits: Limits, shutdown: impl Future<Output = ()>) -> Result<()> {
    let gates = Arc::new(Gates::new(limits));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(gates.limits.header_read_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, client_addr) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let Some(slot) = gates.open_connection(client_addr.ip()) else {
                    tracing::warn!(client = %client_addr.ip(), "too many connections from one address: answering 503");
                    let mut builder = builder.clone();
                    builder.keep_alive(false);
                    let service = service_fn(|_request| async { Ok::<_, Infallible>(busy()) });
                    let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                    tokio::spawn(async move {
                        let _ = connection.await;
                    });
                    continue;
                };
                let app = app.clone();
                let gates = gates.clone();
                let service = service_fn(move |request| handle(app.clone(), gates.clone(), request, client_addr));
                let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                    drop(slot);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    let drained = async {
        graceful.shutdown().await;
        // A guest whose client went away still runs to its end: wait for
        // every instance permit to come back too.
        let instances = u32::try_from(gates.limits.max_concurrent_requests.max(1)).unwrap_or(u32::MAX);
        let _ = gates.instances.acquire_many(instances).await;
    };
    tokio::select! {
        _ = drained => tracing::info!("all requests finished"),
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("gave up waiting for in-flight requests"),
    }
    Ok(())
}

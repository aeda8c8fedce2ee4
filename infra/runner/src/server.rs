//! The HTTP listener: routing, the runtime's own routes, one log line per
//! request, a bounded number of concurrent instances, graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::app::App;
use crate::routes::WELL_KNOWN_PREFIX;

pub type ResponseBody = http_body_util::combinators::UnsyncBoxBody<Bytes, wasmtime_wasi_http::Error>;

/// How long shutdown waits for in-flight requests before giving up.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

fn text(status: http::StatusCode, body: &'static str) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(Full::new(Bytes::from_static(body.as_bytes())).map_err(|e| match e {}).boxed_unsync());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

fn json(status: http::StatusCode, value: serde_json::Value) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(Full::new(Bytes::from(value.to_string())).map_err(|e| match e {}).boxed_unsync());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    response
}

/// Handles one request: well-known routes, then the application's router.
async fn handle(
    app: Arc<App>,
    permits: Arc<Semaphore>,
    request: http::Request<Incoming>,
    client_addr: SocketAddr,
) -> Result<http::Response<ResponseBody>, Infallible> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();

    let (component, response) = if let Some(rest) = path.strip_prefix(WELL_KNOWN_PREFIX) {
        let response = match rest {
            "health" => text(http::StatusCode::OK, "OK"),
            "info" => json(
                http::StatusCode::OK,
                serde_json::json!({
                    "runtime": "lapor-runner",
                    "runtime_version": env!("CARGO_PKG_VERSION"),
                    "application": app.name,
                    "application_version": app.version,
                }),
            ),
            _ => text(http::StatusCode::NOT_FOUND, "Not Found"),
        };
        ("-".to_string(), response)
    } else if let Some(route) = app.route(&path) {
        // Wait for a free instance slot rather than refusing the request.
        let permit = permits.clone().acquire_owned().await.expect("semaphore is never closed");
        let response = match app.invoke(&route, request, client_addr, move || drop(permit)).await {
            Ok(response) => response.map(|body| body.boxed_unsync()),
            Err(e) => {
                tracing::error!(component = %route.component_id, error = %format!("{e:#}"), "request failed");
                text(http::StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
            }
        };
        (route.component_id, response)
    } else {
        ("-".to_string(), text(http::StatusCode::NOT_FOUND, "Not Found"))
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
pub async fn serve(
    app: Arc<App>,
    listener: TcpListener,
    max_concurrent_requests: usize,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let permits = Arc::new(Semaphore::new(max_concurrent_requests));
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
                let app = app.clone();
                let permits = permits.clone();
                let service = service_fn(move |request| handle(app.clone(), permits.clone(), request, client_addr));
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!("all requests finished"),
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("gave up waiting for in-flight requests"),
    }
    Ok(())
}

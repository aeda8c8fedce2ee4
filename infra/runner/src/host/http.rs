//! Outgoing `wasi:http` requests: the allow-list and service chaining.
//!
//! A request to `http://<component-id>.spin.internal/...` never touches the
//! network: it is handed to that component in memory, as Spin does, and it is
//! the only way to reach a component whose route is `{ private = true }`.
//! Every other request must match the caller's `allowed_outbound_hosts`, and
//! goes out through [`network::send`](super::network::send), which refuses
//! addresses in the runtime config's `block_networks`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

use crate::outbound::{AllowedHosts, BlockedNetworks};

pub const SERVICE_CHAINING_SUFFIX: &str = ".spin.internal";

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Runs a request against another component of the same application.
pub trait InternalDispatch: Send + Sync {
    fn has_component(&self, component_id: &str) -> bool;
    fn dispatch(
        &self,
        component_id: String,
        request: http::Request<WasiBody>,
    ) -> BoxFuture<Result<http::Response<WasiBody>, Error>>;
}

pub struct OutboundHttp {
    allowed: Arc<AllowedHosts>,
    blocked: Arc<BlockedNetworks>,
    dispatcher: Arc<dyn InternalDispatch>,
}

impl OutboundHttp {
    pub fn new(allowed: Arc<AllowedHosts>, blocked: Arc<BlockedNetworks>, dispatcher: Arc<dyn InternalDispatch>) -> Self {
        Self { allowed, blocked, dispatcher }
    }
}

type SendResult = wasmtime_wasi_http::Result<(
    http::Response<WasiBody>,
    Box<dyn Future<Output = Result<(), Error>> + Send>,
)>;

fn ready(result: SendResult) -> Box<dyn Future<Output = SendResult> + Send> {
    Box::new(async move { result })
}

impl WasiHttpHooks for OutboundHttp {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), Error>> + Send>,
    ) -> Box<dyn Future<Output = SendResult> + Send> {
        let uri = request.uri();
        let scheme = uri.scheme_str().unwrap_or("http").to_string();
        let Some(host) = uri.host().map(str::to_ascii_lowercase) else {
            return ready(Err(Error::HttpRequestUriInvalid));
        };
        let port = uri.port_u16();

        if !self.allowed.allows(&scheme, &host, port) {
            tracing::warn!(url = %uri, "outbound request denied: not in allowed_outbound_hosts");
            return ready(Err(Error::HttpRequestDenied));
        }

        if let Some(component_id) = host.strip_suffix(SERVICE_CHAINING_SUFFIX) {
            if !self.dispatcher.has_component(component_id) {
                return ready(Err(Error::DestinationNotFound));
            }
            let response = self.dispatcher.dispatch(component_id.to_string(), request);
            return Box::new(async move {
                let response = response.await?;
                Ok((response, Box::new(async { Ok(()) }) as Box<dyn Future<Output = _> + Send>))
            });
        }

        _ = fut;
        let blocked = self.blocked.clone();
        Box::new(async move {
            let response = super::network::send(request, options, &blocked).await?;
            Ok((response, Box::new(async { Ok(()) }) as Box<dyn Future<Output = _> + Send>))
        })
    }
}

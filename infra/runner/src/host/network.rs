//! Outgoing HTTP over the network, connected the way Spin connects it.
//!
//! The host name is resolved here, the addresses in the runtime config's
//! `block_networks` are dropped, and the connection goes to one of those that
//! remain: what was checked is what is connected to, so a name cannot resolve
//! to an allowed address for the check and to a blocked one for the connect.
//! When every address is blocked the guest gets `destination-ip-prohibited`,
//! as on Spin. One fresh HTTP/1.1 connection per request (TLS with the webpki
//! roots), bounded by the request's connect, first-byte and between-bytes
//! timeouts (ten minutes each unless the guest sets them).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http_body_util::BodyExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody};

use crate::body::IdleTimeout;
use crate::outbound::BlockedNetworks;

/// wasi:http's default for each of the three timeouts.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

trait Stream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Stream for T {}

/// Sends `request` to the host in its URL and returns the response head; the
/// body streams from the connection as the guest reads it.
pub async fn send(
    mut request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
    blocked: &BlockedNetworks,
) -> Result<http::Response<WasiBody>, Error> {
    let timeout = |pick: fn(&RequestOptions) -> Option<Duration>| options.as_ref().and_then(pick).unwrap_or(DEFAULT_TIMEOUT);
    let connect_timeout = timeout(|o| o.connect_timeout);
    let first_byte_timeout = timeout(|o| o.first_byte_timeout);
    let between_bytes_timeout = timeout(|o| o.between_bytes_timeout).max(Duration::from_nanos(1));

    let uri = request.uri().clone();
    let host = uri.host().ok_or(Error::HttpRequestUriInvalid)?.trim_start_matches('[').trim_end_matches(']');
    let use_tls = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
    let port = uri.port_u16().unwrap_or(if use_tls { 443 } else { 80 });

    let stream = tokio::time::timeout(connect_timeout, async {
        let tcp = connect(host, port, blocked).await?;
        let stream: Box<dyn Stream> = if use_tls { Box::new(tls(host, tcp).await?) } else { Box::new(tcp) };
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        Ok::<_, Error>((sender, connection))
    })
    .await
    .map_err(|_| Error::ConnectionTimeout)?;
    let (mut sender, connection) = stream?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "outbound connection ended with an error");
        }
    });

    // On the wire the target is origin-form; the Host header carries the authority.
    *request.uri_mut() = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .parse()
        .map_err(|_| Error::HttpRequestUriInvalid)?;
    let response = tokio::time::timeout(first_byte_timeout, sender.send_request(request))
        .await
        .map_err(|_| Error::ConnectionReadTimeout)??;
    Ok(response.map(|body| IdleTimeout::new(body, between_bytes_timeout).boxed_unsync()))
}

/// Resolves `host`, drops blocked addresses and connects to one of the rest.
async fn connect(host: &str, port: u16, blocked: &BlockedNetworks) -> Result<TcpStream, Error> {
    let mut addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| {
            tracing::debug!(host, error = %e, "outbound host did not resolve");
            Error::DnsError { rcode: Some("address not available".into()), info_code: Some(0) }
        })?
        .collect();
    let resolved = addresses.len();
    addresses.retain(|a| !blocked.is_blocked(a.ip()));
    if addresses.is_empty() && resolved > 0 {
        tracing::warn!(host, "outbound request refused: every address of the host is in block_networks");
        return Err(Error::DestinationIpProhibited);
    }
    TcpStream::connect(&addresses[..]).await.map_err(Error::Connect)
}

async fn tls(host: &str, tcp: TcpStream) -> Result<tokio_rustls::client::TlsStream<TcpStream>, Error> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.into() };
        Arc::new(rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth())
    });
    let name = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => rustls::pki_types::ServerName::from(ip),
        Err(_) => rustls::pki_types::ServerName::try_from(host.to_string())?,
    };
    tokio_rustls::TlsConnector::from(config.clone())
        .connect(name, tcp)
        .await
        .map_err(Error::Tls)
}

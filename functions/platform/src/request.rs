//! An incoming request, read once with a size limit.
//!
//! The body is streamed and reading stops as soon as it passes the limit, so
//! an oversized upload costs the limit, not its full size, and is answered
//! 413 rather than exhausting the instance's memory.

use futures::StreamExt;
use lapor_domain::client_address::{client_address, TrustedProxies};
use lapor_domain::lang::Lang;
use spin_sdk::http::IncomingRequest;

/// A request whose head and (limited) body have been read.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The query as it arrived (signed webhooks sign it byte for byte).
    pub raw_query: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub lang: Lang,
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    /// Larger than `limit` bytes: 413.
    TooLarge { limit: usize },
    /// The connection broke off mid-body: 400, never a partial file.
    Incomplete,
}

impl ReadError {
    pub fn into_api_error(self, lang: Lang) -> crate::response::ApiError {
        use lapor_domain::problem::ProblemKind;
        match self {
            ReadError::TooLarge { limit } => crate::response::ApiError::too_large(lang, limit),
            ReadError::Incomplete => crate::response::ApiError::new(
                ProblemKind::MalformedRequest,
                lang,
                "Isi permintaan terputus sebelum selesai. Kirim ulang.",
                "The request body was cut off. Please send it again.",
            ),
        }
    }
}

impl ApiRequest {
    pub async fn read(request: IncomingRequest, body_limit: usize) -> Result<ApiRequest, (Lang, ReadError)> {
        let method = request.method().to_string();
        let path_and_query = request.path_with_query().unwrap_or_else(|| "/".to_string());
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path.to_string(), query.to_string()),
            None => (path_and_query, String::new()),
        };
        let headers: Vec<(String, String)> = request
            .headers()
            .entries()
            .into_iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), String::from_utf8_lossy(&value).into_owned()))
            .collect();
        let lang = Lang::negotiate(header(&headers, "accept-language"));
        let too_large = (lang, ReadError::TooLarge { limit: body_limit });

        let declared = header(&headers, "content-length").and_then(|v| v.trim().parse::<usize>().ok());
        if declared.is_some_and(|n| n > body_limit) {
            return Err(too_large);
        }
        let mut body = Vec::new();
        let mut stream = request.into_body_stream();
        while let Some(chunk) = stream.next().await {
            let Ok(chunk) = chunk else { return Err((lang, ReadError::Incomplete)) };
            if body.len() + chunk.len() > body_limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        let raw_query = query;
        let query = form_urlencoded_pairs(&raw_query);
        Ok(ApiRequest { method, path, query, raw_query, headers, body, lang })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of a `:name` route segment (Spin's `spin-path-match-<name>`,
    /// with `_` turned into `-` as Spin names it).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.header(&format!("spin-path-match-{}", name.replace('_', "-")))
    }

    /// The part of the path after a wildcard route's prefix.
    pub fn path_info(&self) -> &str {
        self.header("spin-path-info").unwrap_or("")
    }

    /// The client's address for rate limits, without the port: the socket
    /// peer Spin reports (`spin-client-addr`), or, when that peer is one of
    /// the proxies in Spin variable `trusted_proxies`, the first untrusted
    /// address of its `Forwarded` / `X-Forwarded-For` chain
    /// (`lapor_domain::client_address`).
    pub fn client_ip(&self) -> String {
        let peer = self.header("spin-client-addr").unwrap_or("unknown");
        let (trusted, unreadable) = TrustedProxies::parse(&spin_sdk::variables::get("trusted_proxies").unwrap_or_default());
        if !unreadable.is_empty() {
            eprintln!("trusted_proxies: ignoring entries that are no address or range: {unreadable:?}");
        }
        client_address(peer, self.header_lines("forwarded").as_deref(), self.header_lines("x-forwarded-for").as_deref(), &trusted)
    }

    /// Every line of a repeatable header, in order, joined by commas (RFC 9110 5.3).
    pub fn header_lines(&self, name: &str) -> Option<String> {
        let lines: Vec<&str> = self.headers.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
        (!lines.is_empty()).then(|| lines.join(","))
    }

    /// The token of an `Authorization: Bearer ...` header.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.trim().split_once(' ')?;
        (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
    }

    /// The media type of the body, lower case, without parameters.
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// Value of a cookie sent by the browser.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.header("cookie")?
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

/// Every API component's entry point: reads the request within `body_limit`
/// (413 or 400 when it cannot) and answers it with `route`, turning its
/// error into a problem response.
pub async fn serve(
    incoming: IncomingRequest,
    body_limit: usize,
    route: impl FnOnce(&ApiRequest) -> Result<spin_sdk::http::Response, crate::response::ApiError>,
) -> spin_sdk::http::Response {
    let accept_encoding = accept_encoding(&incoming);
    let response = match ApiRequest::read(incoming, body_limit).await {
        Ok(request) => route(&request).unwrap_or_else(|e| e.into_response(request.lang)),
        Err((lang, error)) => error.into_api_error(lang).into_response(lang),
    };
    crate::compress::finish(response, accept_encoding.as_deref())
}

/// The request's `Accept-Encoding` lines, joined (read before the body is).
pub fn accept_encoding(incoming: &IncomingRequest) -> Option<String> {
    let lines: Vec<String> = incoming
        .headers()
        .get(&"accept-encoding".to_string())
        .iter()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect();
    (!lines.is_empty()).then(|| lines.join(","))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Decodes `a=1&b=x+y` pairs (query strings and form bodies).
pub fn form_urlencoded_pairs(input: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(input.as_bytes()).into_owned().collect()
}

/// A tracking ID from a path segment (percent-decoded), telling a typo
/// (400 probable-typo) from something that is no tracking ID at all.
pub fn tracking_id_from_path(raw: &str, lang: Lang) -> Result<lapor_domain::tracking_id::TrackingId, crate::response::ApiError> {
    use lapor_domain::problem::ProblemKind;
    use lapor_domain::tracking_id::{TrackingId, TrackingIdError};
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    TrackingId::parse(&decoded).map_err(|e| match e {
        TrackingIdError::ProbableTypo => crate::response::ApiError::new(
            ProblemKind::ProbableTypo,
            lang,
            "Nomor pelacakan ini tidak cocok dengan simbol pemeriksanya: kemungkinan ada salah ketik. Periksa kembali.",
            "This tracking ID's check symbol does not match: it probably has a typo. Please check it.",
        ),
        TrackingIdError::Malformed => crate::response::ApiError::new(
            ProblemKind::MalformedRequest,
            lang,
            "Ini bukan nomor pelacakan. Nomor pelacakan terdiri dari 10 huruf dan angka, misalnya 7K3QD-M2X9C.",
            "This is not a tracking ID. Tracking IDs have 10 letters and digits, such as 7K3QD-M2X9C.",
        ),
    })
}

/// 400 for a query parameter that cannot be understood, named in `errors`
/// (every listing answers a bad parameter so).
pub fn bad_parameter(lang: Lang, name: &str, id: &str, en: &str) -> crate::response::ApiError {
    crate::response::ApiError::bad_parameters(lang, &[lapor_domain::invalid::Invalid::new(name, id, en)])
}

/// The words of a `q` search parameter: at most 5, each cut to 50 characters.
pub fn search_words(lang: Lang, raw: &str) -> Result<Vec<String>, crate::response::ApiError> {
    let words: Vec<String> = raw.split_whitespace().map(|w| w.chars().take(50).collect()).collect();
    if words.len() > 5 {
        return Err(bad_parameter(lang, "q", "Paling banyak 5 kata.", "At most 5 words."));
    }
    Ok(words)
}

//! Answers a request from its component's route table
//! (`lapor_domain::routes`): 404 for an unknown path, 405 with `Allow` for
//! a known path with another method (both bilingual problems, the body
//! unread), HEAD as GET (the host sends no body), and otherwise the
//! handler bound to the route; every answer leaves through
//! `compress::finish`.

use lapor_domain::lang::Lang;
use lapor_domain::routes::{Found, Resolution, Table};
use spin_sdk::http::{IncomingRequest, Response};

use crate::request::ApiRequest;
use crate::response::ApiError;

/// A component's entry point: resolves the request in `table`, reads the
/// body within `body_limit` of the route found (413 or 400 when it cannot)
/// and answers with `handle`, turning its error into a problem response.
pub async fn serve<R: Copy>(
    incoming: IncomingRequest,
    table: &Table<R>,
    body_limit: impl FnOnce(R) -> usize,
    handle: impl FnOnce(&ApiRequest, &Found<R>) -> Result<Response, ApiError>,
) -> Response {
    match resolve(table, &incoming) {
        Resolution::Found(found) => {
            let limit = body_limit(found.route);
            crate::request::serve(incoming, limit, |request| handle(request, &found)).await
        }
        refused => {
            let lang = request_lang(&incoming);
            let accept_encoding = crate::request::accept_encoding(&incoming);
            crate::compress::finish(refusal(&refused, lang).into_response(lang), accept_encoding.as_deref())
        }
    }
}

/// The request's method and path (without the query) resolved in `table`.
pub fn resolve<R: Copy>(table: &Table<R>, incoming: &IncomingRequest) -> Resolution<R> {
    let path = incoming.path_with_query().unwrap_or_default();
    table.resolve(&incoming.method().to_string(), path.split('?').next().unwrap_or(""))
}

/// The caller's language, from the headers alone (the body stays unread).
pub fn request_lang(incoming: &IncomingRequest) -> Lang {
    let language = incoming.headers().get(&"accept-language".to_string());
    Lang::negotiate(language.first().map(|v| String::from_utf8_lossy(v)).as_deref())
}

/// The problem for a request the table does not serve: 405 with `Allow`, else 404.
pub fn refusal<R>(resolution: &Resolution<R>, lang: Lang) -> ApiError {
    match resolution {
        Resolution::MethodNotAllowed { allow } => ApiError::method_not_allowed(lang, allow),
        _ => ApiError::not_found(lang),
    }
}

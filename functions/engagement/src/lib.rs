//! The public's part in a report: identities, support ("dukung"), comments
//! with moderation, and following ("kawal").
//!
//! Routes: `lapor_domain::routes::ENGAGEMENT`, bound to handlers in [`route`].
//!
//! Writes need an identity (a citizen or reporter token) and are rate
//! limited per identity and per client address (Spin variables).

mod citizens;
mod comments;
mod follows;
mod supports;
mod target;

use lapor_domain::command::Verdict;
use lapor_domain::routes::{Engagement, Found, ENGAGEMENT};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// Comments are at most 2,000 characters (8 KB of UTF-8) plus a name.
const BODY_LIMIT: usize = 16 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &ENGAGEMENT, |_| BODY_LIMIT, route).await
}

fn route(request: &ApiRequest, found: &Found<Engagement>) -> Result<Response, ApiError> {
    let (id, comment) = (found.param("id"), found.param("comment"));
    match found.route {
        Engagement::CreateCitizen => citizens::create(request),
        Engagement::Verify => citizens::verify(request),
        Engagement::Me => citizens::me(request),
        Engagement::SupportStatus => supports::status(request, id),
        Engagement::Support => supports::add(request, id),
        Engagement::WithdrawSupport => supports::withdraw(request, id),
        Engagement::Comments => comments::list(request, id),
        Engagement::Comment => comments::create(request, id),
        Engagement::Follows => follows::list(request, id),
        Engagement::Follow => follows::add(request, id),
        Engagement::Unfollow => follows::remove(request, id),
        Engagement::ReviewQueue => comments::review_queue(request),
        Engagement::Flag => comments::flag(request, comment),
        Engagement::Hide => comments::moderate(request, comment, Verdict::Hide),
        Engagement::Restore => comments::moderate(request, comment, Verdict::Restore),
    }
}

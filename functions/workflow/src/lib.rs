//! The work behind every report: staff accounts, the administrators' intake
//! ("no wrong door") and each agency's inbox.
//!
//! Routes: `lapor_domain::routes::WORKFLOW`, bound to handlers in [`route`]:
//! staff accounts (admin; a coordinator for its own agency), the
//! administrators' intake (queue oldest first with counts per status:
//! [`queue`]; reading with the reporter's identity, logged; verify, hold,
//! archive), the agency's inbox (the same shape; assign and forward by the
//! coordinator, responses by coordinators and officers) and the
//! notification dead letter (admin; addresses masked; retry).
//!
//! `:id` is a report's tracking ID; `:n` a notification's number.

mod admin;
mod agency;
mod notifications;
mod queue;
mod staff;
mod views;

use lapor_domain::routes::{Found, Workflow, WORKFLOW};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

const BODY_LIMIT: usize = 64 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &WORKFLOW, |_| BODY_LIMIT, route).await
}

fn route(request: &ApiRequest, found: &Found<Workflow>) -> Result<Response, ApiError> {
    let id = found.param("id");
    match found.route {
        Workflow::CreateStaff => staff::create(request),
        Workflow::RevokeStaff => staff::revoke(request, id),
        Workflow::AdminQueue => admin::queue(request),
        Workflow::AdminRead => admin::read(request, id),
        Workflow::Verify => admin::verify(request, id),
        Workflow::Hold => admin::hold(request, id),
        Workflow::Archive => admin::archive(request, id),
        Workflow::DeadLetter => notifications::dead_letter(request),
        Workflow::Retry => notifications::retry(request, found.param("n")),
        Workflow::Inbox => agency::inbox(request),
        Workflow::AgencyRead => agency::read(request, id),
        Workflow::Assign => agency::assign(request, id),
        Workflow::Forward => agency::forward(request, id),
        Workflow::Respond => agency::respond(request, id),
    }
}

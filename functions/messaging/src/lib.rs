//! SMS and WhatsApp come in here: `lapor_domain::routes::MESSAGING`.
//!
//! Each provider has its adapter, which checks the provider's signature
//! (403 and nothing read otherwise), reads its payload into the domain's one
//! shape (`lapor_domain::message::inbound`) and answers in the provider's
//! form: `twilio.rs` (TwiML), `gateway.rs` (`{reply}`), `whatsapp.rs` (the
//! Cloud API takes no reply in the answer: it goes out through the
//! notification outbox). What a message does is the same for all of them,
//! in `conversation.rs` (de-duplication on the provider's message ID, the
//! per-number limit, one transaction), and each command is applied by its
//! file in `commands/`.
//!
//! A correctly signed request never gets a 5xx for what it carries: an
//! unreadable message is answered with usage help, so the provider does not
//! retry it forever. Only our own failure (the database) answers 500, and
//! then nothing was recorded, so the provider's retry is handled afresh.

mod commands;
mod conversation;
mod gateway;
mod twilio;
mod whatsapp;

use lapor_domain::routes::{Found, Messaging, MESSAGING};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// SMS are small; a WhatsApp webhook batches a few messages with metadata.
const BODY_LIMIT: usize = 256 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &MESSAGING, |_| BODY_LIMIT, route).await
}

fn route(request: &ApiRequest, found: &Found<Messaging>) -> Result<Response, ApiError> {
    match found.route {
        Messaging::Twilio => twilio::receive(request),
        Messaging::Gateway => gateway::receive(request),
        Messaging::WhatsappVerify => whatsapp::verify(request),
        Messaging::Whatsapp => whatsapp::receive(request),
    }
}

/// A Spin variable, or empty when unset.
fn variable(name: &str) -> String {
    spin_sdk::variables::get(name).unwrap_or_default()
}

/// The 403 of a request whose signature does not verify: nothing was read.
fn forbidden(request: &ApiRequest, header: &str) -> ApiError {
    ApiError::new(
        lapor_domain::problem::ProblemKind::Forbidden,
        request.lang,
        &format!("Tanda tangan {header} tidak sah."),
        &format!("The {header} signature is not valid."),
    )
}

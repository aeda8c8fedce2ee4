//! `GET /webhooks/whatsapp`: Meta's verification (`hub.mode=subscribe`,
//! `hub.verify_token` equal to the Spin variable `whatsapp_verify_token`:
//! echo `hub.challenge`). `POST /webhooks/whatsapp`: the Cloud API's
//! messages, signed `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app
//! secret, raw body)>` (`whatsapp_app_secret`). The Cloud API takes no reply
//! in the webhook's answer, so each reply is written to the notification
//! outbox with the message (`conversation`) and sent by `notify`; the answer
//! lists the replies, for logs and tests.

use lapor_domain::message::{inbound, signature};
use lapor_domain::problem::ProblemKind;
use lapor_domain::token::constant_time_eq;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use serde_json::{json, Value};
use spin_sdk::http::Response;

use crate::conversation;

pub fn verify(request: &ApiRequest) -> Result<Response, ApiError> {
    let expected = crate::variable("whatsapp_verify_token");
    let expected = expected.trim();
    let given = request.query("hub.verify_token").unwrap_or_default();
    let subscribe = request.query("hub.mode") == Some("subscribe");
    if !subscribe || expected.is_empty() || !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(ApiError::new(
            ProblemKind::Forbidden,
            request.lang,
            "Token verifikasi webhook WhatsApp tidak cocok.",
            "The WhatsApp webhook verify token does not match.",
        ));
    }
    let challenge = request.query("hub.challenge").unwrap_or_default().to_string();
    Ok(Response::builder().status(200).header("content-type", "text/plain; charset=utf-8").header("cache-control", "no-store").body(challenge).build())
}

pub fn receive(request: &ApiRequest) -> Result<Response, ApiError> {
    if !signature::sha256_valid(crate::variable("whatsapp_app_secret").trim(), &request.body, request.header("x-hub-signature-256")) {
        return Err(crate::forbidden(request, "X-Hub-Signature-256"));
    }
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let mut replies = Vec::new();
    for delivery in inbound::whatsapp(&body) {
        replies.push(conversation::answer(delivery)?);
    }
    Ok(response::json(200, &json!({ "replies": replies }), "no-store"))
}

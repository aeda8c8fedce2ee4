//! `POST /webhooks/sms/gateway`: one JSON format for Indonesian SMS
//! aggregators, `{message_id, from, to, text, received_at}`, signed
//! `X-Signature: sha256=<hex HMAC-SHA256(raw body)>` under the Spin variable
//! `sms_gateway_secret`. Answered `{"reply": "..."}` (`null`: send nothing),
//! which the aggregator sends back to the number. README.md documents it.

use lapor_domain::message::{inbound, signature};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use serde_json::{json, Value};
use spin_sdk::http::Response;

use crate::conversation;

pub fn receive(request: &ApiRequest) -> Result<Response, ApiError> {
    if !signature::sha256_valid(crate::variable("sms_gateway_secret").trim(), &request.body, request.header("x-signature")) {
        return Err(crate::forbidden(request, "X-Signature"));
    }
    // Signed but not JSON: help, never a 5xx (the aggregator would retry).
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let reply = conversation::answer(inbound::gateway(&body))?;
    Ok(response::json(200, &json!({ "reply": reply }), "no-store"))
}

//! `POST /webhooks/sms/twilio`: Twilio Programmable Messaging (SMS, and
//! WhatsApp through Twilio: `From: whatsapp:+62...`). Signed with
//! `X-Twilio-Signature` over the public URL Twilio called (Spin variable
//! `public_base_url` + the path + the query as it arrived) and every form
//! parameter, under the auth token (`twilio_auth_token`). Answered with TwiML.

use lapor_domain::message::{inbound, signature};
use lapor_platform::request::{form_urlencoded_pairs, ApiRequest};
use lapor_platform::response::{escape_html, ApiError};
use spin_sdk::http::Response;

use crate::conversation;

pub fn receive(request: &ApiRequest) -> Result<Response, ApiError> {
    let params = form_urlencoded_pairs(&String::from_utf8_lossy(&request.body));
    let query = if request.raw_query.is_empty() { String::new() } else { format!("?{}", request.raw_query) };
    let url = format!("{}{}{query}", lapor_platform::site::public_base_url(), request.path);
    if !signature::twilio_valid(crate::variable("twilio_auth_token").trim(), &url, &params, request.header("x-twilio-signature")) {
        return Err(crate::forbidden(request, "X-Twilio-Signature"));
    }
    let reply = conversation::answer(inbound::twilio(&params))?;
    Ok(twiml(reply.as_deref()))
}

/// `<Response><Message>reply</Message></Response>`, or an empty
/// `<Response/>` (no message is sent back).
fn twiml(reply: Option<&str>) -> Response {
    let body = match reply {
        Some(text) => {
            // XML 1.0 allows no control characters but tab and line breaks;
            // escape_html's five entities are XML's.
            let clean: String = text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')).collect();
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{}</Message></Response>", escape_html(&clean))
        }
        None => "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".to_string(),
    };
    Response::builder().status(200).header("content-type", "text/xml; charset=utf-8").header("cache-control", "no-store").body(body).build()
}

//! The service's own public address, for links in what it sends.

/// Spin variable `public_base_url` without surrounding spaces or a trailing
/// slash (`https://lapor.example.go.id`): the links in SMS, WhatsApp and
/// e-mail messages, the URL Twilio signs, Open311's discovery endpoint.
pub fn public_base_url() -> String {
    spin_sdk::variables::get("public_base_url").unwrap_or_default().trim().trim_end_matches('/').to_string()
}

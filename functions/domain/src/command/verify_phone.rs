//! `POST /api/v1/citizens/verify`: `{phone}` or `{code}`, never both

use serde_json::{Map, Value};

use crate::contact::PhoneNumber;
use crate::fields::{optional_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::otp::OtpCode;

/// A citizen asks for a code to be sent to a phone, or proves the one sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyPhone {
    /// Send (or re-send) a code to this phone.
    SendCode(PhoneNumber),
    /// Prove the pending code.
    Prove(OtpCode),
}

impl VerifyPhone {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["phone", "code"]);
        let phone = errors.take(optional_parsed(body, "phone", PhoneNumber::parse));
        let code = errors.take(optional_parsed(body, "code", OtpCode::parse));
        let command = match (phone, code) {
            (Some(Some(phone)), Some(None)) => Some(VerifyPhone::SendCode(phone)),
            (Some(None), Some(Some(code))) => Some(VerifyPhone::Prove(code)),
            (Some(None), Some(None)) | (Some(Some(_)), Some(Some(_))) => {
                errors.push(Invalid::new(
                    "phone",
                    "Kirim salah satu: {phone} untuk meminta kode, atau {code} untuk memasukkan kode.",
                    "Send one of: {phone} to get a code, or {code} to enter it.",
                ));
                None
            }
            _ => None,
        };
        errors.finish(command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn exactly_one_of_phone_and_code() {
        assert!(matches!(VerifyPhone::parse(&body(json!({"phone": "081234567890"}))), Ok(VerifyPhone::SendCode(_))));
        assert_eq!(VerifyPhone::parse(&body(json!({"code": "123-456"}))), Ok(VerifyPhone::Prove(OtpCode::parse("code", "123456").unwrap())));
        assert_eq!(fields_of(VerifyPhone::parse(&body(json!({}))).unwrap_err()), ["phone"]);
        assert_eq!(fields_of(VerifyPhone::parse(&body(json!({"phone": "081234567890", "code": "123456"}))).unwrap_err()), ["phone"]);
    }

    #[test]
    fn every_error_at_once() {
        let errors = VerifyPhone::parse(&body(json!({"phone": "12", "code": "abc", "x": 1}))).unwrap_err();
        assert_eq!(fields_of(errors), ["x", "phone", "code"]);
    }
}

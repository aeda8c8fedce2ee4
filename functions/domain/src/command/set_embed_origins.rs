//! `PUT /api/v1/agencies/{code}/embed-origins {origins: [...]}`

use serde_json::{Map, Value};

use crate::embed::{EmbedOrigin, MAX_ORIGINS};
use crate::fields::FieldErrors;
use crate::invalid::Invalid;

/// An administrator sets which websites may embed an agency's report form
/// (an empty list: any website).
#[derive(Debug, Clone, PartialEq)]
pub struct SetEmbedOrigins {
    pub origins: Vec<EmbedOrigin>,
}

impl SetEmbedOrigins {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["origins"]);
        let origins = match body.get("origins") {
            Some(Value::Array(items)) if items.len() > MAX_ORIGINS => {
                errors.push(Invalid::new("origins", format!("Paling banyak {MAX_ORIGINS} origin."), format!("At most {MAX_ORIGINS} origins.")));
                None
            }
            Some(Value::Array(items)) => {
                let mut origins = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let field = format!("origins[{i}]");
                    let parsed = match item {
                        Value::String(s) => EmbedOrigin::parse(&field, s),
                        _ => Err(Invalid::not_text(&field)),
                    };
                    if let Some(origin) = errors.take(parsed) {
                        if !origins.contains(&origin) {
                            origins.push(origin);
                        }
                    }
                }
                origins.sort();
                Some(origins)
            }
            _ => {
                errors.push(Invalid::new(
                    "origins",
                    "Wajib diisi: daftar origin (kosong = semua situs boleh).",
                    "Required: a list of origins (empty = any website).",
                ));
                None
            }
        };
        errors.finish(origins.map(|origins| SetEmbedOrigins { origins }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn every_bad_origin_is_named_and_duplicates_collapse() {
        let set = SetEmbedOrigins::parse(&body(json!({"origins": ["https://b.go.id", "https://a.go.id", "HTTPS://b.go.id"]}))).unwrap();
        assert_eq!(set.origins.iter().map(|o| o.as_str()).collect::<Vec<_>>(), ["https://a.go.id", "https://b.go.id"]);
        assert!(SetEmbedOrigins::parse(&body(json!({"origins": []}))).unwrap().origins.is_empty());
        let refused = SetEmbedOrigins::parse(&body(json!({"origins": ["https://ok.go.id", "http://x.go.id", 5], "extra": 1}))).unwrap_err();
        assert_eq!(fields_of(refused), ["extra", "origins[1]", "origins[2]"]);
        assert_eq!(fields_of(SetEmbedOrigins::parse(&body(json!({}))).unwrap_err()), ["origins"]);
        let many: Vec<String> = (0..=MAX_ORIGINS).map(|i| format!("https://a{i}.go.id")).collect();
        assert_eq!(fields_of(SetEmbedOrigins::parse(&body(json!({"origins": many}))).unwrap_err()), ["origins"]);
    }
}

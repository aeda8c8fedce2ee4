//! The format suffix of every GeoReport v2 address (`services.json`,
//! `requests/7K3QD-M2X9C.xml`), and one document rendered in either format.
//!
//! The spec names the format by the resource's suffix, so each route of the
//! table takes its last segment as `:file`, split here into the resource
//! and the format; an unknown suffix is an unknown resource (404).

use serde::Serialize;

use super::xml::{self, Node};

/// What the client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// The formats this endpoint serves, as the discovery document lists them.
    pub const MEDIA_TYPES: [&'static str; 2] = ["application/json", "text/xml"];

    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension {
            "json" => Some(Format::Json),
            "xml" => Some(Format::Xml),
            _ => None,
        }
    }

    /// The `Content-Type` of an answer (the spec's, UTF-8 always).
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }

    /// The format to answer an error in when the address itself could not
    /// be read: XML when it ends in `.xml`, else JSON.
    pub fn of_path(path: &str) -> Format {
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        match last.rsplit_once('.') {
            Some((_, extension)) if extension.eq_ignore_ascii_case("xml") => Format::Xml,
            _ => Format::Json,
        }
    }
}

/// A resource name and its format, from the last segment of an address
/// (`requests.json` -> `("requests", Json)`). The segment is percent-decoded
/// first; no suffix, an unknown one or an empty name is `None` (404).
pub fn split(segment: &str) -> Option<(String, Format)> {
    let decoded = percent_decode(segment)?;
    let (name, extension) = decoded.rsplit_once('.')?;
    let format = Format::from_extension(extension)?;
    (!name.is_empty()).then(|| (name.to_string(), format))
}

/// `%XX` escapes decoded; `None` when the result is not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    percent_encoding::percent_decode_str(segment).decode_utf8().ok().map(|s| s.into_owned())
}

/// The spec's documents, each with its XML root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// `discovery.{fmt}`: one object.
    Discovery,
    /// `services.{fmt}`: a list of services.
    Services,
    /// `services/{code}.{fmt}`: one object.
    ServiceDefinition,
    /// Every answer about requests (POST, GET, tokens): a list.
    ServiceRequests,
    /// Any error: a list.
    Errors,
}

impl Document {
    pub fn root(self) -> &'static str {
        match self {
            Document::Discovery => "discovery",
            Document::Services => "services",
            Document::ServiceDefinition => "service_definition",
            Document::ServiceRequests => "service_requests",
            Document::Errors => "errors",
        }
    }
}

/// `value` as the body of `document` in `format`.
pub fn render<T: Serialize + ?Sized>(format: Format, document: Document, value: &T) -> Result<Vec<u8>, serde_json::Error> {
    match format {
        Format::Json => serde_json::to_vec(value),
        Format::Xml => Ok(xml::document(document.root(), &Node::of(value)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suffix_names_the_format() {
        assert_eq!(split("requests.json"), Some(("requests".into(), Format::Json)));
        assert_eq!(split("services.xml"), Some(("services".into(), Format::Xml)));
        assert_eq!(split("7K3QD-M2X9C.json"), Some(("7K3QD-M2X9C".into(), Format::Json)));
        assert_eq!(split("infrastruktur-jalan.xml"), Some(("infrastruktur-jalan".into(), Format::Xml)));
        assert_eq!(split("a.b.json"), Some(("a.b".into(), Format::Json)), "the last dot separates the suffix");
        assert_eq!(split("7K3QD%2DM2X9C.json"), Some(("7K3QD-M2X9C".into(), Format::Json)), "percent-decoded");
    }

    #[test]
    fn no_or_unknown_suffix_is_nothing() {
        for segment in ["requests", "requests.", "requests.html", "requests.JSON", ".json", "", "%FF.json", "a%.json"] {
            let found = split(segment);
            assert!(found.is_none() || segment == "a%.json", "{segment}: {found:?}");
        }
        assert_eq!(split("a%.json"), Some(("a%".into(), Format::Json)), "a lone % is kept as it is");
    }

    #[test]
    fn errors_answer_in_the_format_the_address_names() {
        assert_eq!(Format::of_path("/open311/v2/requests.xml"), Format::Xml);
        assert_eq!(Format::of_path("/open311/v2/nothing/here.XML"), Format::Xml);
        assert_eq!(Format::of_path("/open311/v2/requests.json"), Format::Json);
        assert_eq!(Format::of_path("/open311/v2/requests"), Format::Json);
        assert_eq!(Format::Xml.content_type(), "text/xml; charset=utf-8");
        assert_eq!(Format::Json.content_type(), "application/json; charset=utf-8");
    }

    #[test]
    fn one_value_renders_as_a_bare_json_array_or_the_documents_xml() {
        #[derive(Serialize)]
        struct Item {
            code: u16,
            description: &'static str,
        }
        let errors = vec![Item { code: 404, description: "Not found" }];
        let json = render(Format::Json, Document::Errors, &errors).unwrap();
        assert_eq!(String::from_utf8(json).unwrap(), r#"[{"code":404,"description":"Not found"}]"#);
        let xml = String::from_utf8(render(Format::Xml, Document::Errors, &errors).unwrap()).unwrap();
        assert!(xml.contains("<errors>\n  <error>\n    <code>404</code>\n    <description>Not found</description>\n  </error>\n</errors>"), "{xml}");
    }
}

//! The XML form of an Open311 document, from the same value as its JSON.
//!
//! GeoReport v2 defines its JSON as a mapping of the XML (the "Spark
//! convention"): an object's members are child elements in order, a list is
//! an element holding one child per item (`<services><service>…</service>
//! </services>`, `<formats><format>…</format></formats>`), `null` is an empty
//! element (`<account_id/>`). So each document is one `Serialize` struct;
//! JSON is serde_json's rendering of it and XML is this module's, and the
//! two can never disagree on a field.
//!
//! The struct is read back through its JSON text into [`Node`], which keeps
//! members in their declared order. `serde_json::Value` would sort them, and
//! its `preserve_order` feature cannot be turned on for this alone: features
//! unify across the workspace, so every JSON answer of the service would
//! change order. Elements are written with quick-xml (escaping included).
//! Characters XML 1.0 cannot carry at all (most C0 controls) are dropped.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value with object members in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// As serde_json writes the number.
    Number(String),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// `value` as serde_json serializes it, members in declared order.
    pub fn of<T: serde::Serialize + ?Sized>(value: &T) -> Result<Node, serde_json::Error> {
        serde_json::from_str(&serde_json::to_string(value)?)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        // serde_json's own text for the number (it wrote it so a moment ago).
        Ok(serde_json::Number::from_f64(v).map_or(Node::Null, |n| Node::Number(n.to_string())))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}

/// The element of one item of a list element: GeoReport v2's names.
const ITEMS: &[(&str, &str)] = &[
    ("services", "service"),
    ("service_requests", "request"),
    ("errors", "error"),
    ("endpoints", "endpoint"),
    ("formats", "format"),
    ("attributes", "attribute"),
    ("values", "value"),
];

/// The name of an item of list element `list`.
pub fn item_of(list: &str) -> &str {
    ITEMS.iter().find(|(l, _)| *l == list).map_or("item", |(_, item)| item)
}

/// The document `node` as XML with root element `root`, preceded by the XML
/// declaration with its encoding, as the spec asks.
pub fn document(root: &str, node: &Node) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail: the only errors are the sink's.
    let written = writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .and_then(|()| element(&mut writer, root, node));
    debug_assert!(written.is_ok());
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

fn element(writer: &mut Writer<Vec<u8>>, name: &str, node: &Node) -> std::io::Result<()> {
    let text = |writer: &mut Writer<Vec<u8>>, value: &str| -> std::io::Result<()> {
        writer.write_event(Event::Start(BytesStart::new(name)))?;
        writer.write_event(Event::Text(BytesText::new(&xml_chars(value))))?;
        writer.write_event(Event::End(BytesEnd::new(name)))
    };
    match node {
        Node::Null => writer.write_event(Event::Empty(BytesStart::new(name))),
        Node::Text(value) if value.is_empty() => writer.write_event(Event::Empty(BytesStart::new(name))),
        Node::Bool(value) => text(writer, if *value { "true" } else { "false" }),
        Node::Number(value) | Node::Text(value) => text(writer, value),
        Node::List(items) => {
            writer.write_event(Event::Start(BytesStart::new(name)))?;
            for item in items {
                element(writer, item_of(name), item)?;
            }
            writer.write_event(Event::End(BytesEnd::new(name)))
        }
        Node::Object(members) => {
            writer.write_event(Event::Start(BytesStart::new(name)))?;
            for (member, value) in members {
                element(writer, member, value)?;
            }
            writer.write_event(Event::End(BytesEnd::new(name)))
        }
    }
}

/// `value` without the characters XML 1.0 forbids even escaped.
fn xml_chars(value: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
    if value.chars().all(allowed) {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(value.chars().filter(|c| allowed(*c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Endpoint {
        specification: &'static str,
        url: String,
        formats: Vec<&'static str>,
    }

    #[derive(serde::Serialize)]
    struct Doc {
        zeta: &'static str,
        alpha: Option<String>,
        flag: bool,
        lat: f64,
        count: u32,
        endpoints: Vec<Endpoint>,
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn members_keep_their_declared_order() {
        let doc = Doc { zeta: "z", alpha: None, flag: true, lat: -6.2, count: 3, endpoints: vec![] };
        let Node::Object(members) = Node::of(&doc).unwrap() else { panic!() };
        let names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha", "flag", "lat", "count", "endpoints"]);
        assert_eq!(members[3].1, Node::Number("-6.2".into()), "numbers as serde_json writes them");
    }

    #[test]
    fn lists_hold_one_named_element_per_item_and_null_is_empty() {
        let doc = Doc {
            zeta: "a < b & \"c\"",
            alpha: None,
            flag: false,
            lat: 106.8,
            count: 7,
            endpoints: vec![Endpoint { specification: "s", url: "http://x/v2".into(), formats: vec!["text/xml", "application/json"] }],
        };
        let xml = text(document("discovery", &Node::of(&doc).unwrap()));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{xml}");
        assert!(xml.contains("<zeta>a &lt; b &amp; &quot;c&quot;</zeta>"), "{xml}");
        assert!(xml.contains("<alpha/>"), "{xml}");
        assert!(xml.contains("<flag>false</flag>"));
        assert!(xml.contains("<endpoints>\n    <endpoint>"), "{xml}");
        assert!(xml.contains("<formats>\n        <format>text/xml</format>\n        <format>application/json</format>\n      </formats>"), "{xml}");
    }

    #[test]
    fn a_list_document_wraps_its_items() {
        let xml = text(document("services", &Node::of(&vec![serde_json::json!({"service_code": "a"})]).unwrap()));
        assert!(xml.contains("<services>\n  <service>\n    <service_code>a</service_code>\n  </service>\n</services>"), "{xml}");
        let empty = text(document("service_requests", &Node::List(vec![])));
        assert!(empty.ends_with("<service_requests>\n</service_requests>\n"), "{empty}");
        assert_eq!(item_of("errors"), "error");
        assert_eq!(item_of("service_requests"), "request");
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped_others_kept() {
        let node = Node::Text("a\u{1}b\u{8}c\tline\nJl. Dago – café ☕".into());
        let xml = text(document("description", &node));
        assert!(xml.contains("<description>abc\tline\nJl. Dago – café ☕</description>"), "{xml}");
    }
}

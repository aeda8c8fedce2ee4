//! Services and service definitions: the category taxonomy as GeoReport v2
//! lists it.
//!
//! Every active category is a service: `service_code` is its code,
//! `service_name` its name in the caller's language, `group` its topic's
//! name (a topic is its own group), `keywords` its and its topic's names in
//! both languages. Requests are filed synchronously, so `type` is
//! `realtime`.
//!
//! Every service has one attribute, `privacy`: who may read the report and
//! who may know who filed it, the same four choices as the API's `privacy`
//! field (`public`, the default when it is not sent; `anonymous`;
//! `confidential`; `confidential_anonymous`). So `metadata` is `true`
//! everywhere, and a client that shows definitions lets a whistleblower
//! choose.

use serde::Serialize;

use crate::lang::Lang;
use crate::privacy::Privacy;
use crate::view::CategoryView;

/// The code of the privacy attribute (`attribute[privacy]=...` in a POST).
pub const PRIVACY_ATTRIBUTE: &str = "privacy";

/// One service of `services.{fmt}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceView {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub service_type: &'static str,
    pub keywords: String,
    pub group: String,
}

/// `services/{code}.{fmt}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute {
    pub variable: bool,
    pub code: &'static str,
    pub datatype: &'static str,
    pub required: bool,
    pub datatype_description: Option<String>,
    pub order: u32,
    pub description: String,
    pub values: Vec<AttributeValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeValue {
    pub key: &'static str,
    pub name: &'static str,
}

/// The services of `categories` (the active taxonomy, in its order), named
/// in `lang`.
pub fn services(categories: &[CategoryView], lang: Lang) -> Vec<ServiceView> {
    categories.iter().map(|category| service(category, categories, lang)).collect()
}

fn service(category: &CategoryView, all: &[CategoryView], lang: Lang) -> ServiceView {
    let topic = category.parent.as_deref().and_then(|parent| all.iter().find(|c| c.code == parent)).unwrap_or(category);
    let name = category.name(lang).to_string();
    let group = topic.name(lang).to_string();
    let description = if topic.code == category.code {
        lang.pick(&format!("{name}: laporan umum tentang topik ini."), &format!("{name}: general reports on this topic.")).to_string()
    } else {
        format!("{group}: {name}")
    };
    let mut keywords: Vec<&str> = Vec::new();
    for word in [&category.name_id, &category.name_en, &topic.name_id, &topic.name_en] {
        if !keywords.contains(&word.as_str()) {
            keywords.push(word);
        }
    }
    ServiceView {
        service_code: category.code.clone(),
        service_name: name,
        description,
        metadata: true,
        service_type: "realtime",
        keywords: keywords.join(", "),
        group,
    }
}

/// The definition of service `code`: its attributes.
pub fn definition(code: &str, lang: Lang) -> ServiceDefinition {
    ServiceDefinition { service_code: code.to_string(), attributes: vec![privacy_attribute(lang)] }
}

fn privacy_attribute(lang: Lang) -> Attribute {
    let value = |privacy: Privacy, name_id: &'static str, name_en: &'static str| AttributeValue {
        key: privacy.as_str(),
        name: lang.pick(name_id, name_en),
    };
    Attribute {
        variable: true,
        code: PRIVACY_ATTRIBUTE,
        datatype: "singlevaluelist",
        required: false,
        datatype_description: Some(
            lang.pick("Satu pilihan; tanpa pilihan: public.", "One choice; when none is sent: public.").to_string(),
        ),
        order: 1,
        description: lang
            .pick(
                "Siapa yang boleh membaca laporan, dan siapa yang boleh tahu siapa pelapornya. Laporan rahasia tidak tampil di Open311; pelapor anonim hanya diketahui administrator LAPOR!.",
                "Who may read the report, and who may know who filed it. Confidential reports never appear through Open311; an anonymous reporter is known only to the LAPOR! administrators.",
            )
            .to_string(),
        values: vec![
            value(Privacy::PUBLIC, "Publik, dengan nama pelapor", "Public, reporter named"),
            value(Privacy::ANONYMOUS, "Publik, pelapor anonim", "Public, anonymous reporter"),
            value(Privacy::CONFIDENTIAL, "Rahasia", "Confidential"),
            value(Privacy::CONFIDENTIAL_ANONYMOUS, "Rahasia, pelapor anonim", "Confidential, anonymous reporter"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(code: &str, parent: Option<&str>, name_id: &str, name_en: &str) -> CategoryView {
        CategoryView { code: code.into(), parent: parent.map(Into::into), name_id: name_id.into(), name_en: name_en.into(), retired_at: None }
    }

    fn taxonomy() -> Vec<CategoryView> {
        vec![
            category("infrastruktur", None, "Infrastruktur", "Infrastructure"),
            category("infrastruktur-jalan", Some("infrastruktur"), "Jalan rusak atau berlubang", "Damaged roads and potholes"),
        ]
    }

    #[test]
    fn a_sub_topic_is_grouped_under_its_topic() {
        let services = services(&taxonomy(), Lang::Id);
        let road = &services[1];
        assert_eq!(road.service_code, "infrastruktur-jalan");
        assert_eq!(road.service_name, "Jalan rusak atau berlubang");
        assert_eq!(road.group, "Infrastruktur");
        assert_eq!(road.keywords, "Jalan rusak atau berlubang, Damaged roads and potholes, Infrastruktur, Infrastructure");
        assert_eq!((road.metadata, road.service_type), (true, "realtime"));
        assert_eq!(road.description, "Infrastruktur: Jalan rusak atau berlubang");
        let topic = &services[0];
        assert_eq!((topic.group.as_str(), topic.keywords.as_str()), ("Infrastruktur", "Infrastruktur, Infrastructure"));
        assert_eq!(services_in(Lang::En)[1].group, "Infrastructure");
    }

    fn services_in(lang: Lang) -> Vec<ServiceView> {
        services(&taxonomy(), lang)
    }

    #[test]
    fn the_fields_are_the_specs() {
        let json = serde_json::to_value(&services_in(Lang::En)[1]).unwrap();
        let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["description", "group", "keywords", "metadata", "service_code", "service_name", "type"]);
    }

    #[test]
    fn the_privacy_attribute_offers_every_privacy_by_its_api_name() {
        let definition = definition("infrastruktur-jalan", Lang::En);
        assert_eq!(definition.service_code, "infrastruktur-jalan");
        let attribute = &definition.attributes[0];
        assert_eq!((attribute.code, attribute.datatype, attribute.required, attribute.order), ("privacy", "singlevaluelist", false, 1));
        let keys: Vec<&str> = attribute.values.iter().map(|v| v.key).collect();
        assert_eq!(keys, ["public", "anonymous", "confidential", "confidential_anonymous"]);
        for key in keys {
            assert!(Privacy::parse("privacy", key).is_ok(), "{key} is a privacy the intake takes");
        }
        assert_eq!(definition_in_id().attributes[0].values[2].name, "Rahasia");
    }

    fn definition_in_id() -> ServiceDefinition {
        definition("x", Lang::Id)
    }
}

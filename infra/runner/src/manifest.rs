//! `spin.toml` (manifest version 2), parsed the way Spin parses it.
//!
//! Spin's schema uses `deny_unknown_fields`, so a typo in a field name is an
//! error there; it is one here too. Every error names the file, the field and
//! what is allowed, because the person reading it is usually fixing a manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// A parsed and validated application manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Directory of spin.toml: component sources and files are relative to it.
    pub base_dir: PathBuf,
    pub application: Application,
    pub variables: BTreeMap<String, VariableDecl>,
    pub http_triggers: Vec<HttpTrigger>,
    pub components: BTreeMap<String, Component>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub name: String,
    pub version: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// Application-wide trigger settings. Only `[application.trigger.http] base = "/"`
    /// is accepted: Spin 3 removed any other base.
    #[serde(default)]
    pub trigger: Option<ApplicationTrigger>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationTrigger {
    pub http: Option<ApplicationHttpTrigger>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationHttpTrigger {
    pub base: Option<String>,
}

/// An application variable declared under `[variables]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableDecl {
    #[serde(default)]
    pub required: bool,
    pub default: Option<String>,
    /// Secret values are never printed by the runner.
    #[serde(default)]
    pub secret: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpTrigger {
    pub id: Option<String>,
    pub route: Route,
    pub component: String,
}

/// `route = "/path"` or `route = { private = true }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Route {
    Path(String),
    Private(PrivateRoute),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateRoute {
    pub private: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub description: Option<String>,
    pub source: ComponentSource,
    #[serde(default)]
    pub files: Vec<FileMount>,
    #[serde(default)]
    pub exclude_files: Vec<String>,
    #[serde(default)]
    pub allowed_outbound_hosts: Vec<String>,
    #[serde(default)]
    pub key_value_stores: Vec<String>,
    #[serde(default)]
    pub sqlite_databases: Vec<String>,
    /// Accepted for compatibility; this runner has no AI models to offer.
    #[serde(default)]
    pub ai_models: Vec<String>,
    /// Component variables: values are literals or `{{ app_variable }}` templates.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    pub build: Option<ComponentBuild>,
    /// Tool-specific data, ignored by Spin and by this runner.
    pub tool: Option<toml::Table>,
}

/// Only local files are supported: the runner never downloads anything.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ComponentSource {
    Local(String),
    Remote(toml::Table),
}

/// `files = ["static/**/*"]` or `files = [{ source = "public", destination = "/" }]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FileMount {
    Pattern(String),
    Placement(FilePlacement),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilePlacement {
    pub source: String,
    pub destination: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentBuild {
    pub command: BuildCommand,
    pub workdir: Option<String>,
    #[serde(default)]
    pub watch: Vec<String>,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum BuildCommand {
    One(String),
    Many(Vec<String>),
}

/// The raw file, before cross-field validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    spin_manifest_version: toml::Value,
    application: Application,
    #[serde(default)]
    variables: BTreeMap<String, VariableDecl>,
    #[serde(default)]
    trigger: BTreeMap<String, toml::Value>,
    #[serde(default)]
    component: BTreeMap<String, Component>,
}

impl Manifest {
    /// Reads and validates a manifest file.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read manifest {}", path.display()))?;
        let base_dir = path
            .parent()
            .map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p })
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Self::parse(&text, &path.display().to_string(), base_dir)
    }

    /// Parses manifest text; `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &str, base_dir: PathBuf) -> Result<Self> {
        let raw: RawManifest = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!("{origin}: invalid manifest: {}", e.to_string().trim_end())
        })?;
        let err = |msg: String| anyhow::anyhow!("{origin}: {msg}");

        match raw.spin_manifest_version {
            toml::Value::Integer(2) => {}
            toml::Value::String(ref s) if s == "2" => {}
            other => {
                return Err(err(format!(
                    "field `spin_manifest_version` is {other}; this runner reads only version 2 (spin_manifest_version = 2)"
                )))
            }
        }

        if let Some(base) = raw
            .application
            .trigger
            .as_ref()
            .and_then(|t| t.http.as_ref())
            .and_then(|h| h.base.as_deref())
        {
            if base != "/" {
                return Err(err(format!(
                    "field `application.trigger.http.base` is {base:?}; Spin 3 removed application base paths, only \"/\" is allowed"
                )));
            }
        }

        for (name, decl) in &raw.variables {
            if !is_snake_case(name) {
                return Err(err(format!(
                    "variable name `{name}` under [variables] is invalid: use lower_snake_case (a-z, 0-9, _; starting with a letter)"
                )));
            }
            if decl.required && decl.default.is_some() {
                return Err(err(format!(
                    "variable `{name}` is both `required = true` and has a `default`: choose one"
                )));
            }
        }

        for (id, component) in &raw.component {
            if !is_kebab_case(id) {
                return Err(err(format!(
                    "component id `{id}` is invalid: use kebab-case (a-z, 0-9, -; starting with a letter)"
                )));
            }
            if let ComponentSource::Remote(_) = component.source {
                return Err(err(format!(
                    "field `component.{id}.source` is a remote source; this runner runs only local files (source = \"path/to/file.wasm\")"
                )));
            }
            for label in component.key_value_stores.iter().chain(&component.sqlite_databases) {
                if !is_label(label) {
                    return Err(err(format!(
                        "store label `{label}` in component `{id}` is invalid: use letters, digits, '-' and '_'"
                    )));
                }
            }
            if !component.ai_models.is_empty() {
                return Err(err(format!(
                    "field `component.{id}.ai_models` is set; this runner offers no AI models (leave it empty)"
                )));
            }
            for name in component.variables.keys() {
                if !is_snake_case(name) {
                    return Err(err(format!(
                        "variable name `{name}` in `component.{id}.variables` is invalid: use lower_snake_case"
                    )));
                }
            }
        }

        let mut http_triggers = Vec::new();
        for (kind, value) in raw.trigger {
            if kind != "http" {
                return Err(err(format!(
                    "trigger type `{kind}` is not supported by this runner; allowed: [[trigger.http]] (use an authenticated HTTP route plus a scheduler for timed work)"
                )));
            }
            let triggers: Vec<HttpTrigger> = value.try_into().map_err(|e: toml::de::Error| {
                err(format!("invalid [[trigger.http]]: {}", e.to_string().trim_end()))
            })?;
            http_triggers = triggers;
        }

        for (index, trigger) in http_triggers.iter().enumerate() {
            if !raw.component.contains_key(&trigger.component) {
                let known: Vec<&str> = raw.component.keys().map(String::as_str).collect();
                return Err(err(format!(
                    "[[trigger.http]] #{} refers to component `{}`, which is not defined; defined components: {}",
                    index + 1,
                    trigger.component,
                    known.join(", ")
                )));
            }
            match &trigger.route {
                Route::Path(route) => {
                    if !route.starts_with('/') {
                        return Err(err(format!(
                            "route {route:?} of component `{}` must start with '/'",
                            trigger.component
                        )));
                    }
                    if route.starts_with(crate::routes::WELL_KNOWN_PREFIX) {
                        return Err(err(format!(
                            "route {route:?} of component `{}` is under {}, which the runtime reserves",
                            trigger.component,
                            crate::routes::WELL_KNOWN_PREFIX
                        )));
                    }
                }
                Route::Private(PrivateRoute { private: false }) => {
                    return Err(err(format!(
                        "route of component `{}` is {{ private = false }}; a route is a string pattern or {{ private = true }}",
                        trigger.component
                    )));
                }
                Route::Private(_) => {}
            }
        }

        Ok(Self {
            base_dir,
            application: raw.application,
            variables: raw.variables,
            http_triggers,
            components: raw.component,
        })
    }

    /// Absolute (or manifest-relative) path of a component's Wasm file.
    pub fn component_source_path(&self, id: &str) -> Option<PathBuf> {
        match &self.components.get(id)?.source {
            ComponentSource::Local(path) => Some(self.base_dir.join(path)),
            ComponentSource::Remote(_) => None,
        }
    }
}

/// lower_snake_case, as Spin requires for variable names.
pub fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// kebab-case, as Spin requires for component ids.
pub fn is_kebab_case(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !name.contains("--")
}

fn is_label(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Manifest> {
        Manifest::parse(text, "test/spin.toml", PathBuf::from("test"))
    }

    const GOOD: &str = r#"
spin_manifest_version = 2
[application]
name = "app"
version = "0.1.0"
[variables]
api_token = { required = true, secret = true }
log_level = { default = "info" }
[[trigger.http]]
route = "/api/items/:id"
component = "api"
[[trigger.http]]
route = { private = true }
component = "worker"
[component.api]
source = "target/api.wasm"
allowed_outbound_hosts = ["http://worker.spin.internal"]
key_value_stores = ["default"]
sqlite_databases = ["default"]
variables = { token = "{{ api_token }}" }
environment = { RUST_LOG = "info" }
files = [{ source = "public", destination = "/" }, "static/*.css"]
[component.api.build]
command = "cargo build --target wasm32-wasip2 --release"
workdir = "functions/api"
watch = ["src/**/*.rs"]
[component.worker]
source = "target/worker.wasm"
"#;

    #[test]
    fn parses_a_complete_manifest() {
        let m = parse(GOOD).unwrap();
        assert_eq!(m.application.name, "app");
        assert_eq!(m.http_triggers.len(), 2);
        assert_eq!(m.http_triggers[0].route, Route::Path("/api/items/:id".into()));
        assert_eq!(
            m.http_triggers[1].route,
            Route::Private(PrivateRoute { private: true })
        );
        let api = &m.components["api"];
        assert_eq!(api.key_value_stores, vec!["default"]);
        assert_eq!(api.variables["token"], "{{ api_token }}");
        assert_eq!(api.files.len(), 2);
        assert!(m.variables["api_token"].secret);
        assert_eq!(
            m.component_source_path("api").unwrap(),
            PathBuf::from("test/target/api.wasm")
        );
    }

    fn error_of(text: &str) -> String {
        format!("{:#}", parse(text).unwrap_err())
    }

    #[test]
    fn unknown_component_field_names_file_field_and_allowed_fields() {
        let msg = error_of(&GOOD.replace("source = \"target/worker.wasm\"", "sorce = \"x\""));
        assert!(msg.starts_with("test/spin.toml:"), "{msg}");
        assert!(msg.contains("unknown field `sorce`"), "{msg}");
        assert!(msg.contains("`source`"), "{msg}");
    }

    #[test]
    fn wrong_manifest_version_is_rejected() {
        let msg = error_of(&GOOD.replace("spin_manifest_version = 2", "spin_manifest_version = 1"));
        assert!(msg.contains("`spin_manifest_version`"), "{msg}");
        assert!(msg.contains("only version 2"), "{msg}");
    }

    #[test]
    fn trigger_to_unknown_component_lists_known_ones() {
        let msg = error_of(&GOOD.replace("component = \"worker\"", "component = \"wroker\""));
        assert!(msg.contains("`wroker`"), "{msg}");
        assert!(msg.contains("api, worker"), "{msg}");
    }

    #[test]
    fn non_kebab_component_id_is_rejected() {
        let msg = error_of(&GOOD.replace("[component.worker]", "[component.Worker_1]").replace(
            "component = \"worker\"",
            "component = \"Worker_1\"",
        ));
        assert!(msg.contains("component id `Worker_1` is invalid"), "{msg}");
    }

    #[test]
    fn bad_variable_name_and_required_with_default_are_rejected() {
        let msg = error_of(&GOOD.replace("log_level =", "LogLevel ="));
        assert!(msg.contains("`LogLevel`"), "{msg}");
        let msg = error_of(&GOOD.replace(
            "log_level = { default = \"info\" }",
            "log_level = { default = \"info\", required = true }",
        ));
        assert!(msg.contains("both `required = true` and has a `default`"), "{msg}");
    }

    #[test]
    fn routes_must_be_absolute_and_outside_the_reserved_prefix() {
        let msg = error_of(&GOOD.replace("\"/api/items/:id\"", "\"api\""));
        assert!(msg.contains("must start with '/'"), "{msg}");
        let msg = error_of(&GOOD.replace("\"/api/items/:id\"", "\"/.well-known/spin/x\""));
        assert!(msg.contains("reserves"), "{msg}");
        let msg = error_of(&GOOD.replace("{ private = true }", "{ private = false }"));
        assert!(msg.contains("{ private = false }"), "{msg}");
    }

    #[test]
    fn other_trigger_types_and_application_base_are_rejected() {
        let msg = error_of(&format!(
            "{GOOD}\n[[trigger.redis]]\nchannel = \"x\"\ncomponent = \"api\"\n"
        ));
        assert!(msg.contains("trigger type `redis` is not supported"), "{msg}");
        let msg = error_of(&GOOD.replace(
            "version = \"0.1.0\"",
            "version = \"0.1.0\"\n[application.trigger.http]\nbase = \"/v1\"",
        ));
        assert!(msg.contains("only \"/\" is allowed"), "{msg}");
    }

    #[test]
    fn remote_sources_are_refused() {
        let msg = error_of(&GOOD.replace(
            "source = \"target/worker.wasm\"",
            "source = { url = \"https://example.com/x.wasm\", digest = \"sha256:00\" }",
        ));
        assert!(msg.contains("remote source"), "{msg}");
    }

    #[test]
    fn unknown_top_level_field_is_named() {
        let msg = error_of(&format!("{GOOD}\n[compnent.x]\nsource = \"x\"\n"));
        assert!(msg.contains("unknown field `compnent`"), "{msg}");
    }

    #[test]
    fn case_helpers() {
        assert!(is_kebab_case("sla-sweep"));
        assert!(!is_kebab_case("sla_sweep"));
        assert!(!is_kebab_case("-x"));
        assert!(is_snake_case("sla_sweep_token"));
        assert!(!is_snake_case("SLA"));
    }
}

//! Application variables and the `{{ name }}` templates that use them.
//!
//! Resolution order is Spin's with its env provider: `SPIN_VARIABLE_<NAME>`
//! from the environment first, then the manifest default. A required variable
//! with no value stops start-up, with one message listing every missing one.

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use crate::manifest::{is_snake_case, Manifest};

/// Every application variable's resolved value.
#[derive(Debug, Clone, Default)]
pub struct ResolvedVariables {
    values: BTreeMap<String, String>,
}

impl ResolvedVariables {
    /// Resolves the manifest's `[variables]` with `lookup` as the environment.
    pub fn resolve(
        manifest: &Manifest,
        env_prefix: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let mut values = BTreeMap::new();
        let mut missing = Vec::new();
        for (name, decl) in &manifest.variables {
            let env_name = format!("{env_prefix}_{}", name.to_ascii_uppercase());
            match lookup(&env_name).or_else(|| decl.default.clone()) {
                Some(value) => {
                    values.insert(name.clone(), value);
                }
                None if decl.required => missing.push((name.clone(), env_name)),
                None => {}
            }
        }
        if !missing.is_empty() {
            let list: Vec<String> = missing
                .iter()
                .map(|(name, env)| format!("`{name}` (set {env})"))
                .collect();
            bail!(
                "required application variable{} without a value: {}",
                if missing.len() == 1 { "" } else { "s" },
                list.join(", ")
            );
        }
        Ok(Self { values })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Expands `{{ name }}` references in `template`.
    pub fn expand(&self, template: &str) -> Result<String> {
        let mut out = String::new();
        for piece in Template::parse(template)? {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Variable(name) => match self.get(name) {
                    Some(value) => out.push_str(value),
                    None => bail!(
                        "template {template:?} refers to application variable `{name}`, which has no value (declare it under [variables] with a default or set it)"
                    ),
                },
            }
        }
        Ok(out)
    }

    /// Resolves one component's `variables` table to final values.
    pub fn for_component(&self, manifest: &Manifest, component_id: &str) -> Result<BTreeMap<String, String>> {
        let component = &manifest.components[component_id];
        let mut out = BTreeMap::new();
        for (name, template) in &component.variables {
            for piece in Template::parse(template)? {
                if let Piece::Variable(var) = piece {
                    if !manifest.variables.contains_key(var) {
                        bail!(
                            "component `{component_id}` variable `{name}` refers to `{var}`, which is not declared under [variables]"
                        );
                    }
                }
            }
            out.insert(name.clone(), self.expand(template)?);
        }
        Ok(out)
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Variable(&'a str),
}

struct Template;

impl Template {
    fn parse(text: &str) -> Result<Vec<Piece<'_>>> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                pieces.push(Piece::Literal(&rest[..start]));
            }
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                bail!("template {text:?} has an unclosed '{{{{'");
            };
            let name = after[..end].trim();
            if !is_snake_case(name) {
                bail!("template {text:?} refers to {name:?}, which is not a lower_snake_case variable name");
            }
            pieces.push(Piece::Variable(name));
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest));
        }
        Ok(pieces)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn manifest() -> Manifest {
        Manifest::parse(
            r#"
spin_manifest_version = 2
[application]
name = "app"
[variables]
api_token = { required = true, secret = true }
log_level = { default = "info" }
optional_thing = {}
[[trigger.http]]
route = "/..."
component = "api"
[component.api]
source = "api.wasm"
variables = { token = "Bearer {{ api_token }}", level = "{{log_level}}", fixed = "x" }
"#,
            "spin.toml",
            PathBuf::from("."),
        )
        .unwrap()
    }

    #[test]
    fn environment_beats_default_and_templates_expand() {
        let m = manifest();
        let vars = ResolvedVariables::resolve(&m, "SPIN_VARIABLE", |name| match name {
            "SPIN_VARIABLE_API_TOKEN" => Some("s3cret".into()),
            "SPIN_VARIABLE_LOG_LEVEL" => Some("debug".into()),
            _ => None,
        })
        .unwrap();
        let c = vars.for_component(&m, "api").unwrap();
        assert_eq!(c["token"], "Bearer s3cret");
        assert_eq!(c["level"], "debug");
        assert_eq!(c["fixed"], "x");
        assert_eq!(vars.get("optional_thing"), None);
    }

    #[test]
    fn default_applies_when_environment_is_silent() {
        let m = manifest();
        let vars = ResolvedVariables::resolve(&m, "SPIN_VARIABLE", |n| {
            (n == "SPIN_VARIABLE_API_TOKEN").then(|| "t".to_string())
        })
        .unwrap();
        assert_eq!(vars.get("log_level"), Some("info"));
    }

    #[test]
    fn missing_required_variable_names_the_environment_variable() {
        let m = manifest();
        let err = ResolvedVariables::resolve(&m, "SPIN_VARIABLE", |_| None).unwrap_err().to_string();
        assert!(err.contains("`api_token`"), "{err}");
        assert!(err.contains("SPIN_VARIABLE_API_TOKEN"), "{err}");
    }

    #[test]
    fn template_errors() {
        assert!(Template::parse("{{ open").is_err());
        assert!(Template::parse("{{ Bad-Name }}").is_err());
        assert_eq!(
            Template::parse("a{{b}}c").unwrap(),
            vec![Piece::Literal("a"), Piece::Variable("b"), Piece::Literal("c")]
        );
        let m = manifest();
        let vars = ResolvedVariables::resolve(&m, "SPIN_VARIABLE", |_| Some("v".into())).unwrap();
        assert!(vars.expand("{{ undeclared }}").is_err());
    }
}

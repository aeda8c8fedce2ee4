//! `runtime-config.toml`: where each key-value store and SQLite database lives.
//!
//! Without a file, the runner makes the defaults `spin up` makes: a `default`
//! key-value store in `<state-dir>/sqlite_key_value.db` and a `default`
//! database in `<state-dir>/sqlite_db.db`. Any other label must be defined
//! here, or start-up fails, as in Spin.
//!
//! `[outbound_networking] block_networks = ["private", "1.2.3.4/32"]` refuses
//! outbound connections to those addresses (see `outbound.rs`); without it,
//! nothing is blocked, as in Spin.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;

use crate::outbound::BlockedNetworks;

pub const DEFAULT_LABEL: &str = "default";
pub const DEFAULT_KV_FILE: &str = "sqlite_key_value.db";
pub const DEFAULT_SQLITE_FILE: &str = "sqlite_db.db";

/// Where a key-value store keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValueBackend {
    /// Spin's SQLite-backed store; `None` keeps it in memory.
    Spin { path: Option<PathBuf> },
    Redis { url: String },
}

/// Where a SQLite database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteBackend {
    /// A local file; `None` keeps it in memory.
    Spin { path: Option<PathBuf> },
}

#[derive(Debug, Clone, Default)]
pub struct RuntimeConfig {
    pub key_value_stores: BTreeMap<String, KeyValueBackend>,
    pub sqlite_databases: BTreeMap<String, SqliteBackend>,
    /// Prefix of environment variables that provide application variables.
    pub env_variable_prefix: String,
    /// Addresses no outbound connection may go to.
    pub blocked_networks: BlockedNetworks,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuntimeConfig {
    #[serde(default)]
    key_value_store: BTreeMap<String, toml::Table>,
    #[serde(default)]
    sqlite_database: BTreeMap<String, toml::Table>,
    #[serde(default)]
    variables_provider: Vec<toml::Table>,
    outbound_networking: Option<OutboundNetworkingOptions>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutboundNetworkingOptions {
    #[serde(default)]
    block_networks: Vec<String>,
    // Spin's connection caps: known, but not implemented here.
    max_socket_connections: Option<usize>,
    max_total_connections: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpinStoreOptions {
    path: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedisStoreOptions {
    url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvProviderOptions {
    prefix: Option<String>,
}

impl RuntimeConfig {
    /// The configuration used when no file is given.
    pub fn defaults(state_dir: &Path) -> Self {
        let mut config = Self {
            env_variable_prefix: "SPIN_VARIABLE".to_string(),
            ..Self::default()
        };
        config.fill_defaults(state_dir);
        config
    }

    /// Reads a runtime-config file. Key-value `path`s are relative to the file's
    /// directory; SQLite `path`s are relative to the working directory (Spin's rules).
    pub fn from_file(path: &Path, state_dir: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read runtime config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config = Self::parse(&text, &path.display().to_string(), base)?;
        config.fill_defaults(state_dir);
        Ok(config)
    }

    pub fn parse(text: &str, origin: &str, base_dir: &Path) -> Result<Self> {
        let raw: RawRuntimeConfig = toml::from_str(text)
            .map_err(|e| anyhow!("{origin}: invalid runtime config: {}", e.to_string().trim_end()))?;
        let mut config = Self {
            env_variable_prefix: "SPIN_VARIABLE".to_string(),
            ..Self::default()
        };

        for (label, table) in raw.key_value_store {
            let field = format!("key_value_store.{label}");
            let (kind, options) = split_type(table, origin, &field)?;
            let backend = match kind.as_str() {
                "spin" => {
                    let o: SpinStoreOptions = options_of(options, origin, &field)?;
                    KeyValueBackend::Spin { path: o.path.map(|p| base_dir.join(p)) }
                }
                "redis" => {
                    let o: RedisStoreOptions = options_of(options, origin, &field)?;
                    if !(o.url.starts_with("redis://") || o.url.starts_with("rediss://")) {
                        bail!("{origin}: field `{field}.url` must start with redis:// or rediss://, got {:?}", o.url);
                    }
                    KeyValueBackend::Redis { url: o.url }
                }
                other => bail!(
                    "{origin}: field `{field}.type` is {other:?}; this runner supports \"spin\" (SQLite file) and \"redis\""
                ),
            };
            config.key_value_stores.insert(label, backend);
        }

        for (label, table) in raw.sqlite_database {
            let field = format!("sqlite_database.{label}");
            let (kind, options) = split_type(table, origin, &field)?;
            let backend = match kind.as_str() {
                "spin" => {
                    let o: SpinStoreOptions = options_of(options, origin, &field)?;
                    SqliteBackend::Spin { path: o.path }
                }
                "libsql" => bail!(
                    "{origin}: field `{field}.type` is \"libsql\"; a remote libSQL database needs real Spin (this runner supports \"spin\" files only)"
                ),
                other => bail!(
                    "{origin}: field `{field}.type` is {other:?}; this runner supports \"spin\" (a local SQLite file)"
                ),
            };
            config.sqlite_databases.insert(label, backend);
        }

        if let Some(networking) = raw.outbound_networking {
            if networking.max_socket_connections.is_some() || networking.max_total_connections.is_some() {
                bail!("{origin}: `outbound_networking.max_socket_connections` and `max_total_connections` need real Spin (this runner supports `block_networks`)");
            }
            config.blocked_networks = BlockedNetworks::parse(&networking.block_networks)
                .map_err(|e| anyhow!("{origin}: field `outbound_networking.block_networks`: {e}"))?;
        }

        for (index, table) in raw.variables_provider.into_iter().enumerate() {
            let field = format!("variables_provider[{index}]");
            let (kind, options) = split_type(table, origin, &field)?;
            match kind.as_str() {
                "env" => {
                    let o: EnvProviderOptions = options_of(options, origin, &field)?;
                    if let Some(prefix) = o.prefix {
                        config.env_variable_prefix = prefix;
                    }
                }
                other => bail!(
                    "{origin}: field `{field}.type` is {other:?}; this runner supports the \"env\" provider (SPIN_VARIABLE_<NAME>)"
                ),
            }
        }
        Ok(config)
    }

    fn fill_defaults(&mut self, state_dir: &Path) {
        self.key_value_stores
            .entry(DEFAULT_LABEL.to_string())
            .or_insert_with(|| KeyValueBackend::Spin { path: Some(state_dir.join(DEFAULT_KV_FILE)) });
        self.sqlite_databases
            .entry(DEFAULT_LABEL.to_string())
            .or_insert_with(|| SqliteBackend::Spin { path: Some(state_dir.join(DEFAULT_SQLITE_FILE)) });
    }
}

fn split_type(mut table: toml::Table, origin: &str, field: &str) -> Result<(String, toml::Table)> {
    match table.remove("type") {
        Some(toml::Value::String(kind)) => Ok((kind, table)),
        Some(other) => bail!("{origin}: field `{field}.type` must be a string, got {other}"),
        None => bail!("{origin}: `{field}` has no `type` field"),
    }
}

fn options_of<T: for<'de> Deserialize<'de>>(table: toml::Table, origin: &str, field: &str) -> Result<T> {
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| anyhow!("{origin}: in `{field}`: {}", e.to_string().trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_spin_up() {
        let c = RuntimeConfig::defaults(Path::new("/s"));
        assert_eq!(
            c.key_value_stores["default"],
            KeyValueBackend::Spin { path: Some(PathBuf::from("/s/sqlite_key_value.db")) }
        );
        assert_eq!(
            c.sqlite_databases["default"],
            SqliteBackend::Spin { path: Some(PathBuf::from("/s/sqlite_db.db")) }
        );
        assert_eq!(c.env_variable_prefix, "SPIN_VARIABLE");
    }

    #[test]
    fn parses_spin_and_redis_stores() {
        let c = RuntimeConfig::parse(
            r#"
[key_value_store.default]
type = "spin"
path = ".spin/kv.db"
[key_value_store.cache]
type = "redis"
url = "redis://127.0.0.1:6379/1"
[sqlite_database.default]
type = "spin"
path = "data/app.db"
[[variables_provider]]
type = "env"
"#,
            "rc.toml",
            Path::new("/cfg"),
        )
        .unwrap();
        assert_eq!(
            c.key_value_stores["default"],
            KeyValueBackend::Spin { path: Some(PathBuf::from("/cfg/.spin/kv.db")) }
        );
        assert_eq!(
            c.key_value_stores["cache"],
            KeyValueBackend::Redis { url: "redis://127.0.0.1:6379/1".into() }
        );
        assert_eq!(
            c.sqlite_databases["default"],
            SqliteBackend::Spin { path: Some(PathBuf::from("data/app.db")) }
        );
    }

    #[test]
    fn the_projects_runtime_configs_parse() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime-config");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                RuntimeConfig::from_file(&path, Path::new(".spin")).unwrap_or_else(|e| panic!("{e:#}"));
                seen += 1;
            }
        }
        assert!(seen >= 2, "expected the local and redis runtime configs in {}", dir.display());
    }

    /// The start-up error for a runtime config `rc.toml` holding `text`.
    fn error_of(text: &str) -> String {
        RuntimeConfig::parse(text, "rc.toml", Path::new(".")).unwrap_err().to_string()
    }

    #[test]
    fn parses_block_networks_with_spins_strictness() {
        let c = RuntimeConfig::parse("[outbound_networking]\nblock_networks = [\"private\", \"1.2.3.4/32\"]\n", "rc.toml", Path::new("."))
            .unwrap();
        assert!(c.blocked_networks.is_blocked("127.0.0.1".parse().unwrap()));
        assert!(c.blocked_networks.is_blocked("1.2.3.4".parse().unwrap()));
        assert!(!c.blocked_networks.is_blocked("1.2.3.5".parse().unwrap()));
        assert!(RuntimeConfig::defaults(Path::new(".")).blocked_networks.is_empty(), "nothing is blocked by default");

        let e = error_of("[outbound_networking]\nblock_networks = [\"intranet\"]\n");
        assert!(e.contains("rc.toml") && e.contains("outbound_networking.block_networks") && e.contains("\"private\""), "{e}");
        let e = error_of("[outbound_networking]\nblock_network = []\n");
        assert!(e.contains("unknown field `block_network`"), "{e}");
        let e = error_of("[outbound_networking]\nmax_total_connections = 5\n");
        assert!(e.contains("real Spin"), "{e}");
    }

    #[test]
    fn the_production_runtime_config_blocks_private_networks() {
        // The SpinKube Secret's runtime config (its libSQL part needs real
        // Spin, so only its `[outbound_networking]` table is read here).
        let yaml = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../k8s/spinapp.yaml")).unwrap();
        let table: String = yaml
            .lines()
            .map(str::trim)
            .skip_while(|l| *l != "[outbound_networking]")
            .take_while(|l| !l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let c = RuntimeConfig::parse(&table, "spinapp.yaml", Path::new(".")).unwrap();
        for private in ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1"] {
            assert!(c.blocked_networks.is_blocked(private.parse().unwrap()), "{private} in {table:?}");
        }
    }

    #[test]
    fn errors_name_file_field_and_allowed_values() {
        let e = error_of("[key_value_store.x]\ntype = \"cosmos\"\n");
        assert!(e.contains("rc.toml") && e.contains("key_value_store.x.type") && e.contains("\"redis\""), "{e}");
        let e = error_of("[sqlite_database.default]\ntype = \"libsql\"\nurl = \"x\"\n");
        assert!(e.contains("libsql") && e.contains("real Spin"), "{e}");
        let e = error_of("[key_value_store.x]\ntype = \"spin\"\npth = \"a\"\n");
        assert!(e.contains("unknown field `pth`"), "{e}");
        let e = error_of("[llm_compute]\ntype = \"x\"\n");
        assert!(e.contains("unknown field `llm_compute`"), "{e}");
    }
}

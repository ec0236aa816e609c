//! Configuration, in layers: built-in defaults, then `hadir.toml`, then `HADIR_*` environment
//! variables, then command-line flags. Secrets never appear in `Debug` output or logs.

use crate::cli::{ServeArgs, StorageArgs};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Default: `sqlite://<data_dir>/hadir.db`.
    pub database_url: Option<String>,
    /// Default: `<data_dir>/objects`.
    pub object_store: Option<String>,
    /// The encryption key file (created on first start). Default: `<data_dir>/keys/hadir.key`.
    /// Every process of one installation must read the same file.
    pub key_file: Option<PathBuf>,
    /// Default: on, except when listening on a loopback address (plain-HTTP development).
    pub secure_cookies: Option<bool>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub body_limit_bytes: usize,
    /// Requests a signed-in session may make per second after a burst of `request_burst`
    /// (each process counts its own); 0 lifts the limit.
    pub requests_per_second: u32,
    pub request_burst: u32,
    /// `tracing` filter, e.g. `info` or `hadir=debug,info`.
    pub log: String,
    /// Argon2id memory cost in KiB (default 19456, OWASP's recommendation).
    pub password_memory_kib: u32,
    pub password_iterations: u32,
    pub browser_session_hours: i64,
    pub app_session_days: i64,
    /// Tiles under the geofence preview, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`.
    /// Unset by default: the preview is drawn without a map and no page calls out.
    pub map_tiles: Option<String>,
    /// The bearer token Prometheus must send to read `/metrics`. Unset: only a scraper on this
    /// machine, connecting directly (not through a proxy), may read it.
    pub metrics_token: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./hadir-data"),
            database_url: None,
            object_store: None,
            key_file: None,
            secure_cookies: None,
            trusted_proxies: Vec::new(),
            body_limit_bytes: 1024 * 1024,
            requests_per_second: hadir_web::RateLimit::default().per_second,
            request_burst: hadir_web::RateLimit::default().burst,
            log: "info".into(),
            password_memory_kib: 19 * 1024,
            password_iterations: 2,
            browser_session_hours: 12,
            app_session_days: 90,
            map_tiles: None,
            metrics_token: None,
        }
    }
}

/// Flags as a figment layer: only the ones given.
#[derive(Serialize, Default)]
struct Flags {
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object_store: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Loads the layers. `file` is `--config`; without it `./hadir.toml` is read if present.
    pub fn load(file: Option<&Path>, serve: &ServeArgs) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError::Invalid(format!("config file {} does not exist", path.display())));
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file("hadir.toml")),
        }
        let flags = Flags {
            listen: serve.listen,
            data_dir: serve.storage.data_dir.clone(),
            database_url: serve.storage.database_url.clone(),
            object_store: serve.storage.object_store.clone(),
        };
        figment
            // HADIR_CONFIG names the file; HADIR_TEST_* belong to the test suite.
            .merge(Env::prefixed("HADIR_").filter(|key| {
                let key = key.as_str().to_ascii_lowercase();
                key != "config" && !key.starts_with("test_")
            }))
            .merge(Serialized::defaults(flags))
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))
    }

    pub fn load_storage(file: Option<&Path>, storage: &StorageArgs) -> Result<Config, ConfigError> {
        Config::load(file, &ServeArgs { listen: None, storage: storage.clone() })
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.data_dir.join("hadir.db").display()))
    }

    pub fn object_store(&self) -> String {
        self.object_store.clone().unwrap_or_else(|| self.data_dir.join("objects").display().to_string())
    }

    pub fn key_file(&self) -> PathBuf {
        self.key_file.clone().unwrap_or_else(|| self.data_dir.join("keys").join("hadir.key"))
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.unwrap_or(!self.listen.ip().is_loopback())
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    match (rest.find('@'), rest.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!("{}{}:***{}", &url[..scheme_end], &rest[..colon], &rest[at..]),
        _ => url.to_string(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url()))
            .field("object_store", &redact_url(&self.object_store()))
            .field("key_file", &self.key_file())
            .field("secure_cookies", &self.secure_cookies())
            .field("trusted_proxies", &self.trusted_proxies)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("requests_per_second", &self.requests_per_second)
            .field("request_burst", &self.request_burst)
            .field("log", &self.log)
            .field("map_tiles", &self.map_tiles)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
// figment::Jail's closures must return figment's own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://hadir:s3cret@db:5432/hadir"), "postgres://hadir:***@db:5432/hadir");
        assert_eq!(redact_url("postgres://db/hadir"), "postgres://db/hadir");
        let config = Config {
            database_url: Some("postgres://u:topsecret@h/d".into()),
            metrics_token: Some("scrapesecret".into()),
            ..Config::default()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("topsecret") && !printed.contains("scrapesecret"), "{printed}");
    }

    #[test]
    fn flags_beat_env_beat_file_beat_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("hadir.toml", "listen = \"0.0.0.0:9000\"\nlog = \"debug\"\ndata_dir = \"/srv/file\"")?;
            jail.set_env("HADIR_DATA_DIR", "/srv/env");
            let serve = ServeArgs { listen: Some("127.0.0.1:7000".parse().unwrap()), storage: StorageArgs::default() };
            let config = Config::load(None, &serve).unwrap();
            assert_eq!(config.listen, "127.0.0.1:7000".parse().unwrap());
            assert_eq!(config.data_dir, PathBuf::from("/srv/env"));
            assert_eq!(config.log, "debug");
            assert_eq!(config.database_url(), "sqlite:///srv/env/hadir.db?mode=rwc");
            assert!(!config.secure_cookies(), "plain localhost keeps cookies usable over HTTP");
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_reported() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("hadir.toml", "listen_addr = \"0.0.0.0:9000\"")?;
            let err = Config::load(None, &ServeArgs::default()).unwrap_err();
            assert!(err.to_string().contains("listen_addr"), "{err}");
            Ok(())
        });
    }
}

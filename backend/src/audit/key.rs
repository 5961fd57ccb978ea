//! The audit key: the HMAC key that entries, the chain record and anchors are keyed with.
//!
//! It is never stored in the database: whoever can write that file could otherwise recompute the
//! whole chain after editing it. It comes from `MUTU_AUDIT_KEY`, from `MUTU_AUDIT_KEY_FILE`, or
//! from `audit.key` in Mutu's configuration directory (`$XDG_CONFIG_HOME/mutu`, else
//! `$HOME/.config/mutu`), which is generated on first start. That directory is not the data
//! directory: a copy of the database, or of the folder it lives in, carries no key.
//!
//! [`AuditKey`] never shows the key: its `Debug` is redacted and it is identified in logs by
//! [`AuditKey::id`], a MAC of a fixed text, so two servers can be seen to share a key.

use crate::state::Config;
use anyhow::{Context, bail};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The shortest key accepted, in characters (as `MUTU_JWT_SECRET`).
pub const MIN_KEY_CHARS: usize = 32;
/// Random bytes in a generated key (written as hex).
const GENERATED_KEY_BYTES: usize = 32;
/// The file name of the generated key in the configuration directory.
pub const KEY_FILE_NAME: &str = "audit.key";

type HmacSha256 = Hmac<Sha256>;

/// An HMAC-SHA-256 key.
#[derive(Clone)]
pub struct AuditKey {
    mac: HmacSha256,
    id: String,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKey").field("id", &self.id).field("key", &"[redacted]").finish()
    }
}

impl AuditKey {
    /// A key from its secret text or bytes.
    pub fn new(secret: &[u8]) -> AuditKey {
        let mac = HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length");
        let mut key = AuditKey { mac, id: String::new() };
        key.id = key.sign(b"mutu-audit-key-id")[..16].to_owned();
        key
    }

    /// 16 hex characters that name the key in logs without revealing it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// HMAC-SHA-256 of `input`, in hex.
    pub fn sign(&self, input: &[u8]) -> String {
        let mut mac = self.mac.clone();
        mac.update(input);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `mac_hex` is the MAC of `input` (compared in constant time).
    pub fn verifies(&self, input: &[u8], mac_hex: &str) -> bool {
        let Ok(expected) = hex::decode(mac_hex) else { return false };
        let mut mac = self.mac.clone();
        mac.update(input);
        mac.verify_slice(&expected).is_ok()
    }
}

/// Where the key came from, for the start-up log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `MUTU_AUDIT_KEY`.
    Environment,
    /// A key file; `created` when this start generated it.
    File { path: PathBuf, created: bool },
}

/// Refuses a configuration whose key settings cannot work (checked by `Config::from_env`).
pub fn check_config(config: &Config) -> anyhow::Result<()> {
    if config.audit_key.is_some() && config.audit_key_file.is_some() {
        bail!("set only one of MUTU_AUDIT_KEY and MUTU_AUDIT_KEY_FILE");
    }
    if config.audit_key.as_ref().is_some_and(|k| k.chars().count() < MIN_KEY_CHARS) {
        bail!("MUTU_AUDIT_KEY must be at least {MIN_KEY_CHARS} characters");
    }
    Ok(())
}

/// Mutu's configuration directory: `$XDG_CONFIG_HOME/mutu`, else `$HOME/.config/mutu`.
pub fn default_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    config_dir(var("XDG_CONFIG_HOME"), var("HOME"))
}

fn config_dir(xdg_config_home: Option<PathBuf>, home: Option<PathBuf>) -> Option<PathBuf> {
    // The XDG rule: a relative XDG_CONFIG_HOME is ignored.
    let base = xdg_config_home.filter(|p| p.is_absolute()).or_else(|| home.map(|h| h.join(".config")))?;
    Some(base.join("mutu"))
}

/// The key file this configuration uses when the key is not given in `MUTU_AUDIT_KEY`.
pub fn key_file(config: &Config) -> anyhow::Result<PathBuf> {
    match &config.audit_key_file {
        Some(path) => Ok(path.clone()),
        None => default_dir().map(|dir| dir.join(KEY_FILE_NAME)).ok_or_else(|| {
            anyhow::anyhow!("neither HOME nor XDG_CONFIG_HOME is set: set MUTU_AUDIT_KEY_FILE (or MUTU_AUDIT_KEY)")
        }),
    }
}

/// Loads the key: `MUTU_AUDIT_KEY`, else the key file (generated if it does not exist yet).
pub fn load(config: &Config) -> anyhow::Result<(AuditKey, KeySource)> {
    check_config(config)?;
    if let Some(secret) = &config.audit_key {
        return Ok((AuditKey::new(secret.as_bytes()), KeySource::Environment));
    }
    let path = key_file(config)?;
    let (secret, created) = read_or_create(&path)?;
    if secret.chars().count() < MIN_KEY_CHARS {
        bail!("the audit key in {} is shorter than {MIN_KEY_CHARS} characters", path.display());
    }
    Ok((AuditKey::new(secret.as_bytes()), KeySource::File { path, created }))
}

/// Loads the key without ever generating one: what `mutu restore` and `mutu backup --verify`
/// need, since a new key could not verify a chain that exists already.
pub fn load_existing(config: &Config) -> anyhow::Result<AuditKey> {
    check_config(config)?;
    if let Some(secret) = &config.audit_key {
        return Ok(AuditKey::new(secret.as_bytes()));
    }
    let path = key_file(config)?;
    let text = std::fs::read_to_string(&path).map_err(|error| {
        anyhow::anyhow!(
            "the audit key is needed to verify the backup's audit chain, and {} cannot be read ({error}): set \
             MUTU_AUDIT_KEY or MUTU_AUDIT_KEY_FILE to the key of the database the backup was taken from",
            path.display()
        )
    })?;
    let secret = text.trim();
    if secret.chars().count() < MIN_KEY_CHARS {
        bail!("the audit key in {} is shorter than {MIN_KEY_CHARS} characters", path.display());
    }
    Ok(AuditKey::new(secret.as_bytes()))
}

/// Reads a key file, or generates it. The new key is written to a temporary file and then linked
/// to its name, so the name never shows a half-written key and, when several servers start at
/// once, the first link wins and the others read that key.
fn read_or_create(path: &Path) -> anyhow::Result<(String, bool)> {
    match std::fs::read_to_string(path) {
        Ok(text) => return Ok((text.trim().to_owned(), false)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read the audit key file {}", path.display())),
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_private_dir(dir)
        .with_context(|| format!("cannot create the directory of the audit key file {}", dir.display()))?;
    let mut bytes = [0u8; GENERATED_KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(KEY_FILE_NAME);
    let temporary = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = (|| -> std::io::Result<()> {
        let mut file = private_file(&temporary)?;
        file.write_all(format!("{}\n", hex::encode(bytes)).as_bytes())?;
        file.sync_all()
    })();
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    let created = match linked {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
        Err(e) => return Err(e).with_context(|| format!("cannot write the audit key file {}", path.display())),
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the audit key file {}", path.display()))?;
    Ok((text.trim().to_owned(), created))
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_never_shown_and_its_id_depends_on_it() {
        let key = AuditKey::new(b"0123456789abcdef0123456789abcdef");
        let shown = format!("{key:?}");
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
        assert_eq!(key.id().len(), 16);
        assert_ne!(key.id(), AuditKey::new(b"0123456789abcdef0123456789abcdeX").id());
        let mac = key.sign(b"text");
        assert!(key.verifies(b"text", &mac));
        assert!(!key.verifies(b"texT", &mac));
        assert!(!key.verifies(b"text", "not hex"));
    }

    #[test]
    fn the_default_key_lives_in_the_configuration_directory() {
        assert_eq!(config_dir(Some("/etc/x".into()), Some("/home/u".into())), Some(PathBuf::from("/etc/x/mutu")));
        assert_eq!(
            config_dir(Some("relative".into()), Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.config/mutu"))
        );
        assert_eq!(config_dir(None, Some("/home/u".into())), Some(PathBuf::from("/home/u/.config/mutu")));
        assert_eq!(config_dir(None, None), None);
    }

    #[test]
    fn a_key_file_is_generated_once_privately_and_then_read() {
        let dir = std::env::temp_dir().join(format!("mutu-key-test-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("nested").join("audit.key");
        let mut config = Config::for_database("sqlite::memory:");
        config.audit_key_file = Some(path.clone());
        let (first, source) = load(&config).unwrap();
        assert_eq!(source, KeySource::File { path: path.clone(), created: true });
        let (again, source) = load(&config).unwrap();
        assert_eq!(source, KeySource::File { path: path.clone(), created: false });
        assert_eq!(first.id(), again.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1, "no temporary file is left");
        std::fs::write(&path, "short\n").unwrap();
        assert!(load(&config).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_configuration_never_shows_the_key() {
        let mut config = Config::for_database("sqlite::memory:");
        config.audit_key = Some("a-secret-audit-key-a-secret-audit-key".into());
        let shown = format!("{config:?}");
        assert!(!shown.contains("a-secret-audit-key"), "{shown}");
        assert!(shown.contains("audit_key: Some(\"[redacted]\")"), "{shown}");
    }

    #[test]
    fn short_or_doubled_keys_are_refused() {
        let mut config = Config::for_database("sqlite::memory:");
        config.audit_key = Some("too short".into());
        assert!(check_config(&config).is_err());
        config.audit_key = Some("k".repeat(MIN_KEY_CHARS));
        assert!(check_config(&config).is_ok());
        config.audit_key_file = Some("/tmp/x".into());
        assert!(check_config(&config).is_err());
    }
}

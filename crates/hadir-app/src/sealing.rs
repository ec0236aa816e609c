//! Encryption at rest of the personal data the law calls specific (UU PDP Ps 4): NIK and health
//! documents. Values are sealed with XChaCha20-Poly1305 under the current key and carry that
//! key's id, so older keys still open what they sealed until `hadir keys rotate` has re-sealed
//! everything. NIK stays searchable through a keyed hash (a blind index) that never changes with
//! rotation. Keys live in a key file outside the database, so a stolen database or backup alone
//! reveals nothing of these values.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

const TEXT_PREFIX: &str = "enc:v1:";
const BYTES_MAGIC: &[u8] = b"HADIRENC1";
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot write key file {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("key file {path}, line {line}: {problem}")]
    Format { path: String, line: usize, problem: String },
    #[error("value sealed with key {0:?}, which is not in the key file")]
    UnknownKey(String),
    #[error("a sealed value does not open: it was changed, or the key is wrong")]
    Corrupt,
    #[error("random source: {0}")]
    Random(String),
}

struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// The keys of an installation: the current one seals, all of them open, and the index key
/// makes blind indexes.
pub struct Keyring {
    keys: Vec<Key>,
    index: Vec<u8>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        write!(f, "Keyring {{ keys: {ids:?}, secrets: <redacted> }}")
    }
}

fn random<const N: usize>() -> Result<[u8; N], KeyError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(bytes)
}

impl Keyring {
    /// A keyring that lives only in memory (tests, benchmarks).
    pub fn ephemeral() -> Keyring {
        let text = Keyring::new_file_text().expect("the system's random source works");
        Keyring::parse(&text, "memory").expect("a generated key file parses")
    }

    /// The text of a new key file: an index key and one encryption key.
    fn new_file_text() -> Result<String, KeyError> {
        Ok(format!(
            "# Hadir encryption keys. Keep this file secret and back it up apart from the database:\n\
             # without it, NIK and health documents cannot be read.\n\
             index {}\nk1 {}\n",
            B64.encode(random::<32>()?),
            B64.encode(random::<32>()?)
        ))
    }

    /// Reads the key file, creating it (readable by its owner only) when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Keyring, KeyError> {
        let shown = path.display().to_string();
        if !path.exists() {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| KeyError::Write { path: shown.clone(), source })?;
            }
            write_private(path, &Keyring::new_file_text()?)
                .map_err(|source| KeyError::Write { path: shown.clone(), source })?;
        }
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read { path: shown.clone(), source })?;
        Keyring::parse(&text, &shown)
    }

    fn parse(text: &str, path: &str) -> Result<Keyring, KeyError> {
        let bad = |line: usize, problem: &str| KeyError::Format { path: path.into(), line, problem: problem.into() };
        let (mut keys, mut index) = (Vec::new(), None);
        for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, secret) = line.split_once(' ').ok_or_else(|| bad(n, "expected `<id> <base64 key>`"))?;
            let secret = B64.decode(secret.trim()).map_err(|_| bad(n, "the key is not base64"))?;
            if secret.len() != 32 {
                return Err(bad(n, "a key must be 32 bytes"));
            }
            if id == "index" {
                index = Some(secret);
            } else if id.is_empty()
                || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                || keys.iter().any(|k: &Key| k.id == id)
            {
                return Err(bad(n, "key ids must be unique letters, digits or '-'"));
            } else {
                let cipher = XChaCha20Poly1305::new_from_slice(&secret).map_err(|_| bad(n, "unusable key"))?;
                keys.push(Key { id: id.to_string(), cipher });
            }
        }
        let index = index.ok_or_else(|| bad(0, "no `index` line"))?;
        if keys.is_empty() {
            return Err(bad(0, "no encryption key"));
        }
        Ok(Keyring { keys, index })
    }

    /// Adds a new current key to the key file (older ones stay, to open what they sealed) and
    /// returns the new keyring and the new key's id.
    pub fn add_key(path: &Path) -> Result<(Keyring, String), KeyError> {
        let shown = path.display().to_string();
        let current = Keyring::load_or_create(path)?;
        let id = (1..).map(|n| format!("k{n}")).find(|id| current.keys.iter().all(|k| &k.id != id)).unwrap_or_default();
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read { path: shown.clone(), source })?;
        // The current key is the first key line: the new one goes right after `index`.
        let mut out = String::new();
        for line in text.lines() {
            out.push_str(line);
            out.push('\n');
            if line.trim_start().starts_with("index ") {
                out.push_str(&format!("{id} {}\n", B64.encode(random::<32>()?)));
            }
        }
        write_private(path, &out).map_err(|source| KeyError::Write { path: shown.clone(), source })?;
        Ok((Keyring::parse(&out, &shown)?, id))
    }

    pub fn current_id(&self) -> &str {
        &self.keys[0].id
    }

    fn seal_raw(&self, plain: &[u8]) -> Result<(String, Vec<u8>), KeyError> {
        let key = &self.keys[0];
        let nonce = random::<NONCE_LEN>()?;
        let sealed = key.cipher.encrypt(&XNonce::from(nonce), plain).map_err(|_| KeyError::Corrupt)?;
        Ok((key.id.clone(), [nonce.as_slice(), &sealed].concat()))
    }

    fn open_raw(&self, key_id: &str, data: &[u8]) -> Result<Vec<u8>, KeyError> {
        let key = self.keys.iter().find(|k| k.id == key_id).ok_or_else(|| KeyError::UnknownKey(key_id.into()))?;
        if data.len() < NONCE_LEN {
            return Err(KeyError::Corrupt);
        }
        let (nonce, sealed) = data.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| KeyError::Corrupt)?;
        key.cipher.decrypt(&XNonce::from(nonce), sealed).map_err(|_| KeyError::Corrupt)
    }

    /// A text value sealed for a database column: `enc:v1:<key id>:<base64>`.
    pub fn seal_text(&self, plain: &str) -> Result<String, KeyError> {
        let (id, data) = self.seal_raw(plain.as_bytes())?;
        Ok(format!("{TEXT_PREFIX}{id}:{}", B64.encode(data)))
    }

    /// Opens a sealed column value; a value that was never sealed (written before encryption was
    /// switched on) is returned as it is, and sealed the next time keys are rotated.
    pub fn open_text(&self, stored: &str) -> Result<String, KeyError> {
        let Some(rest) = stored.strip_prefix(TEXT_PREFIX) else { return Ok(stored.to_string()) };
        let (id, data) = rest.split_once(':').ok_or(KeyError::Corrupt)?;
        let data = B64.decode(data).map_err(|_| KeyError::Corrupt)?;
        String::from_utf8(self.open_raw(id, &data)?).map_err(|_| KeyError::Corrupt)
    }

    /// Whether a stored column value is sealed with the current key.
    pub fn is_current_text(&self, stored: &str) -> bool {
        stored.strip_prefix(TEXT_PREFIX).and_then(|r| r.split_once(':')).is_some_and(|(id, _)| id == self.current_id())
    }

    /// A file's bytes sealed for the object store.
    pub fn seal_bytes(&self, plain: &[u8]) -> Result<Vec<u8>, KeyError> {
        let (id, data) = self.seal_raw(plain)?;
        let id = id.as_bytes();
        let mut out = Vec::with_capacity(BYTES_MAGIC.len() + 1 + id.len() + data.len());
        out.extend_from_slice(BYTES_MAGIC);
        out.push(u8::try_from(id.len()).map_err(|_| KeyError::Corrupt)?);
        out.extend_from_slice(id);
        out.extend_from_slice(&data);
        Ok(out)
    }

    /// Opens sealed file bytes; bytes that were never sealed are returned as they are.
    pub fn open_bytes(&self, stored: &[u8]) -> Result<Vec<u8>, KeyError> {
        let Some(rest) = stored.strip_prefix(BYTES_MAGIC) else { return Ok(stored.to_vec()) };
        let (&len, rest) = rest.split_first().ok_or(KeyError::Corrupt)?;
        if rest.len() < usize::from(len) {
            return Err(KeyError::Corrupt);
        }
        let (id, data) = rest.split_at(usize::from(len));
        self.open_raw(std::str::from_utf8(id).map_err(|_| KeyError::Corrupt)?, data)
    }

    /// Whether stored file bytes are sealed with the current key.
    pub fn is_current_bytes(&self, stored: &[u8]) -> bool {
        let id = self.current_id().as_bytes();
        stored.strip_prefix(BYTES_MAGIC).is_some_and(|r| r.first() == Some(&(id.len() as u8)) && r[1..].starts_with(id))
    }

    /// The blind index of a value: equal values give equal indexes, and without the index key
    /// nobody can test a guess against it.
    pub fn blind_index(&self, purpose: &str, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        format!("{:x}", mac.finalize().into_bytes())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(tmp, path)
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_bytes_round_trip_and_are_not_readable() {
        let keys = Keyring::ephemeral();
        let sealed = keys.seal_text("1771034505870003").unwrap();
        assert!(sealed.starts_with("enc:v1:k1:"));
        assert!(!sealed.contains("1771034505870003"));
        assert_ne!(sealed, keys.seal_text("1771034505870003").unwrap(), "a fresh nonce each time");
        assert_eq!(keys.open_text(&sealed).unwrap(), "1771034505870003");
        assert_eq!(keys.open_text("plain").unwrap(), "plain", "values from before encryption");

        let letter = b"%PDF-1.7 surat dokter".to_vec();
        let sealed = keys.seal_bytes(&letter).unwrap();
        assert!(!sealed.windows(5).any(|w| w == b"surat"));
        assert_eq!(keys.open_bytes(&sealed).unwrap(), letter);
        assert!(keys.is_current_bytes(&sealed));
    }

    #[test]
    fn a_changed_value_or_another_key_does_not_open() {
        let (a, b) = (Keyring::ephemeral(), Keyring::ephemeral());
        let sealed = a.seal_text("1771034505870003").unwrap();
        assert!(matches!(b.open_text(&sealed), Err(KeyError::Corrupt)), "same id, different key");
        let mut bytes = a.seal_bytes(b"abc").unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(matches!(a.open_bytes(&bytes), Err(KeyError::Corrupt)));
        let foreign = sealed.replace(":k1:", ":k9:");
        assert!(matches!(a.open_text(&foreign), Err(KeyError::UnknownKey(id)) if id == "k9"));
    }

    #[test]
    fn rotation_keeps_old_values_readable_and_the_index_stable() {
        let dir = std::env::temp_dir().join(format!("hadir-keys-{}", uuid::Uuid::new_v4()));
        let path = dir.join("hadir.key");
        let first = Keyring::load_or_create(&path).unwrap();
        let old = first.seal_text("3171011201900001").unwrap();
        let (second, id) = Keyring::add_key(&path).unwrap();
        assert_eq!((id.as_str(), second.current_id()), ("k2", "k2"));
        assert!(!second.is_current_text(&old));
        assert_eq!(second.open_text(&old).unwrap(), "3171011201900001");
        assert!(second.is_current_text(&second.seal_text("x").unwrap()));
        assert_eq!(first.blind_index("nik", "3171011201900001"), second.blind_index("nik", "3171011201900001"));
        assert_ne!(first.blind_index("nik", "3171011201900001"), first.blind_index("nik", "3171011201900002"));
        let reloaded = Keyring::load_or_create(&path).unwrap();
        assert_eq!(reloaded.current_id(), "k2");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(format!("{reloaded:?}").contains("redacted"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_bad_key_file_says_what_is_wrong() {
        for (text, expected) in [
            ("index AAAA\nk1 AAAA\n", "32 bytes"),
            ("k1 not-base64!\n", "base64"),
            ("index AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "no encryption key"),
            ("k_1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "letters, digits"),
        ] {
            let err = Keyring::parse(text, "f").unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }
}

//! Argon2id password hashing, always off the async runtime (each hash takes tens of milliseconds
//! of CPU by design).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, OnceLock};

/// Argon2id cost. The default follows OWASP's recommendation (19 MiB, 2 passes, 1 lane).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        PasswordCost { memory_kib: 19 * 1024, iterations: 2 }
    }
}

impl PasswordCost {
    /// For tests and benchmarks only: fast, and still Argon2id.
    pub fn insecure_fast() -> PasswordCost {
        PasswordCost { memory_kib: 64, iterations: 1 }
    }
}

#[derive(Clone)]
pub struct Passwords {
    cost: PasswordCost,
    /// A hash of a random password, verified against when a login names nobody, so that an
    /// unknown login takes as long as a wrong password.
    decoy: Arc<OnceLock<String>>,
}

impl Passwords {
    pub fn new(cost: PasswordCost) -> Passwords {
        Passwords { cost, decoy: Arc::new(OnceLock::new()) }
    }

    fn hasher(cost: PasswordCost) -> Argon2<'static> {
        let params = Params::new(cost.memory_kib, cost.iterations, 1, None).expect("valid Argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// Hashes synchronously; for callers already off the runtime (the demo seeder, the CLI).
    pub fn hash_blocking(&self, password: &str) -> String {
        Self::hasher(self.cost)
            .hash_password(password.as_bytes())
            .expect("hashing with a generated salt cannot fail")
            .to_string()
    }

    pub async fn hash(&self, password: String) -> String {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.hash_blocking(&password)).await.expect("hashing task does not panic")
    }

    /// Checks a password against a stored PHC string; a malformed hash never matches.
    pub async fn verify(&self, password: String, stored: String) -> bool {
        tokio::task::spawn_blocking(move || {
            PasswordHash::new(&stored)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await
        .expect("verification task does not panic")
    }

    /// Spends the time of one verification on nothing.
    pub async fn verify_decoy(&self, password: String) {
        let decoy = self.decoy.get_or_init(|| self.hash_blocking("decoy-password-never-used")).clone();
        let _ = self.verify(password, decoy).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_is_argon2id_and_verifies() {
        let passwords = Passwords::new(PasswordCost::insecure_fast());
        let hash = passwords.hash("Kopi-Pagi-7".into()).await;
        assert!(hash.starts_with("$argon2id$v=19$"));
        assert!(passwords.verify("Kopi-Pagi-7".into(), hash.clone()).await);
        assert!(!passwords.verify("kopi-pagi-7".into(), hash).await);
        assert!(!passwords.verify("x".into(), "not a hash".into()).await);
    }
}

//! argon2id hashing with OWASP's minimum parameters (19 MiB, t=2, p=1), on the blocking pool so
//! that a burst of logins never stalls the async workers.

use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: OWASP's minimum for argon2id.
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (PHC string).
pub async fn hash(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
}

pub fn hash_blocking(password: &str) -> ApiResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("hashing failed: {e}")))
}

/// Checks a password against a stored hash. A malformed stored hash counts as a mismatch.
pub async fn verify(password: String, stored: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        argon2().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}

//! Password hashes in Werkzeug's format: [`generate_password_hash`] and
//! [`check_password_hash`], so the user table of a Flask app reads unchanged,
//! and Flask reads the hashes phial makes.
//!
//! A hash is `method$salt$hexdigest`, as Werkzeug's
//! `werkzeug.security` writes it:
//!
//! - `scrypt:n:r:p` (the default, `scrypt:32768:8:1`): the hex of
//!   scrypt(password, salt, n, r, p) with 64 bytes of output;
//! - `pbkdf2:hash:iterations` (Werkzeug's default `pbkdf2:sha256:1000000`):
//!   the hex of PBKDF2-HMAC with that hash, as many bytes as the hash gives.
//!   `hash` is one of `sha1`, `sha224`, `sha256`, `sha384`, `sha512` (any
//!   case); others (`md5`, `sha3_256`, `blake2b`, ...) are refused.
//!
//! The salt is 16 characters of [`SALT_CHARS`] from the operating system's
//! random source. The password and the salt are hashed as UTF-8, the digest
//! compared in constant time.
//!
//! # Limits
//!
//! The method is read from the stored hash, so a hash with absurd parameters
//! could tie up a worker for hours or take gigabytes. phial refuses, with an
//! error naming the parameter and the limit ([`generate_password_hash_with`])
//! or by answering `false` with a debug log line ([`check_password_hash`]):
//!
//! - scrypt: `n` a power of 2 greater than 1, `r` and `p` at least 1, and
//!   `n < 2^(16·r)` (scrypt's own rule); memory, `128·r·(n + p + 2)` bytes
//!   (the count of OpenSSL, which Python's `hashlib.scrypt` uses), at most
//!   [`MAX_SCRYPT_MEMORY`] (132 MiB: `n = 131072` with `r = 8`); work,
//!   `n·r·p`, at most [`MAX_SCRYPT_COST`] (16 times Werkzeug's default).
//!   Parameters Werkzeug itself can't use are refused too: Werkzeug gives
//!   `hashlib.scrypt` a `maxmem` of `132·n·r·p` bytes, too little for small
//!   `n` (`scrypt:64:8:1` fails there with "memory limit exceeded"), so
//!   phial asks `128·r·(n + p + 2) ≤ 132·n·r·p` as well: a hash phial makes
//!   is one Flask can check.
//! - PBKDF2: at least 1 and at most [`MAX_PBKDF2_ITERATIONS`] iterations
//!   (10 times Werkzeug's default).
//! - The salt: 1 to [`MAX_SALT_LENGTH`] characters when generating.
//!
//! Where Werkzeug's `check_password_hash` raises (an unknown method, a
//! malformed parameter), phial's answers `false`; it never panics.
//!
//! # Cost
//!
//! Checking a password is slow on purpose: the default scrypt takes 32 MiB
//! and about 0.1 s of CPU in an optimized build. Unoptimized, the hashing
//! crates are some 50 times slower (seconds per login in a debug build);
//! an app can optimize just them in its debug builds, as phial's own
//! workspace does:
//!
//! ```toml
//! [profile.dev.package.scrypt]
//! opt-level = 3
//! [profile.dev.package.salsa20]
//! opt-level = 3
//! [profile.dev.package.pbkdf2]
//! opt-level = 3
//! [profile.dev.package.sha2]
//! opt-level = 3
//! ```
//!
//! Hashing takes tens of milliseconds on purpose: an `async` handler uses
//! [`generate_password_hash_async`] and [`check_password_hash_async`],
//! which do the work on tokio's blocking threads, so the server's threads
//! keep answering other requests meanwhile.

mod method;

use subtle::ConstantTimeEq;

use crate::Error;
use method::Method;
pub use method::{
    DEFAULT_PBKDF2_ITERATIONS, MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_COST, MAX_SCRYPT_MEMORY,
};

/// The characters of a generated salt: ASCII letters and digits, as
/// Werkzeug's `SALT_CHARS`.
pub const SALT_CHARS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The method [`generate_password_hash`] uses: scrypt with Werkzeug's
/// defaults, written `scrypt:32768:8:1` in the hash.
pub const DEFAULT_METHOD: &str = "scrypt";

/// The salt length [`generate_password_hash`] uses, in characters.
pub const DEFAULT_SALT_LENGTH: usize = 16;

/// The longest salt [`generate_password_hash_with`] makes, in characters.
pub const MAX_SALT_LENGTH: usize = 1024;

/// Hashes a password for storage with Werkzeug's defaults: scrypt
/// (`scrypt:32768:8:1`) and a 16-character salt. Check it with
/// [`check_password_hash`]; Werkzeug's `check_password_hash` reads it too.
///
/// ```
/// use phial::{check_password_hash, generate_password_hash};
///
/// let hash = generate_password_hash("hunter2");
/// assert!(hash.starts_with("scrypt:32768:8:1$"));
/// assert!(check_password_hash(&hash, "hunter2"));
/// assert!(!check_password_hash(&hash, "hunter3"));
/// ```
///
/// # Panics
///
/// If the operating system has no randomness to give.
#[must_use = "the hash is what the user table stores"]
pub fn generate_password_hash(password: &str) -> String {
    generate_password_hash_with(password, DEFAULT_METHOD, DEFAULT_SALT_LENGTH)
        .unwrap_or_else(|error| panic!("generate_password_hash: {error}"))
}

/// Hashes a password for storage with the given method and salt length, as
/// Werkzeug's `generate_password_hash(password, method, salt_length)`.
///
/// `method` is `scrypt` (Werkzeug's defaults), `scrypt:n:r:p`, `pbkdf2`
/// (`pbkdf2:sha256:1000000`), `pbkdf2:<hash>` or `pbkdf2:<hash>:<iterations>`;
/// the hash names the parameters in full (`pbkdf2:sha256:1000000$...`).
/// See the [module docs](crate::security#limits) for what is refused.
///
/// ```
/// use phial::{check_password_hash, generate_password_hash_with};
///
/// let hash = generate_password_hash_with("hunter2", "pbkdf2", 16)?;
/// assert!(hash.starts_with("pbkdf2:sha256:1000000$"));
///
/// let hash = generate_password_hash_with("hunter2", "scrypt:16384:8:1", 24)?;
/// assert!(check_password_hash(&hash, "hunter2"));
///
/// let error = generate_password_hash_with("hunter2", "scrypt:16777216:8:1", 16).unwrap_err();
/// assert!(error.is_password_hash());
/// assert!(error.to_string().contains("memory"));
/// # Ok::<(), phial::Error>(())
/// ```
///
/// # Errors
///
/// An error for which [`Error::is_password_hash`] holds if the method is
/// unknown, malformed or over phial's limits, or the salt length is 0 or
/// more than [`MAX_SALT_LENGTH`]; an I/O error if the operating system has
/// no randomness to give.
pub fn generate_password_hash_with(
    password: &str,
    method: &str,
    salt_length: usize,
) -> Result<String, Error> {
    let method = Method::parse(method).map_err(Error::password_hash)?;
    let salt = gen_salt(salt_length)?;
    let digest = method.hash(&salt, password);
    Ok(format!("{method}${salt}${digest}"))
}

/// Whether `password` is the one `pwhash` was made from: `pwhash` made by
/// [`generate_password_hash`] or by Werkzeug's (a Flask app's user table).
///
/// `false` for a malformed hash, an unknown method or parameters over
/// phial's limits (with a debug log line saying which), where Werkzeug
/// would raise. Never panics. The digests are compared in constant time.
///
/// ```
/// use phial::check_password_hash;
///
/// // Made by Werkzeug 3.1.9: generate_password_hash("hunter2", "pbkdf2:sha256:1000").
/// let stored = "pbkdf2:sha256:1000$lZNG0jiS2q5PWJVF$\
///     8768f6e0b91fa050778a418d5fab1ccd520dce8a36c88b6de6d94adffcccb8c3";
/// assert!(check_password_hash(stored, "hunter2"));
/// assert!(!check_password_hash(stored, "Hunter2"));
/// assert!(!check_password_hash("not a hash", "hunter2"));
/// ```
#[must_use]
pub fn check_password_hash(pwhash: &str, password: &str) -> bool {
    let mut parts = pwhash.splitn(3, '$');
    let (Some(method), Some(salt), Some(stored)) = (parts.next(), parts.next(), parts.next())
    else {
        tracing::debug!("password hash refused: not `method$salt$hash`");
        return false;
    };
    match Method::parse(method) {
        Ok(method) => {
            let digest = method.hash(salt, password);
            digest.as_bytes().ct_eq(stored.as_bytes()).into()
        }
        Err(reason) => {
            tracing::debug!("password hash refused: {reason}");
            false
        }
    }
}

/// [`generate_password_hash`] on tokio's blocking threads, for `async`
/// handlers: the server's threads keep serving while it hashes.
///
/// ```
/// # #[tokio::main] async fn main() {
/// use phial::{check_password_hash_async, generate_password_hash_async};
///
/// let hash = generate_password_hash_async("hunter2").await;
/// assert!(check_password_hash_async(&hash, "hunter2").await);
/// # }
/// ```
///
/// # Panics
///
/// If the operating system has no randomness to give, or outside a tokio
/// runtime.
pub async fn generate_password_hash_async(password: &str) -> String {
    let password = password.to_owned();
    blocking(move || generate_password_hash(&password)).await
}

/// [`check_password_hash`] on tokio's blocking threads, for `async`
/// handlers: the server's threads keep serving while it hashes.
///
/// # Panics
///
/// Outside a tokio runtime.
pub async fn check_password_hash_async(pwhash: &str, password: &str) -> bool {
    let (pwhash, password) = (pwhash.to_owned(), password.to_owned());
    blocking(move || check_password_hash(&pwhash, &password)).await
}

/// Runs `work` on tokio's blocking threads; its panic goes on here.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// A random salt of `length` characters of [`SALT_CHARS`], from the
/// operating system's random source, as Werkzeug's `gen_salt`.
///
/// ```
/// let salt = phial::security::gen_salt(16)?;
/// assert_eq!(salt.len(), 16);
/// assert!(salt.chars().all(|c| c.is_ascii_alphanumeric()));
/// assert!(phial::security::gen_salt(0).is_err());
/// # Ok::<(), phial::Error>(())
/// ```
///
/// # Errors
///
/// An error for which [`Error::is_password_hash`] holds if `length` is 0 or
/// more than [`MAX_SALT_LENGTH`]; an I/O error if the operating system has
/// no randomness to give.
pub fn gen_salt(length: usize) -> Result<String, Error> {
    if length == 0 {
        return Err(Error::password_hash("the salt length must be at least 1"));
    }
    if length > MAX_SALT_LENGTH {
        return Err(Error::password_hash(format!(
            "a salt length of {length} is more than phial's limit of {MAX_SALT_LENGTH}"
        )));
    }
    let chars = SALT_CHARS.as_bytes();
    // 248 = 4·62: bytes at or above it are dropped, so each character is
    // equally likely.
    let unbiased = 256 - 256 % chars.len();
    let mut salt = String::with_capacity(length);
    let mut random = [0u8; 64];
    while salt.len() < length {
        getrandom::getrandom(&mut random)
            .map_err(|error| Error::io(std::io::Error::other(error.to_string())))?;
        for &byte in random.iter().filter(|&&byte| usize::from(byte) < unbiased) {
            if salt.len() == length {
                break;
            }
            salt.push(char::from(chars[usize::from(byte) % chars.len()]));
        }
    }
    Ok(salt)
}

#[cfg(test)]
mod tests {
    use super::method::hex;
    use super::*;

    #[test]
    fn parse_reads_werkzeug_methods_and_writes_them_in_full() {
        for (method, written) in [
            ("scrypt", "scrypt:32768:8:1"),
            ("scrypt:1024:8:1", "scrypt:1024:8:1"),
            ("pbkdf2", "pbkdf2:sha256:1000000"),
            ("pbkdf2:sha512", "pbkdf2:sha512:1000000"),
            ("pbkdf2:SHA256:10", "pbkdf2:SHA256:10"),
        ] {
            assert_eq!(Method::parse(method).unwrap().to_string(), written);
        }
    }

    #[test]
    fn scrypt_limits_name_the_parameter() {
        for (method, says) in [
            ("scrypt:1000:8:1", "power of 2"),
            ("scrypt:1:8:1", "power of 2"),
            ("scrypt:1024:0:1", "at least 1"),
            ("scrypt:65536:1:1", "16·r"),
            ("scrypt:262144:8:1", "memory"),
            ("scrypt:16384:8:64", "work"),
            ("scrypt:64:8:1", "Werkzeug"),
            ("scrypt:18446744073709551616:8:1", "within range"),
        ] {
            let reason = Method::parse(method).unwrap_err();
            assert!(reason.contains(says), "{method}: {reason}");
        }
    }

    #[test]
    fn pbkdf2_limits_name_the_parameter() {
        for (method, says) in [
            ("pbkdf2:sha256:0", "at least 1"),
            ("pbkdf2:sha256:10000001", "limit"),
            ("pbkdf2:md5:10", "not supported"),
            ("pbkdf2:sha256:1:2", "at most 2"),
        ] {
            let reason = Method::parse(method).unwrap_err();
            assert!(reason.contains(says), "{method}: {reason}");
        }
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0x00, 0xab, 0xff, 0x10]), "00abff10");
    }
}

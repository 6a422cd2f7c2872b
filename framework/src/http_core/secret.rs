//! The app's secret key: where it comes from, the keys derived from it with
//! HKDF, and the fallbacks that still read during a key rotation.

use std::fmt;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use cookie::Key;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The variable [`App::new`](crate::App::new) reads the secret key from.
pub const SECRET_KEY_ENV: &str = "PHIAL_SECRET_KEY";

/// The variable [`App::new`](crate::App::new) reads the fallback keys from,
/// separated by commas.
pub const SECRET_KEY_FALLBACKS_ENV: &str = "PHIAL_SECRET_KEY_FALLBACKS";

/// Shortest secret key accepted, in bytes.
pub const MIN_SECRET_KEY_LEN: usize = 32;

const HOW_TO_MAKE_ONE: &str = "make one with `cargo run -p phial --example secret_key`, \
    `python3 -c 'import secrets; print(secrets.token_hex(32))'` or \
    `phial::generate_secret_key()`";

/// A new random secret key: 32 bytes from the operating system's random
/// source, as 64 hex digits, ready for [`App::secret_key`](crate::App::secret_key)
/// or `PHIAL_SECRET_KEY`.
///
/// Print one with `cargo run -p phial --example secret_key`.
///
/// ```
/// let key = phial::generate_secret_key();
/// assert_eq!(key.len(), 64);
/// assert_ne!(key, phial::generate_secret_key());
/// ```
///
/// # Panics
///
/// If the operating system has no randomness to give.
pub fn generate_secret_key() -> String {
    let key = Key::generate();
    key.master()[..32]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One secret key: the `cookie` crate's [`Key`] (signing and encryption
/// keys derived with HKDF-SHA256), and its HMAC-SHA256 state keyed once,
/// when the key is set: each signature or check then starts from a copy
/// instead of hashing the key's two padded blocks again.
#[derive(Clone)]
pub(crate) struct SecretKey {
    key: Key,
    mac: Hmac<Sha256>,
}

impl SecretKey {
    /// A fresh HMAC-SHA256 keyed with the signing key.
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        self.mac.clone()
    }
}

impl From<Key> for SecretKey {
    fn from(key: Key) -> Self {
        let mac = Hmac::new_from_slice(key.signing()).expect("HMAC takes any key length");
        Self { key, mac }
    }
}

impl Deref for SecretKey {
    type Target = Key;

    fn deref(&self) -> &Key {
        &self.key
    }
}

/// What holds the app's keys, lent to each request for its signed and
/// private cookies (the app's session settings, in the web layer).
pub(crate) trait KeySource: Send + Sync + 'static {
    /// The keys that sign and encrypt cookies.
    fn keys(&self) -> &Keys;
}

/// The keys signed and private cookies and the session use: the current one
/// (signing and encryption keys derived from the secret with HKDF-SHA256)
/// and the fallbacks, which verify and decrypt but never sign.
#[derive(Clone, Default)]
pub(crate) struct Keys {
    current: Option<SecretKey>,
    fallbacks: Vec<SecretKey>,
    /// Whether a request already failed for want of a key (the first
    /// failure's message says how to set one; later ones are short).
    missing_reported: Arc<AtomicBool>,
    /// Behave as a release build would, without a key (for the tests).
    #[cfg(test)]
    pub(crate) as_release: bool,
}

impl Keys {
    /// The keys from `PHIAL_SECRET_KEY` and `PHIAL_SECRET_KEY_FALLBACKS`,
    /// if set.
    pub(crate) fn from_environment() -> Self {
        let mut keys = Self::default();
        if let Ok(secret) = std::env::var(SECRET_KEY_ENV) {
            if !secret.is_empty() {
                keys.current = Some(derive(secret.as_bytes(), SECRET_KEY_ENV));
            }
        }
        if let Ok(fallbacks) = std::env::var(SECRET_KEY_FALLBACKS_ENV) {
            keys.fallbacks = fallbacks
                .split(',')
                .map(str::trim)
                .filter(|secret| !secret.is_empty())
                .map(|secret| derive(secret.as_bytes(), SECRET_KEY_FALLBACKS_ENV))
                .collect();
        }
        keys
    }

    pub(crate) fn set_current(&mut self, secret: &[u8]) {
        self.current = Some(derive(secret, "App::secret_key"));
    }

    pub(crate) fn set_fallbacks<'a>(&mut self, secrets: impl IntoIterator<Item = &'a [u8]>) {
        self.fallbacks = secrets
            .into_iter()
            .map(|secret| derive(secret, "App::secret_key_fallbacks"))
            .collect();
    }

    /// The key to sign and encrypt with.
    ///
    /// # Errors
    ///
    /// In a release build, when no secret key was configured. Nothing is
    /// said at start (an app may never need a key); the first request that
    /// needs one gets the message that says why it fails and how to set a
    /// key, later ones a short reminder, so the log says it once. A debug
    /// build uses a random key instead (once per process, with a warning).
    pub(crate) fn current(&self) -> Result<&SecretKey, String> {
        self.current_for(self.debug_build()).map_err(|message| {
            if self.missing_reported.swap(true, Ordering::Relaxed) {
                "no secret key (the first request that needed one logged how to set it)".to_owned()
            } else {
                format!(
                    "no secret key: this request and every later one that uses the session \
                     or a signed or private cookie is answered 500. {message}"
                )
            }
        })
    }

    /// The key to sign and encrypt with, if there is one; says nothing
    /// when there is none (see [`current`](Self::current)).
    pub(crate) fn current_if_any(&self) -> Option<&SecretKey> {
        self.current_for(self.debug_build()).ok()
    }

    /// Whether this build uses a random key when none is configured.
    fn debug_build(&self) -> bool {
        #[cfg(test)]
        if self.as_release {
            return false;
        }
        cfg!(debug_assertions)
    }

    pub(crate) fn current_for(&self, debug_build: bool) -> Result<&SecretKey, String> {
        match &self.current {
            Some(key) => Ok(key),
            None if debug_build => Ok(development_key()),
            None => Err(missing_key_message()),
        }
    }

    /// The keys to verify and decrypt with: the current one, then the
    /// fallbacks in order.
    ///
    /// # Errors
    ///
    /// As [`current`](Self::current).
    pub(crate) fn readers(&self) -> Result<impl Iterator<Item = &SecretKey>, String> {
        let current = self.current()?;
        Ok(std::iter::once(current).chain(&self.fallbacks))
    }
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        f.debug_struct("Keys")
            .field("configured", &self.current.is_some())
            .field("fallbacks", &self.fallbacks.len())
            .finish()
    }
}

/// The message for a release build used without a secret key.
pub(crate) fn missing_key_message() -> String {
    format!(
        "sessions and signed or private cookies need a secret key: call \
         App::secret_key(..) or set {SECRET_KEY_ENV}; {HOW_TO_MAKE_ONE}"
    )
}

/// The signing and encryption keys derived from `secret` with HKDF.
///
/// # Panics
///
/// If `secret` is shorter than [`MIN_SECRET_KEY_LEN`] bytes.
fn derive(secret: &[u8], source: &str) -> SecretKey {
    assert!(
        secret.len() >= MIN_SECRET_KEY_LEN,
        "the secret key from {source} is {} bytes long: it must be at least \
         {MIN_SECRET_KEY_LEN} bytes of random data; {HOW_TO_MAKE_ONE}",
        secret.len()
    );
    SecretKey::from(Key::derive_from(secret))
}

/// The random key a debug build uses when none is configured: one per
/// process, announced once.
fn development_key() -> &'static SecretKey {
    static KEY: OnceLock<SecretKey> = OnceLock::new();
    KEY.get_or_init(|| {
        tracing::warn!(
            "no secret key is configured (App::secret_key or {SECRET_KEY_ENV}): \
             this debug build signs sessions and cookies with a random key, so \
             they won't survive a restart; a release build refuses to run them \
             without a key. {HOW_TO_MAKE_ONE}"
        );
        SecretKey::from(Key::generate())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_build_without_a_key_is_an_error_naming_the_fix() {
        let message = Keys::default().current_for(false).err().unwrap();
        assert!(message.contains("App::secret_key"), "{message}");
        assert!(message.contains("PHIAL_SECRET_KEY"), "{message}");
        assert!(message.contains("--example secret_key"), "{message}");
    }

    #[test]
    fn debug_build_without_a_key_uses_one_random_key() {
        let keys = Keys::default();
        let a = keys.current_for(true).unwrap().master().to_vec();
        let b = Keys::default().current_for(true).unwrap().master().to_vec();
        assert_eq!(a, b);
    }

    #[test]
    fn derived_keys_are_separate_and_stable() {
        let mut keys = Keys::default();
        keys.set_current(&[7; 32]);
        let key = keys.current_for(false).unwrap();
        assert_ne!(key.signing(), key.encryption());
        assert_ne!(key.signing(), &[7; 32][..]);
        let mut again = Keys::default();
        again.set_current(&[7; 32]);
        assert_eq!(again.current_for(false).unwrap().master(), key.master());
    }

    #[test]
    #[should_panic(expected = "at least 32 bytes")]
    fn short_keys_are_refused() {
        Keys::default().set_current(b"hunter2");
    }
}

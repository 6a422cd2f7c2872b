//! Signed cookies (HMAC-SHA256: readable, tamper-evident) and private
//! cookies (AES-256-GCM: unreadable), keyed by the app's secret key.
//!
//! A signed value is sent as `value.MAC`, the MAC (base64url) computed over
//! the cookie's name and value, so a value signed for one cookie does not
//! verify under another name. A private value is the `cookie` crate's
//! private-jar encoding: nonce, ciphertext and tag, with the name as
//! associated data. Verification is constant-time ([`hmac::Mac::verify_slice`],
//! AES-GCM's tag check); a value that fails with the current key is tried
//! with each fallback key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cookie::{Cookie, CookieJar, Key};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Cookies;
use crate::http_core::secret::{Keys, SecretKey};

pub(crate) use super::kind::Kind;

/// Length of a base64url (unpadded) HMAC-SHA256 tag.
const MAC_LEN: usize = 43;

fn mac_for(key: &SecretKey, name: &str, value: &str) -> Hmac<Sha256> {
    let mut mac = key.mac();
    // The name is a token (no NUL), so `name NUL value` is unambiguous.
    mac.update(name.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    mac
}

/// `value.MAC`, signed for cookie `name`.
pub(crate) fn sign(key: &SecretKey, name: &str, value: &str) -> String {
    let tag = mac_for(key, name, value).finalize().into_bytes();
    let mut signed = String::with_capacity(value.len() + 1 + MAC_LEN);
    signed.push_str(value);
    signed.push('.');
    URL_SAFE_NO_PAD.encode_string(tag, &mut signed);
    signed
}

/// The value of a signed cookie if its MAC verifies with one of `keys`.
pub(crate) fn verify<'v, 'k>(
    keys: impl IntoIterator<Item = &'k SecretKey>,
    name: &str,
    signed: &'v str,
) -> Option<&'v str> {
    let (value, tag) = signed.rsplit_once('.')?;
    if tag.len() != MAC_LEN {
        return None;
    }
    let mut decoded = [0u8; 33];
    let len = URL_SAFE_NO_PAD.decode_slice(tag, &mut decoded).ok()?;
    let tag = &decoded[..len];
    keys.into_iter()
        .any(|key| mac_for(key, name, value).verify_slice(tag).is_ok())
        .then_some(value)
}

/// `value` encrypted for cookie `name`.
pub(crate) fn encrypt(key: &Key, name: &str, value: &str) -> String {
    let mut jar = CookieJar::new();
    jar.private_mut(key)
        .add(Cookie::new(name.to_owned(), value.to_owned()));
    jar.get(name)
        .map(|cookie| cookie.value().to_owned())
        .unwrap_or_default()
}

/// The plaintext of a private cookie if it decrypts with one of `keys`.
pub(crate) fn decrypt<'k>(
    keys: impl IntoIterator<Item = &'k SecretKey>,
    name: &str,
    sealed: &str,
) -> Option<String> {
    let jar = CookieJar::new();
    keys.into_iter().find_map(|key| {
        jar.private(key)
            .decrypt(Cookie::new(name.to_owned(), sealed.to_owned()))
            .map(|cookie| cookie.value().to_owned())
    })
}

/// Seals a cookie value for sending.
///
/// # Errors
///
/// When there is no key to seal with (see [`Keys::current`]).
pub(crate) fn seal(
    kind: Kind,
    keys: Option<&Keys>,
    name: &str,
    value: &str,
) -> Result<String, String> {
    if matches!(kind, Kind::Plain | Kind::Presigned) {
        return Ok(value.to_owned());
    }
    let key = match keys {
        Some(keys) => keys.current()?,
        None => {
            return Err(format!(
                "cookie `{name}` is signed or private, but this response is \
                 sent without an app to take a secret key from"
            ))
        }
    };
    Ok(match kind {
        Kind::Signed => sign(key, name, value),
        _ => encrypt(key, name, value),
    })
}

impl Cookies {
    /// These cookies, reading signed and private values with `keys`.
    pub(crate) fn with_keys(
        mut self,
        keys: Option<std::sync::Arc<dyn crate::http_core::secret::KeySource>>,
    ) -> Self {
        self.keys = keys;
        self
    }

    /// The keys that verify and decrypt: the current one, then the fallbacks.
    ///
    /// # Panics
    ///
    /// For cookies read without an app, or in a release build of an app
    /// without a secret key.
    fn key_readers(&self) -> impl Iterator<Item = &SecretKey> {
        let keys = self.keys.as_ref().unwrap_or_else(|| {
            panic!("signed and private cookies need the app's keys: these cookies have none")
        });
        keys.keys()
            .readers()
            .unwrap_or_else(|message| panic!("{message}"))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
impl Cookies {
    /// The value of the signed cookie `key` (set with
    /// [`Response::set_signed_cookie`](crate::Response::set_signed_cookie)),
    /// or `default`, with the same typing as [`Params::get`](crate::Params::get):
    /// a `&str` default gives a `&str`, `None` an `Option<&str>`, a number a
    /// parsed number.
    ///
    /// A value that was tampered with, truncated, signed for another cookie
    /// name, signed with a key that is neither the current one nor a
    /// fallback, or that is not signed at all reads as absent.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/")]
    /// fn index(request: &Request) -> String {
    ///     let user = request.cookies.get_signed("user", "stranger");
    ///     format!("Hello, {user}")
    /// }
    /// ```
    ///
    /// # Panics
    ///
    /// In a release build of an app without a secret key.
    pub fn get_signed<'a, D: crate::GetDefault<'a>>(&'a self, key: &str, default: D) -> D::Output {
        let found = self
            .get(key, None)
            .and_then(|signed| verify(self.key_readers(), key, signed));
        D::pick(found, default)
    }

    /// The decrypted value of the private cookie `key` (set with
    /// [`Response::set_private_cookie`](crate::Response::set_private_cookie)),
    /// or `default`: a `&str` or `String` default gives a `String`, `None` an
    /// `Option<String>`, a number a parsed number.
    ///
    /// A value that does not decrypt (tampered, truncated, another cookie's,
    /// an unknown key's, or a signed or plain value) reads as absent.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/")]
    /// fn index(request: &Request) -> String {
    ///     let balance = request.cookies.get_private("balance", 0u64);
    ///     format!("You have {balance} credits")
    /// }
    /// ```
    ///
    /// # Panics
    ///
    /// As [`get_signed`](Self::get_signed).
    pub fn get_private<D: PrivateDefault>(&self, key: &str, default: D) -> D::Output {
        let found = self
            .get(key, None)
            .and_then(|sealed| decrypt(self.key_readers(), key, sealed));
        D::pick(found, default)
    }
}

/// A default for [`Cookies::get_private`], which decides what it returns:
/// `&str` or `String` gives a `String`, `None` an `Option<String>`, a number,
/// `bool` or `char` that type (the default when missing or not parsable).
pub trait PrivateDefault {
    /// What `get_private` returns for this default.
    type Output;

    /// The decrypted value (if any) turned into the output, or the default.
    fn pick(found: Option<String>, default: Self) -> Self::Output;
}

impl PrivateDefault for &str {
    type Output = String;

    fn pick(found: Option<String>, default: Self) -> String {
        found.unwrap_or_else(|| default.to_owned())
    }
}

impl PrivateDefault for String {
    type Output = String;

    fn pick(found: Option<String>, default: Self) -> String {
        found.unwrap_or(default)
    }
}

impl PrivateDefault for Option<&str> {
    type Output = Option<String>;

    fn pick(found: Option<String>, default: Self) -> Option<String> {
        found.or_else(|| default.map(str::to_owned))
    }
}

macro_rules! parsed_private_defaults {
    ($($ty:ty),*) => {$(
        impl PrivateDefault for $ty {
            type Output = $ty;

            fn pick(found: Option<String>, default: Self) -> $ty {
                found.and_then(|text| text.trim().parse().ok()).unwrap_or(default)
            }
        }
    )*};
}

parsed_private_defaults!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, char
);

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretKey {
        Key::derive_from(&[byte; 32]).into()
    }

    #[test]
    fn signed_values_verify_and_tampering_does_not() {
        let (k, old) = (key(1), key(2));
        let signed = sign(&k, "user", "ann.smith");
        assert_eq!(verify([&k], "user", &signed), Some("ann.smith"));
        assert_eq!(verify([&old, &k], "user", &signed), Some("ann.smith"));
        assert_eq!(verify([&old], "user", &signed), None);
        assert_eq!(verify([&k], "admin", &signed), None);
        assert_eq!(verify([&k], "user", &signed[..signed.len() - 1]), None);
        assert_eq!(verify([&k], "user", "ann.smith"), None);
        assert_eq!(verify([&k], "user", ""), None);
        let mut bytes = signed.into_bytes();
        for i in 0..bytes.len() {
            bytes[i] ^= 1;
            if let Ok(text) = std::str::from_utf8(&bytes) {
                assert_eq!(verify([&k], "user", text), None, "byte {i}");
            }
            bytes[i] ^= 1;
        }
    }

    #[test]
    fn private_values_decrypt_and_others_do_not() {
        let (k, old) = (key(1), key(2));
        let sealed = encrypt(&k, "card", "4242");
        assert!(!sealed.contains("4242"));
        assert_eq!(decrypt([&k], "card", &sealed).as_deref(), Some("4242"));
        assert_eq!(
            decrypt([&old, &k], "card", &sealed).as_deref(),
            Some("4242")
        );
        assert_eq!(decrypt([&old], "card", &sealed), None);
        assert_eq!(decrypt([&k], "other", &sealed), None);
        assert_eq!(decrypt([&k], "card", &sealed[..sealed.len() - 2]), None);
        assert_eq!(decrypt([&k], "card", &sign(&k, "card", "4242")), None);
        assert_eq!(verify([&k], "card", &sealed), None);
        assert_eq!(decrypt([&k], "card", "%%%"), None);
    }
}

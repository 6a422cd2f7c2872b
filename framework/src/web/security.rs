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
//! An `async` handler that checks passwords under load can move the work
//! off the runtime's threads with `tokio::task::spawn_blocking`.

use std::fmt;

use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use subtle::ConstantTimeEq;

use crate::Error;

/// The characters of a generated salt: ASCII letters and digits, as
/// Werkzeug's `SALT_CHARS`.
pub const SALT_CHARS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The method [`generate_password_hash`] uses: scrypt with Werkzeug's
/// defaults, written `scrypt:32768:8:1` in the hash.
pub const DEFAULT_METHOD: &str = "scrypt";

/// The salt length [`generate_password_hash`] uses, in characters.
pub const DEFAULT_SALT_LENGTH: usize = 16;

/// The iterations of `pbkdf2` and `pbkdf2:<hash>` when the method names
/// none: Werkzeug 3.1's default.
pub const DEFAULT_PBKDF2_ITERATIONS: u32 = 1_000_000;

/// The most PBKDF2 iterations accepted: 10 times Werkzeug's default.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// The most memory an scrypt hash may take, in bytes, counted as OpenSSL
/// does (`128·r·(n + p + 2)`): 132 MiB, enough for `n = 131072`, `r = 8`,
/// `p = 1`.
pub const MAX_SCRYPT_MEMORY: u64 = 132 * 1024 * 1024;

/// The most work an scrypt hash may take, as `n·r·p`: 2²², 16 times
/// Werkzeug's default `32768·8·1`.
pub const MAX_SCRYPT_COST: u64 = 1 << 22;

/// The longest salt [`generate_password_hash_with`] makes, in characters.
pub const MAX_SALT_LENGTH: usize = 1024;

const SCRYPT_DEFAULT_N: u64 = 1 << 15;
const SCRYPT_DEFAULT_R: u32 = 8;
const SCRYPT_DEFAULT_P: u32 = 1;
/// Bytes of scrypt output, as `hashlib.scrypt`'s default `dklen`.
const SCRYPT_OUTPUT_LEN: usize = 64;

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

/// A key derivation function and its parameters, read from the `method`
/// part of a hash.
#[derive(Debug)]
enum Method<'a> {
    Scrypt {
        n: u64,
        r: u32,
        p: u32,
    },
    Pbkdf2 {
        hash: Hash,
        /// The hash's name as written (`sha256`, `SHA256`), kept as is in
        /// the hash made, as Werkzeug does.
        name: &'a str,
        iterations: u32,
    },
}

/// `pbkdf2_hmac` for one hash: password, salt, rounds, output.
type Pbkdf2Fn = fn(&[u8], &[u8], u32, &mut [u8]);

/// The hash functions PBKDF2 runs on.
#[derive(Debug, Clone, Copy)]
enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_name(name: &str) -> Option<Self> {
        [
            ("sha1", Self::Sha1),
            ("sha224", Self::Sha224),
            ("sha256", Self::Sha256),
            ("sha384", Self::Sha384),
            ("sha512", Self::Sha512),
        ]
        .into_iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, hash)| hash)
    }

    /// PBKDF2-HMAC into `output`, which is as long as the hash's digest.
    fn pbkdf2<'o>(
        self,
        password: &[u8],
        salt: &[u8],
        rounds: u32,
        output: &'o mut [u8],
    ) -> &'o [u8] {
        let (len, derive): (usize, Pbkdf2Fn) = match self {
            Self::Sha1 => (20, pbkdf2::pbkdf2_hmac::<Sha1>),
            Self::Sha224 => (28, pbkdf2::pbkdf2_hmac::<Sha224>),
            Self::Sha256 => (32, pbkdf2::pbkdf2_hmac::<Sha256>),
            Self::Sha384 => (48, pbkdf2::pbkdf2_hmac::<Sha384>),
            Self::Sha512 => (64, pbkdf2::pbkdf2_hmac::<Sha512>),
        };
        let output = &mut output[..len];
        derive(password, salt, rounds, output);
        output
    }
}

impl<'a> Method<'a> {
    /// Reads `scrypt`, `scrypt:n:r:p`, `pbkdf2`, `pbkdf2:hash` or
    /// `pbkdf2:hash:iterations`, refusing what phial won't compute; the
    /// error says why.
    fn parse(method: &'a str) -> Result<Self, String> {
        let mut args = method.split(':');
        let name = args.next().unwrap_or_default();
        let args: Vec<&str> = args.collect();
        match name {
            "scrypt" => Self::parse_scrypt(&args),
            "pbkdf2" => Self::parse_pbkdf2(&args),
            _ => Err(format!(
                "unknown password hash method `{}`: phial knows `scrypt` and `pbkdf2`",
                name.escape_debug()
            )),
        }
    }

    fn parse_scrypt(args: &[&str]) -> Result<Self, String> {
        let (n, r, p) = match *args {
            [] => (SCRYPT_DEFAULT_N, SCRYPT_DEFAULT_R, SCRYPT_DEFAULT_P),
            [n, r, p] => (
                number("scrypt", "n", n)?,
                number("scrypt", "r", r)?,
                number("scrypt", "p", p)?,
            ),
            _ => {
                return Err("`scrypt` takes 3 arguments, `scrypt:n:r:p` \
                     (Werkzeug's default is `scrypt:32768:8:1`)"
                    .to_owned())
            }
        };
        if n < 2 || !n.is_power_of_two() {
            return Err(format!(
                "scrypt's n must be a power of 2 greater than 1, not {n}"
            ));
        }
        if r == 0 || p == 0 {
            return Err(format!(
                "scrypt's r and p must be at least 1, not r={r}, p={p}"
            ));
        }
        let log_n = n.trailing_zeros();
        if u64::from(log_n) >= 16 * u64::from(r) {
            return Err(format!(
                "scrypt's n={n} needs r of at least {} (scrypt asks n < 2^(16·r))",
                log_n / 16 + 1
            ));
        }
        let (n_, r_, p_) = (u128::from(n), u128::from(r), u128::from(p));
        let memory = 128 * r_ * (n_ + p_ + 2);
        if memory > u128::from(MAX_SCRYPT_MEMORY) {
            return Err(format!(
                "scrypt with n={n}, r={r}, p={p} needs {} MiB of memory \
                 (128·r·(n + p + 2) bytes), more than phial's limit of {} MiB",
                memory.div_ceil(1 << 20),
                MAX_SCRYPT_MEMORY >> 20
            ));
        }
        let cost = n_ * r_ * p_;
        if cost > u128::from(MAX_SCRYPT_COST) {
            return Err(format!(
                "scrypt with n={n}, r={r}, p={p} is {cost} units of work (n·r·p), \
                 more than phial's limit of {MAX_SCRYPT_COST} (16 times Werkzeug's default)"
            ));
        }
        if memory > 132 * cost {
            return Err(format!(
                "scrypt with n={n}, r={r}, p={p} is refused by Werkzeug (its \
                 hashlib.scrypt's maxmem, 132·n·r·p = {} bytes, is less than the \
                 {memory} bytes needed), so Flask could not check the hash: use a larger n",
                132 * cost
            ));
        }
        Ok(Self::Scrypt { n, r, p })
    }

    fn parse_pbkdf2(args: &[&'a str]) -> Result<Self, String> {
        let (name, iterations) = match *args {
            [] => ("sha256", DEFAULT_PBKDF2_ITERATIONS),
            [name] => (name, DEFAULT_PBKDF2_ITERATIONS),
            [name, iterations] => (name, number("pbkdf2", "iterations", iterations)?),
            _ => {
                return Err("`pbkdf2` takes at most 2 arguments, \
                     `pbkdf2:hash:iterations` (Werkzeug's default is `pbkdf2:sha256:1000000`)"
                    .to_owned())
            }
        };
        let Some(hash) = Hash::from_name(name) else {
            return Err(format!(
                "pbkdf2 with `{}` is not supported: phial knows sha1, sha224, sha256, \
                 sha384 and sha512",
                name.escape_debug()
            ));
        };
        if iterations == 0 {
            return Err("pbkdf2's iterations must be at least 1".to_owned());
        }
        if iterations > MAX_PBKDF2_ITERATIONS {
            return Err(format!(
                "pbkdf2 with {iterations} iterations is more than phial's limit of \
                 {MAX_PBKDF2_ITERATIONS}"
            ));
        }
        Ok(Self::Pbkdf2 {
            hash,
            name,
            iterations,
        })
    }

    /// The hex digest of `password` with `salt`, as Werkzeug's
    /// `_hash_internal` computes it.
    fn hash(&self, salt: &str, password: &str) -> String {
        let (password, salt) = (password.as_bytes(), salt.as_bytes());
        let mut output = [0u8; 64];
        let digest: &[u8] = match *self {
            Self::Scrypt { n, r, p } => {
                // `parse` kept n a power of 2 within the limits, which
                // scrypt's own checks accept.
                let params = u8::try_from(n.trailing_zeros())
                    .ok()
                    .and_then(|log_n| scrypt::Params::new(log_n, r, p, SCRYPT_OUTPUT_LEN).ok());
                match params {
                    Some(params)
                        if scrypt::scrypt(password, salt, &params, &mut output).is_ok() =>
                    {
                        &output[..SCRYPT_OUTPUT_LEN]
                    }
                    // Unreachable after `parse`; an empty digest matches no
                    // stored one.
                    _ => &[],
                }
            }
            Self::Pbkdf2 {
                hash, iterations, ..
            } => hash.pbkdf2(password, salt, iterations, &mut output),
        };
        hex(digest)
    }
}

impl fmt::Display for Method<'_> {
    /// The method as the hash names it, every parameter written out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scrypt { n, r, p } => write!(f, "scrypt:{n}:{r}:{p}"),
            Self::Pbkdf2 {
                name, iterations, ..
            } => write!(f, "pbkdf2:{name}:{iterations}"),
        }
    }
}

/// A whole number parameter of a method: ASCII digits.
fn number<T: std::str::FromStr>(method: &str, parameter: &str, text: &str) -> Result<T, String> {
    text.parse().map_err(|_| {
        format!(
            "{method}'s {parameter} must be a whole number within range, not `{}`",
            text.escape_debug()
        )
    })
}

/// Lower-case hex, as Python's `bytes.hex()`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

#[cfg(test)]
mod tests {
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

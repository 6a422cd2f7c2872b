//! The methods of a password hash (`scrypt:n:r:p`, `pbkdf2:hash:iterations`):
//! reading them as Werkzeug writes them, within phial's limits, and
//! deriving the digest.

use std::fmt;

use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

/// The iterations of `pbkdf2` and `pbkdf2:<hash>` when the method names
/// none: Werkzeug 3.1's default.
pub const DEFAULT_PBKDF2_ITERATIONS: u32 = 1_000_000;
/// The most PBKDF2 iterations accepted: 10 times Werkzeug's default.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// The most work an scrypt hash may take, as `n·r·p`: 2²², 16 times
/// Werkzeug's default `32768·8·1`.
pub const MAX_SCRYPT_COST: u64 = 1 << 22;
/// The most memory an scrypt hash may take, in bytes, counted as OpenSSL
/// does (`128·r·(n + p + 2)`): 132 MiB, enough for `n = 131072`, `r = 8`,
/// `p = 1`.
pub const MAX_SCRYPT_MEMORY: u64 = 132 * 1024 * 1024;
pub(super) const SCRYPT_DEFAULT_N: u64 = 1 << 15;
pub(super) const SCRYPT_DEFAULT_P: u32 = 1;
pub(super) const SCRYPT_DEFAULT_R: u32 = 8;
/// Bytes of scrypt output, as `hashlib.scrypt`'s default `dklen`.
pub(super) const SCRYPT_OUTPUT_LEN: usize = 64;

/// A key derivation function and its parameters, read from the `method`
/// part of a hash.
#[derive(Debug)]
pub(super) enum Method<'a> {
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
pub(super) enum Hash {
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
    pub(super) fn parse(method: &'a str) -> Result<Self, String> {
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
    pub(super) fn hash(&self, salt: &str, password: &str) -> String {
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
pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

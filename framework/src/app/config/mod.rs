//! The app's configuration, as Flask's `app.config`: one map of string
//! keys (by convention upper case) to values, filled from a mapping, a
//! TOML file or prefixed environment variables, read back typed.
//!
//! The map and its plain accessors are always there; the typed reads
//! ([`Config::get`], [`Config::extract`]) and the loaders
//! ([`Config::from_file`], [`Config::from_prefixed_env`]) need the `config`
//! feature (on by default).

pub(crate) mod defaults;
#[cfg(feature = "config")]
mod load;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One configuration value: TOML's types (a TOML date or time is kept as
/// its text).
///
/// ```
/// use phial::config::Value;
///
/// assert_eq!(Value::from("dev").as_str(), Some("dev"));
/// assert_eq!(Value::from(16).as_integer(), Some(16));
/// assert_eq!(Value::from(true).as_bool(), Some(true));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// Text.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A floating-point number.
    Float(f64),
    /// `true` or `false`.
    Boolean(bool),
    /// A list.
    Array(Vec<Value>),
    /// A nested table (what `PHIAL_DATABASE__URL` or a `[database]` TOML
    /// section makes).
    Table(BTreeMap<String, Value>),
}

impl Value {
    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number, if this is an integer.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Self::Integer(number) => Some(*number),
            _ => None,
        }
    }

    /// The number, if this is a float or an integer.
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Self::Float(number) => Some(*number),
            // Config numbers are small: the rounding of huge ones is moot.
            #[allow(clippy::cast_precision_loss)]
            Self::Integer(number) => Some(*number as f64),
            _ => None,
        }
    }

    /// The flag, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Boolean(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is a table.
    pub fn as_table(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Self::Table(table) => Some(table),
            _ => None,
        }
    }

    /// What the value is, for error messages: `the string "big"`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::String(text) => format!("the string {text:?}"),
            Self::Integer(number) => format!("the integer {number}"),
            Self::Float(number) => format!("the float {number}"),
            Self::Boolean(flag) => format!("the boolean {flag}"),
            Self::Array(_) => "an array".to_owned(),
            Self::Table(_) => "a table".to_owned(),
        }
    }
}

impl fmt::Display for Value {
    /// The value as TOML would write it (`"dev"`, `16`, `true`, `[1, 2]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(text) => write!(f, "{text:?}"),
            Self::Integer(number) => write!(f, "{number}"),
            Self::Float(number) => write!(f, "{number:?}"),
            Self::Boolean(flag) => write!(f, "{flag}"),
            Self::Array(items) => {
                f.write_str("[")?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Self::Table(table) => {
                f.write_str("{")?;
                for (index, (key, item)) in table.iter().enumerate() {
                    if index > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, " {key} = {item}")?;
                }
                f.write_str(" }")
            }
        }
    }
}

macro_rules! from_lossless {
    ($variant:ident: $($from:ty),*) => {
        $(impl From<$from> for Value {
            fn from(value: $from) -> Self {
                Self::$variant(value.into())
            }
        })*
    };
}

from_lossless!(String: &str, String, &String, Box<str>, std::borrow::Cow<'_, str>);
from_lossless!(Integer: i8, i16, i32, i64, u8, u16, u32);
from_lossless!(Float: f32, f64);
from_lossless!(Boolean: bool);

impl From<u64> for Value {
    /// The number as an integer, saturating at `i64::MAX` (TOML's largest).
    fn from(number: u64) -> Self {
        Self::Integer(i64::try_from(number).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Value {
    /// The number as an integer, saturating at `i64::MAX` (TOML's largest).
    fn from(number: usize) -> Self {
        Self::from_size(number)
    }
}

impl From<&Path> for Value {
    /// The path as text (lossily, if it isn't UTF-8).
    fn from(path: &Path) -> Self {
        Self::String(path.to_string_lossy().into_owned())
    }
}

impl From<PathBuf> for Value {
    /// The path as text (lossily, if it isn't UTF-8).
    fn from(path: PathBuf) -> Self {
        Self::from(path.as_path())
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Self::Array(items.into_iter().map(Into::into).collect())
    }
}

impl Value {
    /// A size or count as an integer (saturating at `i64::MAX`).
    pub(crate) fn from_size(size: usize) -> Self {
        Self::Integer(i64::try_from(size).unwrap_or(i64::MAX))
    }

    /// A duration in seconds: an integer when whole, else a float.
    pub(crate) fn from_seconds(duration: std::time::Duration) -> Self {
        if duration.subsec_nanos() == 0 {
            Self::Integer(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX))
        } else {
            Self::Float(duration.as_secs_f64())
        }
    }
}

/// The configuration: keys (upper case, by Flask's convention) to
/// [`Value`]s, kept sorted by key.
///
/// Build one with [`set`](Self::set) and the `from_*` loaders, each
/// overriding the keys it sets, then hand it to
/// [`App::from_config`](crate::App::from_config) or
/// [`App::with_config`](crate::App::with_config): the app reads its
/// [built-in settings](crate::App::with_config) from it and
/// keeps the rest for your code, in [`App::config`](crate::App::config).
///
/// ```
/// use phial::{App, Config};
///
/// let config = Config::new()
///     .set("SECRET_KEY", "a development key of 32 bytes or more")
///     .set("MAX_CONTENT_LENGTH", 1024 * 1024)
///     .set("DATABASE", "flaskr.sqlite");
/// let app = App::from_config(config)?;
/// assert_eq!(app.config().value("DATABASE").and_then(|v| v.as_str()), Some("flaskr.sqlite"));
/// # Ok::<(), phial::Error>(())
/// ```
#[derive(Clone, Default, PartialEq)]
#[must_use = "a config does nothing until an app is built from it"]
pub struct Config {
    values: BTreeMap<String, Value>,
}

impl Config {
    /// An empty configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing what it was.
    ///
    /// ```
    /// let config = phial::Config::new().set("DEBUG", true).set("WORKERS", 4);
    /// assert_eq!(config.len(), 2);
    /// ```
    pub fn set(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets every key of `mapping`, as Flask's `from_mapping`: pairs of a
    /// key and a value, or another `Config` (whose keys then override
    /// these).
    ///
    /// ```
    /// use phial::Config;
    ///
    /// let test_config = Config::new().set("TESTING", true);
    /// let config = Config::new()
    ///     .from_mapping([("SECRET_KEY", "dev"), ("DATABASE", "flaskr.sqlite")])
    ///     .from_mapping(test_config);
    /// assert_eq!(config.len(), 3);
    /// ```
    // Named as Flask's loader, which is not a constructor.
    #[allow(clippy::wrong_self_convention)]
    pub fn from_mapping<K, V>(mut self, mapping: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<Value>,
    {
        for (key, value) in mapping {
            self.insert(key, value);
        }
        self
    }

    /// Sets `key` to `value`; returns what it was.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        self.values.insert(key.into(), value.into())
    }

    /// Removes `key`; returns what it was.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.values.remove(key)
    }

    /// The value of `key`, untyped (see [`get`](Self::get) for a typed
    /// read).
    ///
    /// ```
    /// let config = phial::Config::new().set("DATABASE", "flaskr.sqlite");
    /// assert_eq!(config.value("DATABASE").and_then(|v| v.as_str()), Some("flaskr.sqlite"));
    /// assert_eq!(config.value("MISSING"), None);
    /// ```
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// Whether `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The keys and values, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// How many keys are set.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl IntoIterator for Config {
    type Item = (String, Value);
    type IntoIter = std::collections::btree_map::IntoIter<String, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.values.into_iter()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Config {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        Self::new().from_mapping(pairs)
    }
}

impl fmt::Debug for Config {
    /// The keys and values, except those of keys naming a secret
    /// (`SECRET_KEY`, `SECRET_KEY_FALLBACKS`, any key with `SECRET`,
    /// `PASSWORD` or `TOKEN` in it), shown as `"<redacted>"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted;
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"<redacted>\"")
            }
        }
        let mut map = f.debug_map();
        for (key, value) in &self.values {
            let upper = key.to_ascii_uppercase();
            if ["SECRET", "PASSWORD", "TOKEN"]
                .iter()
                .any(|word| upper.contains(word))
            {
                map.entry(key, &Redacted);
            } else {
                map.entry(key, value);
            }
        }
        map.finish()
    }
}

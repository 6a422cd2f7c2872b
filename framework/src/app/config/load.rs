//! The `config` feature: typed reads through serde, and the TOML file and
//! environment loaders (the `toml` crate).

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::value::{Error as PlainError, UnitDeserializer};
use serde::de::DeserializeOwned;

use super::{Config, Value};
use crate::Error;

#[cfg_attr(docsrs, doc(cfg(feature = "config")))]
impl Config {
    /// The value of `key` as a `T` (any serde type: a number, a string, a
    /// `Vec`, a struct for a table). Ask for an `Option<T>` to get `None`
    /// for a missing key.
    ///
    /// ```
    /// let config = phial::Config::new().set("WORKERS", 4).set("DATABASE", "flaskr.sqlite");
    /// assert_eq!(config.get::<u16>("WORKERS")?, 4);
    /// assert_eq!(config.get::<String>("DATABASE")?, "flaskr.sqlite");
    /// assert_eq!(config.get::<Option<String>>("MISSING")?, None);
    /// assert!(config.get::<u16>("DATABASE").is_err());
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If `key` is missing (and `T` is no `Option`) or its value is no
    /// `T`; the message names the key and the type expected.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<T, Error> {
        let Some(value) = self.value(key) else {
            return T::deserialize(UnitDeserializer::<PlainError>::new()).map_err(|_| {
                Error::config(format!(
                    "config key `{key}` is not set (reading a {})",
                    short_type_name::<T>()
                ))
            });
        };
        T::deserialize(to_toml(value)).map_err(|error| {
            let message = error.message().trim_end();
            let wanted = short_type_name::<T>();
            let reading = if message.contains(&wanted) {
                String::new()
            } else {
                format!(" (reading a {wanted})")
            };
            Error::config(format!("config key `{key}`: {message}{reading}"))
        })
    }

    /// The whole configuration as a `T`, a struct whose fields are keys
    /// (`#[serde(rename_all = "UPPERCASE")]` matches Flask's upper-case
    /// keys; unknown keys are ignored unless `T` denies them).
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "UPPERCASE")]
    /// struct Settings {
    ///     database: String,
    ///     #[serde(default)]
    ///     workers: u16,
    /// }
    ///
    /// let config = phial::Config::new().set("DATABASE", "flaskr.sqlite").set("DEBUG", true);
    /// let settings: Settings = config.extract()?;
    /// assert_eq!((settings.database.as_str(), settings.workers), ("flaskr.sqlite", 0));
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If a field is missing or has the wrong type; the message says which.
    pub fn extract<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let table = toml::Value::Table(
            self.values
                .iter()
                .map(|(key, value)| (key.clone(), to_toml(value)))
                .collect(),
        );
        T::deserialize(table).map_err(|error| {
            Error::config(format!(
                "the config does not make a {}: {}",
                short_type_name::<T>(),
                error.message().trim_end()
            ))
        })
    }

    /// Sets the keys of the TOML file at `path`, as Flask's
    /// `from_file(path, load=tomllib.load)`. Top-level keys become keys; a
    /// `[section]` becomes a [table](Value::Table). Join a file name to
    /// [`App::instance_path`](crate::App::instance_path) to read it from
    /// the instance folder.
    ///
    /// ```no_run
    /// let config = phial::Config::new().from_file("instance/config.toml")?;
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If the file can't be read or isn't TOML: the message names the file
    /// and, for bad TOML, the line and column.
    #[allow(clippy::wrong_self_convention)]
    pub fn from_file(self, path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| {
            Error::config(format!(
                "config file `{}` can't be read: {error}",
                path.display()
            ))
        })?;
        self.load_toml(&text, path)
    }

    /// As [`from_file`](Self::from_file), but a missing file sets nothing
    /// (Flask's `silent=True`): for an optional `config.toml` in the
    /// instance folder. A file that exists and is not TOML is still an
    /// error.
    ///
    /// ```
    /// let config = phial::Config::new().from_file_if_exists("no/such/config.toml")?;
    /// assert!(config.is_empty());
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`from_file`](Self::from_file), except for a missing file.
    #[allow(clippy::wrong_self_convention)]
    pub fn from_file_if_exists(self, path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        match std::fs::read_to_string(path) {
            Ok(text) => self.load_toml(&text, path),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(self),
            Err(error) => Err(Error::config(format!(
                "config file `{}` can't be read: {error}",
                path.display()
            ))),
        }
    }

    fn load_toml(self, text: &str, path: &Path) -> Result<Self, Error> {
        let table: toml::Table = toml::from_str(text).map_err(|error| {
            Error::config(format!(
                "config file `{}` is not valid TOML: {}",
                path.display(),
                error.to_string().trim_end()
            ))
        })?;
        Ok(self.from_mapping(
            table
                .into_iter()
                .map(|(key, value)| (key, from_toml(value))),
        ))
    }

    /// Sets a key for each environment variable named `{prefix}_KEY`, as
    /// Flask's `from_prefixed_env`: `PHIAL_SECRET_KEY` sets `SECRET_KEY`.
    /// A value that reads as a TOML value is that value (`5` an integer,
    /// `true` a boolean, `[1, 2]` an array, `"5"` the string `5`), any
    /// other is the text as it is. A `__` in the name nests:
    /// `PHIAL_DATABASE__URL` sets `URL` in the table `DATABASE`. Variables
    /// are read in name order; names or values that aren't UTF-8 are
    /// skipped.
    ///
    /// Flask parses the values as JSON: the numbers, booleans, strings
    /// and arrays of JSON read the same in TOML.
    ///
    /// ```
    /// std::env::set_var("MYAPP_WORKERS", "4");
    /// std::env::set_var("MYAPP_DATABASE__URL", "sqlite://flaskr.sqlite");
    /// let config = phial::Config::new().from_prefixed_env("MYAPP");
    /// assert_eq!(config.get::<u16>("WORKERS")?, 4);
    /// let url = config.value("DATABASE").and_then(|db| db.as_table()?.get("URL")?.as_str());
    /// assert_eq!(url, Some("sqlite://flaskr.sqlite"));
    /// # Ok::<(), phial::Error>(())
    /// ```
    #[allow(clippy::wrong_self_convention)]
    pub fn from_prefixed_env(mut self, prefix: &str) -> Self {
        let prefix = format!("{prefix}_");
        let mut variables: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
            .filter_map(|(name, value)| Some((name.strip_prefix(&prefix)?.to_owned(), value)))
            .filter(|(key, _)| !key.is_empty())
            .collect();
        variables.sort();
        for (key, raw) in variables {
            let value = parse_env_value(&raw);
            let mut parts: Vec<&str> = key.split("__").collect();
            let last = parts.pop().unwrap_or_default();
            let mut table = &mut self.values;
            for part in parts {
                let entry = table
                    .entry(part.to_owned())
                    .or_insert_with(|| Value::Table(BTreeMap::new()));
                if !matches!(entry, Value::Table(_)) {
                    *entry = Value::Table(BTreeMap::new());
                }
                let Value::Table(inner) = entry else {
                    unreachable!("made a table just above")
                };
                table = inner;
            }
            table.insert(last.to_owned(), value);
        }
        self
    }
}

/// `T`'s name without module paths: `Vec<String>`, not
/// `alloc::vec::Vec<alloc::string::String>`.
fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut short = String::with_capacity(full.len());
    let mut segment_start = 0;
    let mut rest = full;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("::") {
            short.truncate(segment_start);
            rest = after;
            continue;
        }
        short.push(c);
        if !(c.is_alphanumeric() || c == '_') {
            segment_start = short.len();
        }
        rest = &rest[c.len_utf8()..];
    }
    short
}

/// An environment variable's value: a TOML value if it reads as one, else
/// the text.
fn parse_env_value(raw: &str) -> Value {
    match raw.parse::<toml::Value>() {
        // A date is kept as it was written.
        Ok(toml::Value::Datetime(_)) | Err(_) => Value::String(raw.to_owned()),
        Ok(value) => from_toml(value),
    }
}

fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::Integer(number),
        toml::Value::Float(number) => Value::Float(number),
        toml::Value::Boolean(flag) => Value::Boolean(flag),
        toml::Value::Datetime(datetime) => Value::String(datetime.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(from_toml).collect()),
        toml::Value::Table(table) => Value::Table(
            table
                .into_iter()
                .map(|(key, value)| (key, from_toml(value)))
                .collect(),
        ),
    }
}

fn to_toml(value: &Value) -> toml::Value {
    match value {
        Value::String(text) => toml::Value::String(text.clone()),
        Value::Integer(number) => toml::Value::Integer(*number),
        Value::Float(number) => toml::Value::Float(*number),
        Value::Boolean(flag) => toml::Value::Boolean(*flag),
        Value::Array(items) => toml::Value::Array(items.iter().map(to_toml).collect()),
        Value::Table(table) => toml::Value::Table(
            table
                .iter()
                .map(|(key, value)| (key.clone(), to_toml(value)))
                .collect(),
        ),
    }
}

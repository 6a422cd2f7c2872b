//! [`DateTime`]: a date and time that templates format as Python's
//! `datetime`, with `strftime`.

use std::fmt::{self, Write};
use std::str::FromStr;
use std::sync::Arc;

use minijinja::value::{from_args, Object, Value};
use minijinja::{Error, ErrorKind, State};
use time::macros::format_description;
use time::PrimitiveDateTime;

/// A date and time (no time zone, as SQL's `TIMESTAMP`) that templates
/// show and format as Flask's templates do a Python `datetime`:
/// `{{ post.created.strftime('%Y-%m-%d') }}`, or `{{ post.created }}` for
/// `2018-01-01 00:00:00`.
///
/// It parses the text databases print (`2018-01-01 00:00:00`, with a `T`
/// or fractional seconds too), so a column read as text becomes one with
/// `.parse()` (or sqlx's `#[sqlx(try_from = "String")]`). In a struct given
/// to a template (through `context!` and serde) it stays a date, with its
/// method.
///
/// ```
/// use phial::DateTime;
///
/// let created: DateTime = "2018-01-01 09:05:00".parse()?;
/// assert_eq!(created.strftime("%Y-%m-%d at %H:%M")?, "2018-01-01 at 09:05");
/// assert_eq!(created.strftime("%a %d %b %Y, %I:%M %p")?, "Mon 01 Jan 2018, 09:05 AM");
/// assert_eq!(created.to_string(), "2018-01-01 09:05:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub PrimitiveDateTime);

/// Why a text is no [`DateTime`], or a format has a directive phial doesn't
/// know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError(String);

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// The date and time formatted as Python's `strftime` does: `%Y` `%m`
    /// `%d` `%H` `%M` `%S` `%f` `%y` `%I` `%p` `%j` `%B` `%b` `%A` `%a` `%%`
    /// (English names, as Python's C locale).
    ///
    /// # Errors
    ///
    /// A directive outside that list, or a lone `%` at the end.
    pub fn strftime(&self, format: &str) -> Result<String, DateTimeError> {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let moment = self.0;
        let month = MONTHS[usize::from(u8::from(moment.month())) - 1];
        let weekday = moment.weekday().to_string();
        let hour12 = match moment.hour() % 12 {
            0 => 12,
            hour => hour,
        };
        let mut out = String::with_capacity(format.len() + 16);
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let _ = match chars.next() {
                Some('Y') => write!(out, "{:04}", moment.year()),
                Some('y') => write!(out, "{:02}", moment.year().rem_euclid(100)),
                Some('m') => write!(out, "{:02}", u8::from(moment.month())),
                Some('d') => write!(out, "{:02}", moment.day()),
                Some('H') => write!(out, "{:02}", moment.hour()),
                Some('I') => write!(out, "{hour12:02}"),
                Some('p') => out.write_str(if moment.hour() < 12 { "AM" } else { "PM" }),
                Some('M') => write!(out, "{:02}", moment.minute()),
                Some('S') => write!(out, "{:02}", moment.second()),
                Some('f') => write!(out, "{:06}", moment.microsecond()),
                Some('j') => write!(out, "{:03}", moment.ordinal()),
                Some('B') => out.write_str(month),
                Some('b') => out.write_str(&month[..3]),
                Some('A') => out.write_str(&weekday),
                Some('a') => out.write_str(&weekday[..3]),
                Some('%') => out.write_str("%"),
                other => {
                    return Err(DateTimeError(format!(
                        "strftime: `%{}` is not supported (use %Y %m %d %H %M %S %f %y %I %p %j %B %b %A %a %%)",
                        other.map(String::from).unwrap_or_default()
                    )))
                }
            };
        }
        Ok(out)
    }
}

impl FromStr for DateTime {
    type Err = DateTimeError;

    /// `YYYY-MM-DD HH:MM:SS`, a `T` in place of the space, fractional
    /// seconds allowed: what SQLite's `CURRENT_TIMESTAMP` and PostgreSQL's
    /// `timestamp` print.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let format = format_description!(
            version = 2,
            "[year]-[month]-[day][first [ ][T]][hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        PrimitiveDateTime::parse(text.trim(), &format)
            .map(Self)
            .map_err(|error| DateTimeError(format!("`{text}` is no date and time: {error}")))
    }
}

impl TryFrom<String> for DateTime {
    type Error = DateTimeError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<PrimitiveDateTime> for DateTime {
    fn from(moment: PrimitiveDateTime) -> Self {
        Self(moment)
    }
}

impl fmt::Display for DateTime {
    /// As Python's `str(datetime)`: `2018-01-01 00:00:00`, with
    /// microseconds when there are some.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let moment = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            moment.year(),
            u8::from(moment.month()),
            moment.day(),
            moment.hour(),
            moment.minute(),
            moment.second()
        )?;
        match moment.microsecond() {
            0 => Ok(()),
            micros => write!(f, ".{micros:06}"),
        }
    }
}

impl serde::Serialize for DateTime {
    /// In a template's context, the date itself (with `strftime`);
    /// elsewhere (JSON, say) its text.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            Value::from_object(*self).serialize(serializer)
        } else {
            serializer.collect_str(self)
        }
    }
}

impl Object for DateTime {
    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        if method != "strftime" {
            return Err(Error::from(ErrorKind::UnknownMethod));
        }
        let (format,): (&str,) = from_args(args)?;
        self.strftime(format)
            .map(Value::from)
            .map_err(|error| Error::new(ErrorKind::InvalidOperation, error.to_string()))
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

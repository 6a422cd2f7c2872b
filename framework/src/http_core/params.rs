//! Flask's `get(key, default)`: one multi-valued lookup shared by
//! `request.args`, `request.cookies` and, later, `request.form`.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// A multi-valued, ordered map of text keys to text values, as parsed from a
/// query string, a `Cookie` header or a form body.
///
/// Keys may repeat; [`get`](Params::get) returns the first value, and
/// [`get_all`](Params::get_all) every value in order.
///
/// ```
/// use phial::Params;
///
/// let args = Params::from_pairs([("page", "2"), ("tag", "a"), ("tag", "b")]);
/// assert_eq!(args.get("page", "1"), "2");
/// assert_eq!(args.get("missing", "1"), "1");
/// assert_eq!(args.get("page", None), Some("2"));
/// assert_eq!(args.get("page", 1u32), 2);
/// assert_eq!(args.get("tag", 0u32), 0); // present but not a number
/// assert_eq!(args.get_all("tag").collect::<Vec<_>>(), ["a", "b"]);
/// ```
#[derive(Clone, Default)]
pub struct Params {
    text: String,
    entries: Vec<(Piece, Piece)>,
}

/// Where a key or value lives: a byte range of the shared text (no copy), or
/// its own decoded string.
#[derive(Clone)]
enum Piece {
    Span(u32, u32),
    Owned(Box<str>),
}

impl Params {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// A map holding `pairs` in order.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut params = Self::new();
        for (key, value) in pairs {
            params.push_owned(key.into(), value.into());
        }
        params
    }

    /// A map that slices its keys and values out of `text`; add entries with
    /// [`push_span`](Self::push_span) and [`push_owned`](Self::push_owned).
    pub(crate) fn with_text(text: String) -> Self {
        Self {
            text,
            entries: Vec::new(),
        }
    }

    /// The text keys and values are sliced from, to append to while adding
    /// pairs (appending never moves existing spans).
    pub(crate) fn text_mut(&mut self) -> &mut String {
        &mut self.text
    }

    /// Adds a pair whose key and value are ranges of this map's text.
    ///
    /// The ranges must lie on character boundaries of the text; the parsers
    /// that call this split on ASCII bytes only.
    pub(crate) fn push_span(&mut self, key: Range<usize>, value: Range<usize>) {
        debug_assert!(self.text.get(key.clone()).is_some());
        debug_assert!(self.text.get(value.clone()).is_some());
        self.entries.push((Piece::span(key), Piece::span(value)));
    }

    /// Adds a pair whose key is a range of this map's text and whose value is
    /// its own (decoded) string.
    pub(crate) fn push_span_key(&mut self, key: Range<usize>, value: String) {
        self.entries
            .push((Piece::span(key), Piece::Owned(value.into_boxed_str())));
    }

    /// Adds a pair that owns its key and value.
    pub(crate) fn push_owned(&mut self, key: String, value: String) {
        self.entries.push((
            Piece::Owned(key.into_boxed_str()),
            Piece::Owned(value.into_boxed_str()),
        ));
    }

    fn resolve<'a>(&'a self, piece: &'a Piece) -> &'a str {
        match piece {
            Piece::Span(start, end) => self
                .text
                .get(*start as usize..*end as usize)
                .unwrap_or_default(),
            Piece::Owned(text) => text,
        }
    }

    /// The first value for `key`, or `default` when there is none.
    ///
    /// What comes back depends on the default, as with Werkzeug's
    /// `get(key, default, type=...)`:
    ///
    /// | default | returns |
    /// |---|---|
    /// | `"text"` (`&str`) | `&str`: the value, or the default |
    /// | `None` | `Option<&str>` |
    /// | `String` | `String` |
    /// | a number, `bool` or `char` (`0u32`, `1.5`, `false`) | that type: the value parsed, or the default when it is missing **or does not parse** |
    ///
    /// For any other [`FromStr`](std::str::FromStr) type use
    /// [`get_as`](Self::get_as).
    pub fn get<'a, D: GetDefault<'a>>(&'a self, key: &str, default: D) -> D::Output {
        D::pick(self.first(key), default)
    }

    /// The first value for `key` parsed as `T`, or `None` when it is missing
    /// or does not parse.
    ///
    /// ```
    /// # use phial::Params;
    /// let args = Params::from_pairs([("ip", "127.0.0.1")]);
    /// let ip: Option<std::net::Ipv4Addr> = args.get_as("ip");
    /// assert_eq!(ip, Some(std::net::Ipv4Addr::LOCALHOST));
    /// ```
    pub fn get_as<T: std::str::FromStr>(&self, key: &str) -> Option<T> {
        self.first(key)?.parse().ok()
    }

    /// The first value for `key`, or a 400 answer when there is none: Flask's
    /// `request.form["title"]`, which raises `BadRequestKeyError`. Use it
    /// with `?` in a handler returning `Result<_, phial::Error>`.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[post("/create")]
    /// fn create(request: &Request) -> Result<String, phial::Error> {
    ///     let title = request.form.require("title")?;
    ///     Ok(format!("Created {title}"))
    /// }
    ///
    /// # #[tokio::main] async fn main() {
    /// let client = App::new().route(create).test_client();
    /// let response = client.post("/create").form(&[("body", "text")]).await;
    /// assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An error answered 400 ([`is_bad_request`](crate::Error::is_bad_request))
    /// when `key` is not present: Werkzeug's page, which doesn't name the
    /// key outside debug mode.
    pub fn require(&self, key: &str) -> Result<&str, crate::Error> {
        self.first(key)
            .ok_or_else(|| crate::Error::bad_request("a required field is missing"))
    }

    fn first(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| self.resolve(k) == key)
            .map(|(_, v)| self.resolve(v))
    }

    /// Whether `key` is present (with any value, even an empty one).
    pub fn contains(&self, key: &str) -> bool {
        self.first(key).is_some()
    }

    /// Every value of `key`, in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .iter()
            .filter(move |(k, _)| self.resolve(k) == key)
            .map(|(_, v)| self.resolve(v))
    }

    /// Every `(key, value)` pair, in order, repeats included.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.entries
            .iter()
            .map(|(k, v)| (self.resolve(k), self.resolve(v)))
    }

    /// The number of pairs, repeats included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Piece {
    fn span(range: Range<usize>) -> Self {
        // Header and query text is far below 4 GiB: the server caps it.
        Piece::Span(range.start as u32, range.end as u32)
    }
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Params {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

/// A default accepted by [`Params::get`]; it decides what `get` returns.
///
/// Implemented for `&str`, `Option<&str>` (pass `None`), `String`, the
/// integer and float types, `bool` and `char`.
pub trait GetDefault<'a> {
    /// What `get` returns with this default.
    type Output;

    /// Chooses between the value found (if any) and the default.
    fn pick(found: Option<&'a str>, default: Self) -> Self::Output;
}

impl<'a> GetDefault<'a> for &'a str {
    type Output = &'a str;

    fn pick(found: Option<&'a str>, default: Self) -> &'a str {
        found.unwrap_or(default)
    }
}

impl<'a> GetDefault<'a> for Option<&'a str> {
    type Output = Option<&'a str>;

    fn pick(found: Option<&'a str>, default: Self) -> Option<&'a str> {
        found.or(default)
    }
}

impl<'a> GetDefault<'a> for String {
    type Output = String;

    fn pick(found: Option<&'a str>, default: Self) -> String {
        found.map_or(default, str::to_owned)
    }
}

macro_rules! parsed_defaults {
    ($($ty:ty),*) => {$(
        impl<'a> GetDefault<'a> for $ty {
            type Output = $ty;

            fn pick(found: Option<&'a str>, default: Self) -> $ty {
                found.and_then(|text| text.trim().parse().ok()).unwrap_or(default)
            }
        }
    )*};
}

parsed_defaults!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, char
);

/// At most this many fields are parsed from one form body.
pub(crate) const MAX_FORM_FIELDS: usize = 1000;

/// Parses a query string or form body (`a=1&b=two%20words`) into [`Params`],
/// decoding `+` and percent escapes; the text is kept once and undecoded
/// pieces point into it.
pub(crate) fn parse_urlencoded(text: &str, max_pairs: usize) -> Params {
    let mut params = Params::with_text(text.to_owned());
    // Undecoded pieces are slices of `text`: keep their offsets, not copies.
    let base = text.as_ptr() as usize;
    let offset_of = |piece: &str| {
        let start = (piece.as_ptr() as usize).checked_sub(base)?;
        (start + piece.len() <= text.len()).then_some(start..start + piece.len())
    };
    for (key, value) in form_urlencoded::parse(text.as_bytes()).take(max_pairs) {
        let key_span = match &key {
            Cow::Borrowed(key) => offset_of(key),
            Cow::Owned(_) => None,
        };
        let value_span = match &value {
            Cow::Borrowed(value) => offset_of(value),
            Cow::Owned(_) => None,
        };
        match (key_span, value_span) {
            (Some(key), Some(value)) => params.push_span(key, value),
            (Some(key), None) => params.push_span_key(key, value.into_owned()),
            _ => params.push_owned(key.into_owned(), value.into_owned()),
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_follows_the_default_type() {
        let params = parse_urlencoded("a=1&b=x&a=2&e=&n=%20+7", 100);
        assert_eq!(params.get("a", "d"), "1");
        assert_eq!(params.get("z", "d"), "d");
        assert_eq!(params.get("a", None), Some("1"));
        assert_eq!(params.get("z", None), None);
        assert_eq!(params.get("a", 0u8), 1);
        assert_eq!(params.get("b", 9i64), 9);
        assert_eq!(params.get("n", 0u32), 7);
        assert_eq!(params.get("e", "d"), "");
        assert_eq!(params.get("b", String::new()), "x");
        assert_eq!(params.get_all("a").collect::<Vec<_>>(), ["1", "2"]);
        assert!(params.contains("e"));
        assert!(!params.contains("z"));
        assert_eq!(params.len(), 5);
        assert_eq!(params.iter().nth(4), Some(("n", "  7")));
    }

    #[test]
    fn urlencoded_decodes_and_caps_pairs() {
        let params = parse_urlencoded("caf%C3%A9=cr%C3%A8me+br%C3%BBl%C3%A9e&%FF=x", 100);
        assert_eq!(params.get("café", ""), "crème brûlée");
        assert_eq!(params.get("\u{fffd}", ""), "x");
        assert_eq!(parse_urlencoded("a&b&c&d", 2).len(), 2);
    }
}

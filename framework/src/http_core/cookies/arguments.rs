//! The argument types [`SetCookie`](super::SetCookie)'s setters and
//! [`Response::set_cookie`](crate::Response::set_cookie) take: an age
//! ([`MaxAge`]), a name or value ([`CookieText`]) and text that may be absent
//! ([`OptionalText`]).

use std::borrow::Cow;

use compact_str::CompactString;

/// A cookie age for [`SetCookie::max_age`](super::SetCookie::max_age): an
/// integer number of seconds, a [`time::Duration`] or a
/// [`std::time::Duration`].
pub trait MaxAge {
    /// The age in whole seconds (fractions dropped; saturating).
    fn whole_seconds(self) -> i64;
}

macro_rules! integer_ages {
    ($($ty:ty),*) => {$(
        impl MaxAge for $ty {
            fn whole_seconds(self) -> i64 {
                i64::try_from(self).unwrap_or(i64::MAX)
            }
        }
    )*};
}

integer_ages!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl MaxAge for time::Duration {
    fn whole_seconds(self) -> i64 {
        time::Duration::whole_seconds(self)
    }
}

impl MaxAge for std::time::Duration {
    fn whole_seconds(self) -> i64 {
        i64::try_from(self.as_secs()).unwrap_or(i64::MAX)
    }
}

/// A cookie's name or value for [`Response::set_cookie`](crate::Response::set_cookie)
/// and its kin: `&str`, `String`, `&String`, `Box<str>`, `Cow<str>` or
/// `char`, what `impl Into<String>` takes. Text of up to 24 bytes is kept
/// inline, so a literal or a short borrowed value costs no allocation; a
/// longer `String` is kept as it is, without a copy.
///
/// ```
/// # let mut response = phial::make_response("");
/// let owned = String::from("dark");
/// let borrowed: &str = &owned;
/// response.set_cookie("a", borrowed);
/// response.set_cookie("b", &owned);
/// response.set_cookie(String::from("c"), std::borrow::Cow::Borrowed("x"));
/// response.set_cookie('d', owned);
/// let values: Vec<_> = response.cookies().iter().map(|c| (c.name(), c.value())).collect();
/// assert_eq!(values, [("a", "dark"), ("b", "dark"), ("c", "x"), ("d", "dark")]);
/// ```
#[diagnostic::on_unimplemented(
    message = "a cookie's name and value are text, not `{Self}`",
    label = "expected `&str` or `String`",
    note = "convert it first, such as `value.to_string()`"
)]
pub trait CookieText: sealed::Sealed {}

mod sealed {
    use compact_str::CompactString;

    /// What [`CookieText`](super::CookieText) is, kept out of the public API.
    pub trait Sealed {
        /// The text, inline when short.
        fn into_compact(self) -> CompactString;
    }
}

pub(crate) fn cookie_text(text: impl CookieText) -> CompactString {
    sealed::Sealed::into_compact(text)
}

macro_rules! cookie_texts {
    ($($ty:ty: $text:ident => $convert:expr;)*) => {$(
        impl CookieText for $ty {}

        impl sealed::Sealed for $ty {
            fn into_compact(self) -> CompactString {
                let $text = self;
                $convert
            }
        }
    )*};
}

cookie_texts! {
    &str: text => CompactString::new(text);
    &mut str: text => CompactString::new(text);
    &String: text => CompactString::new(text);
    String: text => CompactString::from(text);
    Box<str>: text => CompactString::from(text);
    Cow<'_, str>: text => CompactString::from(text);
    char: text => CompactString::new(text.encode_utf8(&mut [0; 4]));
}

/// Text or its absence, for [`SetCookie::path`](super::SetCookie::path) and
/// [`SetCookie::domain`](super::SetCookie::domain): `&str`, `String`,
/// `&String`, or `Option<&str>` (so `None` works as in Flask's `path=None`).
pub trait OptionalText {
    /// The text, if any.
    fn into_option(self) -> Option<String>;
}

impl OptionalText for &str {
    fn into_option(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl OptionalText for String {
    fn into_option(self) -> Option<String> {
        Some(self)
    }
}

impl OptionalText for &String {
    fn into_option(self) -> Option<String> {
        Some(self.clone())
    }
}

impl OptionalText for Option<&str> {
    fn into_option(self) -> Option<String> {
        self.map(str::to_owned)
    }
}

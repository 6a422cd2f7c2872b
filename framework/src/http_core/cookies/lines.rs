//! [`CookieLines`]: a request's `Cookie` header lines, kept as they came
//! (cheap clones) for the cookies and the session to read.

use http::HeaderValue;

/// The `Cookie` header lines of a request, as reference-counted clones of
/// the header values; the usual single line needs no allocation.
#[derive(Clone, Debug, Default)]
pub(crate) enum CookieLines {
    #[default]
    None,
    One(HeaderValue),
    Many(Vec<HeaderValue>),
}

impl CookieLines {
    /// Adds the next `Cookie` header line.
    pub(crate) fn push(&mut self, line: &HeaderValue) {
        match self {
            Self::None => *self = Self::One(line.clone()),
            Self::One(first) => *self = Self::Many(vec![first.clone(), line.clone()]),
            Self::Many(many) => many.push(line.clone()),
        }
    }

    /// The first value of cookie `name`, read by the rules of
    /// [`Cookies`](super::Cookies) without parsing the other pairs into a [`Params`](crate::Params): for
    /// the session, which needs one cookie of the header.
    #[cfg(any(test, feature = "sessions"))]
    pub(crate) fn first(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Self::None => None,
            Self::One(one) => super::parse::first(std::iter::once(one.as_bytes()), name),
            Self::Many(many) => super::parse::first(many.iter().map(HeaderValue::as_bytes), name),
        }
    }
}

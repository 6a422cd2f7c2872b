//! The contract between `#[route]` and the runtime: what a generated
//! handler looks like to the router.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::app::extract::{ExtractorInfo, RequestCx};
use crate::{IntoResponse, Response};

/// A route handler: what `#[route]`, `#[get]`, `#[post]` and the other route
/// macros turn a function into. Register it with
/// [`App::route`](crate::App::route).
///
/// You don't implement this trait yourself; the macros do.
///
/// ```
/// use phial::prelude::*;
///
/// #[get("/")]
/// fn index() -> &'static str {
///     "Hello"
/// }
///
/// let app = App::new().route(index);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a route handler",
    label = "not a route handler",
    note = "add #[route(\"/path\")] (or #[get(\"/path\")], #[post(\"/path\")], ...) to the function"
)]
pub trait Endpoint: Send + Sync + 'static {
    /// The route's pattern, methods and handler name.
    #[doc(hidden)]
    fn __info(&self) -> &'static RouteInfo;

    /// Converts the route variables and starts the handler; `None` when a
    /// variable doesn't convert (the router then tries the next route).
    #[doc(hidden)]
    fn __call<'a>(&'a self, cx: RequestCx<'a>, params: &RouteParams<'a>) -> Option<Reply<'a>>;

    /// The handler's type, by which `url_for!` finds where it is mounted.
    #[doc(hidden)]
    fn __type_id(&self) -> std::any::TypeId {
        std::any::TypeId::of::<Self>()
    }

    /// The handler's extractor parameters, for the check at start.
    #[doc(hidden)]
    fn __extractors(&self) -> &'static [ExtractorInfo] {
        &[]
    }

    /// The handler's other routes, when several route attributes are
    /// stacked on its function: registered with it, wherever it is.
    #[doc(hidden)]
    fn __more_routes(&self) -> &'static [fn() -> std::sync::Arc<dyn Endpoint>] {
        &[]
    }
}

/// What the macro knows about a route.
#[doc(hidden)]
#[derive(Debug)]
pub struct RouteInfo {
    /// The handler function's name.
    pub name: &'static str,
    /// The pattern, as written in the attribute.
    pub pattern: &'static str,
    /// The methods, upper case; `GET` when the attribute names none.
    pub methods: &'static [&'static str],
}

/// The text of each route variable of a matched route, in pattern order.
///
/// The spans are owned, so a handler's future borrows only the request
/// (`'a`), never this value: the dispatcher can return the future and
/// await it a layer up.
#[doc(hidden)]
pub struct RouteParams<'a> {
    pub(crate) path: &'a str,
    pub(crate) spans: Vec<(u32, u32)>,
}

impl<'a> RouteParams<'a> {
    /// The `index`-th variable's text.
    pub fn get(&self, index: usize) -> &'a str {
        self.spans
            .get(index)
            .and_then(|&(start, end)| self.path.get(start as usize..end as usize))
            .unwrap_or("")
    }
}

/// A started handler: its response, or a future of it.
#[doc(hidden)]
// The response inline: boxing it would cost the allocation a synchronous
// handler's reply saves (`Response` is large for its inline cookie).
#[allow(clippy::large_enum_variant)]
pub enum Reply<'a> {
    /// A synchronous handler's response.
    Ready(Response),
    /// An `async` handler's future.
    Pending(Pin<Box<dyn Future<Output = Response> + Send + 'a>>),
}

impl<'a> Reply<'a> {
    /// The reply of a synchronous handler.
    pub fn ready(value: impl IntoResponse) -> Self {
        Reply::Ready(value.into_response())
    }

    /// The reply of an `async` handler.
    pub fn pending<F>(future: F) -> Self
    where
        F: Future + Send + 'a,
        F::Output: IntoResponse,
    {
        Reply::Pending(Box::pin(async move { future.await.into_response() }))
    }
}

impl<'a> Reply<'a> {
    /// The reply of a handler with extractors: their work and the
    /// handler's, as one future.
    pub fn extracting(future: impl Future<Output = Response> + Send + 'a) -> Self {
        Reply::Pending(Box::pin(future))
    }
}

/// A handler's return value as a response (the generated code's call,
/// spanned on the return type for a readable error).
#[doc(hidden)]
pub fn into_response(value: impl IntoResponse) -> Response {
    value.into_response()
}

/// An `async` handler's future as a future of its response.
#[doc(hidden)]
pub async fn into_response_async<F>(future: F) -> Response
where
    F: Future,
    F::Output: IntoResponse,
{
    future.await.into_response()
}

impl fmt::Debug for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Ready(response) => f.debug_tuple("Ready").field(response).finish(),
            Reply::Pending(_) => f.write_str("Pending"),
        }
    }
}

/// Converts a route variable's text to a handler parameter's type.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` can't hold a route variable",
    note = "route variables convert to `&str`, `String`, integers, floats and `phial::Uuid` \
            (the last with phial's `uuid` feature, on by default)"
)]
pub trait FromParam<'a>: Sized {
    /// The value, or `None` if the text doesn't convert (an `int` too large
    /// for `u8`, say): the route then doesn't match.
    fn from_param(text: &'a str) -> Option<Self>;
}

impl<'a> FromParam<'a> for &'a str {
    fn from_param(text: &'a str) -> Option<Self> {
        Some(text)
    }
}

impl FromParam<'_> for String {
    fn from_param(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

#[cfg(feature = "uuid")]
impl FromParam<'_> for uuid::Uuid {
    fn from_param(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

macro_rules! parsed_params {
    ($($ty:ty),*) => {$(
        impl FromParam<'_> for $ty {
            fn from_param(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

parsed_params!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64);

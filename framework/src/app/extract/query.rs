//! `Query<T>`: the query string into a serde struct.

use serde::de::DeserializeOwned;

use super::form::{parse, FormError};
use super::{FromRequest, RequestCx};

/// The query string (`?q=rust&page=2`) as a serde struct: a handler
/// parameter `query: Query<Search>` (or `Query(search): Query<Search>`).
///
/// A field that is missing or doesn't parse is answered `400 Bad Request`
/// with a message naming it ([`FormError`](super::FormError)); make a field
/// optional with `Option` or `#[serde(default)]`. A key given several
/// times fills a `Vec` field. [`request.args`](crate::Request::args) has
/// the same values untyped.
///
/// ```
/// use phial::prelude::*;
/// use phial::extract::Query;
///
/// #[derive(serde::Deserialize)]
/// struct Search {
///     q: String,
///     #[serde(default)]
///     page: u32,
/// }
///
/// #[get("/search")]
/// fn search(Query(search): Query<Search>) -> String {
///     format!("{} (page {})", search.q, search.page)
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<'a, T: DeserializeOwned + Send + 'a> FromRequest<'a> for Query<T> {
    type Rejection = FormError;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, FormError> {
        let query = cx.request().query_string().unwrap_or("");
        parse(query.as_bytes(), "query string").map(Query)
    }
}

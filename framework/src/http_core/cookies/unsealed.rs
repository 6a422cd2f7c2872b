//! Cookies without the `sessions` feature: there are no secret keys, so
//! there are no signed or private cookies to seal, and every value is
//! sent as given.

pub(crate) use super::kind::Kind;
use crate::http_core::secret::Keys;

/// The value as given: only plain (and presigned) cookies exist here.
pub(crate) fn seal(
    _kind: Kind,
    _keys: Option<&Keys>,
    _name: &str,
    value: &str,
) -> Result<String, String> {
    Ok(value.to_owned())
}

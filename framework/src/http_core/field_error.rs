//! The message of a body or query that doesn't deserialize: serde's, with
//! the field it is about.

use std::fmt;

/// A serde error with the path of the field it is about: "`age`: invalid
/// digit found in string"; a missing field names itself.
pub(crate) fn describe<E: fmt::Display>(error: &serde_path_to_error::Error<E>) -> String {
    let path = error.path().to_string();
    if path == "." {
        error.inner().to_string()
    } else {
        format!("`{path}`: {}", error.inner())
    }
}

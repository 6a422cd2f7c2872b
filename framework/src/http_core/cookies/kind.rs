//! How a cookie's value is protected: the one part of signed and private
//! cookies that plain cookies need too (without the `sessions` feature only
//! `Plain` and `Presigned` are ever made).

/// How a cookie's value is protected when the response is sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(not(feature = "sessions"), allow(dead_code))]
pub(crate) enum Kind {
    /// Sent as given.
    #[default]
    Plain,
    /// Signed with HMAC-SHA256.
    Signed,
    /// Encrypted with AES-256-GCM.
    Private,
    /// Signed already (the session's cookie): sent as given.
    Presigned,
}

//! Without the `sessions` feature: the secret keys' stand-in, so the
//! request path reads the same with and without it (there are no keys).

/// No keys to sign or encrypt with.
#[derive(Clone, Debug, Default)]
pub(crate) struct Keys;

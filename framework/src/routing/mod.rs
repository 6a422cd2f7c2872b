//! Routing: patterns (shared with the macro crate), method sets and the
//! route table.

pub(crate) mod methods;
pub mod pattern;
pub(crate) mod router;
pub mod url;

//! Routing: method sets and the route table. (Route patterns, shared with
//! the macro crate, and URL building are in the HTTP core.)

pub(crate) mod methods;
pub(crate) mod route;
pub(crate) mod router;
mod trie;

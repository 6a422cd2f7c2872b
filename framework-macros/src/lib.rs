//! Procedural macros for [phial](https://docs.rs/phial). Use them through
//! `phial` (`use phial::prelude::*;`): this crate's output calls into it.

mod attr;
mod expand;
mod signature;

#[allow(dead_code)]
#[path = "../../framework/src/routing/pattern.rs"]
mod pattern;

use proc_macro::TokenStream;

/// Turns a function into a route handler for `path`, answering `GET` unless
/// `methods = [...]` says otherwise. See the `phial` crate docs.
#[proc_macro_attribute]
pub fn route(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Route, attr.into(), item.into()).into()
}

/// `#[get("/path")]`: a route handler that answers `GET` (and `HEAD`).
#[proc_macro_attribute]
pub fn get(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("GET"), attr.into(), item.into()).into()
}

/// `#[post("/path")]`: a route handler that answers `POST`.
#[proc_macro_attribute]
pub fn post(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("POST"), attr.into(), item.into()).into()
}

/// `#[put("/path")]`: a route handler that answers `PUT`.
#[proc_macro_attribute]
pub fn put(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("PUT"), attr.into(), item.into()).into()
}

/// `#[patch("/path")]`: a route handler that answers `PATCH`.
#[proc_macro_attribute]
pub fn patch(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("PATCH"), attr.into(), item.into()).into()
}

/// `#[delete("/path")]`: a route handler that answers `DELETE`.
#[proc_macro_attribute]
pub fn delete(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("DELETE"), attr.into(), item.into()).into()
}

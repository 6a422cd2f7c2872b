//! The `url_for!` builder generated beside each handler: a `macro_rules!`
//! that hands the route's pattern and variable types to `phial::url_for!`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ItemFn;

use crate::attr;
use crate::signature::Argument;

/// The macro `url_for!` calls to build this route's URL: a `macro_rules!`
/// re-exported under the handler's name (macros have their own namespace,
/// so it sits beside the struct) that passes the pattern and the types of
/// the variables on to `phial::__private::url_for`.
pub(super) fn url_builder(
    function: &ItemFn,
    route: &attr::RouteArgs,
    arguments: &[Argument],
) -> TokenStream {
    let name = &function.sig.ident;
    let pattern_text = route.path.value();
    let Ok(parsed) = crate::pattern::parse(&pattern_text) else {
        return TokenStream::new();
    };
    let variables = crate::url_for::describe(&parsed, arguments);
    let path = &route.path;
    let builder = format_ident!("__phial_url_for_{}", name);
    let cfg = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"));
    let cfg2 = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"));
    quote! {
        #(#cfg)*
        #[doc(hidden)]
        #[allow(unused_macros)]
        macro_rules! #builder {
            ([$($written:tt)*] $($args:tt)*) => {
                ::phial::__private::url_for! { #name #path #variables [$($written)*] $($args)* }
            };
        }
        #(#cfg2)*
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub(crate) use #builder as #name;
    }
}

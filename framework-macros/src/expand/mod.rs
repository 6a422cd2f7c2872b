//! Expanding a route attribute into the handler: a unit struct named like
//! the function that implements `phial::Endpoint`, with the function kept
//! intact inside; after an error, the same shape carrying the errors. The
//! `__call` body is built in `call.rs`, the `url_for!` builder in
//! `url_builder.rs`.

mod call;
mod endpoint_impl;
mod stacked;
mod url_builder;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, ItemFn, LitStr};

use crate::attr::{self, Kind};
use crate::signature;
use call::{call, extractors};
use endpoint_impl::EndpointImpl;
use url_builder::url_builder;

/// Expands a route attribute.
///
/// On error the output is the errors plus the user's function in the same
/// shape a successful expansion has (a handler struct whose `Endpoint` impl
/// holds the function), so the function body is still checked, IDEs keep
/// working, and `App::new().route(handler)` adds no second error. An item
/// that isn't a free function is emitted unchanged.
pub(crate) fn route(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    match try_route(kind, args, item.clone()) {
        Ok(tokens) => tokens,
        Err(error) => {
            let error = error.to_compile_error();
            match syn::parse2::<ItemFn>(item.clone()) {
                Ok(mut function) if function.sig.receiver().is_none() => {
                    stacked::strip(&mut function);
                    let body = quote!(::core::option::Option::None);
                    let handler = handler(&function, None, body, TokenStream::new());
                    quote!(#handler #error)
                }
                _ => quote!(#item #error),
            }
        }
    }
}

/// Parses and checks everything, collecting the attribute's and the item's
/// errors together.
fn try_route(kind: Kind, args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let function = syn::parse2::<ItemFn>(item).map_err(|error| {
        syn::Error::new(
            error.span(),
            "route attributes go on a function, as in `#[route(\"/\")] fn index() -> &'static str`",
        )
    });
    let route = attr::parse(kind, args);
    // Route attributes stacked below this one: their routes go to the
    // same function.
    let (function, route) = match (function, route) {
        (Ok(mut function), Ok(route)) => {
            let more = stacked::take(&mut function)?;
            if !more.is_empty() {
                return stacked::expand(&function, route, more);
            }
            (Ok(function), Ok(route))
        }
        other => other,
    };
    let (function, route) = match (function, route) {
        (Ok(function), Ok(route)) => (function, route),
        (Err(mut a), Err(b)) => {
            a.combine(b);
            return Err(a);
        }
        (Err(error), _) | (_, Err(error)) => return Err(error),
    };
    let arguments = signature::check(&function, &route.path)?;
    let body = call(&function, &arguments);
    let url_builder = url_builder(&function, &route, &arguments);
    let extractors = extractors(&arguments);
    let handler = handler(&function, Some(&route), body, extractors);
    let name = &function.sig.ident;
    let cfg = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"));
    let discoverable = quote! {
        #(#cfg)*
        ::phial::__private::discoverable!(#name);
    };
    Ok(quote!(#handler #url_builder #discoverable))
}

/// The handler struct and its `Endpoint` impl, with `function` nested in
/// `__call` ahead of `body`, and `extractors` (the `__extractors` method,
/// if any). `route` is `None` when expanding after an
/// error: the impl then only has to type-check.
fn handler(
    function: &ItemFn,
    route: Option<&attr::RouteArgs>,
    body: TokenStream,
    extractors: TokenStream,
) -> TokenStream {
    let name = &function.sig.ident;
    let visibility = &function.vis;
    let (pattern, methods) = match route {
        Some(route) => (route.path.clone(), route.methods.clone()),
        None => (LitStr::new("/", Span::call_site()), Vec::new()),
    };
    let doc_and_cfg: Vec<&Attribute> = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc") || attr.path().is_ident("cfg"))
        .collect();
    let cfg = doc_and_cfg
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"));
    let mut inner = function.clone();
    inner.vis = syn::Visibility::Inherited;
    let allow_unused = route.is_none().then(|| quote!(#[allow(unused)]));
    let endpoint_impl = EndpointImpl {
        handler_struct: name,
        name: name.to_string(),
        pattern: &pattern,
        methods: &methods,
        prelude: quote!(#allow_unused #inner),
        body,
        methods_after: extractors,
        cfg: quote!(#(#cfg)*),
    }
    .to_tokens();

    quote! {
        #(#doc_and_cfg)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #visibility struct #name;

        #endpoint_impl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expands every combination of odd arguments and items; none may panic,
    /// and every refused one must carry a `compile_error!`.
    #[test]
    fn never_panics_on_odd_input() {
        let args = [
            "",
            "\"/\"",
            "\"\"",
            "\"/\",",
            "\"/\" methods",
            "\"/\", methods",
            "\"/\", methods =",
            "\"/\", methods = []",
            "\"/\", methods = [\"\"]",
            "\"/\", methods = [\"G ET\"]",
            "\"/\", methods = [1, 2]",
            "\"/\", methods = [,]",
            "\"/\", methods = [\"GET\"] extra",
            "\"/\", methods = \"GET\"",
            "\"/\", 42 = 1",
            "\"/\", = 1",
            "\"/\", \"GET\"",
            "\"/<\"",
            "\"/<>\"",
            "\"/<:>\"",
            "\"/<int:x:y>\"",
            "\"/<(>\"",
            "\"/<int(>\"",
            "\"/<path:a>/\"",
            "\"/<path:a>/<b>/<c>\"",
            "\"/\\u{0}\"",
            "\"/é/<ü>\"",
            "r#\"/raw\"#",
            "b\"/\"",
            "'/'",
            "/",
            "PATH",
            "concat!(\"/\")",
        ];
        let items = [
            "fn f() {}",
            "async fn f(r: &Request) -> String { String::new() }",
            "fn f(self) {}",
            "fn f(&mut self, x: u8) {}",
            "fn f<T>(x: T) {}",
            "fn f<'a>(x: &'a str) {}",
            "fn r#type(r#type: &str) {}",
            "extern \"C\" fn f() {}",
            "pub(crate) unsafe fn f((a, b): (u8, u8), _: u8, ref c: String) {}",
            "struct S;",
            "impl S {}",
            "",
            "fn",
            "fn f(",
        ];
        for arg in args {
            for item in items {
                let (Ok(arg), Ok(item)) = (arg.parse::<TokenStream>(), item.parse::<TokenStream>())
                else {
                    continue;
                };
                for kind in [Kind::Route, Kind::Method("GET")] {
                    let output = route(kind, arg.clone(), item.clone()).to_string();
                    assert!(!output.is_empty() || item.is_empty());
                }
            }
        }
    }

    #[test]
    fn refusals_carry_a_compile_error() {
        let output = route(
            Kind::Route,
            quote!("/<int:id>"),
            quote!(
                fn f(id: String) {}
            ),
        );
        assert!(output.to_string().contains("compile_error"));
        let output = route(
            Kind::Route,
            quote!("/<int:id>"),
            quote!(
                fn f(id: u8) {}
            ),
        );
        assert!(!output.to_string().contains("compile_error"));
    }

    #[test]
    fn keeps_doc_comments_and_visibility_on_the_handler_struct() {
        let output = route(
            Kind::Method("GET"),
            quote!("/"),
            quote!(
                /// The index.
                pub fn index() -> &'static str {
                    "index"
                }
            ),
        )
        .to_string();
        let header = output.split("struct index").next().unwrap_or_default();
        assert!(header.contains("The index."), "{output}");
        assert!(header.contains("pub"), "{output}");
    }
}

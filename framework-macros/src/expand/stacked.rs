//! Route attributes stacked on one function, as Flask stacks `@app.route`:
//!
//! ```ignore
//! #[route("/hello/")]
//! #[route("/hello/<name>")]
//! fn hello(name: Option<&str>) -> Response { ... }
//! ```
//!
//! The first attribute expands them all. The function is kept once, as a
//! hidden associated function of the handler struct; each route gets a
//! handler struct of its own calling it (the first one is the user's
//! `hello`, the others hidden ones it lists in `__more_routes`, registered
//! with it). A parameter named after a variable that only some of the
//! routes have is an `Option`: `None` in the routes without it.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, GenericArgument, Ident, ItemFn, Pat, PathArguments, Type};

use super::call::{call, extractors};
use super::endpoint_impl::EndpointImpl;
use crate::attr::{self, Kind, RouteArgs};
use crate::signature::{self, Argument};

/// The route attribute `attribute` is, if it is one (`route`, `get`, ...,
/// alone or as `phial::route`).
fn route_kind(attribute: &Attribute) -> Option<Kind> {
    let path = attribute.path();
    let last = path.segments.last()?;
    let prefix_ok = match path.segments.len() {
        1 => true,
        2 => path.segments[0].ident == "phial",
        _ => false,
    };
    if !prefix_ok {
        return None;
    }
    Some(match last.ident.to_string().as_str() {
        "route" => Kind::Route,
        "get" => Kind::Method("GET"),
        "post" => Kind::Method("POST"),
        "put" => Kind::Method("PUT"),
        "patch" => Kind::Method("PATCH"),
        "delete" => Kind::Method("DELETE"),
        _ => return None,
    })
}

/// Removes the route attributes below the one being expanded from
/// `function`, and parses them.
pub(super) fn take(function: &mut ItemFn) -> syn::Result<Vec<RouteArgs>> {
    let mut routes = Vec::new();
    let mut errors: Option<syn::Error> = None;
    let mut kept = Vec::new();
    for attribute in std::mem::take(&mut function.attrs) {
        let Some(kind) = route_kind(&attribute) else {
            kept.push(attribute);
            continue;
        };
        let tokens = match &attribute.meta {
            syn::Meta::List(list) => Ok(list.tokens.clone()),
            other => Err(syn::Error::new(
                other.span(),
                "expected a route pattern, as in #[route(\"/path\")]",
            )),
        };
        match tokens.and_then(|tokens| attr::parse(kind, tokens)) {
            Ok(route) => routes.push(route),
            Err(error) => match &mut errors {
                Some(errors) => errors.combine(error),
                None => errors = Some(error),
            },
        }
    }
    function.attrs = kept;
    match errors {
        Some(errors) => Err(errors),
        None => Ok(routes),
    }
}

/// Removes stacked route attributes from `function` (after an error, so
/// the function emitted with it isn't expanded again).
pub(super) fn strip(function: &mut ItemFn) {
    function
        .attrs
        .retain(|attribute| route_kind(attribute).is_none());
}

/// Expands `function` with its routes: `first` (the attribute being
/// expanded) and `more` (the ones stacked below it).
pub(super) fn expand(
    function: &ItemFn,
    first: RouteArgs,
    more: Vec<RouteArgs>,
) -> syn::Result<TokenStream> {
    let routes: Vec<RouteArgs> = std::iter::once(first).chain(more).collect();
    let mut errors: Option<syn::Error> = None;
    let mut arguments = Vec::new();
    for route in &routes {
        match arguments_for(function, route, &routes) {
            Ok(route_arguments) => arguments.push(route_arguments),
            Err(error) => match &mut errors {
                Some(errors) => errors.combine(error),
                None => errors = Some(error),
            },
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }

    let name = &function.sig.ident;
    let visibility = &function.vis;
    // The function's `#[cfg]`, on every item made for it.
    let cfg = cfg_of(function);
    let docs = function
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"));
    // The function once, as `name::__phial_handler`.
    let mut inner = function.clone();
    inner.vis = syn::Visibility::Inherited;
    inner.sig.ident = Ident::new("__phial_handler", name.span());
    inner
        .attrs
        .retain(|attribute| !attribute.path().is_ident("doc"));

    let structs: Vec<syn::Ident> = (0..routes.len())
        .map(|index| match index {
            0 => name.clone(),
            _ => format_ident!("__phial_{}_{}", name, index),
        })
        .collect();
    let more_count = routes.len() - 1;
    let more_structs = &structs[1..];
    let more_routes = quote! {
        fn __more_routes(
            &self,
        ) -> &'static [fn() -> ::std::sync::Arc<dyn ::phial::__private::Endpoint>] {
            static __PHIAL_MORE: [fn() -> ::std::sync::Arc<dyn ::phial::__private::Endpoint>; #more_count] =
                [#(|| ::std::sync::Arc::new(#more_structs)),*];
            &__PHIAL_MORE
        }
    };
    let mut impls = Vec::new();
    for (index, (route, route_arguments)) in routes.iter().zip(&arguments).enumerate() {
        let handler_struct = &structs[index];
        let body = call(&inner, route_arguments);
        let extractors = extractors(route_arguments);
        let more = (index == 0).then(|| more_routes.clone());
        impls.push(
            EndpointImpl {
                handler_struct,
                name: name.to_string(),
                pattern: &route.path,
                methods: &route.methods,
                prelude: quote!(let __phial_handler = #name::__phial_handler;),
                body,
                methods_after: quote!(#extractors #more),
                cfg: cfg.clone(),
            }
            .to_tokens(),
        );
    }
    let url_builder = url_builder(function, &routes, &arguments);
    Ok(quote! {
        #(#docs)*
        #cfg
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #visibility struct #name;

        #(
            #cfg
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy, Debug)]
            struct #more_structs;
        )*

        // Not `#[automatically_derived]`: coverage tools skip what is.
        #cfg
        impl #name {
            #[doc(hidden)]
            #inner
        }

        #(#impls)*
        #url_builder
        #cfg
        ::phial::__private::discoverable!(#name);
    })
}

/// The variable names of `route`'s pattern.
fn variable_names(route: &RouteArgs) -> Vec<String> {
    crate::pattern::parse(&route.path.value())
        .map(|pattern| {
            pattern
                .variables()
                .map(|(name, _)| name.to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `T` when `ty` is `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if path.qself.is_some() || last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first() {
        Some(GenericArgument::Type(inner)) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// What fills each parameter of `function` in `route`, one of `routes`: a
/// parameter named after a variable some of the routes have is an
/// `Option`, `Some` where the route has the variable, `None` elsewhere.
fn arguments_for(
    function: &ItemFn,
    route: &RouteArgs,
    routes: &[RouteArgs],
) -> syn::Result<Vec<Argument>> {
    let here = variable_names(route);
    let everywhere: Vec<String> = routes.iter().flat_map(variable_names).collect();
    let mut errors: Option<syn::Error> = None;
    // Per parameter: `None` when it is absent from this route, else
    // whether it is an `Option` that this route fills.
    let mut plan = Vec::new();
    let mut inputs = Punctuated::new();
    for input in &function.sig.inputs {
        let named = match input {
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(ident) => Some((typed, ident.ident.to_string())),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        };
        let Some((typed, name)) = named.filter(|(_, name)| everywhere.contains(name)) else {
            inputs.push(input.clone());
            plan.push(Some(false));
            continue;
        };
        match (option_inner(&typed.ty), here.contains(&name)) {
            (Some(inner), true) => {
                let mut unwrapped = typed.clone();
                unwrapped.ty = Box::new(inner.clone());
                inputs.push(FnArg::Typed(unwrapped));
                plan.push(Some(true));
            }
            (Some(_), false) => plan.push(None),
            (None, true) => {
                inputs.push(input.clone());
                plan.push(Some(false));
            }
            (None, false) => {
                let error = syn::Error::new_spanned(
                    &typed.ty,
                    format!(
                        "`{name}` is a route variable of some of this function's routes but not \
                         of \"{}\": take it as an `Option`, as in `{name}: Option<{}>` (`None` \
                         where the route has no `<{name}>`)",
                        route.path.value(),
                        signature::tokens_text(&typed.ty),
                    ),
                );
                match &mut errors {
                    Some(errors) => errors.combine(error),
                    None => errors = Some(error),
                }
                plan.push(None);
            }
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }
    let mut checked = function.clone();
    checked.sig.inputs = inputs;
    let mut filled = signature::check(&checked, &route.path)?.into_iter();
    let mut arguments = Vec::new();
    for step in plan {
        let argument = match step {
            None => Argument::Absent,
            Some(present) => {
                let Some(argument) = filled.next() else {
                    return Err(syn::Error::new(
                        Span::call_site(),
                        "phial: a parameter was left unfilled (a bug: please report it)",
                    ));
                };
                if present {
                    Argument::Present(Box::new(argument))
                } else {
                    argument
                }
            }
        };
        arguments.push(argument);
    }
    Ok(arguments)
}

/// The `url_for!` builder of a function with stacked routes: like
/// `url_builder.rs`'s, with every route's pattern and variables, for
/// `url_for!` to pick the one the arguments fit.
fn url_builder(
    function: &ItemFn,
    routes: &[RouteArgs],
    arguments: &[Vec<Argument>],
) -> TokenStream {
    let name = &function.sig.ident;
    let mut rules = Vec::new();
    for (route, route_arguments) in routes.iter().zip(arguments) {
        let text = route.path.value();
        let Ok(parsed) = crate::pattern::parse(&text) else {
            return TokenStream::new();
        };
        let variables = crate::url_for::describe(&parsed, route_arguments);
        let path = &route.path;
        rules.push(quote!(#path #variables));
    }
    let builder = format_ident!("__phial_url_for_{}", name);
    let cfg = cfg_of(function);
    quote! {
        #cfg
        #[doc(hidden)]
        #[allow(unused_macros)]
        macro_rules! #builder {
            ([$($written:tt)*] $($args:tt)*) => {
                ::phial::__private::url_for! { #name #(#rules)* [$($written)*] $($args)* }
            };
        }
        #cfg
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub(crate) use #builder as #name;
    }
}

/// The function's `#[cfg(...)]` attributes, to put on each item made for
/// it (so a handler configured out leaves nothing behind).
fn cfg_of(function: &ItemFn) -> TokenStream {
    let cfg = function
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("cfg"));
    quote!(#(#cfg)*)
}

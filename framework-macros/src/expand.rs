//! Generating the handler: a unit struct named like the function that
//! implements `phial::Endpoint`, with the function kept intact inside.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{Attribute, ItemFn, LitStr, ReturnType};

use crate::attr::{self, Kind};
use crate::signature::{self, Argument};

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
                Ok(function) if function.sig.receiver().is_none() => {
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
    Ok(quote!(#handler #url_builder))
}

/// The body of `__call`: convert the route variables (returning `None` when
/// one doesn't convert), then start the handler. A handler with extractors
/// runs in one future that builds them in parameter order, answering a
/// rejection instead of calling the handler; one without stays a
/// synchronous call when the function is synchronous.
fn call(function: &ItemFn, arguments: &[Argument]) -> TokenStream {
    let mut bindings = Vec::new();
    let mut extractions = Vec::new();
    let mut call_arguments = Vec::new();
    let mut takes_request = false;
    for (position, argument) in arguments.iter().enumerate() {
        let binding = format_ident!("__phial_arg{}", position);
        match argument {
            Argument::Request => {
                takes_request = true;
                call_arguments.push(quote!(__phial_request));
                continue;
            }
            Argument::Variable { index, ty } => {
                // Spanned on the type: a conversion error points at it.
                let span = first_span(ty).unwrap_or_else(Span::call_site);
                bindings.push(quote_spanned! {span=>
                    let #binding: #ty =
                        ::phial::__private::FromParam::from_param(__phial_params.get(#index))?;
                });
            }
            Argument::Extractor { ty, .. } => {
                // The call (and its `.await`) runs from the first to the
                // last token of the type, as the type itself does: "`X`
                // can't be a handler parameter" is reported once (rustc
                // drops twin diagnostics), underlining the type.
                let first = first_span(ty).unwrap_or_else(Span::call_site);
                let last = last_span(ty).unwrap_or_else(Span::call_site);
                let mut cx = Group::new(Delimiter::Parenthesis, quote!(__phial_cx));
                cx.set_span(last);
                let awaited = quote_spanned!(last=> .await);
                let extract = quote_spanned! {first=>
                    <#ty as ::phial::__private::FromRequest>::from_request #cx #awaited
                };
                extractions.push(quote! {
                    let #binding: #ty = match #extract {
                        ::core::result::Result::Ok(value) => value,
                        ::core::result::Result::Err(rejection) => {
                            return ::phial::IntoResponse::into_response(rejection);
                        }
                    };
                });
            }
        }
        call_arguments.push(quote!(#binding));
    }
    let request = takes_request.then(|| quote!(let __phial_request = __phial_cx.request();));
    // The call expression runs from the first to the last token of the
    // return type, so "`u32` can't be turned into a response" underlines
    // the user's return type rather than generated code.
    let (first, last) = match &function.sig.output {
        ReturnType::Type(_, ty) => (
            first_span(ty).unwrap_or_else(Span::call_site),
            last_span(ty).unwrap_or_else(Span::call_site),
        ),
        ReturnType::Default => {
            let span = function.sig.ident.span();
            (span, span)
        }
    };
    let mut callee = function.sig.ident.clone();
    callee.set_span(first);
    let mut arguments = Group::new(Delimiter::Parenthesis, quote!(#(#call_arguments),*));
    arguments.set_span(last);
    let is_async = function.sig.asyncness.is_some();
    if extractions.is_empty() {
        let start = if is_async {
            quote_spanned!(first=> ::phial::__private::Reply::pending)
        } else {
            quote_spanned!(first=> ::phial::__private::Reply::ready)
        };
        return quote! {
            #request
            #(#bindings)*
            ::core::option::Option::Some(#start(#callee #arguments))
        };
    }
    let respond = if is_async {
        quote_spanned!(first=> ::phial::__private::into_response_async(#callee #arguments).await)
    } else {
        quote_spanned!(first=> ::phial::__private::into_response(#callee #arguments))
    };
    quote! {
        #request
        #(#bindings)*
        ::core::option::Option::Some(::phial::__private::Reply::extracting(async move {
            #(#extractions)*
            #respond
        }))
    }
}

/// `__extractors`: each extractor parameter as written, with its type's
/// start check. Nothing for a handler without extractors (the trait's
/// default).
fn extractors(arguments: &[Argument]) -> TokenStream {
    let infos: Vec<TokenStream> = arguments
        .iter()
        .filter_map(|argument| match argument {
            Argument::Extractor { parameter, ty } => {
                let ty_text = crate::signature::tokens_text(ty);
                // Spanned as the call in `__call` (see there): an error here
                // is its twin.
                let first = first_span(ty).unwrap_or_else(Span::call_site);
                let last = last_span(ty).unwrap_or_else(Span::call_site);
                let check_fn = proc_macro2::Ident::new("check", last);
                let check = quote_spanned! {first=>
                    <#ty as ::phial::__private::FromRequest>::#check_fn
                };
                Some(quote! {
                    ::phial::__private::ExtractorInfo {
                        parameter: #parameter,
                        ty: #ty_text,
                        check: #check,
                    }
                })
            }
            _ => None,
        })
        .collect();
    if infos.is_empty() {
        return TokenStream::new();
    }
    let count = infos.len();
    quote! {
        fn __extractors(&self) -> &'static [::phial::__private::ExtractorInfo] {
            static __PHIAL_EXTRACTORS: [::phial::__private::ExtractorInfo; #count] = [#(#infos),*];
            &__PHIAL_EXTRACTORS
        }
    }
}

/// The macro `url_for!` calls to build this route's URL: a `macro_rules!`
/// re-exported under the handler's name (macros have their own namespace,
/// so it sits beside the struct) that passes the pattern and the types of
/// the variables on to `phial::__private::url_for`.
fn url_builder(function: &ItemFn, route: &attr::RouteArgs, arguments: &[Argument]) -> TokenStream {
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
    let name_text = name.to_string();
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

    quote! {
        #(#doc_and_cfg)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #visibility struct #name;

        #(#cfg)*
        #[automatically_derived]
        impl ::phial::__private::Endpoint for #name {
            fn __info(&self) -> &'static ::phial::__private::RouteInfo {
                static __PHIAL_INFO: ::phial::__private::RouteInfo = ::phial::__private::RouteInfo {
                    name: #name_text,
                    pattern: #pattern,
                    methods: &[#(#methods),*],
                };
                &__PHIAL_INFO
            }

            fn __call<'__phial>(
                &'__phial self,
                __phial_cx: ::phial::__private::RequestCx<'__phial>,
                __phial_params: &::phial::__private::RouteParams<'__phial>,
            ) -> ::core::option::Option<::phial::__private::Reply<'__phial>> {
                #allow_unused
                #inner
                #body
            }

            #extractors
        }
    }
}

/// The span of the first token of `tokens`.
fn first_span(tokens: &impl ToTokens) -> Option<Span> {
    tokens
        .to_token_stream()
        .into_iter()
        .next()
        .map(|token| match token {
            TokenTree::Group(group) => group.span_open(),
            other => other.span(),
        })
}

/// The span of the last token of `tokens`.
fn last_span(tokens: &impl ToTokens) -> Option<Span> {
    tokens
        .to_token_stream()
        .into_iter()
        .last()
        .map(|token| match token {
            TokenTree::Group(group) => group.span_close(),
            other => other.span(),
        })
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

//! The generated `__call` body and `__extractors` method: route variables
//! converted, extractors built and awaited, then the user's function
//! called, each spanned on the user's tokens so type errors point there.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{ItemFn, ReturnType};

use crate::signature::Argument;

/// The body of `__call`: convert the route variables (returning `None` when
/// one doesn't convert), then start the handler. A handler with extractors
/// runs in one future that builds them in parameter order, answering a
/// rejection instead of calling the handler; one without stays a
/// synchronous call when the function is synchronous.
pub(super) fn call(function: &ItemFn, arguments: &[Argument]) -> TokenStream {
    let mut bindings = Vec::new();
    let mut extractions = Vec::new();
    let mut call_arguments = Vec::new();
    let mut takes_request = false;
    for (position, argument) in arguments.iter().enumerate() {
        let binding = format_ident!("__phial_arg{}", position);
        // Stacked routes: `None` for a variable this route lacks, `Some`
        // of the converted value for one it has.
        let (argument, present) = match argument {
            Argument::Absent => {
                call_arguments.push(quote!(::core::option::Option::None));
                continue;
            }
            Argument::Present(inner) => (&**inner, true),
            other => (other, false),
        };
        match argument {
            Argument::Request => {
                takes_request = true;
                call_arguments.push(quote!(__phial_request));
                continue;
            }
            Argument::Variable { index, ty } => {
                // Spanned on the type: a conversion error points at it.
                let (span, _) = outer_spans(ty);
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
                let (first, last) = outer_spans(ty);
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
            Argument::Present(_) | Argument::Absent => {}
        }
        call_arguments.push(if present {
            quote!(::core::option::Option::Some(#binding))
        } else {
            quote!(#binding)
        });
    }
    let request = takes_request.then(|| quote!(let __phial_request = __phial_cx.request();));
    // The call expression runs from the first to the last token of the
    // return type, so "`u32` can't be turned into a response" underlines
    // the user's return type rather than generated code.
    let (first, last) = match &function.sig.output {
        ReturnType::Type(_, ty) => outer_spans(ty),
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
    if returns_result(&function.sig.output) {
        // Any error type: see `phial::__private::returned`.
        let awaited = is_async.then(|| quote_spanned!(first=> .await));
        let value = quote_spanned! {first=>
            (&&&::phial::__private::returned::Returned::new(#callee #arguments #awaited))
                .__phial_respond()
        };
        // Only one of the three traits answers: the others are unused.
        let respond = quote! {{
            #[allow(unused_imports)]
            use ::phial::__private::returned::{
                RespondAsError as _, RespondAsItself as _, RespondOtherwise as _,
            };
            #value
        }};
        let reply = if is_async || !extractions.is_empty() {
            quote!(::phial::__private::Reply::extracting(async move {
                #(#extractions)*
                #respond
            }))
        } else {
            quote!(::phial::__private::Reply::Ready(#respond))
        };
        return quote! {
            #request
            #(#bindings)*
            ::core::option::Option::Some(#reply)
        };
    }
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

/// Whether the function returns a `Result` (by the last segment of its
/// return type's path, so `io::Result<T>` and an app's own alias count):
/// its error then needs only convert into `phial::Error`.
fn returns_result(output: &ReturnType) -> bool {
    match output {
        ReturnType::Type(_, ty) => match &**ty {
            syn::Type::Path(path) => path
                .path
                .segments
                .last()
                .is_some_and(|segment| segment.ident == "Result"),
            _ => false,
        },
        ReturnType::Default => false,
    }
}

/// `__extractors`: each extractor parameter as written, with its type's
/// start check. Nothing for a handler without extractors (the trait's
/// default).
pub(super) fn extractors(arguments: &[Argument]) -> TokenStream {
    let infos: Vec<TokenStream> = arguments
        .iter()
        .filter_map(|argument| match argument {
            Argument::Extractor { parameter, ty } => {
                let ty_text = crate::signature::tokens_text(ty);
                // Spanned as the call in `__call` (see there): an error here
                // is its twin.
                let (first, last) = outer_spans(ty);
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

/// The spans of the first and last tokens of `tokens` (a group's opening
/// and closing delimiters), the call site's where there are none.
fn outer_spans(tokens: &impl ToTokens) -> (Span, Span) {
    let mut trees = tokens.to_token_stream().into_iter();
    let first = trees.next();
    let last = trees.last().or_else(|| first.clone());
    let span = |tree: Option<TokenTree>, delimiter: fn(&Group) -> Span| match tree {
        Some(TokenTree::Group(group)) => delimiter(&group),
        Some(other) => other.span(),
        None => Span::call_site(),
    };
    (span(first, Group::span_open), span(last, Group::span_close))
}

//! Generating the handler: a unit struct named like the function that
//! implements `phial::Endpoint`, with the function kept intact inside.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::ItemFn;

use crate::attr::{self, Kind};
use crate::signature::{self, Argument};

/// Expands a route attribute. On error the user's item is emitted unchanged
/// beside the errors, so the rest of the crate still type-checks and IDEs
/// keep working.
pub(crate) fn route(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    match try_route(kind, args, item.clone()) {
        Ok(tokens) => tokens,
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#item #error)
        }
    }
}

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
    Ok(generate(&function, &route, &arguments))
}

fn generate(function: &ItemFn, route: &attr::RouteArgs, arguments: &[Argument]) -> TokenStream {
    let name = &function.sig.ident;
    let name_text = name.to_string();
    let visibility = &function.vis;
    let path = &route.path;
    let methods = &route.methods;
    let struct_attributes = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc") || attr.path().is_ident("cfg"));
    let mut inner = function.clone();
    inner.vis = syn::Visibility::Inherited;

    let mut bindings = Vec::new();
    let mut call_arguments = Vec::new();
    for (position, argument) in arguments.iter().enumerate() {
        match argument {
            Argument::Request => call_arguments.push(quote!(__phial_request)),
            Argument::Variable { index, ty } => {
                let binding = format_ident!("__phial_arg{}", position);
                bindings.push(quote_spanned! {ty.span()=>
                    let #binding: #ty =
                        ::phial::__private::FromParam::from_param(__phial_params.get(#index))?;
                });
                call_arguments.push(quote!(#binding));
            }
        }
    }
    let signature_span = function.sig.span();
    let reply = if function.sig.asyncness.is_some() {
        quote_spanned!(signature_span=> ::phial::__private::Reply::pending(#name(#(#call_arguments),*)))
    } else {
        quote_spanned!(signature_span=> ::phial::__private::Reply::ready(#name(#(#call_arguments),*)))
    };

    quote! {
        #(#struct_attributes)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #visibility struct #name;

        #[automatically_derived]
        impl ::phial::__private::Endpoint for #name {
            fn __info(&self) -> &'static ::phial::__private::RouteInfo {
                static __PHIAL_INFO: ::phial::__private::RouteInfo = ::phial::__private::RouteInfo {
                    name: #name_text,
                    pattern: #path,
                    methods: &[#(#methods),*],
                };
                &__PHIAL_INFO
            }

            fn __call<'__phial>(
                &'__phial self,
                __phial_request: &'__phial ::phial::Request,
                __phial_params: &::phial::__private::RouteParams<'__phial>,
            ) -> ::core::option::Option<::phial::__private::Reply<'__phial>> {
                #inner
                #(#bindings)*
                ::core::option::Option::Some(#reply)
            }
        }
    }
}

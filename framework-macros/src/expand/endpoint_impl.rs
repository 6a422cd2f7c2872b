//! The `Endpoint` impl every handler struct gets, plain or stacked.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Ident, LitStr};

/// What an `Endpoint` impl is made of.
pub(super) struct EndpointImpl<'a> {
    /// The handler struct.
    pub(super) handler_struct: &'a Ident,
    /// The handler function's name, for `RouteInfo`.
    pub(super) name: String,
    pub(super) pattern: &'a LitStr,
    pub(super) methods: &'a [String],
    /// Items ahead of the body in `__call` (the function itself, or a
    /// binding to it).
    pub(super) prelude: TokenStream,
    /// The `__call` body (see `call.rs`).
    pub(super) body: TokenStream,
    /// Further methods (`__extractors`, `__more_routes`).
    pub(super) methods_after: TokenStream,
    /// The function's `#[cfg]` attributes.
    pub(super) cfg: TokenStream,
}

impl EndpointImpl<'_> {
    /// The impl. No `#[automatically_derived]`: rustc would then leave the
    /// handler's body (nested in `__call`) out of coverage reports.
    pub(super) fn to_tokens(&self) -> TokenStream {
        let Self {
            handler_struct,
            name,
            pattern,
            methods,
            prelude,
            body,
            methods_after,
            cfg,
        } = self;
        quote! {
            #cfg
            impl ::phial::__private::Endpoint for #handler_struct {
                fn __info(&self) -> &'static ::phial::__private::RouteInfo {
                    static __PHIAL_INFO: ::phial::__private::RouteInfo = ::phial::__private::RouteInfo {
                        name: #name,
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
                    #prelude
                    #body
                }

                #methods_after
            }
        }
    }
}

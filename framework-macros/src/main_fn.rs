//! `#[phial::main]`: a `main` that serves the app, its routes discovered.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ItemFn, ReturnType};

/// Expands `#[phial::main]` on `async fn main() {}` (the app is every
/// handler of the binary) or on `fn app() -> App { ... }` (the app that
/// function sets up, with the handlers it doesn't register itself).
pub(crate) fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    match try_main(args, item.clone()) {
        Ok(tokens) => tokens,
        Err(error) => {
            let error = error.to_compile_error();
            // A plain `main` in place of a refused `async fn main`: the
            // error above is the only one.
            match syn::parse2::<ItemFn>(item.clone()) {
                Ok(function) if function.sig.ident == "main" => quote!(fn main() {} #error),
                _ => quote!(#item #error),
            }
        }
    }
}

fn try_main(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if !args.is_empty() {
        return Err(syn::Error::new(
            args.span(),
            "#[phial::main] takes no arguments: the address comes from the first command-line \
             argument or PORT (127.0.0.1:5000 by default)",
        ));
    }
    let function = syn::parse2::<ItemFn>(item).map_err(|error| {
        syn::Error::new(
            error.span(),
            "#[phial::main] goes on `async fn main() {}`, or on a `fn app() -> App` that sets \
             the app up",
        )
    })?;
    let signature = &function.sig;
    if let Some(input) = signature.inputs.first() {
        return Err(syn::Error::new(
            input.span(),
            "#[phial::main]'s function takes no parameters",
        ));
    }
    if signature.ident == "main" {
        main_alone(&function)
    } else {
        app_function(&function)
    }
}

/// `async fn main() {}`: serve every handler of the module (the binary's
/// root: the whole binary).
fn main_alone(function: &ItemFn) -> syn::Result<TokenStream> {
    if let ReturnType::Type(_, ty) = &function.sig.output {
        return Err(syn::Error::new(
            ty.span(),
            "#[phial::main]'s `main` returns nothing: phial's `main` reports a failure to serve \
             itself",
        ));
    }
    if !function.block.stmts.is_empty() {
        return Err(syn::Error::new(
            function.block.span(),
            "#[phial::main]'s `main` has an empty body; to set the app up (state, config, \
             blueprints), put #[phial::main] on a `fn app() -> App` instead",
        ));
    }
    let attrs = &function.attrs;
    Ok(quote! {
        #(#attrs)*
        fn main() -> ::core::result::Result<(), ::phial::Error> {
            ::phial::__private::run_main(::phial::App::new().discover(::core::module_path!()))
        }
    })
}

/// `fn app() -> App { ... }`: that app, with the handlers of its module
/// that it doesn't register itself, and a `main` that serves it.
fn app_function(function: &ItemFn) -> syn::Result<TokenStream> {
    let signature = &function.sig;
    if let Some(asyncness) = signature.asyncness {
        return Err(syn::Error::new(
            asyncness.span(),
            "#[phial::main]'s app function is not `async`: it builds the app, `main` serves it",
        ));
    }
    let ReturnType::Type(_, ty) = &signature.output else {
        return Err(syn::Error::new(
            signature.ident.span(),
            "#[phial::main] on a function other than `main` needs it to return the app: \
             `fn app() -> App`",
        ));
    };
    let names_app = matches!(&**ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|segment| segment.ident == "App"));
    if !names_app {
        return Err(syn::Error::new(
            ty.span(),
            "#[phial::main]'s app function returns the app: `-> App`",
        ));
    }
    let attrs = &function.attrs;
    let visibility = &function.vis;
    let name = &signature.ident;
    let block = &function.block;
    let discover = quote_spanned! {ty.span()=>
        ::phial::App::discover(__phial_app(), ::core::module_path!())
    };
    Ok(quote! {
        #(#attrs)*
        #visibility fn #name() -> #ty {
            fn __phial_app() -> #ty #block
            #discover
        }

        #[allow(dead_code)]
        fn main() -> ::core::result::Result<(), ::phial::Error> {
            ::phial::__private::run_main(#name())
        }
    })
}

//! `#[phial::main]`: a `main` that serves the app, its routes discovered.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Ident, ItemFn, ReturnType, Token};

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

/// The settings `#[phial::main(...)]` takes, as Flask's constructor takes
/// them (`Flask(__name__, template_folder=...)`), with the `App` method
/// each calls.
const SETTINGS: [(&str, &str); 4] = [
    ("template_folder", "template_folder"),
    ("static_folder", "static_folder"),
    ("static_url_path", "static_url_path"),
    ("instance_path", "with_instance_path"),
];

/// `key = value` in `#[phial::main(...)]`.
struct Setting {
    key: Ident,
    value: Expr,
}

impl Parse for Setting {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = input
            .parse()
            .map_err(|error| syn::Error::new(error.span(), usage()))?;
        input
            .parse::<Token![=]>()
            .map_err(|error| syn::Error::new(error.span(), usage()))?;
        Ok(Self {
            key,
            value: input.parse()?,
        })
    }
}

/// What `#[phial::main(...)]` takes, for error messages.
fn usage() -> String {
    let keys: Vec<String> = SETTINGS
        .iter()
        .map(|(key, _)| format!("`{key} = ...`"))
        .collect();
    format!(
        "#[phial::main] takes the app's folders, as Flask's constructor does: {}; the address \
         comes from the first command-line argument or PORT (127.0.0.1:5000 by default)",
        keys.join(", ")
    )
}

/// The `App` method calls `args` asks for, checked: known keys, each once.
fn settings(args: TokenStream) -> syn::Result<Vec<TokenStream>> {
    let settings = Punctuated::<Setting, Token![,]>::parse_terminated.parse2(args)?;
    let mut seen: Vec<String> = Vec::new();
    let mut calls = Vec::new();
    for setting in settings {
        let key = setting.key.to_string();
        let Some((_, method)) = SETTINGS.iter().find(|(known, _)| *known == key) else {
            return Err(syn::Error::new(
                setting.key.span(),
                format!("unknown setting `{key}`: {}", usage()),
            ));
        };
        if seen.contains(&key) {
            return Err(syn::Error::new(
                setting.key.span(),
                format!("`{key}` specified more than once"),
            ));
        }
        seen.push(key);
        let method = Ident::new(method, setting.key.span());
        let value = setting.value;
        calls.push(quote!(.#method(#value)));
    }
    Ok(calls)
}

fn try_main(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let settings = settings(args.clone())?;
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
        main_alone(&function, &settings)
    } else if !settings.is_empty() {
        Err(syn::Error::new(
            args.span(),
            "#[phial::main] on an app function takes no settings: set the app up in the \
             function, as in `App::new().template_folder(...)`",
        ))
    } else {
        app_function(&function)
    }
}

/// `async fn main() {}`: serve every handler of the module (the binary's
/// root: the whole binary), on an app with `settings` (method calls).
fn main_alone(function: &ItemFn, settings: &[TokenStream]) -> syn::Result<TokenStream> {
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
            ::phial::__private::run_main(
                ::phial::App::new() #(#settings)* .discover(::core::module_path!())
            )
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

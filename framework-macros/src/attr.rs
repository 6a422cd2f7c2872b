//! Parsing the attribute's arguments: `("/path", methods = ["GET", "POST"])`.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

use crate::pattern;

/// Which attribute is being expanded.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// `#[route]`: methods from the `methods` key, `GET` by default.
    Route,
    /// `#[get]`, `#[post]`, ...: one fixed method.
    Method(&'static str),
}

impl Kind {
    fn attribute_name(self) -> String {
        match self {
            Kind::Route => "route".to_owned(),
            Kind::Method(method) => method.to_ascii_lowercase(),
        }
    }
}

const KNOWN_METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

/// The checked arguments.
pub(crate) struct RouteArgs {
    pub(crate) path: LitStr,
    pub(crate) methods: Vec<String>,
}

pub(crate) fn parse(kind: Kind, tokens: TokenStream) -> syn::Result<RouteArgs> {
    let name = kind.attribute_name();
    if tokens.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            format!("expected a route pattern: #[{name}(\"/path\")]"),
        ));
    }
    let parser = |input: ParseStream| -> syn::Result<RouteArgs> {
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected a route pattern string first: #[{name}(\"/path\")]"),
            )
        })?;
        if let Err(error) = pattern::parse(&path.value()) {
            return Err(syn::Error::new(path.span(), error.to_string()));
        }
        let mut methods: Option<(Ident, Vec<String>)> = None;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match (key.to_string().as_str(), kind) {
                ("methods", Kind::Route) => {
                    if methods.is_some() {
                        return Err(syn::Error::new(
                            key.span(),
                            "`methods` specified more than once",
                        ));
                    }
                    let list = parse_methods(input)?;
                    methods = Some((key, list));
                }
                ("methods", Kind::Method(method)) => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "`#[{name}]` always answers {method}: remove `methods`, or write \
                             #[route(\"/path\", methods = [...])] for several methods"
                        ),
                    ));
                }
                (other, _) => {
                    let allowed = match kind {
                        Kind::Route => {
                            "the only key is `methods`, as in `methods = [\"GET\", \"POST\"]`"
                        }
                        Kind::Method(_) => "it takes the route pattern only",
                    };
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown key `{other}` in #[{name}]: {allowed}"),
                    ));
                }
            }
        }
        let methods = match (kind, methods) {
            (Kind::Method(method), _) => vec![method.to_owned()],
            (Kind::Route, Some((_, list))) => list,
            (Kind::Route, None) => vec!["GET".to_owned()],
        };
        Ok(RouteArgs { path, methods })
    };
    parser.parse2(tokens)
}

fn parse_methods(input: ParseStream) -> syn::Result<Vec<String>> {
    let content;
    let bracket = syn::bracketed!(content in input);
    let literals = Punctuated::<MethodLit, Token![,]>::parse_terminated(&content)?;
    if literals.is_empty() {
        return Err(syn::Error::new(
            bracket.span.join(),
            "`methods` is empty: list at least one, as in `methods = [\"GET\"]`",
        ));
    }
    let mut methods: Vec<String> = Vec::new();
    for MethodLit(literal) in literals {
        let method = literal.value().to_ascii_uppercase();
        if !KNOWN_METHODS.contains(&method.as_str()) {
            return Err(syn::Error::new(
                literal.span(),
                format!(
                    "unknown HTTP method `{}`: expected one of {}",
                    literal.value(),
                    KNOWN_METHODS.join(", ")
                ),
            ));
        }
        if methods.contains(&method) {
            return Err(syn::Error::new(
                literal.span(),
                format!("`{method}` is listed more than once"),
            ));
        }
        methods.push(method);
    }
    Ok(methods)
}

/// A method name in `methods = [...]`, which must be a string literal.
struct MethodLit(LitStr);

impl Parse for MethodLit {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(MethodLit(input.parse()?));
        }
        let span = input.span();
        let found: TokenStream = input
            .parse::<syn::Expr>()
            .map_or_else(|_| TokenStream::new(), |e| quote::quote!(#e));
        Err(syn::Error::new(
            span,
            format!("expected a method name in quotes, as in \"GET\" (found `{found}`)"),
        ))
    }
}

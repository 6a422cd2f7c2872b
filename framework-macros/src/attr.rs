//! Parsing the attribute's arguments: `("/path", methods = ["GET", "POST"])`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
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
    /// The attribute's name, as the user wrote it: `route`, `get`, ...
    fn attribute_name(self) -> String {
        match self {
            Kind::Route => "route".to_owned(),
            Kind::Method(method) => method.to_ascii_lowercase(),
        }
    }
}

/// The methods `methods = [...]` accepts, in the order error messages list them.
const KNOWN_METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

/// The checked arguments.
pub(crate) struct RouteArgs {
    /// The route pattern, already checked by the shared pattern parser.
    pub(crate) path: LitStr,
    /// The methods, upper case, no repeats, at least one.
    pub(crate) methods: Vec<String>,
}

/// Parses and checks the attribute's arguments for `kind`.
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
        let mut methods: Option<Vec<String>> = None;
        while !input.is_empty() {
            if !input.peek(Token![,]) {
                return Err(input.error(format!(
                    "expected `,` then a key, as in #[{name}(\"/path\", methods = [\"GET\"])]"
                )));
            }
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key = parse_key(input, kind)?;
            match (key.to_string().as_str(), kind) {
                ("methods", Kind::Route) => {}
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
            if methods.is_some() {
                return Err(syn::Error::new(
                    key.span(),
                    "`methods` specified more than once",
                ));
            }
            if !input.peek(Token![=]) {
                return Err(syn::Error::new(
                    key.span(),
                    "`methods` needs a value: write `methods = [\"GET\", \"POST\"]`",
                ));
            }
            input.parse::<Token![=]>()?;
            methods = Some(parse_methods(input)?);
        }
        let methods = match (kind, methods) {
            (Kind::Method(method), _) => vec![method.to_owned()],
            (Kind::Route, Some(list)) => list,
            (Kind::Route, None) => vec!["GET".to_owned()],
        };
        Ok(RouteArgs { path, methods })
    };
    parser.parse2(tokens)
}

/// A key such as `methods`; a string here is most likely a method written
/// where the list belongs.
fn parse_key(input: ParseStream, kind: Kind) -> syn::Result<Ident> {
    if let Ok(literal) = input.fork().parse::<LitStr>() {
        let method = literal.value().to_ascii_uppercase();
        let message = match kind {
            Kind::Route => format!("methods go in a list: write `methods = [\"{method}\"]`"),
            Kind::Method(_) => format!(
                "#[{}] takes the route pattern only: for several methods write \
                 #[route(\"/path\", methods = [\"{method}\", ...])]",
                kind.attribute_name()
            ),
        };
        return Err(syn::Error::new(literal.span(), message));
    }
    Ident::parse_any(input).map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected a key after the pattern, as in `methods = [\"GET\"]`",
        )
    })
}

/// Parses the list in `methods = [...]`: known methods, any case, no repeats.
fn parse_methods(input: ParseStream) -> syn::Result<Vec<String>> {
    if !input.peek(syn::token::Bracket) {
        let suggestion = match input.fork().parse::<LitStr>() {
            Ok(literal) => format!("[\"{}\"]", literal.value().to_ascii_uppercase()),
            Err(_) => "[\"GET\", \"POST\"]".to_owned(),
        };
        return Err(input.error(format!(
            "`methods` takes a list in brackets: write `methods = {suggestion}`"
        )));
    }
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
        // `GET` or `Method::GET`: suggest the same name in quotes.
        let suggestion = match input.parse::<syn::Expr>() {
            Ok(syn::Expr::Path(path)) => path
                .path
                .segments
                .last()
                .map(|segment| segment.ident.to_string().to_ascii_uppercase()),
            _ => None,
        };
        let message = match suggestion {
            Some(method) => format!("write the method name in quotes: \"{method}\""),
            None => "expected a method name in quotes, as in \"GET\"".to_owned(),
        };
        Err(syn::Error::new(span, message))
    }
}

//! `url_for!`: building a route's URL, checked at compile time.
//!
//! `#[route]` emits, beside each handler struct, a `macro_rules!` macro of
//! the same name (macros live in their own namespace) that forwards to
//! [`expand`] with what it knows: the handler's name, its pattern and the
//! type each variable takes. `url_for!(show_user, id = 42)` invokes that
//! macro, so an unknown handler is an unknown macro, and this module checks
//! the arguments: every variable given once with a value of its type,
//! anything else a query argument.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{bracketed, Expr, Ident, LitStr, Token};

use crate::pattern::{self, Converter, Segment};
use crate::signature::Argument;

/// What `#[route]` tells the URL builder about one route variable.
struct Variable {
    kind: Ident,
    ty: Option<Ident>,
}

impl Parse for Variable {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.parse::<Ident>()?;
        input.parse::<Token![:]>()?;
        let kind = input.parse()?;
        let ty = if input.peek(Ident) {
            Some(input.parse()?)
        } else {
            None
        };
        Ok(Self { kind, ty })
    }
}

/// `name = value` in a `url_for!` call.
struct NamedValue {
    name: Ident,
    value: Expr,
}

impl Parse for NamedValue {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse().map_err(|error| {
            syn::Error::new(
                error.span(),
                "url_for! takes the handler, then `name = value` pairs, as in `url_for!(show_user, id = 42)`",
            )
        })?;
        input
            .parse::<Token![=]>()
            .map_err(|error| syn::Error::new(error.span(), format!("expected `{name} = value`")))?;
        let value = input.parse()?;
        Ok(Self { name, value })
    }
}

/// One route of the handler: its pattern and what its variables take.
struct Rule {
    pattern: LitStr,
    variables: Vec<Variable>,
}

/// The input `#[route]`'s generated macro passes on.
struct Input {
    handler: Ident,
    /// The handler as the `url_for!` call wrote it, for error spans.
    written: TokenStream,
    /// The handler's routes: one, or several when route attributes are
    /// stacked on its function.
    rules: Vec<Rule>,
    arguments: Punctuated<NamedValue, Token![,]>,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let handler = input.parse()?;
        let mut rules = Vec::new();
        while input.peek(LitStr) {
            let pattern = input.parse()?;
            let content;
            bracketed!(content in input);
            let variables = Punctuated::<Variable, Token![,]>::parse_terminated(&content)?
                .into_iter()
                .collect();
            rules.push(Rule { pattern, variables });
        }
        if rules.is_empty() {
            return Err(input.error("expected the handler's route patterns"));
        }
        let written;
        bracketed!(written in input);
        let written = written.parse()?;
        input.parse::<Option<Token![,]>>()?;
        let arguments = Punctuated::parse_terminated(input)?;
        Ok(Self {
            handler,
            written,
            rules,
            arguments,
        })
    }
}

impl Input {
    /// The route to build, as Flask picks it: of those whose variables
    /// are all given, the one with the most; the first route when none
    /// fits (its missing variables are then reported).
    fn rule(&self) -> &Rule {
        let given = |name: &str| {
            self.arguments.iter().any(|argument| {
                let written = argument.name.to_string();
                written.strip_prefix("r#").unwrap_or(&written) == name
            })
        };
        let fits = |rule: &&Rule| {
            pattern::parse(&rule.pattern.value())
                .is_ok_and(|parsed| parsed.variables().all(|(name, _)| given(name)))
        };
        let count = |rule: &&Rule| {
            pattern::parse(&rule.pattern.value()).map_or(0, |parsed| parsed.variables().count())
        };
        let mut best: Option<&Rule> = None;
        for rule in self.rules.iter().filter(fits) {
            if best.is_none_or(|best| count(&rule) > count(&best)) {
                best = Some(rule);
            }
        }
        best.unwrap_or(&self.rules[0])
    }
}

/// The descriptor list `#[route]` writes into its macro: each variable of
/// the pattern with the kind of value it takes.
pub(crate) fn describe(pattern: &pattern::Pattern<'_>, arguments: &[Argument]) -> TokenStream {
    let mut described = Vec::new();
    for (index, (name, converter)) in pattern.variables().enumerate() {
        let name = format_ident!("{}", name);
        let ty = arguments
            .iter()
            .find_map(|argument| match argument.variable() {
                Some((i, ty)) if i == index => crate::signature::last_ident(ty),
                _ => None,
            });
        described.push(match converter {
            Converter::String => quote!(#name: text),
            Converter::Path => quote!(#name: path),
            Converter::Uuid => quote!(#name: uuid),
            Converter::Int | Converter::Float => {
                let ty = format_ident!("{}", ty.unwrap_or_else(|| "u64".to_owned()));
                quote!(#name: number #ty)
            }
        });
    }
    quote!([#(#described),*])
}

/// The argument that asks for an absolute URL, as Flask's `_external`.
const EXTERNAL: &str = "_external";

/// Expands the forwarded `url_for!` call into code that builds the URL.
pub(crate) fn expand(tokens: TokenStream) -> TokenStream {
    match syn::parse2::<Input>(tokens).and_then(|input| build(&input)) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn build(input: &Input) -> syn::Result<TokenStream> {
    let handler = &input.handler;
    let rule = input.rule();
    let pattern_text = rule.pattern.value();
    let parsed = pattern::parse(&pattern_text)
        .map_err(|error| syn::Error::new(rule.pattern.span(), error.to_string()))?;

    let mut errors: Option<syn::Error> = None;
    let mut push_error = |error: syn::Error| match &mut errors {
        Some(errors) => errors.combine(error),
        None => errors = Some(error),
    };
    let mut seen: Vec<String> = Vec::new();
    for argument in &input.arguments {
        let name = argument.name.to_string();
        if seen.contains(&name) {
            push_error(syn::Error::new(
                argument.name.span(),
                format!("`{name}` is given more than once"),
            ));
        }
        seen.push(name);
    }

    let mut statements = Vec::new();
    let mut variable_index = 0;
    for segment in &parsed.segments {
        statements.push(quote!(__phial_url.push('/');));
        match segment {
            Segment::Static(text) => {
                statements
                    .push(quote!(::phial::__private::url::push_segment(&mut __phial_url, #text);));
            }
            Segment::Var { name, .. } => {
                let variable = rule.variables.get(variable_index);
                variable_index += 1;
                let Some(argument) = input.arguments.iter().find(|a| a.name == name) else {
                    push_error(syn::Error::new_spanned(
                        &input.written,
                        format!(
                            "url_for!({handler}, ...) is missing the route variable `{name}` of \"{pattern_text}\": \
                             add `{name} = ...`"
                        ),
                    ));
                    continue;
                };
                statements.push(push_variable(variable, &argument.value));
            }
        }
    }
    if parsed.segments.is_empty() || parsed.trailing_slash {
        statements.push(quote!(__phial_url.push('/');));
    }
    // `_external = true`: the scheme and host first, as Flask's.
    let external = input
        .arguments
        .iter()
        .find(|argument| argument.name == EXTERNAL)
        .map(|argument| &argument.value);
    let query: Vec<TokenStream> = input
        .arguments
        .iter()
        .filter(|argument| argument.name != EXTERNAL)
        .filter(|argument| !parsed.variables().any(|(name, _)| argument.name == name))
        .map(|argument| {
            let name = argument.name.to_string();
            let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
            let value = &argument.value;
            let text = quote_spanned!(value.span()=> ::std::string::ToString::to_string(&#value));
            quote!((#name, #text))
        })
        .collect();
    if let Some(errors) = errors {
        return Err(errors);
    }
    let query = (!query.is_empty())
        .then(|| quote!(::phial::__private::url::push_query(&mut __phial_url, &[#(#query),*]);));
    // The handler's type finds the prefix of the blueprint it is mounted
    // in, in the app answering the request.
    let handler_type = &input.written;
    let start = match external {
        Some(value) => {
            let flag = quote_spanned!(value.span()=> { let __phial_external: bool = #value; __phial_external });
            quote!(::phial::__private::url::mounted_external::<#handler_type>(#flag))
        }
        None => quote!(::phial::__private::url::mounted::<#handler_type>()),
    };
    Ok(quote! {{
        let mut __phial_url = #start;
        #(#statements)*
        #query
        __phial_url
    }})
}

/// Code that checks `value` against the variable's type and appends it.
fn push_variable(variable: Option<&Variable>, value: &Expr) -> TokenStream {
    let kind = variable.map(|v| v.kind.to_string()).unwrap_or_default();
    match (kind.as_str(), variable.and_then(|v| v.ty.as_ref())) {
        ("number", Some(ty)) => quote! {
            {
                let __phial_value: #ty = #value;
                ::phial::__private::url::push_segment(
                    &mut __phial_url,
                    &::std::string::ToString::to_string(&__phial_value),
                );
            }
        },
        ("uuid", _) => quote! {
            {
                let __phial_value: ::phial::Uuid = #value;
                ::phial::__private::url::push_segment(
                    &mut __phial_url,
                    &::std::string::ToString::to_string(&__phial_value),
                );
            }
        },
        ("path", _) => {
            let text = as_str(value);
            quote!(::phial::__private::url::push_path(&mut __phial_url, #text);)
        }
        _ => {
            let text = as_str(value);
            quote!(::phial::__private::url::push_segment(&mut __phial_url, #text);)
        }
    }
}

/// `value` as a `&str`, spanned on the value so a type error points at it.
fn as_str(value: &Expr) -> TokenStream {
    quote_spanned!(value.span()=> ::core::convert::AsRef::<str>::as_ref(&#value))
}

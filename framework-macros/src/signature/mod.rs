//! Checking the handler's signature against its route pattern: every route
//! variable has a parameter of a type its converter can produce, and every
//! other parameter is the `&Request` or an extractor (a type implementing
//! `phial::extract::FromRequest`). A parameter of a route variable's type
//! (`&str`, `String`, numbers, `Uuid`) must name a variable, so a typo
//! stays a compile error rather than becoming an extractor. What kind of
//! function a handler may be is checked in `function_kind.rs`; what the
//! macro knows about types is in `types.rs`.

mod function_kind;
mod types;

use syn::{FnArg, ItemFn, LitStr, Pat, PatType, Type};

use crate::pattern::{self, Converter};
use function_kind::check_function_kind;
use types::{converter_produces, example_type, expected_types, is_variable_type};
pub(crate) use types::{last_ident, tokens_text};

/// How the generated code fills one parameter.
pub(crate) enum Argument {
    /// The `&Request`.
    Request,
    /// Route variable number `index`, converted to `ty`.
    Variable { index: usize, ty: Box<Type> },
    /// A type built by `phial::extract::FromRequest`; `parameter` is the
    /// pattern as written, for the start check's messages.
    Extractor { parameter: String, ty: Box<Type> },
    /// An `Option` parameter of stacked routes, in a route that has its
    /// variable: `Some` of what fills it there.
    Present(Box<Argument>),
    /// An `Option` parameter of stacked routes, in a route that lacks its
    /// variable: `None`.
    Absent,
}

impl Argument {
    /// The route variable's index and type, if a route variable fills it.
    pub(crate) fn variable(&self) -> Option<(usize, &Type)> {
        match self {
            Argument::Variable { index, ty } => Some((*index, ty)),
            Argument::Present(inner) => inner.variable(),
            _ => None,
        }
    }
}

/// Errors gathered while checking, so the user sees all of them at once.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    /// Adds `error` to the ones already found.
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }
}

/// The pattern's route variables, for matching parameters by name.
struct Variables<'a> {
    /// The pattern as written, for messages.
    text: &'a str,
    /// Each variable's name and converter, in pattern order.
    list: Vec<(&'a str, Converter)>,
}

impl Variables<'_> {
    /// The variable as the user wrote it: `<name>` or `<int:name>`.
    fn written(&self, index: usize) -> String {
        let (name, converter) = self.list[index];
        if self.text.contains(&format!("<{name}>")) {
            format!("<{name}>")
        } else {
            format!("<{}:{name}>", converter.name())
        }
    }
}

/// Maps each parameter of `function` to what fills it.
pub(crate) fn check(function: &ItemFn, path: &LitStr) -> syn::Result<Vec<Argument>> {
    let signature = &function.sig;
    let mut errors = Errors::default();
    check_function_kind(function, &mut errors);
    let text = path.value();
    let pattern = pattern::parse(&text).map_err(|e| syn::Error::new(path.span(), e.to_string()))?;
    let variables = Variables {
        text: &text,
        list: pattern.variables().collect(),
    };
    let generic_types: Vec<&syn::Ident> = signature
        .generics
        .type_params()
        .map(|param| &param.ident)
        .collect();
    let mut used = vec![false; variables.list.len()];
    let mut arguments = Vec::new();
    let mut has_request = false;
    let mut unreadable_pattern = false;
    for input in &signature.inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                errors.push(syn::Error::new_spanned(
                    receiver,
                    "route handlers are free functions: they can't take `self`; \
                     move the handler out of the `impl` block",
                ));
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        if let Some(request) = request_parameter(typed, has_request) {
            match request {
                Ok(()) => arguments.push(Argument::Request),
                Err(error) => errors.push(error),
            }
            has_request = true;
            continue;
        }
        // A generic parameter's type is already reported with the generics.
        let generic = matches!(&*typed.ty, Type::Path(path)
            if generic_types.iter().any(|name| path.path.is_ident(*name)));
        let name = match &*typed.pat {
            Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                ident.ident.to_string()
            }
            // `Form(login): Form<Login>`: an extractor, destructured.
            Pat::TupleStruct(_) | Pat::Struct(_) if !is_variable_type(&typed.ty) => {
                if !generic {
                    arguments.push(Argument::Extractor {
                        parameter: tokens_text(&typed.pat),
                        ty: typed.ty.clone(),
                    });
                }
                continue;
            }
            other => {
                unreadable_pattern = true;
                errors.push(syn::Error::new_spanned(
                    other,
                    "a route variable's parameter must be a plain name, as in `id: u32`: \
                     destructure it inside the function",
                ));
                continue;
            }
        };
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let Some(index) = variables.list.iter().position(|(var, _)| *var == name) else {
            if is_variable_type(&typed.ty) || generic {
                errors.push(unknown_parameter(typed, &name, &variables));
            } else {
                arguments.push(Argument::Extractor {
                    parameter: name,
                    ty: typed.ty.clone(),
                });
            }
            continue;
        };
        used[index] = true;
        if generic {
            continue;
        }
        if let Err(error) = check_type(&typed.ty, &variables, index) {
            errors.push(error);
            continue;
        }
        arguments.push(Argument::Variable {
            index,
            ty: typed.ty.clone(),
        });
    }
    // A destructuring pattern may bind anything: don't guess which variable.
    if !unreadable_pattern {
        for (index, (name, converter)) in variables.list.iter().enumerate() {
            if !used[index] {
                errors.push(syn::Error::new(
                    path.span(),
                    format!("unused route variable `{name}`"),
                ));
                errors.push(syn::Error::new(
                    signature.paren_token.span.join(),
                    format!(
                        "expected an argument named `{name}`, as in `{name}: {}`",
                        example_type(*converter)
                    ),
                ));
            }
        }
    }
    match errors.0 {
        Some(errors) => Err(errors),
        None => Ok(arguments),
    }
}

/// `Some` when `typed` is meant to be the request (a parameter whose type
/// is named `Request`): `Ok` if it is a well-formed `&Request`.
fn request_parameter(typed: &PatType, already_have_one: bool) -> Option<syn::Result<()>> {
    let (reference, ty) = match &*typed.ty {
        Type::Reference(reference) => (Some(reference), &*reference.elem),
        other => (None, other),
    };
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() || path.path.segments.last()?.ident != "Request" {
        return None;
    }
    let error = |message: &str| Some(Err(syn::Error::new_spanned(&typed.ty, message)));
    let Some(reference) = reference else {
        return error("take the request by reference: write `&Request`");
    };
    if reference.mutability.is_some() {
        return error("take the request as `&Request`: handlers can't change it");
    }
    if matches!(&reference.lifetime, Some(lifetime) if lifetime.ident != "_") {
        return error("write `&Request`: the request lives only as long as the call");
    }
    if already_have_one {
        return Some(Err(syn::Error::new_spanned(
            typed,
            "the request is already a parameter: take `&Request` once",
        )));
    }
    Some(Ok(()))
}

/// The error for a parameter that names no route variable.
fn unknown_parameter(typed: &PatType, name: &str, variables: &Variables) -> syn::Error {
    let listed = if variables.list.is_empty() {
        "it has none".to_owned()
    } else {
        let names: Vec<String> = (0..variables.list.len())
            .map(|i| format!("`{}`", variables.written(i)))
            .collect();
        format!("it has {}", names.join(", "))
    };
    syn::Error::new_spanned(
        &typed.pat,
        format!(
            "`{name}` is not a variable of the route \"{}\" ({listed}): \
             add `<{name}>` to the pattern, or take `&Request` to read the request \
             (a `&str`, `String`, number or `Uuid` parameter is a route variable)",
            variables.text
        ),
    )
}

/// Checks that the converter of variable `index` can produce `ty`.
fn check_type(ty: &Type, variables: &Variables, index: usize) -> syn::Result<()> {
    let converter = variables.list[index].1;
    let written = variables.written(index);
    if let Type::Reference(reference) = ty {
        let borrows_str = last_ident(&reference.elem).as_deref() == Some("str");
        if borrows_str && matches!(converter, Converter::String | Converter::Path) {
            if reference.mutability.is_some() {
                return Err(syn::Error::new_spanned(
                    ty,
                    format!("`{written}` is read-only text: write `&str` or `String`"),
                ));
            }
            if matches!(&reference.lifetime, Some(lifetime) if lifetime.ident != "_") {
                return Err(syn::Error::new_spanned(
                    ty,
                    format!(
                        "`{written}` borrows from the request: write `&str` (no lifetime), \
                         or `String` to own the text"
                    ),
                ));
            }
            return Ok(());
        }
    }
    if converter_produces(converter, ty) {
        return Ok(());
    }
    Err(syn::Error::new_spanned(
        ty,
        format!(
            "`{written}` can't produce this type: {}",
            expected_types(converter)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many arguments `check` finds, or its messages, one a line.
    pub(super) fn check_source(pattern: &str, function: &str) -> Result<usize, String> {
        let function: ItemFn = syn::parse_str(function).unwrap();
        let path = LitStr::new(pattern, proc_macro2::Span::call_site());
        check(&function, &path)
            .map(|arguments| arguments.len())
            .map_err(|error| {
                error
                    .into_iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
    }

    #[test]
    fn accepts_request_and_variables_in_any_order() {
        let source = "fn f(b: String, r: &Request, a: u8) {}";
        assert_eq!(check_source("/<int:a>/<b>", source), Ok(3));
    }

    #[test]
    fn reports_every_problem_at_once() {
        let errors = check_source("/<int:a>/<b>", "fn f(a: String, c: u8) {}").unwrap_err();
        assert!(errors.contains("`<int:a>` can't produce"), "{errors}");
        assert!(errors.contains("`c` is not a variable"), "{errors}");
        assert!(errors.contains("unused route variable `b`"), "{errors}");
    }

    #[test]
    fn other_types_are_extractors_but_variable_types_must_name_a_variable() {
        let source = "fn f(id: u8, db: &State<Db>, Json(body): Json<T>, q: Query<Q>) {}";
        assert_eq!(check_source("/<int:id>", source), Ok(4));
        let errors = check_source("/<name>", "fn f(nme: &str) {}").unwrap_err();
        assert!(errors.contains("`nme` is not a variable"), "{errors}");
        let errors = check_source("/", "fn f(count: u32) {}").unwrap_err();
        assert!(errors.contains("`count` is not a variable"), "{errors}");
        let errors = check_source("/", "fn f((a, b): (Json<A>, Json<B>)) {}").unwrap_err();
        assert!(errors.contains("plain name"), "{errors}");
    }

    #[test]
    fn refuses_borrowed_text_with_a_named_lifetime() {
        let errors = check_source("/<a>", "fn f(a: &'static str) {}").unwrap_err();
        assert!(errors.contains("borrows from the request"), "{errors}");
    }
}

//! Checking the handler's signature against its route pattern: every route
//! variable has a parameter of a type its converter can produce, and every
//! parameter is a route variable or the `&Request`.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Pat, Type};

use crate::pattern::{self, Converter};

/// How the generated code fills one parameter.
pub(crate) enum Argument {
    /// The `&Request`.
    Request,
    /// Route variable number `index`, converted to `ty`.
    Variable { index: usize, ty: Box<Type> },
}

/// Maps each parameter of `function` to what fills it.
pub(crate) fn check(function: &ItemFn, path: &LitStr) -> syn::Result<Vec<Argument>> {
    let signature = &function.sig;
    if !signature.generics.params.is_empty() {
        return Err(syn::Error::new(
            signature.generics.span(),
            "route handlers can't be generic: name concrete types",
        ));
    }
    let pattern_text = path.value();
    let pattern = pattern::parse(&pattern_text)
        .map_err(|error| syn::Error::new(path.span(), error.to_string()))?;
    let variables: Vec<(&str, Converter)> = pattern.variables().collect();
    let mut used = vec![false; variables.len()];
    let mut arguments = Vec::new();
    let mut errors: Option<syn::Error> = None;
    let mut push_error = |error: syn::Error| match &mut errors {
        Some(errors) => errors.combine(error),
        None => errors = Some(error),
    };
    let mut has_request = false;
    for input in &signature.inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                push_error(syn::Error::new(
                    receiver.span(),
                    "route handlers are free functions: they can't take `self`",
                ));
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        if let Some(mutable) = request_reference(&typed.ty) {
            if mutable {
                push_error(syn::Error::new(
                    typed.ty.span(),
                    "take the request as `&Request`: handlers can't change it",
                ));
            } else if has_request {
                push_error(syn::Error::new(
                    typed.span(),
                    "the request is already a parameter: take `&Request` once",
                ));
            }
            has_request = true;
            arguments.push(Argument::Request);
            continue;
        }
        let name = match &*typed.pat {
            Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                ident.ident.to_string()
            }
            other => {
                push_error(syn::Error::new(
                    other.span(),
                    "route variable parameters must be plain names, as in `id: u32`",
                ));
                continue;
            }
        };
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let Some(index) = variables.iter().position(|(var, _)| *var == name) else {
            push_error(unknown_parameter(
                typed.pat.span(),
                &name,
                &variables,
                &pattern_text,
            ));
            continue;
        };
        used[index] = true;
        let converter = variables[index].1;
        if !converter_produces(converter, &typed.ty) {
            push_error(syn::Error::new(
                typed.ty.span(),
                format!(
                    "`<{}:{name}>` can't produce this type: {}",
                    converter.name(),
                    expected_types(converter)
                ),
            ));
            continue;
        }
        arguments.push(Argument::Variable {
            index,
            ty: typed.ty.clone(),
        });
    }
    for (index, (name, _)) in variables.iter().enumerate() {
        if !used[index] {
            push_error(syn::Error::new(
                path.span(),
                format!("unused route variable `{name}`"),
            ));
            push_error(syn::Error::new(
                signature.paren_token.span.join(),
                format!(
                    "expected an argument named `{name}`, as in `{name}: {}`",
                    example_type(variables[index].1)
                ),
            ));
        }
    }
    match errors {
        Some(errors) => Err(errors),
        None => Ok(arguments),
    }
}

fn unknown_parameter(
    span: Span,
    name: &str,
    variables: &[(&str, Converter)],
    pattern: &str,
) -> syn::Error {
    let listed = if variables.is_empty() {
        "it has none".to_owned()
    } else {
        let names: Vec<String> = variables.iter().map(|(v, _)| format!("`{v}`")).collect();
        format!("it has {}", names.join(", "))
    };
    syn::Error::new(
        span,
        format!(
            "`{name}` is not a variable of the route \"{pattern}\" ({listed}): \
             add `<{name}>` to the pattern, or take `&Request` to read the request"
        ),
    )
}

/// `Some(is_mut)` when `ty` is a reference to a type named `Request`.
fn request_reference(ty: &Type) -> Option<bool> {
    let Type::Reference(reference) = ty else {
        return None;
    };
    let Type::Path(path) = &*reference.elem else {
        return None;
    };
    let last = path.path.segments.last()?;
    (last.ident == "Request").then_some(reference.mutability.is_some())
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            last.arguments.is_none().then(|| last.ident.to_string())
        }
        Type::Group(group) => last_ident(&group.elem),
        Type::Paren(paren) => last_ident(&paren.elem),
        _ => None,
    }
}

const INTEGERS: [&str; 12] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
];

fn converter_produces(converter: Converter, ty: &Type) -> bool {
    let is_text = match ty {
        Type::Reference(reference) => {
            reference.mutability.is_none() && last_ident(&reference.elem).as_deref() == Some("str")
        }
        _ => last_ident(ty).as_deref() == Some("String"),
    };
    let ident = last_ident(ty);
    let ident = ident.as_deref().unwrap_or("");
    match converter {
        Converter::String | Converter::Path => is_text,
        Converter::Int => INTEGERS.contains(&ident),
        Converter::Float => matches!(ident, "f32" | "f64"),
        Converter::Uuid => ident == "Uuid",
    }
}

fn expected_types(converter: Converter) -> &'static str {
    match converter {
        Converter::String | Converter::Path => "use `&str` or `String`",
        Converter::Int => "use an integer type such as `u32`, `i64` or `usize`",
        Converter::Float => "use `f64` or `f32`",
        Converter::Uuid => "use `phial::Uuid`",
    }
}

fn example_type(converter: Converter) -> &'static str {
    match converter {
        Converter::String | Converter::Path => "&str",
        Converter::Int => "u32",
        Converter::Float => "f64",
        Converter::Uuid => "phial::Uuid",
    }
}

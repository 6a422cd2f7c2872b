//! What the macro knows about parameter types: which ones only route
//! variables take, which each converter produces, what to suggest instead,
//! and how to write a type back as text for messages.

use syn::Type;

use crate::pattern::Converter;

/// Whether `ty` is a type only route variables have: `&str`, `String`,
/// integers, floats, `Uuid`. A parameter of such a type that names no
/// variable is a typo, not an extractor.
pub(super) fn is_variable_type(ty: &Type) -> bool {
    let ty = match ty {
        Type::Reference(reference) => &*reference.elem,
        other => other,
    };
    let ident = last_ident(ty);
    let ident = ident.as_deref().unwrap_or("");
    matches!(ident, "str" | "String" | "f32" | "f64" | "Uuid") || INTEGERS.contains(&ident)
}

/// `tokens` as written, spaced the way people write Rust: `&State<Db>`,
/// `Form(login)`.
pub(crate) fn tokens_text(tokens: &impl quote::ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let previous = out.chars().last().unwrap_or(' ');
            let next = chars.peek().copied().unwrap_or(' ');
            let glued_before = matches!(previous, '&' | '<' | '(' | '[' | ':' | '\'' | '!');
            let glued_after = matches!(next, '<' | '>' | '(' | ')' | '[' | ']' | ',' | ':');
            if glued_before || glued_after {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The last path segment's name of a plain path type like `std::string::String`.
pub(crate) fn last_ident(ty: &Type) -> Option<String> {
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

/// Every integer type `<int:...>` converts to.
const INTEGERS: [&str; 12] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
];

/// Whether `converter` produces the owned type `ty` (`&str` is checked by the caller).
pub(super) fn converter_produces(converter: Converter, ty: &Type) -> bool {
    let ident = last_ident(ty);
    let ident = ident.as_deref().unwrap_or("");
    match converter {
        Converter::String | Converter::Path => ident == "String",
        Converter::Int => INTEGERS.contains(&ident),
        Converter::Float => matches!(ident, "f32" | "f64"),
        Converter::Uuid => ident == "Uuid",
    }
}

/// What to write instead, per converter.
pub(super) fn expected_types(converter: Converter) -> &'static str {
    match converter {
        Converter::String | Converter::Path => "use `&str` or `String`",
        Converter::Int => "use an integer type such as `u32`, `i64` or `usize`",
        Converter::Float => "use `f64` or `f32`",
        Converter::Uuid => "use `phial::Uuid`",
    }
}

/// A type to suggest for a missing parameter.
pub(super) fn example_type(converter: Converter) -> &'static str {
    match converter {
        Converter::String | Converter::Path => "&str",
        Converter::Int => "u32",
        Converter::Float => "f64",
        Converter::Uuid => "phial::Uuid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse::Parser;
    use syn::Pat;

    #[test]
    fn writes_types_as_people_do() {
        let ty: Type = syn::parse_str("&State<Db>").unwrap();
        assert_eq!(tokens_text(&ty), "&State<Db>");
        let ty: Type = syn::parse_str("phial::extract::Form<HashMap<String, u8> >").unwrap();
        assert_eq!(
            tokens_text(&ty),
            "phial::extract::Form<HashMap<String, u8>>"
        );
        let pat: Pat = syn::Pat::parse_single.parse_str("Form(login)").unwrap();
        assert_eq!(tokens_text(&pat), "Form(login)");
    }
}

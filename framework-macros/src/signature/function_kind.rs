//! Refusing functions the router can't call, whatever their parameters:
//! generic, `unsafe` or variadic ones, borrowed return types, and a second
//! route attribute.

use syn::{GenericArgument, GenericParam, ItemFn, PathArguments, ReturnType, Type};

use super::Errors;

/// Refuses what the router can't call: generic, `unsafe` or variadic
/// functions, and return types that borrow.
pub(super) fn check_function_kind(function: &ItemFn, errors: &mut Errors) {
    let signature = &function.sig;
    let generics = &signature.generics;
    if !generics.params.is_empty() {
        let only_lifetimes = generics
            .params
            .iter()
            .all(|param| matches!(param, GenericParam::Lifetime(_)));
        let message = if only_lifetimes {
            "route handlers can't name lifetimes: write `&Request` and `&str` and let \
             Rust elide them"
        } else {
            "route handlers can't be generic: name concrete types, as in `id: u32`"
        };
        errors.push(syn::Error::new_spanned(generics, message));
    } else if let Some(clause) = &generics.where_clause {
        errors.push(syn::Error::new_spanned(
            clause,
            "route handlers can't have a `where` clause: remove it",
        ));
    }
    if let syn::Safety::Unsafe(unsafety) = &signature.safety {
        errors.push(syn::Error::new_spanned(
            unsafety,
            "route handlers can't be `unsafe fn`: the router has no way to uphold their \
             safety contract; remove `unsafe` and put the unsafe code in an `unsafe { }` block",
        ));
    }
    if let ReturnType::Type(_, ty) = &signature.output {
        if let Some(reference) = borrowed_reference(ty) {
            errors.push(syn::Error::new_spanned(
                reference,
                "a handler can't return data borrowed from the request or its \
                 parameters: return an owned value such as `String` \
                 (`request.path().to_owned()`), or a `&'static` one",
            ));
        }
    }
    if let Some(variadic) = &signature.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            "route handlers can't be variadic: take route variables and `&Request`",
        ));
    }
}

/// The first reference in `ty` that isn't `&'static`, looking inside
/// tuples, arrays, slices and generic arguments (`Option<&str>`).
fn borrowed_reference(ty: &Type) -> Option<&Type> {
    match ty {
        Type::Reference(reference) => match &reference.lifetime {
            Some(lifetime) if lifetime.ident == "static" => borrowed_reference(&reference.elem),
            _ => Some(ty),
        },
        Type::Paren(paren) => borrowed_reference(&paren.elem),
        Type::Group(group) => borrowed_reference(&group.elem),
        Type::Slice(slice) => borrowed_reference(&slice.elem),
        Type::Array(array) => borrowed_reference(&array.elem),
        Type::Tuple(tuple) => tuple.elems.iter().find_map(borrowed_reference),
        Type::Path(path) => path.path.segments.iter().find_map(|segment| {
            let PathArguments::AngleBracketed(arguments) = &segment.arguments else {
                return None;
            };
            arguments.args.iter().find_map(|argument| match argument {
                GenericArgument::Type(ty) => borrowed_reference(ty),
                _ => None,
            })
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::signature::tests::check_source;

    #[test]
    fn refuses_borrowed_return_types_but_not_static_ones() {
        for source in [
            "fn f(r: &Request) -> &str { todo!() }",
            "fn f(r: &Request) -> Option<&str> { todo!() }",
            "fn f(r: &Request) -> (StatusCode, &'_ [u8]) { todo!() }",
        ] {
            let errors = check_source("/", source).unwrap_err();
            assert!(errors.contains("can't return data borrowed"), "{errors}");
        }
        let source = "fn f() -> Result<&'static str, (StatusCode, &'static [u8])> { todo!() }";
        assert_eq!(check_source("/", source), Ok(0));
    }
}

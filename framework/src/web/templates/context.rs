//! `context!`: a template's variables, each any serde value.

/// Builds a template context: `context! { name, posts, count => 3 }`.
/// A bare name passes the variable of that name; `key => expr` any
/// expression. Values are anything serde serializes (numbers, text, a
/// `Vec` of your structs, an `Option`, a nested `context!`), taken by
/// reference: render the same value twice if you like.
///
/// It is minijinja's `context!`, but converting through serde, so a
/// struct deriving `Serialize` needs no wrapper.
///
/// ```
/// use phial::prelude::*;
///
/// #[derive(serde::Serialize)]
/// struct Post {
///     title: String,
/// }
///
/// #[get("/")]
/// fn index() -> Response {
///     let posts = vec![Post { title: "Hello".into() }];
///     render_template("index.html", context! { posts, count => 1 })
/// }
/// ```
#[macro_export]
macro_rules! context {
    () => {
        $crate::__private::minijinja::context! {}
    };
    ($($key:ident $(=> $value:expr)?),+ $(,)?) => {
        $crate::__private::minijinja::context! {
            $($key => $crate::__private::minijinja::Value::from(
                $crate::__private::minijinja::value::Serde(
                    &$crate::__context_value!($key $(=> $value)?)
                )
            )),+
        }
    };
}

/// `context!`'s value of one key: the variable of that name, or the
/// expression given.
#[doc(hidden)]
#[macro_export]
macro_rules! __context_value {
    ($key:ident) => {
        $key
    };
    ($key:ident => $value:expr) => {
        $value
    };
}

//! Procedural macros for [phial](https://docs.rs/phial). Use them through
//! `phial` (`use phial::prelude::*;`): this crate's output calls into it.

/// Parsing the attribute's arguments: the pattern and `methods = [...]`.
mod attr;
/// Generating the handler struct and its `Endpoint` impl (`expand/mod.rs`),
/// the `__call` body (`call.rs`) and the `url_for!` builder beside it
/// (`url_builder.rs`).
mod expand;
/// `#[phial::main]`: a `main` serving the app, its routes discovered.
mod main_fn;
/// Checking the function against the pattern: what fills each parameter
/// (`signature/mod.rs`), what kind of function a handler may be
/// (`function_kind.rs`), and what the macro knows about types (`types.rs`).
mod signature;
/// `url_for!`: checking a call against what the builder passes on, and
/// building the URL.
mod url_for;

/// The route-pattern parser shared with the runtime router.
#[allow(dead_code)]
#[path = "../../framework/src/http_core/pattern.rs"]
mod pattern;

use proc_macro::TokenStream;

/// Turns a function into a route handler for a URL pattern, answering `GET`
/// unless `methods = [...]` says otherwise.
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/user/<int:id>/<name>", methods = ["GET", "POST"])]
/// async fn user(name: &str, request: &Request, id: u32) -> String {
///     format!("{} user {id} ({name})", request.method())
/// }
///
/// let app = App::new().route(user);
/// ```
///
/// - The pattern is a string literal starting with `/`. Each variable fills
///   a whole segment: `<name>` (text without `/`), `<int:id>`, `<float:x>`,
///   `<path:rest>` (the rest of the URL, last segment only), `<uuid:id>`.
/// - Every variable binds to the parameter of the same name; its type must be
///   one the converter produces: `&str` or `String` for text and paths, any
///   integer type for `int` (a value out of range doesn't match), `f32` or
///   `f64` for `float`, `phial::Uuid` for `uuid`. An optional `&Request`
///   parameter may sit anywhere.
/// - Any other parameter is a typed argument: its type implements
///   `phial::extract::FromRequest` (`&State<T>`, `Form<T>`, `Query<T>`,
///   `Json<T>`, or the app's own), and it may be destructured
///   (`Json(body): Json<T>`). A parameter of a route variable's type
///   (`&str`, `String`, a number, `Uuid`) must name a route variable.
/// - The function may be `fn` or `async fn`, with any visibility, and returns
///   anything that implements `phial::IntoResponse`, or a `Result` (by
///   its name: `io::Result<T>` and an app's alias count) whose error is
///   any error type: an error that is no response answers as
///   `phial::Error` does, a 500 that logs it.
/// - `methods` lists method names in quotes, any case.
/// - Route attributes may be stacked, as Flask stacks `@app.route`: each
///   route calls the function. A parameter named after a variable that
///   only some of the routes have is an `Option`, `None` in the others;
///   `url_for!` builds the route with the most variables that the
///   arguments fill, as Flask does (`url_for` in templates, which goes by
///   the handler's name, builds the first route).
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/hello/")]
/// #[route("/hello/<name>")]
/// fn hello(name: Option<&str>) -> String {
///     format!("Hello, {}!", name.unwrap_or("World"))
/// }
///
/// let app = App::new().route(hello); // both routes
/// assert_eq!(url_for!(hello, name = "ann"), "/hello/ann");
/// ```
///
/// The function becomes a unit struct of the same name, with the same
/// visibility and docs, that you register with `App::route`. It can't be
/// called directly, and a `let` binding of the same name in its module is
/// refused (it would shadow the struct): keep code that several handlers
/// share in plain functions. Mistakes are compile errors that point at the
/// pattern or parameter at fault.
#[proc_macro_attribute]
pub fn route(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Route, attr.into(), item.into()).into()
}

/// `#[get("/path")]`: [`#[route]`](macro@route) for `GET` (and `HEAD`) alone.
///
/// ```
/// use phial::prelude::*;
///
/// #[get("/items/<int:id>")]
/// fn item(id: u64) -> String {
///     format!("item {id}")
/// }
///
/// let app = App::new().route(item);
/// ```
#[proc_macro_attribute]
pub fn get(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("GET"), attr.into(), item.into()).into()
}

/// Makes `main` serve the app: its handlers found without listing them
/// ([`App::discover`](../phial/struct.App.html#method.discover) for the
/// module), on tokio's multi-thread runtime, at the address given as the
/// first command-line argument, or `127.0.0.1:$PORT`, or `127.0.0.1:5000`.
/// The app needs no tokio dependency of its own.
///
/// On an empty `main`, the app is every handler of the binary:
///
/// ```no_run
/// use phial::prelude::*;
///
/// #[route("/")]
/// fn index() -> &'static str {
///     "Hello, World!"
/// }
///
/// #[phial::main]
/// async fn main() {}
/// ```
///
/// On an empty `main`, the app's folders may be set as Flask's constructor
/// sets them (`Flask(__name__, template_folder="...")`): `template_folder`,
/// `static_folder`, `static_url_path` and `instance_path`, each an
/// expression passed to the [`App`](../phial/struct.App.html) method of
/// that name (`with_instance_path` for `instance_path`):
///
/// ```no_run
/// use phial::prelude::*;
///
/// #[route("/hello/<name>")]
/// fn hello(name: &str) -> Response {
///     render_template("hello.html", context! { name })
/// }
///
/// #[phial::main(template_folder = "views", static_url_path = "/assets")]
/// async fn main() {}
/// ```
///
/// On a function that returns an [`App`](../phial/struct.App.html), the
/// app is what it sets up (state, config, blueprints, routes registered
/// by hand), plus the handlers of its module it doesn't register; the
/// function stays callable, for tests, and a `main` is generated:
///
/// ```no_run
/// use phial::prelude::*;
///
/// #[route("/")]
/// fn index() -> &'static str {
///     "Hello, World!"
/// }
///
/// #[phial::main]
/// fn app() -> App {
///     App::new().secret_key([7; 32])
/// }
/// ```
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    main_fn::main(attr.into(), item.into()).into()
}

/// `#[post("/path")]`: [`#[route]`](macro@route) for `POST` alone.
///
/// ```
/// use phial::prelude::*;
///
/// #[post("/items/<int:id>")]
/// fn item(id: u64) -> String {
///     format!("item {id}")
/// }
///
/// let app = App::new().route(item);
/// ```
#[proc_macro_attribute]
pub fn post(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("POST"), attr.into(), item.into()).into()
}

/// `#[put("/path")]`: [`#[route]`](macro@route) for `PUT` alone.
///
/// ```
/// use phial::prelude::*;
///
/// #[put("/items/<int:id>")]
/// fn item(id: u64) -> String {
///     format!("item {id}")
/// }
///
/// let app = App::new().route(item);
/// ```
#[proc_macro_attribute]
pub fn put(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("PUT"), attr.into(), item.into()).into()
}

/// `#[patch("/path")]`: [`#[route]`](macro@route) for `PATCH` alone.
///
/// ```
/// use phial::prelude::*;
///
/// #[patch("/items/<int:id>")]
/// fn item(id: u64) -> String {
///     format!("item {id}")
/// }
///
/// let app = App::new().route(item);
/// ```
#[proc_macro_attribute]
pub fn patch(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("PATCH"), attr.into(), item.into()).into()
}

/// `#[delete("/path")]`: [`#[route]`](macro@route) for `DELETE` alone.
///
/// ```
/// use phial::prelude::*;
///
/// #[delete("/items/<int:id>")]
/// fn item(id: u64) -> String {
///     format!("item {id}")
/// }
///
/// let app = App::new().route(item);
/// ```
#[proc_macro_attribute]
pub fn delete(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::route(attr::Kind::Method("DELETE"), attr.into(), item.into()).into()
}

/// The second half of `phial::url_for!`: builds a route's URL from what
/// `#[route]` knew about it. Not public API.
#[doc(hidden)]
#[proc_macro]
pub fn url_for(input: TokenStream) -> TokenStream {
    url_for::expand(input.into()).into()
}

//! Templates: Jinja2 syntax through `minijinja`, loaded from the app's
//! `templates/` folder, as Flask's `render_template`, with Flask's globals
//! (`url_for`, `get_flashed_messages`, `g`, `request`, `session`).

mod context;
mod datetime;
mod globals;

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use http::StatusCode;

use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, ErrorKind, Output, State, Value};

use crate::http_core::escape::{escape, write_escaped};
use crate::http_core::pattern::{Converter, Segment};
use crate::http_core::url;

use crate::http_core::response::{error_page, Body, TEXT_HTML};
use crate::Response;

pub use datetime::{DateTime, DateTimeError};

scoped_tls::scoped_thread_local!(static TEMPLATES: Templates);

/// Sets the app's templates around each poll of a request's handling, for
/// [`render_template`] (see `crate::current`).
impl crate::web::current::Enter for &Templates {
    fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        TEMPLATES.set(self, f)
    }
}

/// The app's template environment, built on first use.
pub(crate) struct Templates {
    /// The app's folder, then each blueprint's, searched in that order.
    folders: Vec<PathBuf>,
    reload: bool,
    environment: OnceLock<Environment<'static>>,
}

impl Templates {
    fn new(folders: Vec<PathBuf>, reload: bool) -> Self {
        Self {
            folders,
            reload,
            environment: OnceLock::new(),
        }
    }

    /// The environment: templates load from the folder on first use and are
    /// cached; with `reload` (debug mode) a changed file is loaded again.
    fn environment(&self) -> &Environment<'static> {
        self.environment.get_or_init(|| {
            let mut environment = Environment::new();
            let loaders: Vec<_> = self.folders.iter().map(minijinja::path_loader).collect();
            environment.set_loader(move |name| {
                for loader in &loaders {
                    if let Some(source) = loader(name)? {
                        return Ok(Some(source));
                    }
                }
                Ok(None)
            });
            // Autoescape by extension (.html, .htm, .xml), as minijinja's
            // default, but with MarkupSafe's entities (Jinja's): the page
            // has Flask's bytes.
            environment.set_auto_escape_callback(|name| {
                if is_html(name) {
                    AutoEscape::Custom(MARKUPSAFE.into())
                } else {
                    AutoEscape::None
                }
            });
            environment.set_formatter(format_value);
            environment.set_auto_reload(self.reload);
            #[cfg(feature = "sessions")]
            environment.add_function(
                "get_flashed_messages",
                crate::web::sessions::template_flashes,
            );
            #[cfg(feature = "sessions")]
            environment.add_function("csrf_token", template_csrf_token);
            environment.add_function("url_for", url_for);
            globals::add(&mut environment);
            environment
        })
    }

    fn render(&self, name: &str, context: Value) -> Result<String, minijinja::Error> {
        self.environment().get_template(name)?.render(context)
    }
}

impl Templates {
    /// The same folders, reloading changed files or not.
    pub(crate) fn with_reload(&self, reload: bool) -> Arc<Self> {
        Arc::new(Self::new(self.folders.clone(), reload))
    }

    /// The same, with `folder` as the app's folder.
    pub(crate) fn with_app_folder(&self, folder: PathBuf) -> Arc<Self> {
        let mut folders = self.folders.clone();
        folders[0] = folder;
        Arc::new(Self::new(folders, self.reload))
    }

    /// The same, with a blueprint's `folder` searched after the others.
    pub(crate) fn with_folder(&self, folder: PathBuf) -> Arc<Self> {
        let mut folders = self.folders.clone();
        folders.push(folder);
        Arc::new(Self::new(folders, self.reload))
    }
}

impl fmt::Debug for Templates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Templates")
            .field("folders", &self.folders)
            .field("reload", &self.reload)
            .finish_non_exhaustive()
    }
}

/// `url_for("show_user", id=42, tab="posts")` in templates: the route's
/// pattern filled with the keyword arguments (percent-encoded), the others
/// as the query string. An unknown handler or a missing variable is a
/// template error naming it. `url_for('static', filename='style.css')` is
/// the app's static files. The URL comes out escaped as Jinja escapes
/// Flask's (`&amp;` between query pairs, `/` as is: `href="/1/update"`).
/// The request's [script root](crate::Request::script_root) comes first;
/// `_external=true` writes the scheme and host too
/// (`https://example.com/1/update`), as the request (or a trusted proxy)
/// gives them.
fn url_for(handler: &str, arguments: Kwargs) -> Result<Value, minijinja::Error> {
    let invalid = |message: String| minijinja::Error::new(ErrorKind::InvalidOperation, message);
    let pattern = crate::web::current::urls(|urls| urls.pattern(handler).map(str::to_owned))
        .flatten()
        .ok_or_else(|| invalid(format!("url_for: no route handler is named `{handler}`")))?;
    let parsed =
        crate::http_core::pattern::parse(&pattern).map_err(|error| invalid(error.to_string()))?;
    let external: Option<bool> = arguments.get("_external")?;
    let mut url = crate::web::current::request(|request| {
        if external == Some(true) {
            let root = request.url_root();
            root[..root.len() - 1].to_owned()
        } else {
            request.script_root().to_owned()
        }
    })
    .unwrap_or_default();
    let mut used = vec!["_external"];
    for segment in &parsed.segments {
        url.push('/');
        match segment {
            Segment::Static(text) => url::push_segment(&mut url, text),
            Segment::Var { name, converter } => {
                let value: Value = arguments.get(name).map_err(|_| {
                    invalid(format!(
                        "url_for(\"{handler}\") needs `{name}` for \"{pattern}\""
                    ))
                })?;
                used.push(*name);
                let text = value.to_string();
                if *converter == Converter::Path {
                    url::push_path(&mut url, &text);
                } else {
                    url::push_segment(&mut url, &text);
                }
            }
        }
    }
    if parsed.segments.is_empty() || parsed.trailing_slash {
        url.push('/');
    }
    let query: Vec<(&str, String)> = arguments
        .args()
        .filter(|name| !used.contains(name))
        .map(|name| {
            let value: Value = arguments.get(name).unwrap_or_default();
            (name, value.to_string())
        })
        .collect();
    url::push_query(&mut url, &query);
    arguments.assert_all_used()?;
    Ok(Value::from_safe_string(escape(&url)))
}

/// `csrf_token()` in templates: the session's CSRF token (see
/// [`csrf_token`](crate::csrf_token)).
#[cfg(feature = "sessions")]
fn template_csrf_token() -> Result<String, minijinja::Error> {
    crate::web::current::request(crate::web::sessions::csrf_token).ok_or_else(|| {
        minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "csrf_token() is only available while answering a request",
        )
    })
}

/// The autoescape mode of HTML templates: MarkupSafe's escaping.
const MARKUPSAFE: &str = "markupsafe";

/// Writes a `{{ value }}`: escaped as MarkupSafe does in HTML templates
/// (`|e` too), unless marked safe; as is elsewhere.
fn format_value(
    out: &mut Output<'_>,
    state: &mut State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let markupsafe = matches!(state.auto_escape(), AutoEscape::Custom(mode) if mode == MARKUPSAFE);
    if !markupsafe {
        return minijinja::escape_formatter(out, state, value);
    }
    match value.as_str() {
        Some(text) if value.is_safe() => out.write_str(text)?,
        Some(text) => write_escaped(out, text)?,
        None => write_escaped(out, &value.to_string())?,
    }
    Ok(())
}

/// Renders template `name` from the app's template folder (`templates/` by
/// default, see [`App::template_folder`](crate::App::template_folder)) with
/// `context`, as Flask's `render_template`.
///
/// HTML templates (`.html`, `.htm`, `.xml`) escape every interpolated value,
/// so user input can't inject markup. A missing template or a template error
/// is a `500` page and an error log line naming the file and line.
///
/// ```no_run
/// use phial::prelude::*;
///
/// #[get("/hello/<name>")]
/// fn hello(name: &str) -> Response {
///     render_template("hello.html", context! { name })
/// }
/// ```
pub fn render_template(name: &str, context: impl Into<Value>) -> Response {
    let rendered = TEMPLATES
        .is_set()
        .then(|| TEMPLATES.with(|templates| templates.render(name, context.into())));
    match rendered {
        Some(Ok(html)) => {
            let content_type = if is_html(name) {
                TEXT_HTML
            } else {
                http::HeaderValue::from_static("text/plain; charset=utf-8")
            };
            Response::from_parts(StatusCode::OK, Some(content_type), Body::from(html))
        }
        Some(Err(error)) => {
            tracing::error!("template `{name}` failed: {error:#}");
            // Carried for the debug page (its lines); logged here already.
            let mut response = error_page(StatusCode::INTERNAL_SERVER_ERROR);
            response.error = Some(Box::new(crate::Error::new(error)));
            response
        }
        None => {
            tracing::error!(
                "render_template(\"{name}\") was called outside a request handler: \
                 it renders with the app that is serving the request"
            );
            error_page(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

fn is_html(name: &str) -> bool {
    [".html", ".htm", ".xml"]
        .iter()
        .any(|extension| name.ends_with(extension))
}

/// The default template folder: `templates` in the working directory.
pub(crate) fn default_folder() -> PathBuf {
    PathBuf::from("templates")
}

pub(crate) fn shared(folder: PathBuf, reload: bool) -> Arc<Templates> {
    Arc::new(Templates::new(vec![folder], reload))
}

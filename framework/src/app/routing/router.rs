//! The route table: built once when the app is configured, then matched
//! against each request's decoded path.

use std::collections::HashMap;
use std::sync::Arc;

use super::methods::MethodSet;
use crate::app::endpoint::Endpoint;
use crate::http_core::pattern::{self, Converter, Segment};

/// One registered route, compiled.
pub(crate) struct Route {
    pub(crate) endpoint: Arc<dyn Endpoint>,
    pub(crate) methods: MethodSet,
    /// The endpoint's name: the handler's, after its blueprint's and a dot
    /// (`auth.login`) when it came with one.
    name: Box<str>,
    /// The full pattern, its blueprint's prefix included.
    pattern: Box<str>,
    /// The index of the blueprint it came with, for that blueprint's hooks.
    pub(crate) blueprint: Option<usize>,
    segments: Vec<Piece>,
    trailing_slash: bool,
}

/// Where a handler is mounted: at the app's root, or in a blueprint.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Mount<'a> {
    /// The blueprint's name (`auth`), which names its endpoints `auth.login`.
    pub(crate) name: Option<&'a str>,
    /// The blueprint's URL prefix (`/auth`), empty at the root.
    pub(crate) url_prefix: &'a str,
    /// The blueprint's index in the app.
    pub(crate) blueprint: Option<usize>,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Piece {
    Static(Box<str>),
    Var(Converter),
}

impl Route {
    /// `endpoint` for `methods` on the compiled form of `pattern`.
    fn new(
        endpoint: Arc<dyn Endpoint>,
        methods: MethodSet,
        text: &str,
        pattern: &pattern::Pattern<'_>,
        mount: Mount<'_>,
    ) -> Self {
        let handler = endpoint.__info().name;
        let name = match mount.name {
            Some(blueprint) => format!("{blueprint}.{handler}").into(),
            None => handler.into(),
        };
        Self {
            endpoint,
            methods,
            name,
            pattern: text.into(),
            blueprint: mount.blueprint,
            segments: pattern
                .segments
                .iter()
                .map(|segment| match segment {
                    Segment::Static(text) => Piece::Static((*text).into()),
                    Segment::Var { converter, .. } => Piece::Var(*converter),
                })
                .collect(),
            trailing_slash: pattern.trailing_slash,
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn pattern(&self) -> &str {
        &self.pattern
    }

    fn is_static(&self) -> bool {
        self.segments.iter().all(|p| matches!(p, Piece::Static(_)))
    }

    /// Segment weights: static before typed before string before path, so
    /// the most specific route is tried first (as Werkzeug orders rules).
    fn weights(&self) -> Vec<u8> {
        self.segments
            .iter()
            .map(|piece| match piece {
                Piece::Static(_) => 0,
                Piece::Var(converter) => 1 + converter.priority(),
            })
            .collect()
    }

    /// Matches `path` (starting with `/`); on success fills `spans` with the
    /// byte ranges of the variables.
    fn matches(&self, path: &str, spans: &mut Vec<(u32, u32)>) -> Outcome {
        spans.clear();
        let rest = &path[1..];
        let ends_in_path_var = matches!(self.segments.last(), Some(Piece::Var(Converter::Path)));
        let (body, has_slash) = match rest.strip_suffix('/') {
            Some(body) if !ends_in_path_var || self.trailing_slash => (body, true),
            _ => (rest, false),
        };
        if self.segments.is_empty() {
            return if rest.is_empty() {
                Outcome::Match
            } else {
                Outcome::No
            };
        }
        let mut offset = 1;
        let mut remaining = body;
        for (index, piece) in self.segments.iter().enumerate() {
            let last = index + 1 == self.segments.len();
            let text = if matches!(piece, Piece::Var(Converter::Path)) {
                std::mem::take(&mut remaining)
            } else {
                match remaining.split_once('/') {
                    Some((segment, tail)) if !last => {
                        remaining = tail;
                        segment
                    }
                    None if last => std::mem::take(&mut remaining),
                    _ => return Outcome::No,
                }
            };
            let accepted = match piece {
                Piece::Static(expected) => **expected == *text,
                Piece::Var(converter) => {
                    let ok = converter.accepts(text);
                    spans.push((offset as u32, (offset + text.len()) as u32));
                    ok
                }
            };
            if !accepted {
                return Outcome::No;
            }
            offset += text.len() + 1;
        }
        match (self.trailing_slash, has_slash) {
            (true, true) | (false, false) => Outcome::Match,
            (true, false) => Outcome::RedirectWithSlash,
            (false, true) => Outcome::No,
        }
    }
}

/// How `path` relates to `pattern` alone, with the spans of its variables
/// (for the fuzz targets): the route is compiled as [`Router::add`] does.
#[cfg(feature = "fuzzing")]
pub(crate) fn match_for_fuzzing(
    pattern: &pattern::Pattern<'_>,
    path: &str,
) -> (Outcome, Vec<(u32, u32)>) {
    /// A route without a handler: only its segments are used.
    struct NoHandler;
    static INFO: crate::app::endpoint::RouteInfo = crate::app::endpoint::RouteInfo {
        name: "fuzzing",
        pattern: "/",
        methods: &[],
    };
    impl Endpoint for NoHandler {
        fn __info(&self) -> &'static crate::app::endpoint::RouteInfo {
            &INFO
        }
        fn __call<'a>(
            &'a self,
            _: crate::app::extract::RequestCx<'a>,
            _: &crate::app::endpoint::RouteParams<'a>,
        ) -> Option<crate::app::endpoint::Reply<'a>> {
            None
        }
    }
    let route = Route::new(
        Arc::new(NoHandler),
        MethodSet::from_names(&["GET"]).unwrap_or_default(),
        "/",
        pattern,
        Mount::default(),
    );
    let mut spans = Vec::new();
    let outcome = route.matches(path, &mut spans);
    (outcome, spans)
}

/// `pattern` under `prefix`, as Flask joins a blueprint's `url_prefix` and
/// a rule: `/auth` and `/login` give `/auth/login`; `/auth` and `/` give
/// `/auth/`.
pub(crate) fn mounted_pattern(prefix: &str, pattern: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    format!("{prefix}{pattern}")
}

/// How one route relates to a request path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Match,
    /// The route ends in `/` and the path is the same without it.
    RedirectWithSlash,
    No,
}

/// All routes, indexed for matching.
#[derive(Clone, Default)]
pub(crate) struct Router {
    routes: Vec<Arc<Route>>,
    /// Static routes by exact path: one hash lookup, no scanning. Hashed
    /// with FNV (the `fnv` crate): the keys are the app's own patterns,
    /// fixed before the first request, so a client can't choose keys that
    /// collide (what SipHash, std's default and a third of the lookup's
    /// cost, defends against); requests only look up.
    by_path: HashMap<Box<str>, Vec<usize>, fnv::FnvBuildHasher>,
    /// Routes with variables, most specific first.
    dynamic: Vec<usize>,
}

/// What the router found for a path: the static routes of that exact
/// path, looked up at once, and the routes with variables, matched lazily
/// while [`candidates`](Self::candidates) is walked. A static route that
/// answers the method ends the walk, so it costs one hash lookup however
/// many routes with variables the app has.
pub(crate) struct Found<'r, 'p> {
    router: &'r Router,
    path: &'p str,
    statics: &'r [usize],
}

impl<'r, 'p> Found<'r, 'p> {
    /// The routes matching the path, static ones first, each with the
    /// spans of its variables in the path.
    pub(crate) fn candidates(&self) -> impl Iterator<Item = (&'r Route, Vec<(u32, u32)>)> + 'p
    where
        'r: 'p,
    {
        let routes = &self.router.routes;
        let statics = self
            .statics
            .iter()
            .map(move |&index| (&*routes[index], Vec::new()));
        let path = self.path;
        let dynamic = self.dynamic().filter_map(move |route| {
            let mut spans = Vec::new();
            (route.matches(path, &mut spans) == Outcome::Match).then_some((route, spans))
        });
        statics.chain(dynamic)
    }

    /// Whether the path lacks only a trailing slash to match a route (Flask
    /// redirects it there). Matches the routes with variables again: only
    /// asked when no route answered.
    pub(crate) fn redirect_with_slash(&self) -> bool {
        let path = self.path;
        if !path.starts_with('/') {
            return false;
        }
        let mut spans = Vec::new();
        let mut matched = !self.statics.is_empty();
        for route in self.dynamic() {
            match route.matches(path, &mut spans) {
                Outcome::Match => matched = true,
                Outcome::RedirectWithSlash => return true,
                Outcome::No => {}
            }
        }
        !matched && !path.ends_with('/') && self.router.static_route_with_slash(path)
    }

    /// The routes with variables, in matching order; none for a path that
    /// doesn't start with `/`.
    fn dynamic(&self) -> impl Iterator<Item = &'r Route> + 'r {
        let routes = &self.router.routes;
        let indices = if self.path.starts_with('/') {
            &self.router.dynamic[..]
        } else {
            &[]
        };
        indices.iter().map(move |&index| &*routes[index])
    }
}

impl Router {
    /// Adds `endpoint` where `mount` says; returns the route.
    ///
    /// # Panics
    ///
    /// If its pattern or methods are invalid (the macros prevent that), or if
    /// a route with the same pattern already answers one of its methods.
    pub(crate) fn add(&mut self, endpoint: Arc<dyn Endpoint>, mount: Mount<'_>) -> &Route {
        let info = endpoint.__info();
        let full = mounted_pattern(mount.url_prefix, info.pattern);
        let parsed = pattern::parse(&full).unwrap_or_else(|e| panic!("route `{}`: {e}", info.name));
        let names: &[&str] = if info.methods.is_empty() {
            &["GET"]
        } else {
            info.methods
        };
        let methods = MethodSet::from_names(names)
            .unwrap_or_else(|bad| panic!("route `{}`: unknown HTTP method `{bad}`", info.name));
        let route = Route::new(endpoint, methods, &full, &parsed, mount);
        for existing in &self.routes {
            if existing.segments == route.segments
                && existing.trailing_slash == route.trailing_slash
                && existing.methods.intersects(route.methods)
            {
                panic!(
                    "route conflict: `{}` ({}) and `{}` ({}) both answer {} for the same URLs; \
                     give one of them another pattern or other methods",
                    existing.name(),
                    existing.pattern(),
                    route.name(),
                    route.pattern(),
                    existing
                        .methods
                        .intersection(route.methods)
                        .to_allow_header(),
                );
            }
        }
        let index = self.routes.len();
        if route.is_static() {
            self.by_path
                .entry(full.as_str().into())
                .or_default()
                .push(index);
        } else {
            let weights = route.weights();
            let at = self
                .dynamic
                .partition_point(|&other| self.routes[other].weights() <= weights);
            self.dynamic.insert(at, index);
        }
        self.routes.push(Arc::new(route));
        &self.routes[index]
    }

    /// Every route, in registration order.
    pub(crate) fn routes(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter().map(|route| &**route)
    }

    /// The routes whose pattern matches `path`.
    pub(crate) fn find<'r, 'p>(&'r self, path: &'p str) -> Found<'r, 'p> {
        let statics = if path.starts_with('/') {
            self.by_path.get(path).map_or(&[][..], Vec::as_slice)
        } else {
            &[]
        };
        Found {
            router: self,
            path,
            statics,
        }
    }

    fn static_route_with_slash(&self, path: &str) -> bool {
        let mut with_slash = String::with_capacity(path.len() + 1);
        with_slash.push_str(path);
        with_slash.push('/');
        self.by_path.contains_key(with_slash.as_str())
    }
}

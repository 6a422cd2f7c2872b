//! The route table: built once when the app is configured, then matched
//! against each request's decoded path.

use std::collections::HashMap;
use std::sync::Arc;

use smallvec::SmallVec;

use super::methods::MethodSet;
use super::trie::{Candidates, Node, Step};
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
    /// Each route's place in `dynamic` (by route index), to put a path's
    /// candidates in that order.
    rank: Vec<u32>,
    /// The routes with variables by segment, to find a path's candidates
    /// without trying every one.
    tree: Node,
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

    /// The routes with variables that may match the path, in matching
    /// order; none for a path that doesn't start with `/`. The tree is
    /// walked on the first call to `next`, so a request answered by a
    /// static route never walks it.
    fn dynamic(&self) -> impl Iterator<Item = &'r Route> + 'p
    where
        'r: 'p,
    {
        let router = self.router;
        let path = self.path;
        std::iter::once(()).flat_map(move |()| {
            let candidates = router.dynamic_candidates(path);
            candidates
                .into_iter()
                .map(move |index| &*router.routes[index])
        })
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
            let steps = route.segments.iter().map(|piece| match piece {
                Piece::Static(text) => Step::Static(text),
                Piece::Var(converter) => Step::Var(*converter),
            });
            self.tree.insert(steps, index);
        }
        self.routes.push(Arc::new(route));
        self.rank.resize(self.routes.len(), 0);
        for (place, &other) in self.dynamic.iter().enumerate() {
            self.rank[other] = place as u32;
        }
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

    /// The routes with variables that may match `path`, in matching order.
    fn dynamic_candidates(&self, path: &str) -> Candidates {
        let mut candidates = Candidates::new();
        let Some(rest) = path.strip_prefix('/') else {
            return candidates;
        };
        // One trailing slash is the route's business (a pattern ending in
        // `/`, or a `path` variable taking it): the segments before it.
        let body = rest.strip_suffix('/').unwrap_or(rest);
        let segments: SmallVec<[&str; 8]> = body.split('/').collect();
        self.tree.collect(&segments, &mut candidates);
        candidates.sort_unstable_by_key(|&index| self.rank[index]);
        candidates.dedup();
        candidates
    }

    fn static_route_with_slash(&self, path: &str) -> bool {
        let mut with_slash = String::with_capacity(path.len() + 1);
        with_slash.push_str(path);
        with_slash.push('/');
        self.by_path.contains_key(with_slash.as_str())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::app::endpoint::{Reply, RouteInfo, RouteParams};
    use crate::app::extract::RequestCx;

    /// A handler that only has a pattern (leaked: a test's few routes).
    struct Pattern(&'static RouteInfo);

    impl Endpoint for Pattern {
        fn __info(&self) -> &'static RouteInfo {
            self.0
        }
        fn __call<'a>(&'a self, _: RequestCx<'a>, _: &RouteParams<'a>) -> Option<Reply<'a>> {
            None
        }
    }

    fn router(patterns: &[String]) -> Router {
        let mut router = Router::default();
        for (n, pattern) in patterns.iter().enumerate() {
            let info = Box::leak(Box::new(RouteInfo {
                name: Box::leak(format!("r{n}").into_boxed_str()),
                pattern: Box::leak(pattern.clone().into_boxed_str()),
                methods: &["GET"],
            }));
            // Same pattern twice (a conflict) or an invalid one: skipped, as
            // an app can't have them.
            let taken = router.routes().any(|route| route.pattern() == pattern);
            if !taken && pattern::parse(pattern).is_ok() {
                router.add(Arc::new(Pattern(info)), Mount::default());
            }
        }
        router
    }

    /// Every route with variables tried in order, as before the tree.
    fn linear(router: &Router, path: &str) -> (Vec<String>, bool) {
        let mut spans = Vec::new();
        let mut matched = Vec::new();
        let mut redirect = false;
        if path.starts_with('/') {
            for &index in &router.dynamic {
                let route = &router.routes[index];
                match route.matches(path, &mut spans) {
                    Outcome::Match => matched.push(format!("{}{spans:?}", route.name())),
                    Outcome::RedirectWithSlash => redirect = true,
                    Outcome::No => {}
                }
            }
        }
        (matched, redirect)
    }

    fn segment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["a", "b", "<x>", "<int:n>", "<path:p>", "1"])
    }

    fn pattern() -> impl Strategy<Value = String> {
        (prop::collection::vec(segment(), 1..4), any::<bool>()).prop_map(|(segments, slash)| {
            // Variables named by position: one name each, and one shape,
            // one pattern text.
            let segments: Vec<String> = segments
                .iter()
                .enumerate()
                .map(|(at, segment)| segment.replace('>', &format!("{at}>")))
                .collect();
            let mut pattern = format!("/{}", segments.join("/"));
            if slash {
                pattern.push('/');
            }
            pattern
        })
    }

    fn path() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec!["a", "b", "1", "22", "", "c"]);
        (prop::collection::vec(piece, 0..5), any::<bool>()).prop_map(|(pieces, slash)| {
            let mut path = format!("/{}", pieces.join("/"));
            if slash {
                path.push('/');
            }
            path
        })
    }

    proptest! {
        /// The tree leaves out only routes that can't match: the same
        /// routes match, in the same order, as trying every one.
        #[test]
        fn the_tree_finds_what_trying_every_route_finds(
            patterns in prop::collection::vec(pattern(), 1..12),
            paths in prop::collection::vec(path(), 1..12),
        ) {
            let router = router(&patterns);
            for path in &paths {
                let found = router.find(path);
                let (expected, _) = linear(&router, path);
                let matched: Vec<String> = found
                    .candidates()
                    .filter(|(route, _)| !route.is_static())
                    .map(|(route, spans)| format!("{}{spans:?}", route.name()))
                    .collect();
                prop_assert_eq!(&matched, &expected, "path {}", path);
            }
        }
    }
}

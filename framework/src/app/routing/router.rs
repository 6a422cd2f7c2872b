//! The route table: built once when the app is configured, then matched
//! against each request's decoded path.

use std::collections::HashMap;
use std::sync::Arc;

use smallvec::SmallVec;

use super::methods::MethodSet;
#[cfg(feature = "fuzzing")]
pub(crate) use super::route::match_for_fuzzing;
use super::route::{mounted_pattern, Piece, Route};
pub(crate) use super::route::{Mount, Outcome};
use super::trie::{Candidates, Node, Step};
use crate::app::endpoint::Endpoint;
use crate::http_core::pattern;

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

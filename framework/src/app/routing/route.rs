//! One route, compiled from its pattern, and how it matches a request
//! path (the router in `router.rs` decides which routes to try).

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
    pub(super) segments: Vec<Piece>,
    pub(super) trailing_slash: bool,
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
pub(super) enum Piece {
    Static(Box<str>),
    Var(Converter),
}

impl Route {
    /// `endpoint` for `methods` on the compiled form of `pattern`.
    pub(super) fn new(
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

    pub(super) fn is_static(&self) -> bool {
        self.segments.iter().all(|p| matches!(p, Piece::Static(_)))
    }

    /// Segment weights: static before typed before string before path, so
    /// the most specific route is tried first (as Werkzeug orders rules).
    pub(super) fn weights(&self) -> Vec<u8> {
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
    pub(super) fn matches(&self, path: &str, spans: &mut Vec<(u32, u32)>) -> Outcome {
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

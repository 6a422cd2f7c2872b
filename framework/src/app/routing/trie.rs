//! The routes with variables, by segment: a request path walks down the
//! tree one segment at a time (a hash lookup for the static child, then
//! each variable child), so finding its candidates costs the same with ten
//! routes or a thousand. Candidates are then matched exactly by the
//! router, in its order (static before typed before string before path,
//! as Werkzeug orders rules); the tree only leaves out routes that can't
//! match.

use std::collections::HashMap;

use smallvec::SmallVec;

use crate::http_core::pattern::Converter;

/// The indices of the routes a path may match (few: one per matching
/// shape of route).
pub(super) type Candidates = SmallVec<[usize; 8]>;

/// One node: the routes that end here, and where each next segment leads.
#[derive(Clone, Default)]
pub(super) struct Node {
    /// Children by the exact text of the next segment.
    statics: HashMap<Box<str>, Node, fnv::FnvBuildHasher>,
    /// Children for a variable next segment (not `path`), by converter.
    vars: Vec<(Converter, Node)>,
    /// Routes whose next piece is a `path` variable: it takes the rest of
    /// the path, however many segments.
    rest: Vec<usize>,
    /// Routes whose pattern ends here.
    here: Vec<usize>,
}

/// One piece of a route's pattern, as the tree sorts it.
pub(super) enum Step<'a> {
    /// Literal text.
    Static(&'a str),
    /// A variable with its converter.
    Var(Converter),
}

impl Node {
    /// Files route `index`, whose pattern is `steps`.
    pub(super) fn insert<'a>(&mut self, mut steps: impl Iterator<Item = Step<'a>>, index: usize) {
        let mut node = self;
        loop {
            node = match steps.next() {
                None => {
                    node.here.push(index);
                    return;
                }
                Some(Step::Var(Converter::Path)) => {
                    node.rest.push(index);
                    return;
                }
                Some(Step::Static(text)) => node.statics.entry(text.into()).or_default(),
                Some(Step::Var(converter)) => {
                    let at = match node.vars.iter().position(|(c, _)| *c == converter) {
                        Some(at) => at,
                        None => {
                            node.vars.push((converter, Node::default()));
                            node.vars.len() - 1
                        }
                    };
                    &mut node.vars[at].1
                }
            };
        }
    }

    /// Adds to `out` every route that may match a path of `segments`: a
    /// superset of the matches (converters and trailing slashes are
    /// checked by the router).
    pub(super) fn collect(&self, segments: &[&str], out: &mut Candidates) {
        out.extend_from_slice(&self.rest);
        match segments.split_first() {
            None => out.extend_from_slice(&self.here),
            Some((first, tail)) => {
                if let Some(child) = self.statics.get(*first) {
                    child.collect(tail, out);
                }
                for (_, child) in &self.vars {
                    child.collect(tail, out);
                }
            }
        }
    }
}

//! phial's layers, checked from the source: each file of `framework/src`
//! imports only from its own layer or the ones below, and no files import
//! each other in a circle. ARCHITECTURE.md describes the layers.
//!
//! A file's dependencies are read from its `crate::`, `super::` and child
//! module paths (in `use` lines and in code), resolved to the file that
//! defines the module they name. `mod` declarations and re-exports
//! (`pub use`, `pub(crate) use`) are a module's table of contents, not
//! dependencies of its code, and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first: a file may import from its own layer and the
/// ones before it. `lib.rs` (the crate's facade) and `__fuzz.rs` (fuzzing
/// entry points into every layer) are outside them.
const LAYERS: [(&str, &[&str]); 4] = [
    ("HTTP core", &["http_core"]),
    ("server", &["server"]),
    ("web", &["web"]),
    ("app", &["app"]),
];

/// Which layers each layer may import from (besides itself): the server
/// knows only the core (a service answers its requests); the web parts
/// build on the core; the app on everything.
fn may_import(from: usize, to: usize) -> bool {
    match (from, to) {
        (a, b) if a == b => true,
        (1 | 2, 0) => true,
        (3, _) => true,
        _ => false,
    }
}

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, by module path (`cookies::set`).
fn modules(root: &Path, dir: &Path, out: &mut BTreeMap<String, PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            modules(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            out.insert(parts.join("::"), path);
        }
    }
}

/// The module a path names: the longest known module that starts it.
fn resolve(modules: &BTreeMap<String, PathBuf>, path: &[&str]) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|candidate| modules.contains_key(candidate))
}

/// The code of a file without its unit tests, comments, string literals,
/// `mod` lines and re-exports.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut in_reexport = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let starts_reexport = trimmed.starts_with("pub use ")
            || trimmed.starts_with("pub(crate) use ")
            || trimmed.starts_with("pub(super) use ");
        if starts_reexport || in_reexport {
            in_reexport = !trimmed.ends_with(';');
            continue;
        }
        let is_mod = ["mod ", "pub mod ", "pub(crate) mod ", "pub(super) mod "]
            .iter()
            .any(|p| trimmed.starts_with(p) && trimmed.ends_with(';'));
        if is_mod {
            continue;
        }
        let without_comment = line.split("//").next().unwrap_or("");
        code.push_str(&strip_strings(without_comment));
        code.push('\n');
    }
    code
}

/// `line` with the contents of string literals removed.
fn strip_strings(line: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                out.push('"');
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

/// The paths `code` names from `start` (`crate::`, `super::`, a child):
/// each as its segments, following `{a, b::c}` groups one level deep.
fn paths_after(code: &str, start: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find(start) {
        let begin = from + at;
        from = begin + start.len();
        let boundary = begin == 0
            || !(bytes[begin - 1].is_ascii_alphanumeric()
                || bytes[begin - 1] == b'_'
                || bytes[begin - 1] == b':');
        if !boundary {
            continue;
        }
        let rest = &code[from..];
        let (prefix, after) = segments_with_rest(rest);
        match after
            .strip_prefix("::{")
            .or_else(|| after.strip_prefix('{').filter(|_| prefix.is_empty()))
        {
            Some(group) => {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let item = segments_of(item.trim());
                    if !item.is_empty() {
                        let mut full = prefix.clone();
                        full.extend(item);
                        found.push(full);
                    }
                }
            }
            None if !prefix.is_empty() => found.push(prefix),
            None => {}
        }
    }
    found
}

/// The leading `a::b::c` of `text`.
fn segments_of(text: &str) -> Vec<String> {
    segments_with_rest(text).0
}

/// The leading `a::b::c` of `text`, and what follows it.
fn segments_with_rest(text: &str) -> (Vec<String>, &str) {
    let mut segments = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        segments.push(rest[..end].to_owned());
        rest = &rest[end..];
        match rest.strip_prefix("::") {
            Some(next) if next.starts_with(|c: char| c.is_alphanumeric() || c == '_') => {
                rest = next;
            }
            _ => break,
        }
    }
    (segments, rest)
}

/// The names of the child modules `text` declares.
fn children(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_start)
        .filter_map(|line| {
            let line = line
                .strip_prefix("pub ")
                .or_else(|| line.strip_prefix("pub(crate) "))
                .or_else(|| line.strip_prefix("pub(super) "))
                .unwrap_or(line);
            let name = line.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.to_owned())
        })
        .collect()
}

/// The re-exports of module `own` (`pub use set::SetCookie;` in
/// `cookies`): the module each re-exported name comes from.
fn reexports(
    all: &BTreeMap<String, PathBuf>,
    own: &[&str],
    text: &str,
) -> BTreeMap<String, String> {
    let mut table = BTreeMap::new();
    let mut statement = String::new();
    for line in text.lines().map(str::trim_start) {
        let start = ["pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|prefix| line.strip_prefix(prefix));
        if let Some(rest) = start {
            statement = rest.to_owned();
        } else if !statement.is_empty() {
            statement.push_str(line);
        } else {
            continue;
        }
        if !statement.ends_with(';') {
            continue;
        }
        let body = std::mem::take(&mut statement);
        let body = body.trim_end_matches(';');
        let (base, names): (&str, Vec<&str>) = match body.split_once("::{") {
            Some((base, group)) => (base, group.trim_end_matches('}').split(',').collect()),
            None => match body.rsplit_once("::") {
                Some((base, name)) => (base, vec![name]),
                None => continue,
            },
        };
        let mut path: Vec<&str> = match base.strip_prefix("crate::") {
            Some(rest) => rest.split("::").collect(),
            None => {
                let mut path = own.to_vec();
                for segment in base.split("::") {
                    match segment {
                        "super" => {
                            path.pop();
                        }
                        "self" => {}
                        other => path.push(other),
                    }
                }
                path
            }
        };
        for name in names {
            let name = name.trim();
            let (item, alias) = match name.split_once(" as ") {
                Some((item, alias)) => (item.trim(), alias.trim()),
                None => (name, name),
            };
            if item.is_empty() || item == "self" {
                continue;
            }
            let mut full = path.clone();
            full.extend(item.split("::"));
            if let Some(target) = resolve(all, &full) {
                table.insert(alias.to_owned(), target);
            }
        }
        path.clear();
    }
    table
}

/// Each file's module dependencies (other files only).
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let root = source_root();
    let mut all = BTreeMap::new();
    modules(&root, &root, &mut all);
    let mut exported: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (module, path) in &all {
        let own: Vec<&str> = if module == "lib" {
            Vec::new()
        } else {
            module.split("::").collect()
        };
        let text = fs::read_to_string(path).unwrap();
        exported.insert(module.clone(), reexports(&all, &own, &text));
    }
    let lib = fs::read_to_string(root.join("lib.rs")).unwrap();
    // Items the crate root re-exports, by the module they come from.
    let mut root_items: BTreeMap<String, String> = BTreeMap::new();
    for path in paths_after(&lib.replace("pub use ", "pub use crate::"), "crate::") {
        let segments: Vec<&str> = path.iter().map(String::as_str).collect();
        if let (Some(last), Some(module)) = (segments.last(), resolve(&all, &segments)) {
            root_items.insert((*last).to_owned(), module);
        }
    }
    let mut graph = BTreeMap::new();
    for (module, path) in &all {
        if module == "lib" || module == "__fuzz" {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        let code = code_of(&text);
        let own: Vec<&str> = module.split("::").collect();
        // The module `super::` names.
        let parent: Vec<&str> = own[..own.len().saturating_sub(1)].to_vec();
        let mut deps = BTreeSet::new();
        let mut add = |segments: Vec<&str>| {
            let target = match resolve(&all, &segments) {
                Some(mut target) => {
                    // Follow re-exports to the file that defines the item.
                    for _ in 0..8 {
                        let depth = target.split("::").count();
                        let next = segments
                            .get(depth)
                            .and_then(|item| exported.get(&target)?.get(*item));
                        match next {
                            Some(next) if *next != target => target = next.clone(),
                            _ => break,
                        }
                    }
                    Some(target)
                }
                None => segments
                    .first()
                    .filter(|_| segments.len() == 1)
                    .and_then(|item| root_items.get(*item).cloned()),
            };
            if let Some(target) = target.filter(|target| target != module) {
                deps.insert(target);
            }
        };
        for path in paths_after(&code, "crate::") {
            add(path.iter().map(String::as_str).collect());
        }
        for path in paths_after(&code, "super::") {
            let mut base = parent.clone();
            let mut rest: Vec<&str> = path.iter().map(String::as_str).collect();
            while rest.first() == Some(&"super") {
                base.pop();
                rest.remove(0);
            }
            base.extend(rest);
            add(base);
        }
        for child in children(&text) {
            for path in paths_after(&code, &format!("{child}::")) {
                let mut full = own.clone();
                full.push(&child);
                full.extend(path.iter().map(String::as_str));
                add(full);
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

fn layer_of(module: &str) -> Option<usize> {
    let top = module.split("::").next()?;
    LAYERS
        .iter()
        .position(|(_, folders)| folders.contains(&top))
}

#[test]
fn every_file_belongs_to_a_layer() {
    let outside: Vec<String> = dependencies()
        .into_keys()
        .filter(|module| layer_of(module).is_none())
        .collect();
    assert!(
        outside.is_empty(),
        "files outside the layer folders ({}): {outside:?}",
        LAYERS.map(|(_, folders)| folders.join(", ")).join(", ")
    );
}

#[test]
fn imports_go_down_the_layers_only() {
    let mut wrong = Vec::new();
    for (module, deps) in dependencies() {
        let Some(from) = layer_of(&module) else {
            continue;
        };
        for dep in deps {
            let Some(to) = layer_of(&dep) else { continue };
            if !may_import(from, to) {
                wrong.push(format!(
                    "{module} ({}) imports {dep} ({})",
                    LAYERS[from].0, LAYERS[to].0
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

/// The circles of `graph` (its strongly connected components of more than
/// one node, by Tarjan's algorithm), each with its edges.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    // Tarjan's strongly connected components.
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        circles: Vec<Vec<&'g str>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g str) {
        let next = state.index.len();
        state.index.insert(node, next);
        state.low.insert(node, next);
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for dep in graph.get(node).into_iter().flatten() {
            let dep = dep.as_str();
            if !graph.contains_key(dep) {
                continue;
            }
            if !state.index.contains_key(dep) {
                visit(state, dep);
                let low = state.low[node].min(state.low[dep]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(dep) {
                let low = state.low[node].min(state.index[dep]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top);
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort_unstable();
                state.circles.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        circles: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state
        .circles
        .iter()
        .map(|circle| {
            let edges: Vec<String> = circle
                .iter()
                .flat_map(|from| {
                    graph[*from]
                        .iter()
                        .filter(|to| circle.contains(&to.as_str()))
                        .map(move |to| format!("{from} -> {to}"))
                })
                .collect();
            format!("{} ({})", circle.join(" <-> "), edges.join(", "))
        })
        .collect()
}

/// `graph` with each file replaced by its module: the layer's folder and
/// the next segment (`http_core::cookies` for `http_core::cookies::set`).
fn by_module(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, BTreeSet<String>> {
    let module = |file: &str| file.split("::").take(2).collect::<Vec<_>>().join("::");
    let mut grouped: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, deps) in graph {
        let from = module(file);
        let entry = grouped.entry(from.clone()).or_default();
        entry.extend(deps.iter().map(|dep| module(dep)).filter(|to| *to != from));
    }
    grouped
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let report = circles(&dependencies());
    assert!(
        report.is_empty(),
        "files that import each other in a circle:\n{}",
        report.join("\n")
    );
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let report = circles(&by_module(&dependencies()));
    assert!(
        report.is_empty(),
        "modules that import each other in a circle:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_grouping_finds_a_circle_between_modules() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a::x::one", "a::y::two"),
        ("a::y::three", "a::x::four"),
        ("a::x::four", "a::z"),
    ]
    .into_iter()
    .map(|(from, to)| (from.to_owned(), BTreeSet::from([to.to_owned()])))
    .collect();
    assert!(circles(&graph).is_empty(), "no circle between files");
    let found = circles(&by_module(&graph));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("a::x <-> a::y"), "{found:?}");
}

#[test]
fn the_reader_finds_imports() {
    let code = code_of(
        "use crate::{a::b, c};\nuse crate::h::{I, j::K};\nuse super::d::E;\n// crate::ignored\nlet x = crate::f::g(\"crate::no\");\npub use crate::reexported;\n",
    );
    let crate_paths = paths_after(&code, "crate::");
    assert_eq!(
        crate_paths,
        vec![
            vec!["a".to_owned(), "b".to_owned()],
            vec!["c".to_owned()],
            vec!["h".to_owned(), "I".to_owned()],
            vec!["h".to_owned(), "j".to_owned(), "K".to_owned()],
            vec!["f".to_owned(), "g".to_owned()],
        ]
    );
    assert_eq!(
        paths_after(&code, "super::"),
        vec![vec!["d".to_owned(), "E".to_owned()]]
    );
}

//! Lines counted as issue 16 counts them: every line a program needs
//! (`use` and `main` included), leaving out blank lines, comments,
//! docstrings and lines holding only closing delimiters, which Python
//! doesn't have. The seed app stays within 13 lines; each quickstart
//! example and flaskr within 1.3x of its Flask twin in examples/flask/
//! (README's "Flask quickstart in phial" and Tutorial sections give the
//! figures; `scripts/quickstart-lines.sh` prints the quickstart table).

use std::path::Path;

/// The workspace's root.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Whether `line` (trimmed) holds only closing delimiters and separators.
fn only_closing(line: &str) -> bool {
    line.chars()
        .all(|c| matches!(c, ')' | ']' | '}' | ';' | ','))
}

fn count_rust(source: &str) -> usize {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//") && !only_closing(line))
        .count()
}

fn count_python(source: &str) -> usize {
    let mut count = 0;
    let mut in_docstring = false;
    for line in source.lines().map(str::trim) {
        let quotes = line.matches("\"\"\"").count();
        if in_docstring || line.starts_with("\"\"\"") {
            // A docstring's lines, to its closing quotes.
            in_docstring = if in_docstring {
                quotes == 0
            } else {
                quotes == 1
            };
            continue;
        }
        if !line.is_empty() && !line.starts_with('#') && !only_closing(line) {
            count += 1;
        }
    }
    count
}

fn count_files(folder: &str, names: &[&str], count: fn(&str) -> usize) -> usize {
    names
        .iter()
        .map(|name| {
            let path = root().join(folder).join(name);
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            count(&source)
        })
        .sum()
}

#[test]
fn the_counting_rule_skips_what_python_does_not_have() {
    let rust = "use a;\n\n// note\n/// doc\nfn f() {\n    g(\n        1,\n    );\n}\n";
    assert_eq!(count_rust(rust), 4, "use, fn, g(, 1,");
    let python = "import a\n\ndef f():\n    \"\"\"Doc\n    more.\"\"\"\n    # note\n    return g(\n        1,\n    )\n";
    assert_eq!(count_python(python), 4, "import, def, return, 1,");
    assert_eq!(
        count_python("def f():\n    \"\"\"One line.\"\"\"\n    pass\n"),
        2
    );
}

#[test]
fn flaskr_is_within_1_3_times_flasks_lines() {
    let phial = count_files(
        "examples/flaskr",
        &["main.rs", "db.rs", "auth.rs", "blog.rs"],
        count_rust,
    );
    let flask = count_files(
        "examples/flask/flaskr",
        &["__init__.py", "db.py", "auth.py", "blog.py"],
        count_python,
    );
    let ratio = phial as f64 / flask as f64;
    println!("flaskr: phial {phial} lines, Flask {flask}, {ratio:.2}x");
    assert!(
        ratio <= 1.3,
        "flaskr is {phial} lines against Flask's {flask} ({ratio:.2}x, the goal is at most 1.3x)"
    );
}

/// Each quickstart example (`examples/NAME.rs`) beside its Flask twin
/// (`examples/flask/NAME.py`).
const QUICKSTART: [&str; 7] = [
    "hello",
    "routing",
    "request_data",
    "uploads",
    "templates",
    "redirects_errors",
    "json_api",
];

#[test]
fn each_quickstart_example_is_within_1_3_times_its_flask_twin() {
    let mut over = Vec::new();
    for name in QUICKSTART {
        let phial = count_files("examples", &[&format!("{name}.rs")], count_rust);
        let flask = count_files("examples/flask", &[&format!("{name}.py")], count_python);
        let ratio = phial as f64 / flask as f64;
        println!("{name}: phial {phial} lines, Flask {flask}, {ratio:.2}x");
        if ratio > 1.3 {
            over.push(format!("{name} ({phial} against {flask}, {ratio:.2}x)"));
        }
    }
    assert!(
        over.is_empty(),
        "over 1.3x Flask's lines: {}",
        over.join(", ")
    );
}

#[test]
fn the_seed_app_is_at_most_13_lines() {
    let phial = count_files("examples", &["cookies.rs"], count_rust);
    let flask = count_files("examples/flask", &["cookies.py"], count_python);
    println!("seed app: phial {phial} lines, Flask {flask}");
    assert!(
        phial <= 13,
        "examples/cookies.rs is {phial} lines (Flask's twin: {flask}); the goal is at most 13"
    );
}

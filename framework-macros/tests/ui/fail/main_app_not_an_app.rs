#[phial::main]
fn app() -> String {
    String::new()
}

fn main() {}

#[phial::main]
fn app() {}

fn main() {}

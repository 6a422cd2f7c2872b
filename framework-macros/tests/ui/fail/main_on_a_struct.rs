#[phial::main]
struct App;

fn main() {}

use phial::prelude::*;

#[phial::main(template_folder = "views")]
fn app() -> App {
    App::new()
}

fn main() {}

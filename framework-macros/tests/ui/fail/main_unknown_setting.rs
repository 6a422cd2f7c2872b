#[phial::main(templates = "views")]
async fn main() {}

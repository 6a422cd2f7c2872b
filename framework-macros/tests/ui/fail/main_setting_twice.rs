#[phial::main(static_folder = "a", static_folder = "b")]
async fn main() {}

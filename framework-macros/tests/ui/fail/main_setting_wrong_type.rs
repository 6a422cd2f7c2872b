#[phial::main(static_url_path = 42)]
async fn main() {}

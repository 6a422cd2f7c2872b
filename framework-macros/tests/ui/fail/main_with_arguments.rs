#[phial::main("127.0.0.1:8000")]
async fn main() {}

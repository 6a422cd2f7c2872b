#[phial::main]
async fn main() {
    let app = phial::App::new();
    drop(app);
}

//! The app's binary as its command line, as Flask's `flask` command:
//!
//! ```text
//! cargo run --example commands                        # serves on 127.0.0.1:5000 (or $PORT)
//! cargo run --example commands -- run --port 8000 --debug
//! cargo run --example commands -- routes              # the route table
//! cargo run --example commands -- init-db             # a command of the app's
//! cargo run --example commands -- greet --name Ada    # one with arguments
//! cargo run --example commands -- --help
//! ```

use phial::clap::{Arg, Command};
use phial::prelude::*;

#[get("/")]
fn index() -> &'static str {
    "Hello from the command line!"
}

#[route("/login", methods = ["GET", "POST"])]
fn login() -> &'static str {
    "log in"
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    let greet = Command::new("greet")
        .about("Greet someone.")
        .arg(Arg::new("name").long("name").default_value("World"));
    App::new()
        .route(index)
        .route(login)
        .command(
            "init-db",
            "Clear the existing data and create new tables.",
            |_app| async {
                // A real app would create its tables here (see the flaskr example).
                println!("Initialized the database.");
                Ok(())
            },
        )
        .command_with(greet, |_app, args| async move {
            let name: &String = args.get_one("name").expect("it has a default");
            println!("Hello, {name}!");
            Ok(())
        })
        .cli()
        .await
}

//! Prints a new random secret key for `PHIAL_SECRET_KEY` or
//! `App::secret_key`: `cargo run -p phial --example secret_key`.

fn main() {
    println!("{}", phial::generate_secret_key());
}

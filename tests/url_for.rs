//! url_for!: URLs that route back to the handler with the same values.

use phial::prelude::*;

#[get("/")]
fn index() -> &'static str {
    "index"
}

#[get("/user/<int:id>/<name>")]
fn show_user(request: &Request, id: u32, name: &str) -> String {
    format!("{id}|{name}|{}", request.args.get("tab", "-"))
}

#[get("/files/<path:rest>")]
fn files(rest: String) -> String {
    rest
}

#[get("/projects/")]
fn projects() -> &'static str {
    "projects"
}

#[get("/item/<uuid:id>/<float:price>")]
fn item(id: phial::Uuid, price: f64) -> String {
    format!("{id} {price}")
}

#[tokio::test]
async fn urls_route_back_with_the_same_values() {
    let client = App::new()
        .routes(routes![index, show_user, files, projects, item])
        .test_client();
    assert_eq!(url_for!(index), "/");
    assert_eq!(url_for!(projects), "/projects/");

    // A `/` in a `<name>` value is encoded (%2F) but, as in Flask, the path
    // is decoded before routing, so it would not match `<name>` again.
    assert_eq!(url_for!(show_user, id = 1, name = "a/b"), "/user/1/a%2Fb");
    let name = "Jürgen K?#%";
    let url = url_for!(show_user, id = 42, name = name, tab = "a&b c");
    assert_eq!(url, "/user/42/J%C3%BCrgen%20K%3F%23%25?tab=a%26b+c");
    assert_eq!(client.get(&url).await.text(), format!("42|{name}|a&b c"));

    let url = url_for!(files, rest = "dir/sub dir/é.txt");
    assert_eq!(url, "/files/dir/sub%20dir/%C3%A9.txt");
    assert_eq!(client.get(&url).await.text(), "dir/sub dir/é.txt");

    let id = phial::Uuid::from_u128(0x67e5504410b1426f9247bb680e5fe0c8);
    let url = url_for!(item, id = id, price = 9.5);
    assert_eq!(url, "/item/67e55044-10b1-426f-9247-bb680e5fe0c8/9.5");
    assert_eq!(client.get(&url).await.text(), format!("{id} 9.5"));
}

// An extractor whose rejection isn't a response.
use phial::extract::{FromRequest, RequestCx};

struct User;

impl<'a> FromRequest<'a> for User {
    type Rejection = u32;

    async fn from_request(_cx: RequestCx<'a>) -> Result<Self, u32> {
        Err(401)
    }
}

fn main() {}

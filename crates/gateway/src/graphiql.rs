//! GraphiQL on `GET /graphql`, from files embedded in the binary (`assets/graphiql`), so that it works
//! on a closed network. The token goes in the Headers editor; subscriptions run over
//! `graphql-transport-ws` with the same header.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const PAGE: &str = include_str!("../assets/graphiql/index.html");

/// The page's scripts and style, kept gzip-compressed as they are served.
const ASSETS: [(&str, &str, &[u8]); 5] = [
    ("graphiql.min.css", "text/css", include_bytes!("../assets/graphiql/graphiql.min.css.gz")),
    ("graphiql.min.js", "text/javascript", include_bytes!("../assets/graphiql/graphiql.min.js.gz")),
    ("graphql-ws.min.js", "text/javascript", include_bytes!("../assets/graphiql/graphql-ws.min.js.gz")),
    ("react.production.min.js", "text/javascript", include_bytes!("../assets/graphiql/react.production.min.js.gz")),
    (
        "react-dom.production.min.js",
        "text/javascript",
        include_bytes!("../assets/graphiql/react-dom.production.min.js.gz"),
    ),
];

pub(crate) async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// `GET /graphiql/{name}`. Every browser accepts gzip, so the files go out as they are kept.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CONTENT_ENCODING, "gzip"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, format!("no GraphiQL file named {name}")).into_response(),
    }
}

//! GraphiQL on `GET /graphql`, from files embedded in the binary (`assets/graphiql`), so that it works
//! on a closed network. The token goes in the Headers editor; subscriptions run over
//! `graphql-transport-ws` with the same header.

use std::io::Read as _;

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
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

/// `GET /graphiql/{name}`: as kept, gzip-compressed, to clients that accept gzip (every browser), and
/// decompressed for the others.
pub(crate) async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some((_, content_type, gzipped)) = ASSETS.iter().find(|(file, _, _)| *file == name) else {
        return (StatusCode::NOT_FOUND, format!("no GraphiQL file named {name}")).into_response();
    };
    let common = [
        (header::CONTENT_TYPE, *content_type),
        (header::CACHE_CONTROL, "public, max-age=86400"),
        (header::VARY, "accept-encoding"),
    ];
    if accepts_gzip(&headers) {
        return (common, [(header::CONTENT_ENCODING, "gzip")], *gzipped).into_response();
    }
    let mut plain = Vec::new();
    match flate2::read::GzDecoder::new(*gzipped).read_to_end(&mut plain) {
        Ok(_) => (common, plain).into_response(),
        Err(error) => {
            (StatusCode::INTERNAL_SERVER_ERROR, format!("the embedded {name} is damaged: {error}")).into_response()
        }
    }
}

/// Whether `Accept-Encoding` allows gzip (not with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let Some(accepted) = headers.get(header::ACCEPT_ENCODING).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    accepted.split(',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|param| param.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_sent_only_to_clients_that_accept_it() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
            accepts_gzip(&headers)
        };
        assert!(with("gzip, deflate, br"));
        assert!(with("br;q=1.0, gzip;q=0.5"));
        assert!(with("*"));
        assert!(!with("identity"));
        assert!(!with("gzip;q=0"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[tokio::test]
    async fn every_embedded_file_decompresses() {
        for (name, _, _) in ASSETS {
            let response = asset(Path(name.to_owned()), HeaderMap::new()).await;
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            assert!(response.headers().get(header::CONTENT_ENCODING).is_none(), "{name}");
        }
    }
}

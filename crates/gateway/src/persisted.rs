//! Automatic persisted queries, as Apollo's clients speak them: a client sends the SHA-256 of its query
//! first, and the query itself only when the server answers that it does not know the hash. A dashboard
//! that repeats the same queries then sends a few dozen bytes instead of the document.

use async_graphql::{Request, Response, Value};
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use sha2::{Digest, Sha256};

use crate::limits::coded_error;

/// How much query text is kept by hash, in bytes; the least recently used goes first.
const QUERY_TEXT_KEPT: u64 = 8 << 20;

#[derive(Clone)]
struct TextLength;

impl Weighter<String, String> for TextLength {
    fn weight(&self, hash: &String, query: &String) -> u64 {
        (hash.len() + query.len()) as u64
    }
}

/// Query texts by the hex SHA-256 of their text.
pub(crate) struct PersistedQueries(Cache<String, String, TextLength>);

fn refusal(message: impl Into<String>, code: &str) -> Box<Response> {
    Box::new(Response::from_errors(vec![coded_error(message, code)]))
}

impl PersistedQueries {
    pub(crate) fn new() -> Self {
        Self(Cache::with_weighter(10_000, QUERY_TEXT_KEPT, TextLength))
    }

    /// Fills in the query of a request that names it by hash, and keeps the text of one that sends both.
    /// A request without the `persistedQuery` extension passes unchanged.
    pub(crate) fn resolve(&self, request: &mut Request) -> Result<(), Box<Response>> {
        let Some(extension) = request.extensions.remove("persistedQuery") else { return Ok(()) };
        let hash = match &extension {
            Value::Object(fields) => match (fields.get("version"), fields.get("sha256Hash")) {
                (Some(Value::Number(version)), Some(Value::String(hash))) if version.as_i64() == Some(1) => {
                    hash.to_ascii_lowercase()
                }
                (Some(Value::Number(_)), Some(Value::String(_))) => {
                    return Err(refusal("only version 1 of persisted queries is supported", "BAD_USER_INPUT"));
                }
                _ => {
                    return Err(refusal(
                        "the persistedQuery extension needs a version and a sha256Hash",
                        "BAD_USER_INPUT",
                    ));
                }
            },
            _ => return Err(refusal("the persistedQuery extension must be an object", "BAD_USER_INPUT")),
        };
        if request.query.is_empty() {
            // Apollo's clients recognise the miss by this message and code, and resend with the text.
            let query =
                self.0.get(&hash).ok_or_else(|| refusal("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND"))?;
            request.query = query;
            return Ok(());
        }
        let actual = format!("{:x}", Sha256::digest(request.query.as_bytes()));
        if actual != hash {
            return Err(refusal(
                format!("the sha256Hash {hash} is not the hash of the query sent, which is {actual}"),
                "BAD_USER_INPUT",
            ));
        }
        self.0.insert(hash, request.query.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_hash(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        let extension = serde_json::json!({ "version": 1, "sha256Hash": hash });
        request.extensions.insert("persistedQuery".to_owned(), Value::from_json(extension).unwrap());
        request
    }

    fn code(response: &Response) -> String {
        let extensions = response.errors[0].extensions.as_ref().unwrap();
        extensions.get("code").unwrap().to_string()
    }

    #[test]
    fn a_hash_is_a_miss_until_its_query_has_been_sent() {
        let persisted = PersistedQueries::new();
        let query = "{ __typename }";
        let hash = format!("{:x}", Sha256::digest(query.as_bytes()));

        let miss = persisted.resolve(&mut with_hash("", &hash)).unwrap_err();
        assert_eq!(miss.errors[0].message, "PersistedQueryNotFound");
        assert_eq!(code(&miss), "\"PERSISTED_QUERY_NOT_FOUND\"");

        persisted.resolve(&mut with_hash(query, &hash)).unwrap();
        let mut hit = with_hash("", &hash);
        persisted.resolve(&mut hit).unwrap();
        assert_eq!(hit.query, query);

        let wrong = persisted.resolve(&mut with_hash("{ viewer { roles } }", &hash)).unwrap_err();
        assert!(wrong.errors[0].message.contains("not the hash of the query"), "{:?}", wrong.errors);
    }
}

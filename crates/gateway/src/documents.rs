//! Parsed query documents kept by their text. Dashboards send the same few queries all day, and parsing
//! one with async-graphql's grammar costs about a tenth of a small request's CPU; a kept document is
//! cloned instead. Validation still runs on every request.

use std::sync::Arc;

use async_graphql::Request;
use async_graphql::parser::types::ExecutableDocument;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// How much query text is kept parsed, in bytes; the least recently used goes first.
const QUERY_TEXT_KEPT: u64 = 4 << 20;

/// Weighs a kept document by the length of its text.
#[derive(Clone)]
struct TextLength;

impl Weighter<String, Arc<ExecutableDocument>> for TextLength {
    fn weight(&self, query: &String, _: &Arc<ExecutableDocument>) -> u64 {
        query.len() as u64
    }
}

pub(crate) struct ParsedDocuments(Cache<String, Arc<ExecutableDocument>, TextLength>);

impl ParsedDocuments {
    pub(crate) fn new() -> Self {
        Self(Cache::with_weighter(1_000, QUERY_TEXT_KEPT, TextLength))
    }

    /// Gives `request` its parsed document, the one kept for its text or one parsed now and kept, and
    /// returns it. A text that does not parse is left alone, for the schema to report.
    pub(crate) fn attach(&self, request: &mut Request) -> Option<Arc<ExecutableDocument>> {
        if let Some(document) = self.0.get(request.query.as_str()) {
            request.set_parsed_query(ExecutableDocument::clone(&document));
            Some(document)
        } else {
            let document = Arc::new(request.parsed_query().ok()?.clone());
            self.0.insert(request.query.clone(), Arc::clone(&document));
            Some(document)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_text_is_parsed_once_and_a_broken_one_is_not_kept() {
        let documents = ParsedDocuments::new();
        let text = "query($full: Boolean!) { employee(nip: \"199001012015011001\") { nip unit @include(if: $full) { code } } }";
        let mut first = Request::new(text);
        documents.attach(&mut first);
        assert_eq!(documents.0.len(), 1);
        let mut again = Request::new(text);
        documents.attach(&mut again);
        assert_eq!(documents.0.len(), 1, "the same text is kept once");
        assert_eq!(format!("{:?}", again.parsed_query().unwrap()), format!("{:?}", first.parsed_query().unwrap()));

        let mut broken = Request::new("{ employee(nip: ");
        documents.attach(&mut broken);
        assert_eq!(documents.0.len(), 1, "a text that does not parse is not kept");
        assert!(broken.parsed_query().is_err(), "and is still refused");
    }
}

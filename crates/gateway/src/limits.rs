//! Abuse limits beyond async-graphql's depth and complexity: aliases per request and requests per caller.

use std::num::NonZeroU32;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Request, Response, ServerError, Value};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

fn aliases_in(selection_set: &SelectionSet) -> usize {
    selection_set
        .items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some()) + aliases_in(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => aliases_in(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

fn alias_count(document: &ExecutableDocument) -> usize {
    let operations: usize =
        document.operations.iter().map(|(_, operation)| aliases_in(&operation.node.selection_set.node)).sum();
    let fragments: usize =
        document.fragments.values().map(|fragment| aliases_in(&fragment.node.selection_set.node)).sum();
    operations + fragments
}

/// A request-level error with `extensions.code`.
pub(crate) fn coded_error(message: impl Into<String>, code: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", Value::from(code));
    error.extensions = Some(extensions);
    error
}

/// The refusal of a document with more aliased fields than `max`: aliases multiply work without
/// deepening a query, so depth and complexity limits alone let `a1: x … a9999: x` through. A document
/// that does not parse passes here; the schema reports it.
pub(crate) fn alias_refusal(request: &mut Request, max: usize) -> Option<Response> {
    let count = alias_count(request.parsed_query().ok()?);
    (count > max).then(|| {
        let message = format!("the query uses {count} aliases; at most {max} are allowed");
        Response::from_errors(vec![coded_error(message, "TOO_MANY_ALIASES")])
    })
}

/// Requests per second per caller (by NIP), with a burst allowance.
pub(crate) struct CallerRateLimit(DefaultKeyedRateLimiter<String>);

impl CallerRateLimit {
    pub(crate) fn new(per_second: NonZeroU32, burst: NonZeroU32) -> Self {
        Self(RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)))
    }

    /// Whether the caller may make one more request now.
    pub(crate) fn admit(&self, caller: &str) -> bool {
        let admitted = self.0.check_key(&caller.to_owned()).is_ok();
        if self.0.len() > 100_000 {
            // Forget callers whose allowance is full again, so the table stays small.
            self.0.retain_recent();
        }
        admitted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_counted_in_operations_fragments_and_inline_fragments() {
        let document = async_graphql::parser::parse_query(
            "query { a: unit(code: \"X\") { b: name ... on Unit { c: code } ...More } }
             fragment More on Unit { d: depth e: kind }",
        )
        .unwrap();
        assert_eq!(alias_count(&document), 5);
    }

    #[test]
    fn a_caller_over_the_burst_is_refused_and_others_are_not() {
        let limit = CallerRateLimit::new(NonZeroU32::new(1).unwrap(), NonZeroU32::new(3).unwrap());
        let admitted = (0..5).filter(|_| limit.admit("198503302010011002")).count();
        assert_eq!(admitted, 3);
        assert!(limit.admit("199001012015022001"));
    }
}

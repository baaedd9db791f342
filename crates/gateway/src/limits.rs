//! Abuse limits beyond async-graphql's depth and complexity: aliases per request and requests per caller.

use std::num::NonZeroU32;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};
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

/// Introspection fields, which tools send in one standard query deeper than any dashboard's; they
/// read the schema, not the store, so the depth limit leaves them out.
fn is_introspection(name: &str) -> bool {
    name == "__schema" || name == "__type"
}

/// Deepest fragment nesting followed when measuring; validation refuses cycles, this bounds the walk.
const MAX_FRAGMENT_NESTING: usize = 64;

fn depth_of(document: &ExecutableDocument, selection_set: &SelectionSet, nesting: usize) -> usize {
    selection_set
        .items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) if is_introspection(&field.node.name.node) => 0,
            Selection::Field(field) => 1 + depth_of(document, &field.node.selection_set.node, nesting),
            Selection::InlineFragment(fragment) => depth_of(document, &fragment.node.selection_set.node, nesting),
            Selection::FragmentSpread(spread) if nesting < MAX_FRAGMENT_NESTING => document
                .fragments
                .get(&spread.node.fragment_name.node)
                .map_or(0, |fragment| depth_of(document, &fragment.node.selection_set.node, nesting + 1)),
            Selection::FragmentSpread(_) => 0,
        })
        .max()
        .unwrap_or(0)
}

/// How deeply the document's deepest operation nests its fields, not counting introspection.
fn query_depth(document: &ExecutableDocument) -> usize {
    document
        .operations
        .iter()
        .map(|(_, operation)| depth_of(document, &operation.node.selection_set.node, 0))
        .max()
        .unwrap_or(0)
}

/// The refusal of a document nested deeper than `max` levels.
pub(crate) fn depth_refusal(document: &ExecutableDocument, max: usize) -> Option<Response> {
    let depth = query_depth(document);
    (depth > max).then(|| {
        let message = format!("the query is nested too deep: {depth} levels, at most {max} are allowed");
        Response::from_errors(vec![coded_error(message, "GRAPHQL_VALIDATION_FAILED")])
    })
}

fn only_introspection(document: &ExecutableDocument, selection_set: &SelectionSet, nesting: usize) -> bool {
    selection_set.items.iter().all(|item| match &item.node {
        Selection::Field(field) => is_introspection(&field.node.name.node) || field.node.name.node == "__typename",
        Selection::InlineFragment(fragment) => only_introspection(document, &fragment.node.selection_set.node, nesting),
        Selection::FragmentSpread(spread) => {
            nesting < MAX_FRAGMENT_NESTING
                && document.fragments.get(&spread.node.fragment_name.node).is_some_and(|fragment| {
                    only_introspection(document, &fragment.node.selection_set.node, nesting + 1)
                })
        }
    })
}

/// Whether every operation of the document is a query that reads nothing but the schema itself.
pub(crate) fn reads_only_the_schema(document: &ExecutableDocument) -> bool {
    document.operations.iter().all(|(_, operation)| {
        operation.node.ty == async_graphql::parser::types::OperationType::Query
            && only_introspection(document, &operation.node.selection_set.node, 0)
    })
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
/// deepening a query, so depth and complexity limits alone let `a1: x … a9999: x` through.
pub(crate) fn alias_refusal(document: &ExecutableDocument, max: usize) -> Option<Response> {
    let count = alias_count(document);
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
    fn depth_counts_fragments_and_leaves_introspection_out() {
        let document = async_graphql::parser::parse_query(
            "query { unit(code: \"X\") { ...Deep } __schema { types { fields { type { ofType { name } } } } } }
             fragment Deep on Unit { parent { parent { name } } }",
        )
        .unwrap();
        assert_eq!(query_depth(&document), 4);
        assert!(depth_refusal(&document, 4).is_none());
        assert!(depth_refusal(&document, 3).is_some());
        assert!(!reads_only_the_schema(&document), "it also reads a unit");
        let schema_only = async_graphql::parser::parse_query("{ __typename __schema { queryType { name } } }").unwrap();
        assert!(reads_only_the_schema(&schema_only));
    }

    #[test]
    fn a_caller_over_the_burst_is_refused_and_others_are_not() {
        let limit = CallerRateLimit::new(NonZeroU32::new(1).unwrap(), NonZeroU32::new(3).unwrap());
        let admitted = (0..5).filter(|_| limit.admit("198503302010011002")).count();
        assert_eq!(admitted, 3);
        assert!(limit.admit("199001012015022001"));
    }
}

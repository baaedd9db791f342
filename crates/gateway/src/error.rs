//! Store and input errors as GraphQL errors with `extensions.code`.

use async_graphql::{Error, ErrorExtensions};
use kinerja_domain::{DomainError, PlanError};
use kinerja_store::StoreError;

pub(crate) fn bad_input(message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", "BAD_USER_INPUT"))
}

pub(crate) fn not_found(message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", "NOT_FOUND"))
}

pub(crate) fn internal(detail: String) -> Error {
    tracing::error!(%detail, "inconsistent stored data");
    Error::new("internal error; the server log has the details")
        .extend_with(|_, e| e.set("code", "INTERNAL_SERVER_ERROR"))
}

fn coded(message: String, code: &'static str) -> Error {
    Error::new(message).extend_with(move |_, e| e.set("code", code))
}

pub(crate) fn forbidden(message: impl Into<String>) -> Error {
    coded(message.into(), "FORBIDDEN")
}

pub(crate) fn unauthenticated(message: impl Into<String>) -> Error {
    coded(message.into(), "UNAUTHENTICATED")
}

/// Refusals that depend on where a record is in its lifecycle, not on the input's shape.
fn is_precondition(error: &DomainError) -> bool {
    matches!(
        error,
        DomainError::Plan(
            PlanError::NotEditable { .. }
                | PlanError::Transition { .. }
                | PlanError::NotRealisable { .. }
                | PlanError::Incomplete(_)
        ) | DomainError::GoalTransition(_)
    )
}

pub(crate) fn store_error(error: &StoreError) -> Error {
    match error {
        StoreError::NotFound { .. } => not_found(error.to_string()),
        StoreError::Duplicate { .. } => coded(error.to_string(), "CONFLICT"),
        StoreError::Conflict { current_version, .. } | StoreError::VersionRequired { current_version, .. } => {
            let current_version = *current_version;
            Error::new(error.to_string()).extend_with(move |_, e| {
                e.set("code", "CONFLICT");
                e.set("currentVersion", current_version);
            })
        }
        StoreError::Forbidden { .. } => forbidden(error.to_string()),
        StoreError::FailedPrecondition(_) => coded(error.to_string(), "FAILED_PRECONDITION"),
        StoreError::InvalidInput(_) => bad_input(error.to_string()),
        StoreError::InvalidBatch(problems) => {
            let problems = problems.clone();
            Error::new(error.to_string()).extend_with(move |_, e| {
                e.set("code", "BAD_USER_INPUT");
                e.set("problems", problems);
            })
        }
        StoreError::Invalid(domain) if is_precondition(domain) => coded(error.to_string(), "FAILED_PRECONDITION"),
        StoreError::Invalid(_) => bad_input(error.to_string()),
        StoreError::Corrupt { .. } | StoreError::Database(_) => {
            tracing::error!(%error, "store failure while answering a query");
            Error::new("internal error; the server log has the details")
                .extend_with(|_, e| e.set("code", "INTERNAL_SERVER_ERROR"))
        }
    }
}

pub(crate) fn app_error(error: &kinerja_app::AppError) -> Error {
    match error {
        kinerja_app::AppError::Store(error) => store_error(error),
        kinerja_app::AppError::Rules(_) | kinerja_app::AppError::Invalid { .. } => bad_input(error.to_string()),
    }
}

/// Gives a code to every error of a response that has none: async-graphql's own parse and validation
/// errors (and its coercion of arguments inside a resolver) come without one. `parsed` tells whether the
/// document parsed.
pub(crate) fn code_uncoded(response: &mut async_graphql::Response, parsed: bool) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            let code = match (parsed, error.path.is_empty()) {
                (false, _) => "GRAPHQL_PARSE_FAILED",
                (true, true) => "GRAPHQL_VALIDATION_FAILED",
                (true, false) => "BAD_USER_INPUT",
            };
            extensions.set("code", code);
        }
    }
}

/// Converts store and use-case results inside resolvers.
pub(crate) trait OrGraphqlError<T> {
    fn or_graphql(self) -> async_graphql::Result<T>;
}

impl<T> OrGraphqlError<T> for Result<T, StoreError> {
    fn or_graphql(self) -> async_graphql::Result<T> {
        self.map_err(|error| store_error(&error))
    }
}

impl<T> OrGraphqlError<T> for Result<T, kinerja_app::AppError> {
    fn or_graphql(self) -> async_graphql::Result<T> {
        self.map_err(|error| app_error(&error))
    }
}

impl<T> OrGraphqlError<T> for Result<T, std::sync::Arc<StoreError>> {
    fn or_graphql(self) -> async_graphql::Result<T> {
        self.map_err(|error| store_error(&error))
    }
}

//! Store and input errors as GraphQL errors with `extensions.code`.

use async_graphql::{Error, ErrorExtensions};
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

pub(crate) fn store_error(error: &StoreError) -> Error {
    match error {
        StoreError::NotFound { .. } => not_found(error.to_string()),
        StoreError::Duplicate { .. } => Error::new(error.to_string()).extend_with(|_, e| e.set("code", "CONFLICT")),
        StoreError::Invalid(_) => bad_input(error.to_string()),
        StoreError::Corrupt { .. } | StoreError::Database(_) => {
            tracing::error!(%error, "store failure while answering a query");
            Error::new("internal error; the server log has the details")
                .extend_with(|_, e| e.set("code", "INTERNAL_SERVER_ERROR"))
        }
    }
}

/// Converts store results inside resolvers.
pub(crate) trait OrGraphqlError<T> {
    fn or_graphql(self) -> async_graphql::Result<T>;
}

impl<T> OrGraphqlError<T> for Result<T, StoreError> {
    fn or_graphql(self) -> async_graphql::Result<T> {
        self.map_err(|error| store_error(&error))
    }
}

impl<T> OrGraphqlError<T> for Result<T, std::sync::Arc<StoreError>> {
    fn or_graphql(self) -> async_graphql::Result<T> {
        self.map_err(|error| store_error(&error))
    }
}

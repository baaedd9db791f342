use kinerja_domain::DomainError;
use sea_orm::{DbErr, SqlErr};

/// Why a store operation failed. Every variant names the record or key concerned.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", not_found_message(entity, key))]
    NotFound { entity: &'static str, key: String },
    #[error("{entity} '{key}' already exists")]
    Duplicate { entity: &'static str, key: String },
    #[error(transparent)]
    Invalid(#[from] DomainError),
    #[error("{entity} '{key}' was changed by someone else; its current version is {current_version}")]
    Conflict { entity: &'static str, key: String, current_version: i32 },
    /// A change to a record that exists, sent without the version the caller saw.
    #[error("{entity} '{key}' exists already at version {current_version}; send expectedVersion to change it")]
    VersionRequired { entity: &'static str, key: String, current_version: i32 },
    #[error("not allowed: {reason}")]
    Forbidden { reason: String },
    #[error("{0}")]
    FailedPrecondition(String),
    /// Input that breaks its own rules whatever is stored, named by its field.
    #[error("{0}")]
    InvalidInput(String),
    #[error("the batch was refused as a whole: {}", .0.join("; "))]
    InvalidBatch(Vec<String>),
    #[error("stored {table} row {id} cannot be read: {reason}")]
    Corrupt { table: &'static str, id: String, reason: String },
    #[error("database error: {0}")]
    Database(DbErr),
}

fn not_found_message(entity: &str, key: &str) -> String {
    if key.is_empty() { format!("{entity} not found") } else { format!("{entity} '{key}' not found") }
}

impl StoreError {
    pub(crate) fn not_found(entity: &'static str, key: impl ToString) -> Self {
        StoreError::NotFound { entity, key: key.to_string() }
    }

    /// A record looked up by its id: the message names the kind of record, not the id (which tells a
    /// person nothing).
    pub fn missing(entity: &'static str) -> Self {
        StoreError::NotFound { entity, key: String::new() }
    }

    pub(crate) fn invalid(error: impl Into<DomainError>) -> Self {
        StoreError::Invalid(error.into())
    }
}

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            // A race past the explicit checks still gets a meaningful message.
            Some(SqlErr::UniqueConstraintViolation(detail)) => StoreError::Duplicate { entity: "record", key: detail },
            _ => StoreError::Database(error),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

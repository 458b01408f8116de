//! The error every repository function returns.

/// What went wrong talking to the database, reduced to what callers can act on.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("row not found")]
    NotFound,
    /// A unique, exclusion, foreign-key or check constraint refused the write. The constraint
    /// name is what the API maps to a stable problem code.
    #[error("constraint {constraint} refused the write")]
    Conflict { constraint: String },
    /// Row-level security refused the write (SQLSTATE 42501).
    #[error("row-level security refused the write")]
    Forbidden,
    #[error("invalid pagination cursor")]
    InvalidCursor,
    /// The access token's session was ended (logout, revocation, suspension).
    #[error("the session has ended")]
    SessionEnded,
    #[error(transparent)]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for RepoError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                match code.as_ref() {
                    // unique, exclusion, foreign key, check, not-null violations
                    "23505" | "23P01" | "23503" | "23514" | "23502" => Self::Conflict {
                        constraint: db.constraint().unwrap_or("unknown").to_owned(),
                    },
                    "42501" => Self::Forbidden,
                    // app_enter: the access token's session has ended (migration 000012).
                    "RX401" => Self::SessionEnded,
                    _ => Self::Db(err),
                }
            }
            _ => Self::Db(err),
        }
    }
}

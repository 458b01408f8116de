//! Why loading the demo data failed (shared by the seed modules, which do not import each other).

use rxgate_persistence::RepoError;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seeding failed: {0}")]
    Repo(#[from] RepoError),
    #[error("seeding failed: {0}")]
    Db(#[from] sqlx::Error),
    #[error("seeding failed: {0}")]
    Api(String),
}

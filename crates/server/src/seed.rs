//! Demo data for `just run`. Every step is idempotent: running the seed twice changes nothing.
//! Later capabilities add their steps here. Never runs in production (checked by the caller).

use rxgate_api::Settings;
use rxgate_api::jobs::email;
use rxgate_integrations::email::OutgoingEmail;
use rxgate_persistence::jobs::{self, NewJob};
use rxgate_persistence::{Db, RepoError, RlsContext};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seeding failed: {0}")]
    Repo(#[from] RepoError),
    #[error("seeding failed: {0}")]
    Db(#[from] sqlx::Error),
}

pub async fn run(db: &Db, settings: &Settings) -> Result<(), SeedError> {
    let mut tx = db.begin(&RlsContext::system()).await?;
    welcome_mail(&mut tx, settings).await?;
    tx.commit().await?;
    eprintln!("demo data ready");
    Ok(())
}

/// A first message in the developer mailbox, so the mailbox page shows what it is for.
async fn welcome_mail(conn: &mut sqlx::PgConnection, settings: &Settings) -> Result<(), SeedError> {
    let welcome = OutgoingEmail {
        to: "developer@rxgate.test".into(),
        subject: "Welcome to your Rxgate developer mailbox".into(),
        body_text: format!(
            "Every email Rxgate sends while running locally lands here instead of a real \
             inbox: verification links, password resets, notifications.\n\nOpen the app at {}",
            settings.application.public_url
        ),
        body_html: None,
    };
    let payload = serde_json::to_value(&welcome)
        .map_err(|e| SeedError::Db(sqlx::Error::Decode(Box::new(e))))?;
    jobs::enqueue(
        conn,
        &NewJob::new(email::KIND, payload).dedupe_key("seed.welcome"),
    )
    .await?;
    Ok(())
}

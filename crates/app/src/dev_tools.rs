//! The developer tools of a local environment: the mailbox the local email transport delivers
//! to, and a test message through the outbox. The HTTP layer serves them only when
//! `application.dev_tools` is on; nobody signs in to use them, so the mailbox is read in the
//! system context (it holds no tenant's data: the local transport's own copies).

use rxgate_integrations::email::OutgoingEmail;
use rxgate_persistence::mailbox::{self, StoredEmail};
use rxgate_persistence::pagination::TimeCursor;
use rxgate_persistence::{Db, RlsContext};
use uuid::Uuid;

use crate::AppError;
use crate::jobs::email;

/// One page of delivered messages, newest first, and the cursor of the next.
pub async fn mailbox_page(
    db: &Db,
    after: Option<TimeCursor>,
    limit: i64,
) -> Result<(Vec<StoredEmail>, Option<TimeCursor>), AppError> {
    // System context: the developer mailbox belongs to no user.
    let mut tx = db.begin(&RlsContext::system()).await?;
    let page = mailbox::list(&mut tx, after, limit).await?;
    tx.commit().await?;
    Ok(page)
}

/// One delivered message.
pub async fn mailbox_message(db: &Db, id: Uuid) -> Result<StoredEmail, AppError> {
    // System context: the developer mailbox belongs to no user.
    let mut tx = db.begin(&RlsContext::system()).await?;
    let message = mailbox::find(&mut tx, id).await?;
    tx.commit().await?;
    Ok(message)
}

/// Queues `message` in the outbox, as any email is sent; returns the delivery job's id.
pub async fn send_test_email(db: &Db, message: &OutgoingEmail) -> Result<Uuid, AppError> {
    let mut tx = db.begin(&RlsContext::anonymous(None)).await?;
    let job_id = email::enqueue(&mut tx, message).await?;
    tx.commit().await?;
    Ok(job_id)
}

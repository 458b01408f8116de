//! Recording audit events from handlers: [`record`] takes the request's [`Principal`] and
//! [`RequestMeta`] and hands them to the application layer's audit trail.

use rxgate_persistence::RepoError;
use sqlx::PgConnection;

pub use rxgate_app::audit::{
    Event, SealRun, checkpoint_message, seal_and_checkpoint, verify_chain,
};

use crate::auth::{Principal, RequestMeta};

/// Records `event` done by `actor` (or by an anonymous caller / the system when `None`).
pub async fn record(
    conn: &mut PgConnection,
    actor: Option<&Principal>,
    actor_id_if_anonymous: Option<uuid::Uuid>,
    meta: &RequestMeta,
    event: Event<'_>,
) -> Result<(), RepoError> {
    rxgate_app::audit::record(
        conn,
        actor.map(|p| &p.0),
        actor_id_if_anonymous,
        &meta.0,
        event,
    )
    .await
}

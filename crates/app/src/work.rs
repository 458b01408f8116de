//! The unit of work every use case runs in: the transaction scoped to who acts (row-level
//! security, the session check) and the audit events of what it reads and writes, which commit
//! or roll back with it. A use case opens one, checks access, calls `domain` and
//! `persistence` through it (it dereferences to the connection) and commits it:
//!
//! ```ignore
//! let mut work = Work::begin(db, actor, facts).await?;
//! let row = persistence::things::find(&mut work, id).await?;
//! work.record(Event::new("read", "thing", id)).await?;
//! work.commit().await?;
//! ```

use std::ops::{Deref, DerefMut};

use rxgate_persistence::{Db, RlsContext};
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

use crate::AppError;
use crate::audit::{self, Event};
use crate::auth::{Actor, RequestFacts};

pub struct Work<'a> {
    tx: Transaction<'static, Postgres>,
    actor: Option<&'a Actor>,
    /// The user an anonymous step acts for once it knows them (a sign-in that matched).
    user: Option<Uuid>,
    facts: &'a RequestFacts,
}

impl<'a> Work<'a> {
    /// Opens `actor`'s transaction (one round trip; refused when their session has ended).
    pub async fn begin(
        db: &Db,
        actor: &'a Actor,
        facts: &'a RequestFacts,
    ) -> Result<Self, AppError> {
        Self::begin_reading(db, actor, facts, []).await
    }

    /// Opens `actor`'s transaction and records `events` in the same round trip: for reads
    /// whose events are known before the read (a catalogue page is a read of the patient's
    /// health flags). They commit or roll back with the transaction like any other.
    pub async fn begin_reading<'e>(
        db: &Db,
        actor: &'a Actor,
        facts: &'a RequestFacts,
        events: impl IntoIterator<Item = Event<'e>>,
    ) -> Result<Self, AppError> {
        let entries: Vec<_> = if facts.audit_off {
            Vec::new()
        } else {
            events
                .into_iter()
                .map(|e| audit::entry(Some(actor), None, facts, e))
                .collect()
        };
        let tx = db.begin_recording(&actor.rls(), &entries).await?;
        Ok(Self {
            tx,
            actor: Some(actor),
            user: None,
            facts,
        })
    }

    /// Opens a transaction for a caller nobody knows yet (sign-up, sign-in, emailed links):
    /// the system context, only for the statements that look a credential up, each caller
    /// saying why. [`Work::act_for`] switches to the user once the credential matches.
    pub async fn before_sign_in(db: &Db, facts: &'a RequestFacts) -> Result<Self, AppError> {
        let ctx = RlsContext {
            request_id: facts.request_id.clone(),
            ..RlsContext::system()
        };
        Ok(Self {
            tx: db.begin(&ctx).await?,
            actor: None,
            user: None,
            facts,
        })
    }

    /// Opens a transaction of the system itself, for what arrives without a user and proves
    /// itself otherwise (a provider's signed webhook). Events name no actor.
    pub async fn system(db: &Db, facts: &'a RequestFacts) -> Result<Self, AppError> {
        Self::before_sign_in(db, facts).await
    }

    /// From here the transaction acts as `user` (their own rows only, no roles), and events
    /// name them; `session` is the sign-in's session when it has one.
    pub async fn act_for(&mut self, user: Uuid, session: Option<Uuid>) -> Result<(), AppError> {
        let ctx = RlsContext {
            session_id: session,
            ..RlsContext::user(user, self.facts.request_id.clone())
        };
        rxgate_persistence::db::act_as(&mut self.tx, &ctx).await?;
        self.user = Some(user);
        Ok(())
    }

    /// Names the user an anonymous step's events are about without acting as them (a failed
    /// sign-in of a known address).
    pub fn about(&mut self, user: Option<Uuid>) {
        self.user = user;
    }

    /// Where the request came from.
    pub fn facts(&self) -> &RequestFacts {
        self.facts
    }

    /// Records `event`, done by the actor (or the user this step acts for).
    pub async fn record(&mut self, event: Event<'_>) -> Result<(), AppError> {
        audit::record(&mut self.tx, self.actor, self.user, self.facts, event).await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), AppError> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Ends the transaction writing nothing (also what dropping it does).
    pub async fn rollback(self) -> Result<(), AppError> {
        self.tx.rollback().await?;
        Ok(())
    }
}

impl Deref for Work<'_> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl DerefMut for Work<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}

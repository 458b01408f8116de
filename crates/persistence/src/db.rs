//! The pool and the one helper that opens every transaction with its row-level-security
//! context. Policies in the database read this context through `app_user_id()`,
//! `app_has_role(..)` and `app_is_system()`; `set_config(.., true)` scopes it to the transaction,
//! so nothing leaks to the next user of a pooled connection.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::RepoError;

/// Who is acting in a transaction. The default is anonymous: every policy matches nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RlsContext {
    pub user_id: Option<Uuid>,
    /// The session a signed-in request's token was issued for: [`Db::begin`] refuses it when
    /// the session has ended, in the statement that sets the context.
    pub session_id: Option<Uuid>,
    pub roles: Vec<String>,
    /// Every clinic the user belongs to, in any role.
    pub clinic_ids: Vec<Uuid>,
    /// The role the user holds in each clinic: policies that act for one role (a clinic's
    /// admin, a doctor) read `app_clinic_ids_as(role)`, so a clinic admin of one clinic who is
    /// a patient of another cannot manage the other.
    pub clinic_roles: Vec<(String, Uuid)>,
    pub pharmacy_ids: Vec<Uuid>,
    /// Background work and start-up tasks that act for the platform, not for a user.
    pub system: bool,
    pub request_id: Option<String>,
}

impl RlsContext {
    pub fn anonymous(request_id: Option<String>) -> Self {
        Self {
            request_id,
            ..Self::default()
        }
    }

    pub fn system() -> Self {
        Self {
            system: true,
            ..Self::default()
        }
    }

    /// A user who has just proved who they are (a sign-in step), before any token exists:
    /// their own rows only, no roles.
    pub fn user(user_id: Uuid, request_id: Option<String>) -> Self {
        Self {
            user_id: Some(user_id),
            request_id,
            ..Self::default()
        }
    }
}

fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The application's pool. Cloning is cheap (it shares the pool).
#[derive(Debug, Clone)]
pub struct Db {
    pool: PgPool,
}

impl Db {
    /// A lazily connecting pool: the server starts (and answers `/health`) while the database
    /// is still coming up; `/ready` tells when it is reachable.
    pub fn connect_lazy(options: PgConnectOptions, max_connections: u32) -> Self {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy_with(options);
        Self { pool }
    }

    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Opens a transaction acting as `ctx`. Every request's database work goes through here.
    /// A context with a session that has ended (logout, refresh-token reuse, suspension) is
    /// refused with [`RepoError::SessionEnded`]: no access token outlives its session.
    ///
    /// One round trip: the session check and the context travel with `BEGIN` in one
    /// simple-query message (see [`enter_statement`]).
    pub async fn begin(
        &self,
        ctx: &RlsContext,
    ) -> Result<Transaction<'static, Postgres>, RepoError> {
        self.begin_recording(ctx, &[]).await
    }

    /// Like [`Db::begin`], and records `events` in the transaction in the same round trip: for
    /// reads whose audit events are known before the read. They commit or roll back with it.
    pub async fn begin_recording(
        &self,
        ctx: &RlsContext,
        events: &[crate::audit::AuditEntry],
    ) -> Result<Transaction<'static, Postgres>, RepoError> {
        let mut statement = enter_statement(ctx)?;
        if !events.is_empty() {
            statement.push_str("; ");
            statement.push_str(&crate::audit::insert_statement(events)?);
        }
        statement.push_str("; BEGIN");
        Ok(self.pool.begin_with(statement).await?)
    }

    /// Whether the database answers at all.
    pub async fn ping(&self) -> Result<(), RepoError> {
        sqlx::query_scalar!(r#"SELECT 1 AS "one!""#)
            .fetch_one(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether every migration compiled into this binary has been applied successfully, and no
    /// newer one (from a newer binary) is present. Returns a human-readable reason when not.
    pub async fn migrations_current(&self) -> Result<Result<(), String>, RepoError> {
        let applied: Vec<i64> = sqlx::query_scalar!(
            r#"SELECT version AS "version!" FROM _sqlx_migrations WHERE success ORDER BY version"#
        )
        .fetch_all(&self.pool)
        .await?;
        let known: Vec<i64> = crate::MIGRATOR
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .map(|m| m.version)
            .collect();
        if let Some(missing) = known.iter().find(|v| !applied.contains(v)) {
            return Ok(Err(format!("migration {missing} is not applied")));
        }
        if let Some(unknown) = applied.iter().find(|v| !known.contains(v)) {
            return Ok(Err(format!(
                "database has migration {unknown} that this build does not know"
            )));
        }
        Ok(Ok(()))
    }
}

/// The eight arguments of `app_enter` (migration 000012) for `ctx`, in its order: the one
/// place that turns a context into the settings row-level security reads.
fn enter_arguments(ctx: &RlsContext) -> [String; 7] {
    let clinic_roles = ctx
        .clinic_roles
        .iter()
        .map(|(role, clinic)| format!("{role}:{clinic}"))
        .collect::<Vec<_>>()
        .join(",");
    [
        ctx.user_id.map(|id| id.to_string()).unwrap_or_default(),
        join(&ctx.roles),
        join(&ctx.clinic_ids),
        join(&ctx.pharmacy_ids),
        (if ctx.system { "on" } else { "off" }).to_owned(),
        ctx.request_id.clone().unwrap_or_default(),
        clinic_roles,
    ]
}

/// The statement that checks `ctx`'s session and sets its context, with every value as a
/// literal: it is sent before `BEGIN` in one simple-query message, which takes no parameters.
/// Sent first, a refusal (`RX401`, the session has ended) aborts the message before `BEGIN`, so
/// PostgreSQL rolls the implicit transaction back and the pooled connection stays idle; what
/// it set is part of the transaction that `BEGIN` then opens.
fn enter_statement(ctx: &RlsContext) -> Result<String, RepoError> {
    let mut arguments = Vec::with_capacity(8);
    for value in enter_arguments(ctx) {
        arguments.push(crate::literal::text(&value)?);
    }
    arguments.push(crate::literal::uuid(ctx.session_id));
    Ok(format!("SELECT app_enter({})", arguments.join(", ")))
}

/// Sets (or changes) who acts in the open transaction on `conn`: the sign-in endpoints look a
/// credential up in the system context and then continue, in the same transaction, as the
/// user it belongs to. The settings are transaction-local (`set_config(.., true)`).
/// The same function as [`Db::begin`] calls, so the two cannot drift apart.
pub async fn act_as(conn: &mut sqlx::PgConnection, ctx: &RlsContext) -> Result<(), RepoError> {
    let [
        user_id,
        roles,
        clinic_ids,
        pharmacy_ids,
        system,
        request_id,
        clinic_roles,
    ] = enter_arguments(ctx);
    // `app_enter` returns void, which has no Rust type: select a constant from it instead.
    sqlx::query_scalar!(
        r#"SELECT 1 AS "entered!" FROM app_enter($1, $2, $3, $4, $5, $6, $7, $8)"#,
        user_id,
        roles,
        clinic_ids,
        pharmacy_ids,
        system,
        request_id,
        clinic_roles,
        ctx.session_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(())
}

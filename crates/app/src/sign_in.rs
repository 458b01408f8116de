//! Signing in and out: password, passkey and second-factor steps, token refresh, sign-out.
//! Each use case returns what the HTTP layer hands out ([`SignedIn`]: the access token response
//! and the new refresh token); cookies and headers stay in `rxgate-api`.
//!
//! Until a credential matches, nobody is known: those steps start in the system context
//! ([`Work::before_sign_in`]) only for the statements that look the credential up, and act as
//! the user from the moment it matches ([`Work::act_for`]).

use chrono::{DateTime, TimeDelta, Utc};
use rxgate_api_types::FieldError;
use rxgate_api_types::auth::{PasskeyChallenge, TokenResponse};
use rxgate_domain::identity::{MfaStatus, Role, UserStatus};
use rxgate_persistence::{Db, mfa, passkeys, sessions, users};
use sqlx::PgConnection;
use uuid::Uuid;
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, PasskeyAuthentication, PublicKeyCredential,
};

use crate::audit::Event;
use crate::auth::passkeys::{
    ceremony_gone, expiry, from_client, from_stored, modal, not_verified, parse_passkey,
    record_use, to_json,
};
use crate::auth::{
    Actor, Identity, JwtKeys, RequestFacts, TokenFacts, load_identity, passwords, tokens, totp,
};
use crate::configuration::Settings;
use crate::crypto::DataKeys;
use crate::{AppError, Work};

/// What the sign-in use cases need besides the database.
#[derive(Clone, Copy)]
pub struct AuthServices<'a> {
    pub db: &'a Db,
    pub settings: &'a Settings,
    pub keys: &'a JwtKeys,
    pub data_keys: &'a DataKeys,
    pub webauthn: &'a Webauthn,
}

/// A signed-in session's tokens: the answer (its `refresh_token` left empty; the HTTP layer
/// decides whether the body or a cookie carries it) and the refresh token, when one was issued.
#[derive(Debug)]
pub struct SignedIn {
    pub tokens: TokenResponse,
    pub refresh_token: Option<String>,
}

/// A refresh token presented by a browser (cookie) or a native app (body).
#[derive(Debug, Clone)]
pub struct Presented {
    pub token: String,
}

/// Signs in with email and password (unknown email and wrong password look the same).
pub async fn login(
    auth: AuthServices<'_>,
    facts: &RequestFacts,
    email: &str,
    password: String,
) -> Result<SignedIn, AppError> {
    let now = Utc::now();
    let email = email.trim().to_lowercase();
    // System context only to look the address up and count a failure: nobody is known yet.
    let mut work = Work::before_sign_in(auth.db, facts).await?;
    let user = users::find_by_email(&mut work, &email).await?;
    if let Some(u) = &user
        && let Some(until) = u.locked_until.filter(|t| *t > now)
    {
        work.about(Some(u.id));
        work.record(Event::new("login_refused_locked", "user", u.id).risk("medium"))
            .await?;
        work.commit().await?;
        return Err(locked(until, now));
    }
    let ok = passwords::verify(
        password,
        user.as_ref().and_then(|u| u.password_hash.clone()),
    )
    .await?;
    let user = match user {
        Some(u) if ok => u,
        user => {
            if let Some(u) = &user {
                users::register_login_failure(&mut work, u.id, now).await?;
            }
            work.about(user.as_ref().map(|u| u.id));
            work.record(
                Event::new(
                    "login_failed",
                    "user",
                    user.as_ref().map(|u| u.id.to_string()).unwrap_or_default(),
                )
                .risk("medium"),
            )
            .await?;
            work.commit().await?;
            return Err(AppError::InvalidCredentials);
        }
    };
    may_sign_in(&user)?;
    let signed_in = open_session(&mut work, auth, user.id, false, None).await?;
    work.commit().await?;
    Ok(signed_in)
}

/// Starts a sign-in with any passkey of this site (no user yet).
pub async fn passkey_login_options(
    auth: AuthServices<'_>,
    facts: &RequestFacts,
) -> Result<PasskeyChallenge, AppError> {
    let (options, authentication) = auth
        .webauthn
        .start_discoverable_authentication()
        .map_err(AppError::internal)?;
    // System context: a sign-in ceremony belongs to nobody yet.
    let mut work = Work::before_sign_in(auth.db, facts).await?;
    let ceremony_id = passkeys::start_ceremony(
        &mut work,
        None,
        None,
        "sign_in",
        &to_json(&authentication)?,
        expiry(Utc::now()),
    )
    .await?;
    work.commit().await?;
    Ok(PasskeyChallenge {
        ceremony_id,
        options: to_json(&modal(options))?,
    })
}

/// Finishes a passkey sign-in: a passkey is both factors.
pub async fn passkey_login(
    auth: AuthServices<'_>,
    facts: &RequestFacts,
    ceremony_id: Uuid,
    credential: &serde_json::Value,
) -> Result<SignedIn, AppError> {
    let now = Utc::now();
    let credential: PublicKeyCredential = from_client(credential)?;
    // System context only until the passkey verifies: the ceremony and the credential are
    // looked up before anyone is known.
    let mut work = Work::before_sign_in(auth.db, facts).await?;
    let Some(stored) =
        passkeys::take_ceremony(&mut work, ceremony_id, "sign_in", None, None).await?
    else {
        work.commit().await?;
        return Err(ceremony_gone());
    };
    let authentication: DiscoverableAuthentication = from_stored(stored)?;
    let row = match auth
        .webauthn
        .identify_discoverable_authentication(&credential)
    {
        Ok((user_id, cred_id)) => passkeys::find_by_credential(&mut work, cred_id)
            .await?
            .filter(|r| r.user_id == user_id),
        Err(_) => None,
    };
    let Some(row) = row else {
        work.record(
            Event::new("login_failed", "user", "")
                .risk("medium")
                .details(serde_json::json!({ "method": "passkey", "reason": "unknown passkey" })),
        )
        .await?;
        work.commit().await?;
        return Err(AppError::InvalidCredentials);
    };
    let user = users::find(&mut work, row.user_id).await?;
    work.about(Some(user.id));
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        work.record(Event::new("login_refused_locked", "user", user.id).risk("medium"))
            .await?;
        work.commit().await?;
        return Err(locked(until, now));
    }
    let passkey = parse_passkey(&row)?;
    let result = match auth.webauthn.finish_discoverable_authentication_v2(
        &credential,
        authentication,
        &passkey,
    ) {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(error = %e, "passkey sign-in did not verify");
            users::register_login_failure(&mut work, user.id, now).await?;
            work.record(
                Event::new("login_failed", "user", user.id)
                    .risk("medium")
                    .details(serde_json::json!({ "method": "passkey" })),
            )
            .await?;
            work.commit().await?;
            return Err(AppError::InvalidCredentials);
        }
    };
    may_sign_in(&user)?;
    record_use(&mut work, &row, &result).await?;
    let signed_in = open_session(
        &mut work,
        auth,
        user.id,
        true,
        Some(serde_json::json!({ "method": "passkey", "passkey_id": row.id })),
    )
    .await?;
    work.commit().await?;
    Ok(signed_in)
}

/// The second factor of a signed-in session: a code from the authenticator app or a one-time
/// recovery code. Wrong codes count towards the lockout.
pub async fn verify_totp(
    auth: AuthServices<'_>,
    actor: &Actor,
    facts: &RequestFacts,
    code: Option<&str>,
    recovery_code: Option<&str>,
) -> Result<TokenResponse, AppError> {
    let now = Utc::now();
    let mut work = Work::begin(auth.db, actor, facts).await?;
    let user = users::find(&mut work, actor.user_id).await?;
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        return Err(locked(until, now));
    }
    let row = mfa::find_totp(&mut work, actor.user_id)
        .await?
        .filter(|r| r.confirmed_at.is_some())
        .ok_or_else(|| AppError::Conflict {
            code: "MFA_NOT_ENROLLED",
            detail: "No authenticator app is set up for this account.".into(),
        })?;
    let passed = match (code, recovery_code) {
        (Some(code), _) => {
            let secret = auth
                .data_keys
                .open(&row.key_id, &row.secret_enc, actor.user_id.as_bytes())
                .map_err(AppError::internal)?;
            match totp::matching_step(&secret, code, now) {
                Some(step) if row.last_used_step.is_none_or(|last| step > last) => {
                    mfa::record_totp_step(&mut work, actor.user_id, step).await?;
                    true
                }
                _ => false,
            }
        }
        (None, Some(recovery)) => {
            let hash = tokens::hash(&totp::normalise_recovery_code(recovery));
            mfa::use_recovery_code(&mut work, actor.user_id, &hash).await?
        }
        (None, None) => false,
    };
    if !passed {
        users::register_login_failure(&mut work, user.id, now).await?;
        work.record(Event::new("mfa_failed", "session", actor.session_id).risk("medium"))
            .await?;
        work.commit().await?;
        return Err(AppError::Validation(vec![FieldError {
            field: if recovery_code.is_some() && code.is_none() {
                "recovery_code"
            } else {
                "code"
            }
            .into(),
            code: "mfa".into(),
            message: "That code is not right, or was already used.".into(),
        }]));
    }
    users::record_login_success(&mut work, user.id).await?;
    mfa::mark_session_mfa(&mut work, actor.session_id).await?;
    let identity = load_identity(&mut work, actor.user_id).await?;
    let (action, risk) = if code.is_some() {
        ("mfa_passed", "low")
    } else {
        ("mfa_recovery_code_used", "high")
    };
    work.record(Event::new(action, "session", actor.session_id).risk(risk))
        .await?;
    work.commit().await?;
    token_response(auth, identity, actor.session_id, true, now)
}

/// Starts the passkey second factor of a signed-in session.
pub async fn passkey_mfa_options(
    auth: AuthServices<'_>,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<PasskeyChallenge, AppError> {
    let mut work = Work::begin(auth.db, actor, facts).await?;
    let keys = passkeys::list_for_user(&mut work, actor.user_id)
        .await?
        .iter()
        .map(parse_passkey)
        .collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err(AppError::Conflict {
            code: "MFA_NOT_ENROLLED",
            detail: "No passkey is set up for this account.".into(),
        });
    }
    let (options, authentication) = auth
        .webauthn
        .start_passkey_authentication(&keys)
        .map_err(AppError::internal)?;
    let ceremony_id = passkeys::start_ceremony(
        &mut work,
        Some(actor.user_id),
        Some(actor.session_id),
        "second_factor",
        &to_json(&authentication)?,
        expiry(Utc::now()),
    )
    .await?;
    work.commit().await?;
    Ok(PasskeyChallenge {
        ceremony_id,
        options: to_json(&options)?,
    })
}

/// Finishes the passkey second factor of a signed-in session.
pub async fn passkey_mfa_verify(
    auth: AuthServices<'_>,
    actor: &Actor,
    facts: &RequestFacts,
    ceremony_id: Uuid,
    credential: &serde_json::Value,
) -> Result<TokenResponse, AppError> {
    let now = Utc::now();
    let credential: PublicKeyCredential = from_client(credential)?;
    let mut work = Work::begin(auth.db, actor, facts).await?;
    let user = users::find(&mut work, actor.user_id).await?;
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        return Err(locked(until, now));
    }
    let Some(stored) = passkeys::take_ceremony(
        &mut work,
        ceremony_id,
        "second_factor",
        Some(actor.user_id),
        Some(actor.session_id),
    )
    .await?
    else {
        work.commit().await?;
        return Err(ceremony_gone());
    };
    let authentication: PasskeyAuthentication = from_stored(stored)?;
    let verified = auth
        .webauthn
        .finish_passkey_authentication(&credential, &authentication);
    let row = match &verified {
        Ok(result) => passkeys::find_by_credential(&mut work, result.cred_id().as_ref())
            .await?
            .filter(|r| r.user_id == actor.user_id),
        Err(_) => None,
    };
    let (Ok(result), Some(row)) = (verified, row) else {
        users::register_login_failure(&mut work, user.id, now).await?;
        work.record(
            Event::new("mfa_failed", "session", actor.session_id)
                .risk("medium")
                .details(serde_json::json!({ "method": "passkey" })),
        )
        .await?;
        work.commit().await?;
        return Err(not_verified());
    };
    record_use(&mut work, &row, &result).await?;
    users::record_login_success(&mut work, user.id).await?;
    mfa::mark_session_mfa(&mut work, actor.session_id).await?;
    let identity = load_identity(&mut work, actor.user_id).await?;
    work.record(
        Event::new("mfa_passed", "session", actor.session_id)
            .details(serde_json::json!({ "method": "passkey", "passkey_id": row.id })),
    )
    .await?;
    work.commit().await?;
    token_response(auth, identity, actor.session_id, true, now)
}

/// Exchanges a refresh token for new tokens. Each refresh token works once: presenting a used
/// one again ends the session for everyone holding it (it was copied), except within a few
/// seconds of its use, which is a second tab of the same browser.
pub async fn refresh(
    auth: AuthServices<'_>,
    facts: &RequestFacts,
    presented: &Presented,
) -> Result<SignedIn, AppError> {
    let now = Utc::now();
    // System context only to find the token: nobody is known until it matches.
    let mut work = Work::before_sign_in(auth.db, facts).await?;
    let Some(found) =
        sessions::find_refresh_token(&mut work, &tokens::hash(&presented.token)).await?
    else {
        return Err(no_session());
    };
    let end = |code: &'static str, detail: &str| AppError::SessionEnded {
        code,
        detail: detail.into(),
    };
    work.about(Some(found.user_id));
    let grace = TimeDelta::seconds(auth.settings.auth.refresh_reuse_grace_secs);
    if found.used_at.is_some_and(|used| now - used > grace) {
        end_session(
            &mut work,
            found.user_id,
            found.session_id,
            "refresh token reused",
            Event::new("refresh_reused", "session", found.session_id).risk("high"),
        )
        .await?;
        work.commit().await?;
        return Err(end(
            "REFRESH_REUSED",
            "This sign-in was ended for safety. Please sign in again.",
        ));
    }
    if found.session_revoked_at.is_some() {
        return Err(end("SESSION_REVOKED", "This session was signed out."));
    }
    if found.expires_at <= now {
        return Err(end(
            "REFRESH_INVALID",
            "This session has expired. Please sign in again.",
        ));
    }
    // The token is genuine and its session live: the rest acts as its user.
    work.act_for(found.user_id, Some(found.session_id)).await?;
    let identity = load_identity(&mut work, found.user_id).await?;
    if idle_expired(auth.settings, &identity.roles, found.last_seen_at, now) {
        end_session(
            &mut work,
            found.user_id,
            found.session_id,
            "idle",
            Event::new("session_idle_timeout", "session", found.session_id),
        )
        .await?;
        work.commit().await?;
        return Err(end(
            "SESSION_IDLE",
            "You were signed out after a period without activity.",
        ));
    }
    sessions::mark_refresh_token_used(&mut work, found.token_id).await?;
    sessions::touch(&mut work, found.session_id).await?;
    let next = new_refresh_token(&mut work, auth.settings, found.session_id, now).await?;
    work.commit().await?;
    Ok(SignedIn {
        tokens: token_response(
            auth,
            identity,
            found.session_id,
            found.mfa_at.is_some(),
            now,
        )?,
        refresh_token: Some(next),
    })
}

/// Signs out the caller's session (its refresh token stops working at once, and so does its
/// access token: every request checks the session).
pub async fn logout(db: &Db, actor: &Actor, facts: &RequestFacts) -> Result<(), AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    end_session(
        &mut work,
        actor.user_id,
        actor.session_id,
        "logout",
        Event::new("logout", "session", actor.session_id),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Signs out the session a refresh token belongs to (the access token has expired, e.g. after
/// an idle sign-out). An unknown token changes nothing and is not an error: signing out is
/// what the caller wanted.
pub async fn logout_with_refresh_token(
    db: &Db,
    facts: &RequestFacts,
    presented: &Presented,
) -> Result<(), AppError> {
    // System context only to find the token; the revocation acts as its user.
    let mut work = Work::before_sign_in(db, facts).await?;
    if let Some(found) =
        sessions::find_refresh_token(&mut work, &tokens::hash(&presented.token)).await?
    {
        work.act_for(found.user_id, None).await?;
        end_session(
            &mut work,
            found.user_id,
            found.session_id,
            "logout",
            Event::new("logout", "session", found.session_id),
        )
        .await?;
    }
    work.commit().await?;
    Ok(())
}

/// Signs out every session of the caller, on every device.
pub async fn logout_everywhere(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<(), AppError> {
    let mut work = Work::begin(db, actor, facts).await?;
    let n = sessions::revoke_all(&mut work, actor.user_id, "logout everywhere").await?;
    work.record(
        Event::new("logout_all", "user", actor.user_id)
            .details(serde_json::json!({ "sessions": n })),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Ends `session` of `user` (its refresh tokens and access tokens stop working) and records why.
async fn end_session(
    work: &mut Work<'_>,
    user: Uuid,
    session: Uuid,
    reason: &str,
    event: Event<'_>,
) -> Result<(), AppError> {
    sessions::revoke(work, user.into(), session.into(), reason).await?;
    work.record(event).await
}

/// A new session for a user who just proved who they are: acts as them from here, resets the
/// failure count, stores the session and its refresh token and audits the sign-in.
async fn open_session(
    work: &mut Work<'_>,
    auth: AuthServices<'_>,
    user_id: Uuid,
    mfa_passed: bool,
    details: Option<serde_json::Value>,
) -> Result<SignedIn, AppError> {
    let now = Utc::now();
    work.act_for(user_id, None).await?;
    users::record_login_success(work, user_id).await?;
    let (ip, user_agent) = (work.facts().ip.clone(), work.facts().user_agent.clone());
    let session_id = sessions::create(work, user_id, ip.as_deref(), user_agent.as_deref()).await?;
    if mfa_passed {
        mfa::mark_session_mfa(work, session_id).await?;
    }
    let refresh = new_refresh_token(work, auth.settings, session_id, now).await?;
    let identity = load_identity(work, user_id).await?;
    let mut event = Event::new("login", "session", session_id);
    if let Some(details) = details {
        event = event.details(details);
    }
    work.record(event).await?;
    Ok(SignedIn {
        tokens: token_response(auth, identity, session_id, mfa_passed, now)?,
        refresh_token: Some(refresh),
    })
}

/// A new refresh token for `session_id`; returns the token to hand out (stored hashed).
async fn new_refresh_token(
    conn: &mut PgConnection,
    settings: &Settings,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (token, hash) = tokens::new_token();
    let expires = now + TimeDelta::days(settings.auth.refresh_token_days);
    sessions::insert_refresh_token(conn, session_id, &hash, expires).await?;
    Ok(token)
}

/// The access token for `identity` in `session_id`, and who it is for.
pub fn token_response(
    auth: AuthServices<'_>,
    identity: Identity,
    session_id: Uuid,
    mfa: bool,
    now: DateTime<Utc>,
) -> Result<TokenResponse, AppError> {
    let roles: Vec<Role> = identity
        .roles
        .iter()
        .filter_map(|r| r.parse().ok())
        .collect();
    let status = MfaStatus::of(&roles, identity.mfa_enrolled, mfa);
    let access = auth
        .keys
        .issue(
            TokenFacts {
                user_id: identity.me.id,
                session_id,
                roles: identity.roles,
                clinics: identity.clinics,
                clinic_roles: identity.clinic_roles,
                pharmacies: identity.pharmacies,
                mfa,
                mfa_enrolled: identity.mfa_enrolled,
            },
            now,
        )
        .map_err(AppError::internal)?;
    Ok(TokenResponse {
        access_token: access,
        token_type: rxgate_api_types::vocab::TokenType::Bearer,
        expires_in: auth.keys.ttl().num_seconds(),
        refresh_token: None,
        user: identity.me,
        mfa: status.into(),
    })
}

/// Whether a session with these roles has been idle too long at `now` (staff sooner).
pub fn idle_expired(
    settings: &Settings,
    roles: &[String],
    last_seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let staff = roles.iter().any(|r| r != "patient");
    let minutes = if staff {
        settings.auth.staff_idle_minutes
    } else {
        settings.auth.patient_idle_minutes
    };
    now - last_seen > TimeDelta::minutes(minutes)
}

/// Refuses suspended accounts and unverified addresses: checked after the credential, so these
/// answers never tell a stranger that an account exists. Nothing is written.
fn may_sign_in(user: &users::UserRow) -> Result<(), AppError> {
    if user.status == UserStatus::Suspended {
        return Err(AppError::Forbidden {
            code: "ACCOUNT_SUSPENDED",
            detail: "This account is suspended.".into(),
        });
    }
    if user.email_verified_at.is_none() {
        return Err(AppError::Forbidden {
            code: "EMAIL_NOT_VERIFIED",
            detail: "Verify your email address first: open the link we sent you.".into(),
        });
    }
    Ok(())
}

fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    AppError::Locked {
        retry_after_secs: (until - now).num_seconds(),
    }
}

fn no_session() -> AppError {
    AppError::SessionEnded {
        code: "REFRESH_INVALID",
        detail: "There is no valid session. Please sign in.".into(),
    }
}

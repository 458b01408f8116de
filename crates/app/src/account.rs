//! The signed-in person's own account: their profile, sessions (devices) and consents, and
//! their second factors (an authenticator app, passkeys). Setting up a factor marks the acting
//! session as having passed it; the caller then issues fresh tokens from the [`Identity`]
//! returned.

use chrono::{DateTime, Utc};
use rxgate_api_types::FieldError;
use rxgate_api_types::auth::{
    ConsentView, Me, PasskeyChallenge, PasskeyView, SessionView, TotpEnrolment,
};
use rxgate_domain::identity::MfaStatus;
use rxgate_persistence::{Db, consents, mfa, passkeys, sessions, users};
use uuid::Uuid;
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{PasskeyRegistration as RegistrationState, RegisterPublicKeyCredential};

use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::passkeys::{
    MAX_PASSKEYS, ceremony_gone, expiry, from_client, from_stored, not_verified, parse_passkey,
    passkey_view, prefer_discoverable, to_json,
};
use crate::auth::{Actor, Identity, RequestFacts, load_identity, tokens, totp};
use crate::crypto::DataKeys;

/// A consent given or withdrawn.
#[derive(Debug, Clone)]
pub struct Consent {
    pub purpose: String,
    pub policy_version: String,
    pub granted: bool,
}

/// The authenticator app is set up: the recovery codes (shown only now) and who the caller is
/// now, to issue tokens with the second factor passed.
pub struct TotpConfirmed {
    pub recovery_codes: Vec<String>,
    pub identity: Identity,
}

/// A passkey to register: the ceremony it answers, its name and the authenticator's answer.
#[derive(Debug, Clone)]
pub struct NewPasskey {
    pub ceremony_id: Uuid,
    pub name: String,
    /// The `PublicKeyCredential`, WebAuthn JSON as the client sent it.
    pub credential: serde_json::Value,
}

/// A passkey registered, and who the caller is now (to issue tokens with the second factor
/// passed).
pub struct PasskeyAdded {
    pub passkey: PasskeyView,
    pub identity: Identity,
}

/// The caller's profile, roles and memberships (audited as a read of the user).
pub async fn me(db: &Db, actor: &Actor, facts: &RequestFacts) -> Result<Me, AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    let identity = load_identity(&mut tx, actor.user_id).await?;
    tx.record(Event::new("read", "user", actor.user_id)).await?;
    tx.commit().await?;
    Ok(identity.me)
}

/// The caller's live sessions, most recently active first, the acting one marked current.
pub async fn list_sessions(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<Vec<SessionView>, AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = sessions::list_live(&mut tx, actor.user_id).await?;
    tx.record(Event::new("read", "sessions", actor.user_id))
        .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|s| SessionView {
            current: s.id == actor.session_id,
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            user_agent: s.user_agent,
            ip: s.ip,
        })
        .collect())
}

/// Signs out one of the caller's sessions; another person's (or an ended one) is 404.
pub async fn revoke_session(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    session_id: Uuid,
) -> Result<(), AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    if !sessions::revoke(
        &mut tx,
        actor.user_id.into(),
        session_id.into(),
        "revoked by user",
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    tx.record(Event::new("revoke", "session", session_id))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Every consent the caller gave or withdrew, newest first.
pub async fn list_consents(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<Vec<ConsentView>, AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    let rows = consents::list(&mut tx, actor.user_id).await?;
    tx.record(Event::new("read", "consents", actor.user_id))
        .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| ConsentView {
            id: r.id,
            purpose: r.purpose,
            policy_version: r.policy_version,
            granted: r.granted,
            recorded_at: r.recorded_at,
        })
        .collect())
}

/// Records a consent given or withdrawn (a new record, with where it came from; history is
/// kept).
pub async fn record_consent(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    consent: Consent,
) -> Result<ConsentView, AppError> {
    // A lower-case letter, then 1 to 40 lower-case letters, digits or `_` (the table's own
    // check): refused here as a field error rather than by the constraint as a conflict.
    let purpose = consent.purpose.as_bytes();
    let purpose_ok = (2..=41).contains(&purpose.len())
        && purpose[0].is_ascii_lowercase()
        && purpose
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
    if !purpose_ok {
        return Err(AppError::Validation(vec![FieldError {
            field: "purpose".into(),
            code: "purpose".into(),
            message: "A lower-case letter, then lower-case letters, digits or _.".into(),
        }]));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let row = consents::record(
        &mut tx,
        actor.user_id,
        &consent.purpose,
        &consent.policy_version,
        consent.granted,
        facts.ip.as_deref(),
        facts.user_agent.as_deref(),
    )
    .await?;
    tx.record(
        Event::new(
            if consent.granted {
                "consent_granted"
            } else {
                "consent_withdrawn"
            },
            "consent",
            row.id,
        )
        .details(
            serde_json::json!({ "purpose": row.purpose, "policy_version": row.policy_version }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ConsentView {
        id: row.id,
        purpose: row.purpose,
        policy_version: row.policy_version,
        granted: row.granted,
        recorded_at: row.recorded_at,
    })
}

/// Starts setting up an authenticator app: a new secret, sealed with the data keys, replacing
/// an unconfirmed one. 409 `MFA_ALREADY_ENROLLED` when one is confirmed.
pub async fn start_totp(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<TotpEnrolment, AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    let user = users::find(&mut tx, actor.user_id).await?;
    let secret = totp::new_secret();
    let sealed = keys
        .seal(&secret, actor.user_id.as_bytes())
        .map_err(AppError::internal)?;
    if !mfa::start_totp(&mut tx, actor.user_id, &sealed, keys.current_id()).await? {
        return Err(AppError::Conflict {
            code: "MFA_ALREADY_ENROLLED",
            detail: "An authenticator app is already set up for this account.".into(),
        });
    }
    let (secret, otpauth_url, qr_svg) = totp::enrolment(&secret, &user.email)
        .ok_or_else(|| AppError::Internal("TOTP enrolment could not be built".into()))?;
    tx.record(Event::new("mfa_enrolment_started", "user", actor.user_id).risk("medium"))
        .await?;
    tx.commit().await?;
    Ok(TotpEnrolment {
        secret,
        otpauth_url,
        qr_svg,
    })
}

/// Finishes setting up the authenticator app with the code valid at `now`: confirms it, replaces
/// the recovery codes with ten new ones and marks the acting session as having passed the
/// second factor.
pub async fn confirm_totp(
    db: &Db,
    keys: &DataKeys,
    actor: &Actor,
    facts: &RequestFacts,
    code: &str,
    now: DateTime<Utc>,
) -> Result<TotpConfirmed, AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    let Some(row) = mfa::find_totp(&mut tx, actor.user_id).await? else {
        return Err(AppError::Conflict {
            code: "MFA_NOT_STARTED",
            detail: "Start the set-up first.".into(),
        });
    };
    if row.confirmed_at.is_some() {
        return Err(AppError::Conflict {
            code: "MFA_ALREADY_ENROLLED",
            detail: "An authenticator app is already set up for this account.".into(),
        });
    }
    let secret = keys
        .open(&row.key_id, &row.secret_enc, actor.user_id.as_bytes())
        .map_err(AppError::internal)?;
    let Some(step) = totp::matching_step(&secret, code, now) else {
        return Err(AppError::Validation(vec![FieldError {
            field: "code".into(),
            code: "totp".into(),
            message:
                "That code is not right. Check the time on your phone and try the newest code."
                    .into(),
        }]));
    };
    mfa::confirm_totp(&mut tx, actor.user_id, step).await?;
    let codes = totp::recovery_codes();
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .map(|c| tokens::hash(&totp::normalise_recovery_code(c)))
        .collect();
    mfa::replace_recovery_codes(&mut tx, actor.user_id, &hashes).await?;
    mfa::mark_session_mfa(&mut tx, actor.session_id).await?;
    let identity = load_identity(&mut tx, actor.user_id).await?;
    tx.record(Event::new("mfa_enrolled", "user", actor.user_id).risk("medium"))
        .await?;
    tx.commit().await?;
    Ok(TotpConfirmed {
        recovery_codes: codes,
        identity,
    })
}

/// The caller's passkeys, oldest first (at most [`MAX_PASSKEYS`]).
pub async fn list_passkeys(db: &Db, actor: &Actor) -> Result<Vec<PasskeyView>, AppError> {
    let mut tx = db.begin(&actor.rls()).await?;
    let rows = passkeys::list_for_user(&mut tx, actor.user_id).await?;
    tx.commit().await?;
    Ok(rows.iter().map(passkey_view).collect())
}

/// Starts registering a passkey at `now`: the options for the authenticator (excluding the
/// caller's passkeys) and the stored ceremony they answer. 409 `TOO_MANY_PASSKEYS` at the
/// limit.
pub async fn passkey_options(
    db: &Db,
    webauthn: &Webauthn,
    actor: &Actor,
    facts: &RequestFacts,
    now: DateTime<Utc>,
) -> Result<PasskeyChallenge, AppError> {
    require_factor_passed(actor)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let user = users::find(&mut tx, actor.user_id).await?;
    let existing = passkeys::list_for_user(&mut tx, actor.user_id).await?;
    if i64::try_from(existing.len()).unwrap_or(i64::MAX) >= MAX_PASSKEYS {
        return Err(AppError::Conflict {
            code: "TOO_MANY_PASSKEYS",
            detail: format!(
                "An account can have at most {MAX_PASSKEYS} passkeys. Remove one first."
            ),
        });
    }
    let exclude = existing
        .iter()
        .map(|row| parse_passkey(row).map(|p| p.cred_id().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let (options, registration) = webauthn
        .start_passkey_registration(user.id, &user.email, &user.display_name, Some(exclude))
        .map_err(AppError::internal)?;
    let ceremony_id = passkeys::start_ceremony(
        &mut tx,
        Some(actor.user_id),
        None,
        "register",
        &to_json(&registration)?,
        expiry(now),
    )
    .await?;
    tx.record(Event::new(
        "passkey_registration_started",
        "user",
        actor.user_id,
    ))
    .await?;
    tx.commit().await?;
    Ok(PasskeyChallenge {
        ceremony_id,
        options: to_json(&prefer_discoverable(options))?,
    })
}

/// Finishes registering a passkey with the authenticator's answer. The ceremony is used up
/// whether or not the answer verifies. The passkey counts as a second factor from now on, and
/// the acting session as having passed it; an unconfirmed authenticator-app set-up is dropped.
pub async fn add_passkey(
    db: &Db,
    webauthn: &Webauthn,
    actor: &Actor,
    facts: &RequestFacts,
    new: NewPasskey,
) -> Result<PasskeyAdded, AppError> {
    require_factor_passed(actor)?;
    let name = new.name.trim();
    if name.is_empty() {
        return Err(AppError::Validation(vec![FieldError {
            field: "name".into(),
            code: "length".into(),
            message: "Give the passkey a name.".into(),
        }]));
    }
    let credential: RegisterPublicKeyCredential = from_client(&new.credential)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let stored = passkeys::take_ceremony(
        &mut tx,
        new.ceremony_id,
        "register",
        Some(actor.user_id),
        None,
    )
    .await?;
    let Some(stored) = stored else {
        tx.commit().await?;
        return Err(ceremony_gone());
    };
    let registration: RegistrationState = from_stored(stored)?;
    let passkey = match webauthn.finish_passkey_registration(&credential, &registration) {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(error = %e, "passkey registration did not verify");
            // The ceremony is used up either way.
            tx.commit().await?;
            return Err(not_verified());
        }
    };
    let row = passkeys::insert(
        &mut tx,
        actor.user_id,
        passkey.cred_id().as_ref(),
        name,
        &to_json(&passkey)?,
    )
    .await?;
    mfa::mark_session_mfa(&mut tx, actor.session_id).await?;
    // An authenticator-app set-up started and left for this passkey is not kept.
    mfa::discard_unconfirmed_totp(&mut tx, actor.user_id).await?;
    let identity = load_identity(&mut tx, actor.user_id).await?;
    tx.record(Event::new("passkey_registered", "passkey", row.id).risk("medium"))
        .await?;
    tx.commit().await?;
    Ok(PasskeyAdded {
        passkey: passkey_view(&row),
        identity,
    })
}

/// Removes one of the caller's passkeys; another person's is 404. Staff cannot remove their
/// last second factor (409 `LAST_SECOND_FACTOR`).
pub async fn delete_passkey(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    passkey_id: Uuid,
) -> Result<(), AppError> {
    let mut tx = Work::begin(db, actor, facts).await?;
    if !passkeys::delete(&mut tx, actor.user_id, passkey_id).await? {
        return Err(AppError::NotFound);
    }
    let staff = actor.roles.iter().any(|r| r.is_staff());
    if staff && !mfa::methods(&mut tx, actor.user_id).await?.any() {
        tx.rollback().await?;
        return Err(AppError::Conflict {
            code: "LAST_SECOND_FACTOR",
            detail:
                "Staff accounts need a second factor: add another one before removing this passkey."
                    .into(),
        });
    }
    tx.record(Event::new("passkey_removed", "passkey", passkey_id).risk("medium"))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Adding a factor needs the existing one passed: a stolen password alone must not be enough
/// to plant an attacker's passkey. (Staff without any factor may add one to set it up.)
pub fn require_factor_passed(actor: &Actor) -> Result<(), AppError> {
    match MfaStatus::of(&actor.roles, actor.mfa_enrolled, actor.mfa) {
        MfaStatus::Required => Err(AppError::Forbidden {
            code: "MFA_REQUIRED",
            detail: "Pass your second factor first.".into(),
        }),
        MfaStatus::Satisfied | MfaStatus::NotRequired | MfaStatus::EnrolmentRequired => Ok(()),
    }
}

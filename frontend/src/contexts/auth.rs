//! The one auth context: who is signed in, their access token, and where their session stands
//! with the second factor.
//!
//! All of it lives in memory only, in signals (and the token, mirrored for `api.rs`, in its
//! memory): never in `localStorage` or `sessionStorage`, where any script could read them. The
//! refresh token is an HttpOnly, `SameSite=Strict` cookie that no script can read; a reload
//! restores the session by asking `/auth/refresh` for a new access token, and a timer renews it
//! shortly before it runs out, but only if the person did something since the last renewal (the
//! server ends sessions that were not renewed for the idle time-out). Activity is reported by
//! `components::idle`, which also signs idle people out.

use std::time::Duration;

use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rxgate_api_types::auth::{
    CodeInput, LoginRequest, Me, MfaVerifyRequest, PasskeyAssertion, PasskeyRegistration,
    PasskeyView, TokenResponse,
};

use crate::api::{self, ApiError};
use crate::routes::{Page, safe_next};
use crate::webauthn;

/// A role as `Me.roles` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    PlatformAdmin,
    InformationOfficer,
    ClinicAdmin,
    Doctor,
    Pharmacist,
    Patient,
}

impl Role {
    /// Highest first: a person with several roles lands on the home of the first one.
    pub const BY_PRIORITY: [Self; 6] = [
        Self::PlatformAdmin,
        Self::InformationOfficer,
        Self::ClinicAdmin,
        Self::Doctor,
        Self::Pharmacist,
        Self::Patient,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PlatformAdmin => "platform_admin",
            Self::InformationOfficer => "information_officer",
            Self::ClinicAdmin => "clinic_admin",
            Self::Doctor => "doctor",
            Self::Pharmacist => "pharmacist",
            Self::Patient => "patient",
        }
    }

    /// For people, e.g. "Clinic admin".
    pub fn title(self) -> &'static str {
        match self {
            Self::PlatformAdmin => "Platform admin",
            Self::InformationOfficer => "Information officer",
            Self::ClinicAdmin => "Clinic admin",
            Self::Doctor => "Doctor",
            Self::Pharmacist => "Pharmacist",
            Self::Patient => "Patient",
        }
    }

    /// The portal home of the role.
    pub fn home(self) -> Page {
        match self {
            Self::PlatformAdmin => Page::PlatformAdminHome,
            Self::InformationOfficer => Page::AuditLog,
            Self::ClinicAdmin => Page::ClinicAdminHome,
            Self::Doctor => Page::DoctorHome,
            Self::Pharmacist => Page::PharmacistHome,
            Self::Patient => Page::PatientHome,
        }
    }

    /// The pages of the role's portal in navigation, its home first.
    pub fn pages(self) -> &'static [Page] {
        match self {
            Self::PlatformAdmin => &[
                Page::PlatformAdminHome,
                Page::AdminDoctors,
                Page::AdminOrganisations,
                Page::AdminInvitations,
                Page::AdminUsers,
                Page::AdminCatalogue,
                Page::AdminRules,
                Page::AdminFlags,
                Page::AdminQuestionnaires,
            ],
            Self::InformationOfficer => &[Page::AuditLog],
            Self::ClinicAdmin => &[
                Page::ClinicAdminHome,
                Page::ClinicCatalogue,
                Page::ClinicConsultOffer,
                Page::ClinicBookings,
            ],
            Self::Doctor => &[
                Page::DoctorHome,
                Page::DoctorPatients,
                Page::DoctorReviewQueue,
                Page::DoctorPrices,
                Page::DoctorCalendar,
                Page::DoctorSchedule,
            ],
            Self::Pharmacist => &[Page::PharmacistHome],
            Self::Patient => &[
                Page::PatientHome,
                Page::PatientShop,
                Page::PatientConsults,
                Page::PatientQuestionnaire,
                Page::PatientHealthProfile,
            ],
        }
    }

    /// The roles `me` has, highest first (unknown role names are ignored).
    pub fn of(me: &Me) -> Vec<Self> {
        Self::BY_PRIORITY
            .into_iter()
            .filter(|r| me.roles.iter().any(|name| name == r.as_str()))
            .collect()
    }

    /// The portals `me` may open, highest first: those of their roles, and the doctor portal
    /// for a doctor whose registration is not approved (yet, or any more), who has no doctor
    /// role but should see where the registration stands.
    pub fn portals(me: &Me) -> Vec<Self> {
        Self::BY_PRIORITY
            .into_iter()
            .filter(|r| {
                me.roles.iter().any(|name| name == r.as_str())
                    || (*r == Self::Doctor && me.doctor_status.is_some())
            })
            .collect()
    }
}

/// Where a session stands with its second factor (`TokenResponse.mfa`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mfa {
    /// Passed for this session.
    Satisfied,
    /// A patient without a second factor (optional for them).
    NotRequired,
    /// Set up, but this session has not passed it yet: enter a code.
    Required,
    /// Staff without a second factor: set one up before anything else.
    EnrolmentRequired,
}

impl Mfa {
    /// An unknown value counts as not required: the server still refuses what it must.
    pub fn parse(value: &str) -> Self {
        match value {
            "satisfied" => Self::Satisfied,
            "required" => Self::Required,
            "enrolment_required" => Self::EnrolmentRequired,
            _ => Self::NotRequired,
        }
    }

    /// The page that completes a pending second factor; `None` when the session may use the
    /// app.
    pub fn pending_page(self) -> Option<Page> {
        match self {
            Self::Required => Some(Page::MfaVerify),
            Self::EnrolmentRequired => Some(Page::MfaSetup),
            Self::Satisfied | Self::NotRequired => None,
        }
    }
}

/// How long staff may do nothing before they are signed out.
pub const STAFF_IDLE_MINUTES: u32 = 15;
/// The same for patients.
pub const PATIENT_IDLE_MINUTES: u32 = 60;

/// The idle time-out of `me`, as the server counts it: staff is anyone with a role other than
/// patient.
pub fn idle_minutes(me: &Me) -> u32 {
    if me.roles.iter().any(|r| r != Role::Patient.as_str()) {
        STAFF_IDLE_MINUTES
    } else {
        PATIENT_IDLE_MINUTES
    }
}

/// Where `me` lands after signing in: the home of their highest portal.
pub fn home_of(me: &Me) -> Page {
    Role::portals(me)
        .first()
        .map_or(Page::Account, |r| r.home())
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    /// Asking `/auth/refresh` whether the browser still holds a session (at start-up).
    Restoring,
    SignedOut,
    SignedIn {
        access_token: String,
        user: Me,
        mfa: Mfa,
    },
}

/// What the person did, as far as staying signed in is concerned.
#[derive(Debug, Clone, Copy, Default)]
struct Activity {
    /// When they last pressed a key, touched, clicked or scrolled (`Date.now()`, ms).
    last_at: f64,
    /// Whether they did anything since the access token was last renewed.
    since_refresh: bool,
    /// A renewal was skipped for want of activity: renew at the next sign of life.
    renewal_due: bool,
}

/// Retry a renewal that failed for want of a network after this long.
const RETRY_SECS: u64 = 30;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[derive(Debug, Clone, Copy)]
pub struct Auth {
    state: RwSignal<State>,
    /// Who is signed in; changes only when the person does (not when the token is renewed).
    user: Memo<Option<Me>>,
    /// `None` while restoring, then whether someone is signed in.
    status: Memo<Option<bool>>,
    /// Where the signed-in session stands with its second factor.
    mfa: Memo<Option<Mfa>>,
    /// `None` while restoring, then whether someone is signed in with the second factor done.
    access: Memo<Option<bool>>,
    /// Why the last session ended, when it was not the person's own doing.
    notice: RwSignal<Option<String>>,
    renewal: StoredValue<Option<TimeoutHandle>>,
    activity: StoredValue<Activity>,
    /// Bumped on every sign-in and sign-out, so a slow answer cannot undo a newer change.
    epoch: StoredValue<u64>,
    /// The last sign-out was asked for (rather than a session that ran out).
    signed_out_on_purpose: StoredValue<bool>,
}

/// Creates the context, provides it and starts restoring a session. Called once, by `App`.
pub fn provide_auth() -> Auth {
    let state = RwSignal::new(State::Restoring);
    let mfa = Memo::new(move |_| {
        state.with(|s| match s {
            State::SignedIn { mfa, .. } => Some(*mfa),
            State::Restoring | State::SignedOut => None,
        })
    });
    let auth = Auth {
        state,
        user: Memo::new(move |_| {
            state.with(|s| match s {
                State::SignedIn { user, .. } => Some(user.clone()),
                State::Restoring | State::SignedOut => None,
            })
        }),
        status: Memo::new(move |_| {
            state.with(|s| match s {
                State::Restoring => None,
                State::SignedOut => Some(false),
                State::SignedIn { .. } => Some(true),
            })
        }),
        mfa,
        access: Memo::new(move |_| {
            state.with(|s| match s {
                State::Restoring => None,
                State::SignedOut => Some(false),
                State::SignedIn { mfa, .. } => Some(mfa.pending_page().is_none()),
            })
        }),
        notice: RwSignal::new(None),
        renewal: StoredValue::new(None),
        activity: StoredValue::new(Activity {
            last_at: now_ms(),
            ..Activity::default()
        }),
        epoch: StoredValue::new(0),
        signed_out_on_purpose: StoredValue::new(false),
    };
    provide_context(auth);
    api::set_renewer(std::rc::Rc::new(move || {
        auth.renew_for_request().boxed_local()
    }));
    spawn_local(auth.refresh());
    auth
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

impl Auth {
    /// The signed-in person (tracked).
    pub fn user(self) -> Option<Me> {
        self.user.get()
    }

    pub fn user_untracked(self) -> Option<Me> {
        self.user.get_untracked()
    }

    /// `None` while the session is being restored, then whether someone is signed in (tracked).
    pub fn signed_in(self) -> Option<bool> {
        self.status.get()
    }

    /// Like `signed_in`, but `Some(true)` only once the second factor is done: the condition of
    /// every page that uses the API beyond the second-factor pages (tracked).
    pub fn access(self) -> Option<bool> {
        self.access.get()
    }

    /// Where the signed-in session stands with its second factor (tracked).
    pub fn mfa(self) -> Option<Mfa> {
        self.mfa.get()
    }

    pub fn mfa_untracked(self) -> Option<Mfa> {
        self.mfa.get_untracked()
    }

    /// Why the last session ended, if it ended by itself (idle, revoked elsewhere) (tracked).
    pub fn notice(self) -> Option<String> {
        self.notice.get()
    }

    /// Whether the signed-in person may open the portal of `role`.
    pub fn has_portal_untracked(self, role: Role) -> bool {
        self.user.with_untracked(|u| {
            u.as_ref()
                .is_some_and(|me| Role::portals(me).contains(&role))
        })
    }

    /// Where a guarded page sends someone who is not signed in: the sign-in page, coming back to
    /// `from` afterwards unless they have just signed out themselves.
    pub fn sign_in_path(self, from: &str) -> String {
        if self.signed_out_on_purpose.get_value() || from == Page::Home.path() {
            Page::SignIn.path().to_owned()
        } else {
            Page::SignIn.with_query("next", from)
        }
    }

    /// Where a guarded page sends someone it does not let in: the pending second-factor step if
    /// they are signed in, the sign-in page otherwise; back to `from` afterwards.
    pub fn guard_redirect(self, from: &str) -> String {
        match self.mfa_untracked().and_then(Mfa::pending_page) {
            Some(page) if from != Page::Home.path() => page.with_query("next", from),
            Some(page) => page.path().to_owned(),
            None => self.sign_in_path(from),
        }
    }

    /// Where the person goes now that they signed in (or passed a step of it): the pending
    /// second-factor step (passing `next` along), else `next` if it is a safe path, else the
    /// home of their highest portal.
    pub fn landing_path(self, next: Option<&str>) -> String {
        let next = next.and_then(safe_next);
        self.state.with_untracked(|s| match s {
            State::SignedIn { user, mfa, .. } => match (mfa.pending_page(), next) {
                (Some(page), Some(next)) => page.with_query("next", next),
                (Some(page), None) => page.path().to_owned(),
                (None, Some(next)) => next.to_owned(),
                (None, None) => home_of(user).path().to_owned(),
            },
            State::Restoring | State::SignedOut => Page::SignIn.path().to_owned(),
        })
    }

    /// Signs in with email and password. Staff (and patients who turned it on) still have to
    /// pass the second factor: see `mfa` and `landing_path`.
    pub async fn login(self, email: String, password: String) -> Result<(), ApiError> {
        let body = LoginRequest {
            email,
            password,
            refresh_token_in_body: false,
        };
        let tokens = api::login(&body).await?;
        self.accept(tokens);
        Ok(())
    }

    /// Signs in with a passkey alone: the authenticator picks the account, and unlocking it
    /// (fingerprint, face, screen lock) counts as the second factor.
    pub async fn sign_in_with_passkey(self) -> Result<(), ApiError> {
        let challenge = api::passkey_sign_in_options().await?;
        let credential = webauthn::get(challenge.options).await?;
        let tokens = api::passkey_sign_in(&PasskeyAssertion {
            ceremony_id: challenge.ceremony_id,
            credential,
            refresh_token_in_body: false,
        })
        .await?;
        self.accept(tokens);
        Ok(())
    }

    /// Passes the second factor with one of the person's passkeys.
    pub async fn verify_mfa_with_passkey(self) -> Result<(), ApiError> {
        let challenge = api::mfa_passkey_options().await?;
        let credential = webauthn::get(challenge.options).await?;
        let tokens = api::mfa_passkey_verify(&PasskeyAssertion {
            ceremony_id: challenge.ceremony_id,
            credential,
            refresh_token_in_body: false,
        })
        .await?;
        self.accept_if_signed_in(tokens);
        Ok(())
    }

    /// Adds a passkey called `name` to the signed-in person's account. It is a second factor
    /// from now on, and this session has passed it: the new tokens say so.
    pub async fn add_passkey(self, name: String) -> Result<PasskeyView, ApiError> {
        let challenge = api::passkey_registration_options().await?;
        let credential = webauthn::create(challenge.options).await?;
        let registered = api::add_passkey(&PasskeyRegistration {
            ceremony_id: challenge.ceremony_id,
            name,
            credential,
        })
        .await?;
        self.accept_if_signed_in(registered.tokens);
        Ok(registered.passkey)
    }

    /// Passes the second factor with an authenticator code or a recovery code.
    pub async fn verify_mfa(self, body: MfaVerifyRequest) -> Result<(), ApiError> {
        let tokens = api::mfa_verify(&body).await?;
        self.accept_if_signed_in(tokens);
        Ok(())
    }

    /// Finishes setting up an authenticator app with a current code; returns the recovery
    /// codes, which the server shows only this once.
    pub async fn confirm_totp(self, code: String) -> Result<Vec<String>, ApiError> {
        let enrolled = api::confirm_totp(&CodeInput { code }).await?;
        self.accept_if_signed_in(enrolled.tokens);
        Ok(enrolled.recovery_codes)
    }

    /// Forgets the session here at once, then tells the server (which clears the cookie).
    pub fn sign_out(self) {
        self.end_session(true);
    }

    /// Signs out someone who did nothing for their idle time-out, saying so on the sign-in page.
    pub fn sign_out_idle(self) {
        let minutes = self
            .user
            .with_untracked(|u| u.as_ref().map(idle_minutes))
            .unwrap_or(PATIENT_IDLE_MINUTES);
        self.end_session(false);
        self.notice.set(Some(format!(
            "You were signed out after {minutes} minutes without activity."
        )));
    }

    /// Ends every session of this person, on every device, this one included.
    pub async fn sign_out_everywhere(self) -> Result<(), ApiError> {
        api::logout_all().await?;
        self.forget(true);
        Ok(())
    }

    /// The person pressed a key, touched, clicked or scrolled. A renewal skipped for want of
    /// activity happens now.
    pub fn note_activity(self) {
        let mut renew = false;
        self.activity.update_value(|a| {
            a.last_at = now_ms();
            a.since_refresh = true;
            renew = std::mem::take(&mut a.renewal_due);
        });
        if renew && self.status.get_untracked() == Some(true) {
            spawn_local(self.refresh());
        }
    }

    /// How long until the signed-in person is signed out for doing nothing (ms, may be
    /// negative), and their idle time-out in minutes; `None` when nobody is signed in.
    pub fn idle_left_untracked(self) -> Option<(f64, u32)> {
        let minutes = self.user.with_untracked(|u| u.as_ref().map(idle_minutes))?;
        let idle = now_ms() - self.activity.with_value(|a| a.last_at);
        Some((f64::from(minutes) * 60_000.0 - idle, minutes))
    }

    fn end_session(self, on_purpose: bool) {
        let token = self.state.with_untracked(|s| match s {
            State::SignedIn { access_token, .. } => Some(access_token.clone()),
            State::Restoring | State::SignedOut => None,
        });
        self.forget(on_purpose);
        if let Some(token) = token {
            spawn_local(async move {
                // Nothing to do on failure: the session is gone from this tab either way, and
                // the server lets it expire.
                let _ = api::logout(&token).await;
            });
        }
    }

    /// Asks for a new access token with the refresh cookie. At start-up any failure means
    /// "signed out"; later, a `401`/`403` means the session ended, and a network failure is
    /// retried.
    async fn refresh(self) {
        let epoch = self.epoch.get_value();
        let result = api::refresh().await;
        if self.epoch.get_value() != epoch {
            return; // signed in or out meanwhile
        }
        let was_signed_in = self.status.get_untracked() == Some(true);
        match result {
            Ok(tokens) => self.accept(tokens),
            Err(ApiError::Network(_)) if was_signed_in => {
                self.schedule(Duration::from_secs(RETRY_SECS));
            }
            Err(e) => {
                self.forget(false);
                if was_signed_in && let ApiError::Problem(p) = e {
                    self.notice.set(Some(p.detail.unwrap_or(p.title)));
                }
            }
        }
    }

    /// Renews the access token at once for a request that found it expired, unless the person
    /// did nothing since the last renewal (a request of an idle tab must not keep the session
    /// alive). True when a new token is in place.
    async fn renew_for_request(self) -> bool {
        let active = self.activity.with_value(|a| a.since_refresh);
        if self.status.get_untracked() != Some(true) || !active {
            return false;
        }
        let epoch = self.epoch.get_value();
        self.refresh().await;
        // A sign-out also moves the epoch on: only a session still signed in was renewed.
        self.epoch.get_value() != epoch && self.status.get_untracked() == Some(true)
    }

    /// The timer of the renewal went off: renew if the person did anything since the last
    /// renewal, else wait for them to (an idle session must not be kept alive by this tab).
    fn renew(self) {
        let active = self.activity.with_value(|a| a.since_refresh);
        if active {
            spawn_local(self.refresh());
        } else {
            self.activity.update_value(|a| a.renewal_due = true);
        }
    }

    /// Takes tokens that answered a request of the signed-in session, unless it ended meanwhile.
    fn accept_if_signed_in(self, tokens: TokenResponse) {
        if self.status.get_untracked() == Some(true) {
            self.accept(tokens);
        }
    }

    fn accept(self, tokens: TokenResponse) {
        let was_signed_in = self.status.get_untracked() == Some(true);
        self.epoch.update_value(|e| *e += 1);
        self.signed_out_on_purpose.set_value(false);
        if self.notice.with_untracked(Option::is_some) {
            self.notice.set(None);
        }
        self.activity.update_value(|a| {
            a.since_refresh = false;
            a.renewal_due = false;
            if !was_signed_in {
                a.last_at = now_ms();
            }
        });
        api::set_access_token(Some(tokens.access_token.clone()));
        self.state.set(State::SignedIn {
            access_token: tokens.access_token,
            user: tokens.user,
            mfa: Mfa::parse(tokens.mfa.as_str()),
        });
        // Renew a minute before expiry (half-way through for very short lifetimes).
        let lifetime = u64::try_from(tokens.expires_in).unwrap_or(0);
        let lead = 60.min(lifetime / 2);
        self.schedule(Duration::from_secs((lifetime - lead).max(5)));
    }

    fn forget(self, on_purpose: bool) {
        self.epoch.update_value(|e| *e += 1);
        self.signed_out_on_purpose.set_value(on_purpose);
        self.cancel_renewal();
        self.activity.update_value(|a| a.renewal_due = false);
        api::set_access_token(None);
        self.state.set(State::SignedOut);
    }

    fn schedule(self, after: Duration) {
        self.cancel_renewal();
        if let Ok(handle) = set_timeout_with_handle(move || self.renew(), after) {
            self.renewal.set_value(Some(handle));
        }
    }

    fn cancel_renewal(self) {
        if let Some(handle) = self.renewal.get_value() {
            handle.clear();
        }
        self.renewal.set_value(None);
    }
}

/// A role name as the API sends it (`clinic_admin`), as people read it ("Clinic admin").
pub fn role_label(role: &str) -> String {
    Role::BY_PRIORITY
        .into_iter()
        .find(|r| r.as_str() == role)
        .map_or_else(|| role.replace('_', " "), |r| r.title().to_owned())
}

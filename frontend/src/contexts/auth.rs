//! The one auth context: who is signed in, and their access token.
//!
//! Both live in memory only, in signals (and the token, mirrored for `api.rs`, in its memory):
//! never in `localStorage` or `sessionStorage`, where any script could read them. The refresh
//! token is an HttpOnly, `SameSite=Strict` cookie that no script can read; a reload restores the
//! session by asking `/auth/refresh` for a new access token, and a timer renews it shortly before
//! it runs out.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use rxgate_api_types::auth::{LoginRequest, Me, TokenResponse};

use crate::api::{self, ApiError};
use crate::routes::Page;

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

    /// The roles `me` has, highest first (unknown role names are ignored).
    pub fn of(me: &Me) -> Vec<Self> {
        Self::BY_PRIORITY
            .into_iter()
            .filter(|r| me.roles.iter().any(|name| name == r.as_str()))
            .collect()
    }
}

/// Where `me` lands after signing in: the home of their highest role.
pub fn home_of(me: &Me) -> Page {
    Role::of(me).first().map_or(Page::Account, |r| r.home())
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    /// Asking `/auth/refresh` whether the browser still holds a session (at start-up).
    Restoring,
    SignedOut,
    SignedIn {
        access_token: String,
        user: Me,
    },
}

/// Retry a renewal that failed for want of a network after this long.
const RETRY_SECS: u64 = 30;

#[derive(Debug, Clone, Copy)]
pub struct Auth {
    state: RwSignal<State>,
    /// Who is signed in; changes only when the person does (not when the token is renewed).
    user: Memo<Option<Me>>,
    /// `None` while restoring, then whether someone is signed in.
    status: Memo<Option<bool>>,
    renewal: StoredValue<Option<TimeoutHandle>>,
    /// Bumped on every sign-in and sign-out, so a slow answer cannot undo a newer change.
    epoch: StoredValue<u64>,
    /// The last sign-out was asked for (rather than a session that ran out).
    signed_out_on_purpose: StoredValue<bool>,
}

/// Creates the context, provides it and starts restoring a session. Called once, by `App`.
pub fn provide_auth() -> Auth {
    let state = RwSignal::new(State::Restoring);
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
        renewal: StoredValue::new(None),
        epoch: StoredValue::new(0),
        signed_out_on_purpose: StoredValue::new(false),
    };
    provide_context(auth);
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

    /// `None` while the session is being restored, then whether someone is signed in (tracked).
    pub fn signed_in(self) -> Option<bool> {
        self.status.get()
    }

    pub fn has_role_untracked(self, role: Role) -> bool {
        self.user
            .with_untracked(|u| u.as_ref().is_some_and(|me| Role::of(me).contains(&role)))
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

    /// Signs in with email and password; on success the person is signed in and returned.
    pub async fn login(self, email: String, password: String) -> Result<Me, ApiError> {
        let body = LoginRequest {
            email,
            password,
            refresh_token_in_body: false,
        };
        let tokens = api::login(&body).await?;
        let user = tokens.user.clone();
        self.accept(tokens);
        Ok(user)
    }

    /// Forgets the session here at once, then tells the server (which clears the cookie).
    pub fn sign_out(self) {
        let token = self.state.with_untracked(|s| match s {
            State::SignedIn { access_token, .. } => Some(access_token.clone()),
            State::Restoring | State::SignedOut => None,
        });
        self.forget(true);
        if let Some(token) = token {
            spawn_local(async move {
                // Nothing to do on failure: the session is gone from this tab either way, and
                // the server lets it expire.
                let _ = api::logout(&token).await;
            });
        }
    }

    /// Ends every session of this person, on every device, this one included.
    pub async fn sign_out_everywhere(self) -> Result<(), ApiError> {
        api::logout_all().await?;
        self.forget(true);
        Ok(())
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
        match result {
            Ok(tokens) => self.accept(tokens),
            Err(ApiError::Network(_))
                if self
                    .state
                    .with_untracked(|s| matches!(s, State::SignedIn { .. })) =>
            {
                self.schedule(Duration::from_secs(RETRY_SECS));
            }
            Err(_) => self.forget(false),
        }
    }

    fn accept(self, tokens: TokenResponse) {
        self.epoch.update_value(|e| *e += 1);
        self.signed_out_on_purpose.set_value(false);
        api::set_access_token(Some(tokens.access_token.clone()));
        self.state.set(State::SignedIn {
            access_token: tokens.access_token,
            user: tokens.user,
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
        api::set_access_token(None);
        self.state.set(State::SignedOut);
    }

    fn schedule(self, after: Duration) {
        self.cancel_renewal();
        if let Ok(handle) = set_timeout_with_handle(move || spawn_local(self.refresh()), after) {
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

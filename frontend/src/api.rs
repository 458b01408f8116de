//! The typed client of `/api/v1`, built on the shared `api-types`: the only place that knows the
//! API's URLs. Errors arrive as RFC 9457 problems and are kept whole so screens can show `detail`
//! and per-field messages.
//!
//! The access token of the signed-in person is attached to every request as
//! `Authorization: Bearer …`. It is handed over by the auth context (`contexts::auth`), which is
//! its only writer, and lives in memory only: never in `localStorage` or `sessionStorage`. The
//! refresh token never reaches this code at all: it is an HttpOnly cookie the browser sends to
//! `/api/v1/auth/*` on its own (same-origin requests carry cookies).

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, SecondsFormat, Utc};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use gloo_net::http::{Request, RequestBuilder, Response};
use rxgate_api_types::admin::{
    AcceptInvitation, DoctorApplication, DoctorDecisionRequest, DoctorQuery, InvitationAccepted,
    InvitationView, NewInvitation, NewOrganisation, OrganisationView, ReasonInput, UserQuery,
    UserStatusView, UserSummary,
};
use rxgate_api_types::audit::{AuditEventView, AuditExportQuery, AuditQuery, ChainVerification};
use rxgate_api_types::auth::{
    CodeInput, ConsentInput, ConsentView, EmailInput, LoginRequest, Me, MfaEnrolled,
    MfaVerifyRequest, PasskeyAssertion, PasskeyChallenge, PasskeyRegistered, PasskeyRegistration,
    PasskeyView, PasswordResetConfirm, RefreshRequest, SessionView, SignupAccepted, SignupRequest,
    TokenInput, TokenResponse, TotpEnrolment,
};
use rxgate_api_types::booking::{
    BookInput, BookedView, BookingDetailView, BookingView, CancellationView, ClinicDoctorsView,
    ClinicOfferInput, ClinicOfferView, DoctorScheduleInput, DoctorScheduleView, OutcomeInput,
    RescheduleInput, SlotSearchView,
};
use rxgate_api_types::catalogue::{
    CatalogueQuery, CategoryView, FlagView, ProductDetail, ProductSummary,
};
use rxgate_api_types::catalogue::{
    ImageView, ImportReport, NewFlag, NewProductInput, PriceInput, RuleInput, RuleQuery, RuleView,
    SelectionInput,
};
use rxgate_api_types::dev::{MailboxMessage, Queued, SendTestEmail};
use rxgate_api_types::health::{
    AnswersInput, DoctorPatient, DoctorPatientQuery, FlagOverrideInput, HealthProfile, Progress,
    QuestionnaireForPatient, ReviewItem,
};
use rxgate_api_types::health::{DraftInput, QuestionnaireVersionView};
use rxgate_api_types::system::PlatformInfo;
use rxgate_api_types::vocab::BookingListView;
use rxgate_api_types::{CursorPage, PageQuery, Problem};
use serde::de::DeserializeOwned;

const BASE: &str = "/api/v1";

/// Header the API requires on cookie-authenticated calls (refresh, logout): a cross-site form
/// cannot set it, so it defeats CSRF on top of the cookie's `SameSite=Strict`.
const CSRF_HEADER: &str = "X-Rxgate-Csrf";

/// Renews the access token at once (the auth context's refresh); true when a new one is in place.
pub type Renewer = Rc<dyn Fn() -> LocalBoxFuture<'static, bool>>;

thread_local! {
    static ACCESS_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    static RENEWER: RefCell<Option<Renewer>> = const { RefCell::new(None) };
    /// The renewal under way, shared by every request that found the token expired.
    static RENEWING: RefCell<Option<Shared<LocalBoxFuture<'static, bool>>>> =
        const { RefCell::new(None) };
}

/// Sets (or forgets) the bearer token sent with every request. Only the auth context calls this.
pub fn set_access_token(token: Option<String>) {
    ACCESS_TOKEN.with(|t| *t.borrow_mut() = token);
}

/// How to renew an expired access token. Only the auth context calls this, once.
pub fn set_renewer(renewer: Renewer) {
    RENEWER.with(|r| *r.borrow_mut() = Some(renewer));
}

/// Renews the access token once for every request waiting on it.
async fn renew_access_token() -> bool {
    let running = RENEWING.with(|r| r.borrow().clone());
    let renewal = match running {
        Some(renewal) => renewal,
        None => {
            let Some(renewer) = RENEWER.with(|r| r.borrow().clone()) else {
                return false;
            };
            let renewal = renewer().shared();
            RENEWING.with(|r| *r.borrow_mut() = Some(renewal.clone()));
            renewal
        }
    };
    let renewed = renewal.await;
    RENEWING.with(|r| *r.borrow_mut() = None);
    renewed
}

/// Sends the request `build` makes. When the access token has expired meanwhile (the renewal
/// timer waits for the person to do something, and a sleeping computer delays timers), the
/// token is renewed (once for all such requests) and the request sent again, once.
async fn send(build: impl Fn() -> Result<Request, ApiError>) -> Result<Response, ApiError> {
    let sent_with = ACCESS_TOKEN.with(|t| t.borrow().clone());
    let res = build()?.send().await.map_err(network)?;
    let Some(sent_with) = sent_with.filter(|_| res.status() == 401) else {
        return Ok(res);
    };
    let refused = problem(res).await;
    if refused.code() != Some("TOKEN_EXPIRED") {
        return Err(refused);
    }
    let renewed_meanwhile =
        ACCESS_TOKEN.with(|t| t.borrow().as_ref().is_some_and(|t| *t != sent_with));
    if !renewed_meanwhile && !renew_access_token().await {
        return Err(refused);
    }
    build()?.send().await.map_err(network)
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem.
    Problem(Problem),
    /// No usable answer (offline, server down, unexpected body).
    Network(String),
    /// The browser could not do its part of a request, e.g. a passkey prompt was cancelled or
    /// the browser has no WebAuthn; the text says so in words people can act on.
    Browser(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Problem(p) => write!(f, "{}", crate::messages::for_problem(p)),
            // The technical reason stays out of sight: people can only check their connection.
            Self::Network(_) => write!(
                f,
                "The server could not be reached. Check your connection and try again."
            ),
            Self::Browser(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// The messages for one field of a problem, as one text, if any.
    pub fn field(&self, name: &str) -> Option<String> {
        let messages = self.messages(name);
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// Every message for the field `name` (a field can fail several checks).
    pub fn messages(&self, name: &str) -> Vec<String> {
        match self {
            Self::Problem(p) => p
                .errors
                .iter()
                .filter(|e| e.field == name)
                .map(crate::messages::for_field)
                .collect(),
            Self::Network(_) | Self::Browser(_) => Vec::new(),
        }
    }

    /// The problem's stable code (`INVALID_CREDENTIALS`, `TOKEN_EXPIRED`, …), if the server
    /// answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Problem(p) => Some(&p.code),
            Self::Network(_) | Self::Browser(_) => None,
        }
    }

    /// True when the problem is about one of `fields`: the form shows it next to the field, so
    /// the general error area can stay quiet.
    pub fn is_about_fields(&self, fields: &[&str]) -> bool {
        match self {
            Self::Problem(p) => {
                !p.errors.is_empty() && p.errors.iter().all(|e| fields.contains(&e.field.as_str()))
            }
            Self::Network(_) | Self::Browser(_) => false,
        }
    }
}

fn network(e: impl std::fmt::Display) -> ApiError {
    ApiError::Network(e.to_string())
}

fn request(builder: RequestBuilder) -> RequestBuilder {
    let builder = builder.header("Accept", "application/json");
    match ACCESS_TOKEN.with(|t| t.borrow().clone()) {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

async fn problem(res: Response) -> ApiError {
    match res.json::<Problem>().await {
        Ok(p) => ApiError::Problem(p),
        Err(_) => ApiError::Network(format!("HTTP {}", res.status())),
    }
}

async fn decode<T: DeserializeOwned>(res: Response) -> Result<T, ApiError> {
    if res.ok() {
        res.json::<T>().await.map_err(network)
    } else {
        Err(problem(res).await)
    }
}

/// For answers without a body we need (`204 No Content`, `202 Accepted`).
async fn no_content(res: Response) -> Result<(), ApiError> {
    if res.ok() {
        Ok(())
    } else {
        Err(problem(res).await)
    }
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

/// A request without a body, as `builder` makes it, with the bearer token.
async fn send_empty(builder: impl Fn() -> RequestBuilder) -> Result<Response, ApiError> {
    send(|| request(builder()).build().map_err(network)).await
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send_empty(|| Request::get(&url(path))).await?).await
}

async fn send_json<B: serde::Serialize>(
    builder: impl Fn() -> RequestBuilder,
    body: &B,
) -> Result<Response, ApiError> {
    send(|| request(builder()).json(body).map_err(network)).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode(send_json(|| Request::post(&url(path)), body).await?).await
}

/// A money-moving `POST` with an `Idempotency-Key`: one key per call, so the retry that `send`
/// makes after renewing the access token is replayed by the server rather than charged again.
/// A second click after a lost answer is a new call with a new key (the server's hold and
/// exclusion constraint then answer `409 SLOT_TAKEN`, not a second booking).
async fn post_idempotent<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let key = uuid::Uuid::new_v4().to_string();
    decode(
        send_json(
            || Request::post(&url(path)).header("Idempotency-Key", &key),
            body,
        )
        .await?,
    )
    .await
}

/// A `POST` without a body (the action is the whole request).
async fn post_empty<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send_empty(|| Request::post(&url(path))).await?).await
}

/// A path segment (an id) made safe for a URL.
fn segment(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// A `PUT` with a JSON body (replaces or saves a resource).
async fn put<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode(send_json(|| Request::put(&url(path)), body).await?).await
}

async fn post_no_content<B: serde::Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    no_content(send_json(|| Request::post(&url(path)), body).await?).await
}

async fn delete(path: &str) -> Result<(), ApiError> {
    no_content(send_empty(|| Request::delete(&url(path))).await?).await
}

/// Query string from `(name, value)` pairs, leaving out absent values.
fn query(pairs: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(name, value)| {
            value
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{name}={}", String::from(js_sys::encode_uri_component(v))))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

// --- System and developer tools --------------------------------------------------------------

pub async fn platform() -> Result<PlatformInfo, ApiError> {
    get("/platform").await
}

pub async fn mailbox(cursor: Option<String>) -> Result<CursorPage<MailboxMessage>, ApiError> {
    get(&format!(
        "/dev/mailbox{}",
        query(&[("limit", Some("20".into())), ("cursor", cursor)])
    ))
    .await
}

pub async fn send_test_email(body: &SendTestEmail) -> Result<Queued, ApiError> {
    post("/dev/mailbox", body).await
}

// --- Sign-up, sign-in, tokens ----------------------------------------------------------------

/// `202`: the same answer whether or not the address already has an account.
pub async fn signup(body: &SignupRequest) -> Result<SignupAccepted, ApiError> {
    post("/auth/signup", body).await
}

pub async fn verify_email(body: &TokenInput) -> Result<(), ApiError> {
    post_no_content("/auth/verify-email", body).await
}

/// Also sets the HttpOnly refresh cookie (path `/api/v1/auth`).
pub async fn login(body: &LoginRequest) -> Result<TokenResponse, ApiError> {
    post("/auth/login", body).await
}

/// A new access token from the refresh cookie; `401` when there is no valid session.
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    // Sent as it is, never renewed and retried: this is the renewal.
    let res = Request::post(&url("/auth/refresh"))
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1")
        .json(&RefreshRequest {
            refresh_token: None,
        })
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    decode(res).await
}

/// Ends the session of `access_token` and clears the refresh cookie. The token is passed in
/// because the auth context forgets it before the answer arrives.
pub async fn logout(access_token: &str) -> Result<(), ApiError> {
    let res = Request::post(&url("/auth/logout"))
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {access_token}"))
        .header(CSRF_HEADER, "1")
        .send()
        .await
        .map_err(network)?;
    no_content(res).await
}

/// Ends every session of the signed-in person.
pub async fn logout_all() -> Result<(), ApiError> {
    no_content(
        send_empty(|| Request::post(&url("/auth/logout-all")).header(CSRF_HEADER, "1")).await?,
    )
    .await
}

/// `202` whether or not the address has an account.
pub async fn request_password_reset(body: &EmailInput) -> Result<(), ApiError> {
    post_no_content("/auth/password-reset", body).await
}

pub async fn confirm_password_reset(body: &PasswordResetConfirm) -> Result<(), ApiError> {
    post_no_content("/auth/password-reset/confirm", body).await
}

/// Accepts an emailed invitation (no session needed): `201`; `400 INVALID_TOKEN` /
/// `TOKEN_EXPIRED`; `422` for fields `display_name`, `password` (new accounts only).
pub async fn accept_invitation(body: &AcceptInvitation) -> Result<InvitationAccepted, ApiError> {
    post("/auth/accept-invitation", body).await
}

/// Starts a sign-in with a passkey alone (no email address: the authenticator names the
/// account): the options for `navigator.credentials.get()`.
pub async fn passkey_sign_in_options() -> Result<PasskeyChallenge, ApiError> {
    post_empty("/auth/passkey/options").await
}

/// Finishes a passkey sign-in. Answers like `login` (and sets the same refresh cookie), with
/// the second factor passed; `401 INVALID_CREDENTIALS` for a passkey the server does not know;
/// `409 CEREMONY_EXPIRED`; `403 EMAIL_NOT_VERIFIED` / `ACCOUNT_SUSPENDED`.
pub async fn passkey_sign_in(body: &PasskeyAssertion) -> Result<TokenResponse, ApiError> {
    post("/auth/passkey", body).await
}

// --- Second factor (TOTP) --------------------------------------------------------------------

/// Passes the second factor of this session: `200` with tokens whose `mfa` is `satisfied`;
/// `422` (field `code` or `recovery_code`) for a wrong or reused code; `423` when locked.
pub async fn mfa_verify(body: &MfaVerifyRequest) -> Result<TokenResponse, ApiError> {
    post("/auth/mfa/verify", body).await
}

/// Starts setting up an authenticator app (a new secret each time); `409
/// MFA_ALREADY_ENROLLED` when one is set up already.
pub async fn start_totp() -> Result<TotpEnrolment, ApiError> {
    post_empty("/me/mfa/totp").await
}

/// Finishes the set-up with a current code: the recovery codes (shown once) and new tokens.
pub async fn confirm_totp(body: &CodeInput) -> Result<MfaEnrolled, ApiError> {
    post("/me/mfa/totp/confirm", body).await
}

// --- Second factor (passkeys) ----------------------------------------------------------------

/// Starts passing the second factor of this session with a passkey: the options for
/// `navigator.credentials.get()`; `409 MFA_NOT_ENROLLED` when no passkey is set up.
pub async fn mfa_passkey_options() -> Result<PasskeyChallenge, ApiError> {
    post_empty("/auth/mfa/passkey/options").await
}

/// Passes the second factor with the passkey's answer: tokens whose `mfa` is `satisfied`;
/// `422` (field `credential`) when it does not verify; `409 CEREMONY_EXPIRED`; `423` when
/// locked.
pub async fn mfa_passkey_verify(body: &PasskeyAssertion) -> Result<TokenResponse, ApiError> {
    post("/auth/mfa/passkey", body).await
}

/// Starts adding a passkey: the options for `navigator.credentials.create()`. `403
/// MFA_REQUIRED` until a second factor set up earlier is passed; `409 TOO_MANY_PASSKEYS`.
pub async fn passkey_registration_options() -> Result<PasskeyChallenge, ApiError> {
    post_empty("/me/passkeys/options").await
}

/// Finishes adding a passkey: `201` with it and new tokens (the session has now passed a second
/// factor); `422` for fields `name`, `credential`; `409 CEREMONY_EXPIRED` /
/// `PASSKEY_ALREADY_REGISTERED`.
pub async fn add_passkey(body: &PasskeyRegistration) -> Result<PasskeyRegistered, ApiError> {
    post("/me/passkeys", body).await
}

/// The signed-in person's passkeys, oldest first (at most ten).
pub async fn my_passkeys() -> Result<Vec<PasskeyView>, ApiError> {
    get("/me/passkeys").await
}

/// `409 LAST_SECOND_FACTOR` when it is the only second factor of a staff account.
pub async fn remove_passkey(id: &str) -> Result<(), ApiError> {
    delete(&format!("/me/passkeys/{}", segment(id))).await
}

// --- The signed-in person --------------------------------------------------------------------

pub async fn me() -> Result<Me, ApiError> {
    get("/me").await
}

pub async fn my_consents() -> Result<Vec<ConsentView>, ApiError> {
    get("/me/consents").await
}

/// Records a grant or a withdrawal.
pub async fn record_consent(body: &ConsentInput) -> Result<ConsentView, ApiError> {
    post("/me/consents", body).await
}

pub async fn my_sessions() -> Result<Vec<SessionView>, ApiError> {
    get("/me/sessions").await
}

pub async fn revoke_session(id: &str) -> Result<(), ApiError> {
    delete(&format!("/me/sessions/{}", segment(id))).await
}

// --- Platform administration (platform admin) -----------------------------------------------

/// Doctors by registration status, oldest first.
pub async fn admin_doctors(q: &DoctorQuery) -> Result<CursorPage<DoctorApplication>, ApiError> {
    let qs = query(&[
        ("status", q.status.map(|s| s.to_string())),
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/admin/doctors{qs}")).await
}

/// Approves, rejects, suspends or reinstates the doctor with user id `id`.
pub async fn decide_doctor(
    id: &str,
    body: &DoctorDecisionRequest,
) -> Result<DoctorApplication, ApiError> {
    post(&format!("/admin/doctors/{}/decision", segment(id)), body).await
}

/// Clinics and pharmacies, oldest first.
pub async fn organisations(q: &PageQuery) -> Result<CursorPage<OrganisationView>, ApiError> {
    let qs = query(&[
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/admin/organisations{qs}")).await
}

/// `201` with the new organisation; `409 SLUG_TAKEN`; `422` for fields `kind`, `name`, `slug`.
pub async fn create_organisation(body: &NewOrganisation) -> Result<OrganisationView, ApiError> {
    post("/admin/organisations", body).await
}

/// Staff invitations, newest first.
pub async fn invitations(q: &PageQuery) -> Result<CursorPage<InvitationView>, ApiError> {
    let qs = query(&[
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/admin/invitations{qs}")).await
}

/// `201` with the invitation (emailed to the address); `422` for fields `email`, `role`,
/// `organisation_id`, `registration_number`.
pub async fn create_invitation(body: &NewInvitation) -> Result<InvitationView, ApiError> {
    post("/admin/invitations", body).await
}

/// People with an account, newest first; `q` matches any part of the name or email address.
pub async fn admin_users(q: &UserQuery) -> Result<CursorPage<UserSummary>, ApiError> {
    let qs = query(&[
        ("q", q.q.clone()),
        ("role", q.role.map(|r| r.to_string())),
        ("status", q.status.map(|s| s.to_string())),
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/admin/users{qs}")).await
}

/// Suspends the account `id`: `422` for field `reason` (at least 5 characters), `422
/// CANNOT_SUSPEND_SELF` for your own account; `404` when there is no such account.
pub async fn suspend_user(id: &str, body: &ReasonInput) -> Result<UserStatusView, ApiError> {
    post(&format!("/admin/users/{}/suspend", segment(id)), body).await
}

/// Reinstates the suspended account `id`.
pub async fn reinstate_user(id: &str) -> Result<UserStatusView, ApiError> {
    post_empty(&format!("/admin/users/{}/reinstate", segment(id))).await
}

// --- Audit log (information officer) ---------------------------------------------------------

pub async fn audit_events(q: &AuditQuery) -> Result<CursorPage<AuditEventView>, ApiError> {
    let qs = query(&[
        ("actor_id", q.actor_id.map(|id| id.to_string())),
        ("entity_type", q.entity_type.clone()),
        ("entity_id", q.entity_id.clone()),
        ("action", q.action.clone()),
        ("from", q.from.map(|t| t.to_rfc3339())),
        ("to", q.to.map(|t| t.to_rfc3339())),
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/audit-events{qs}")).await
}

/// The events of a range as CSV (`GET /audit-events/export`), as text for a download.
pub async fn audit_export(q: &AuditExportQuery) -> Result<String, ApiError> {
    let qs = query(&[
        ("actor_id", q.actor_id.map(|id| id.to_string())),
        ("entity_type", q.entity_type.clone()),
        ("entity_id", q.entity_id.clone()),
        ("action", q.action.clone()),
        ("from", Some(q.from.to_rfc3339())),
        ("to", Some(q.to.to_rfc3339())),
    ]);
    let path = format!("/audit-events/export{qs}");
    let res = send_empty(|| Request::get(&url(&path))).await?;
    if res.ok() {
        res.text().await.map_err(network)
    } else {
        Err(problem(res).await)
    }
}

pub async fn verify_audit_chain() -> Result<ChainVerification, ApiError> {
    post_empty("/audit-events/verify").await
}

// --- Catalogue and health: patients and doctors ----------------------------------------------

/// The catalogue, a page at a time: for patients their clinic's products, each with its
/// `eligibility`; for staff their clinic's selection (`clinic_id`, `all` are for staff).
pub async fn catalogue_products(
    q: &CatalogueQuery,
) -> Result<CursorPage<ProductSummary>, ApiError> {
    let qs = query(&[
        ("q", q.q.clone()),
        ("category", q.category.clone()),
        ("prescription", q.prescription.map(|p| p.to_string())),
        ("sort", q.sort.map(|s| s.to_string())),
        ("clinic_id", q.clinic_id.map(|id| id.to_string())),
        ("all", q.all.map(|a| a.to_string())),
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/catalogue/products{qs}")).await
}

/// One product with its description and variants; `404` when the caller's catalogue does not
/// have it.
pub async fn catalogue_product(id: &str) -> Result<ProductDetail, ApiError> {
    get(&format!("/catalogue/products/{}", segment(id))).await
}

pub async fn catalogue_categories() -> Result<Vec<CategoryView>, ApiError> {
    get("/catalogue/categories").await
}

/// Every flag a questionnaire can raise (staff only).
pub async fn flags() -> Result<Vec<FlagView>, ApiError> {
    get("/admin/flags").await
}

/// The questionnaire the signed-in patient answers, with their saved answers.
pub async fn my_questionnaire() -> Result<QuestionnaireForPatient, ApiError> {
    get("/me/questionnaire").await
}

/// Saves answers so far (partial is fine); `409 VERSION_RETIRED`; `422` per question
/// (`answers.<key>`).
pub async fn save_questionnaire(body: &AnswersInput) -> Result<Progress, ApiError> {
    put("/me/questionnaire", body).await
}

/// Submits complete answers: the new health profile; `409 VERSION_RETIRED`; `422` per question
/// (`answers.<key>`).
pub async fn submit_questionnaire(body: &AnswersInput) -> Result<HealthProfile, ApiError> {
    post("/me/questionnaire/submit", body).await
}

pub async fn my_health_profile() -> Result<HealthProfile, ApiError> {
    get("/me/health-profile").await
}

/// The doctor's patients by name; `q` matches part of the name or email address.
pub async fn doctor_patients(
    q: &DoctorPatientQuery,
) -> Result<CursorPage<DoctorPatient>, ApiError> {
    let qs = query(&[
        ("q", q.q.clone()),
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/doctor/patients{qs}")).await
}

/// The doctor's patients whose flags trigger review rules, by name.
pub async fn review_queue(q: &PageQuery) -> Result<CursorPage<ReviewItem>, ApiError> {
    let qs = query(&[
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/doctor/review-queue{qs}")).await
}

/// A patient's health profile, for their clinicians; `404` for anyone else's patient.
pub async fn patient_health_profile(id: &str) -> Result<HealthProfile, ApiError> {
    get(&format!("/patients/{}/health-profile", segment(id))).await
}

/// Raises or clears a patient's flag with a reason: `201` with the new profile; `422` for
/// fields `flag`, `reason` (3–2000 characters).
pub async fn add_flag_override(
    id: &str,
    body: &FlagOverrideInput,
) -> Result<HealthProfile, ApiError> {
    post(&format!("/patients/{}/flag-overrides", segment(id)), body).await
}

// --- Catalogue administration ------------------------------------------------------------------

/// A `PUT` with a JSON body and no answer body (`204`).
async fn put_no_content<B: serde::Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    no_content(send_json(|| Request::put(&url(path)), body).await?).await
}

/// A `POST` whose body is not JSON (a CSV file, an image), sent as `content_type`.
async fn post_raw<T: DeserializeOwned>(
    path: &str,
    content_type: &str,
    body: impl Into<wasm_bindgen::JsValue>,
) -> Result<T, ApiError> {
    let body = body.into();
    let res = send(|| {
        request(Request::post(&url(path)))
            .header("Content-Type", content_type)
            .body(body.clone())
            .map_err(network)
    })
    .await?;
    decode(res).await
}

/// One product as a clinic sees it (staff): `price` is the clinic's, `list_price` the master
/// catalogue's. The clinic need not sell it.
pub async fn clinic_product(id: &str, clinic_id: &str) -> Result<ProductDetail, ApiError> {
    let qs = query(&[("clinic_id", Some(clinic_id.to_owned()))]);
    get(&format!("/catalogue/products/{}{qs}", segment(id))).await
}

/// Adds a product to the master catalogue: `201`; `409 SKU_TAKEN` / `PRODUCT_SLUG_TAKEN`;
/// `422` for fields such as `name`, `schedule`, `requires_prescription`, `variants[0].sku`.
pub async fn create_product(body: &NewProductInput) -> Result<ProductDetail, ApiError> {
    post("/admin/products", body).await
}

/// Imports products from CSV text. `mode` is `all` (a bad row stops everything: `422` with
/// fields `lines[<line>].<column>`) or `valid_rows` (bad rows are reported and left out).
pub async fn import_products(csv: &str, mode: &str) -> Result<ImportReport, ApiError> {
    let qs = query(&[("mode", Some(mode.to_owned()))]);
    post_raw(
        &format!("/admin/products/import{qs}"),
        "text/csv",
        wasm_bindgen::JsValue::from_str(csv),
    )
    .await
}

/// Adds an image (PNG, JPEG or WebP, at most 1 MiB) to a product: `201`; `413`; `415`; `422`
/// when the bytes are not the declared type.
pub async fn upload_product_image(
    product_id: &str,
    file: &web_sys::File,
) -> Result<ImageView, ApiError> {
    post_raw(
        &format!("/admin/products/{}/images", segment(product_id)),
        &file.type_(),
        wasm_bindgen::JsValue::from(file.clone()),
    )
    .await
}

pub async fn delete_product_image(product_id: &str, image_id: &str) -> Result<(), ApiError> {
    delete(&format!(
        "/admin/products/{}/images/{}",
        segment(product_id),
        segment(image_id)
    ))
    .await
}

/// Changes a product's details or takes it off sale (`active: false`).
pub async fn update_product(
    id: &str,
    body: &rxgate_api_types::catalogue::ProductUpdate,
) -> Result<ProductDetail, ApiError> {
    put(&format!("/admin/products/{}", segment(id)), body).await
}

/// Changes a variant's pack, list price or whether it is sold.
pub async fn update_variant(
    id: &str,
    body: &rxgate_api_types::catalogue::VariantUpdate,
) -> Result<(), ApiError> {
    put_no_content(&format!("/admin/variants/{}", segment(id)), body).await
}

/// Whether the clinic sells the product.
pub async fn set_clinic_selection(
    clinic_id: &str,
    product_id: &str,
    body: &SelectionInput,
) -> Result<(), ApiError> {
    put_no_content(
        &format!(
            "/clinics/{}/products/{}",
            segment(clinic_id),
            segment(product_id)
        ),
        body,
    )
    .await
}

/// The clinic's price of a variant, or `null` for the list price; `422` (field `price`) for a
/// negative amount or another currency.
pub async fn set_clinic_price(
    clinic_id: &str,
    variant_id: &str,
    body: &PriceInput,
) -> Result<(), ApiError> {
    put_no_content(
        &format!(
            "/clinics/{}/prices/{}",
            segment(clinic_id),
            segment(variant_id)
        ),
        body,
    )
    .await
}

/// The signed-in doctor's price of a variant for their patients in a clinic, or `null` for
/// the clinic's price; `404` for a clinic they do not work in; `422` (field `price`).
pub async fn set_doctor_price(
    variant_id: &str,
    body: &rxgate_api_types::catalogue::DoctorPriceInput,
) -> Result<(), ApiError> {
    put_no_content(&format!("/me/prices/{}", segment(variant_id)), body).await
}

/// Adds variants to a product, all or none: `201`; `409 SKU_TAKEN`; `422` for fields such as
/// `variants[0].sku`, `variants[0].price`.
pub async fn add_variants(
    product_id: &str,
    body: &rxgate_api_types::catalogue::NewVariantsInput,
) -> Result<ProductDetail, ApiError> {
    post(
        &format!("/admin/products/{}/variants", segment(product_id)),
        body,
    )
    .await
}

/// Adds a category: `201`; `409 SLUG_TAKEN`; `422` for fields `slug`, `name`.
pub async fn create_category(
    body: &rxgate_api_types::catalogue::NewCategory,
) -> Result<CategoryView, ApiError> {
    post("/admin/categories", body).await
}

/// Renames a category (its address stays): `404` when there is none; `422` for field `name`.
pub async fn rename_category(
    id: &str,
    body: &rxgate_api_types::catalogue::CategoryRename,
) -> Result<CategoryView, ApiError> {
    put(&format!("/admin/categories/{}", segment(id)), body).await
}

/// Deletes a category: `409 CATEGORY_IN_USE` while products are in it.
pub async fn delete_category(id: &str) -> Result<(), ApiError> {
    delete(&format!("/admin/categories/{}", segment(id))).await
}

/// `201`; `409 FLAG_EXISTS`; `422` for fields `code`, `label`, `description`.
pub async fn create_flag(body: &NewFlag) -> Result<FlagView, ApiError> {
    post("/admin/flags", body).await
}

/// Contraindication rules, oldest first.
pub async fn rules(q: &RuleQuery) -> Result<CursorPage<RuleView>, ApiError> {
    let qs = query(&[
        ("flag", q.flag.clone()),
        ("action", q.action.map(|a| a.to_string())),
        ("product_id", q.product_id.map(|id| id.to_string())),
        ("ingredient_id", q.ingredient_id.map(|id| id.to_string())),
        ("active", q.active.map(|a| a.to_string())),
        ("cursor", q.cursor.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
    ]);
    get(&format!("/admin/rules{qs}")).await
}

/// `201`; `422` for fields `product_id` (exactly one target), `flag`, `action`,
/// `patient_message`, `clinician_message`.
pub async fn create_rule(body: &RuleInput) -> Result<RuleView, ApiError> {
    post("/admin/rules", body).await
}

/// Replaces a rule's content; `active: false` retires it.
pub async fn update_rule(id: &str, body: &RuleInput) -> Result<RuleView, ApiError> {
    put(&format!("/admin/rules/{}", segment(id)), body).await
}

/// Every questionnaire version, newest first per questionnaire.
pub async fn questionnaire_versions() -> Result<Vec<QuestionnaireVersionView>, ApiError> {
    get("/admin/questionnaires").await
}

/// Starts a draft version of a questionnaire: `201`; `409 DRAFT_EXISTS`; `422` for fields
/// `definition`, `definition.<key>`, `mappings[<i>]`, `mappings[<i>].flag`.
pub async fn create_questionnaire_draft(
    questionnaire_id: &str,
    body: &DraftInput,
) -> Result<QuestionnaireVersionView, ApiError> {
    post(
        &format!(
            "/admin/questionnaires/{}/versions",
            segment(questionnaire_id)
        ),
        body,
    )
    .await
}

/// Replaces a draft's content; `409 VERSION_FROZEN` when it is not a draft; `422` as for
/// `create_questionnaire_draft`.
pub async fn update_questionnaire_draft(
    id: &str,
    body: &DraftInput,
) -> Result<QuestionnaireVersionView, ApiError> {
    put(
        &format!("/admin/questionnaire-versions/{}", segment(id)),
        body,
    )
    .await
}

/// Publishes a draft (the version before it is retired); `409 VERSION_FROZEN`.
pub async fn publish_questionnaire_version(id: &str) -> Result<QuestionnaireVersionView, ApiError> {
    post_empty(&format!(
        "/admin/questionnaire-versions/{}/publish",
        segment(id)
    ))
    .await
}

// --- Payments --------------------------------------------------------------------------------

/// The payment the sandbox provider's page shows its payer (`PaymentView`, read as JSON: the
/// page needs two of its fields).
pub async fn sandbox_payment(id: &str) -> Result<serde_json::Value, ApiError> {
    get(&format!("/sandbox/payments/{}", segment(id))).await
}

/// Pays or declines on the sandbox provider's page (the payment moves when its webhook comes).
pub async fn sandbox_act(
    id: &str,
    action: rxgate_api_types::vocab::SandboxAction,
) -> Result<serde_json::Value, ApiError> {
    post_empty(&format!(
        "/sandbox/payments/{}/{}",
        segment(id),
        action.as_str()
    ))
    .await
}
// --- Booking consults --------------------------------------------------------------------------

/// `?clinic_id=` when a screen names the clinic (a clinic admin's); else the server uses the
/// caller's only clinic.
fn clinic_qs(clinic_id: Option<&str>) -> String {
    query(&[("clinic_id", clinic_id.map(str::to_owned))])
}

/// The clinic's consult modes, fees and cancellation policy.
pub async fn consult_offer(clinic_id: Option<String>) -> Result<ClinicOfferView, ApiError> {
    get(&format!(
        "/consults/offer{}",
        clinic_qs(clinic_id.as_deref())
    ))
    .await
}

/// Replaces the clinic's offer (its clinic admins); `422` names fields such as
/// `modes[0].fee`, `free_cancel_hours`, `hold_minutes`.
pub async fn set_consult_offer(
    clinic_id: Option<String>,
    body: &ClinicOfferInput,
) -> Result<ClinicOfferView, ApiError> {
    put(
        &format!("/consults/offer{}", clinic_qs(clinic_id.as_deref())),
        body,
    )
    .await
}

/// The doctors patients can book in the caller's clinic.
pub async fn consult_doctors() -> Result<ClinicDoctorsView, ApiError> {
    get("/consults/doctors").await
}

/// Free slots in `[from, to)` of one doctor or of every bookable doctor of the clinic.
pub async fn consult_slots(
    doctor_id: Option<String>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<SlotSearchView, ApiError> {
    let qs = query(&[
        ("doctor_id", doctor_id),
        (
            "from",
            Some(from.to_rfc3339_opts(SecondsFormat::Secs, true)),
        ),
        ("to", Some(to.to_rfc3339_opts(SecondsFormat::Secs, true))),
    ]);
    get(&format!("/consults/slots{qs}")).await
}

/// The signed-in doctor's availability in their clinic.
pub async fn my_schedule() -> Result<DoctorScheduleView, ApiError> {
    get("/doctor/schedule").await
}

/// Replaces the signed-in doctor's availability; `422` for a bad time, an empty or overlapping
/// interval, a rule out of range.
pub async fn set_my_schedule(body: &DoctorScheduleInput) -> Result<DoctorScheduleView, ApiError> {
    put("/doctor/schedule", body).await
}

/// Holds a free slot for the signed-in patient: `201`; `409 SLOT_TAKEN`; `422 SLOT_UNAVAILABLE`.
pub async fn book_consult(body: &BookInput) -> Result<BookedView, ApiError> {
    post_idempotent("/bookings", body).await
}

/// Starts (again) the payment of a held booking's fee (its patient): where to go to pay.
pub async fn pay_booking(id: &str) -> Result<BookedView, ApiError> {
    post_empty(&format!("/bookings/{}/pay", segment(id))).await
}

/// A page of bookings: the patient's own, the doctor's calendar or a clinic's.
pub async fn bookings(
    view: BookingListView,
    clinic_id: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    cursor: Option<String>,
) -> Result<CursorPage<BookingView>, ApiError> {
    let instant =
        |at: Option<DateTime<Utc>>| at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
    let qs = query(&[
        ("view", Some(view.as_str().to_owned())),
        ("clinic_id", clinic_id),
        ("from", instant(from)),
        ("to", instant(to)),
        ("cursor", cursor),
        ("limit", Some("100".to_owned())),
    ]);
    get(&format!("/bookings{qs}")).await
}

/// Cancels a held or confirmed booking; the answer says what is refunded.
pub async fn cancel_booking(id: &str) -> Result<CancellationView, ApiError> {
    post_empty(&format!("/bookings/{}/cancel", segment(id))).await
}

/// Moves a booking to another free slot of its doctor.
pub async fn reschedule_booking(
    id: &str,
    body: &RescheduleInput,
) -> Result<BookingDetailView, ApiError> {
    post(&format!("/bookings/{}/reschedule", segment(id)), body).await
}

/// The doctor records how a started consult ended.
pub async fn record_outcome(id: &str, body: &OutcomeInput) -> Result<BookingDetailView, ApiError> {
    post(&format!("/bookings/{}/outcome", segment(id)), body).await
}

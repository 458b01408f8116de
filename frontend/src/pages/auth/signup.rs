//! Create an account: a patient (optionally through a doctor's referral link, `/signup?ref=…`)
//! or a doctor, whose licence a platform admin checks before approval.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rxgate_api_types::auth::{ConsentInput, DoctorRegistration, SignupKind, SignupRequest};

use crate::api;
use crate::components::form::{
    CheckField, FormAlert, TextField, field_error, general_error, last_error,
};
use crate::format;
use crate::pages::auth::POLICY_VERSION;
use crate::pages::public::legal::{self, Document};
use crate::routes::Page;

const FIELDS: &[&str] = &[
    "kind",
    "email",
    "password",
    "display_name",
    "referral_code",
    "consents",
    "doctor",
    "doctor.licence_number",
    "doctor.licence_body",
    "doctor.licence_region",
    "doctor.licence_expires_on",
    "doctor.specialties",
    "doctor.time_zone",
];

#[component]
pub fn SignUp() -> impl IntoView {
    let query = use_query_map();
    let kind = RwSignal::new(SignupKind::Patient);
    let display_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let referral_code = RwSignal::new(query.with_untracked(|q| q.get("ref")).unwrap_or_default());
    let doctor = DoctorFields::new();
    let terms = RwSignal::new(false);
    let privacy = RwSignal::new(false);
    let health = RwSignal::new(false);
    let marketing = RwSignal::new(false);
    // Checked here before sending: the expiry date must be a date for the request to exist.
    let expiry_error = RwSignal::new(None::<String>);

    let signup = Action::new_local(|req: &SignupRequest| {
        let req = req.clone();
        async move { api::signup(&req).await }
    });
    let pending = signup.pending();
    let value = signup.value();
    let error = last_error(signup);
    let field = move |name: &'static str| field_error(error, name);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        expiry_error.set(None);
        let kind_now = kind.get_untracked();
        let registration = if kind_now == SignupKind::Doctor {
            match doctor.registration() {
                Ok(r) => Some(r),
                Err(message) => {
                    expiry_error.set(Some(message));
                    return;
                }
            }
        } else {
            None
        };
        let consent = |purpose: &str, granted: bool| ConsentInput {
            purpose: purpose.to_owned(),
            policy_version: POLICY_VERSION.to_owned(),
            granted,
        };
        let referral = referral_code.get_untracked().trim().to_owned();
        signup.dispatch(SignupRequest {
            kind: kind_now,
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            display_name: display_name.get_untracked().trim().to_owned(),
            clinic_slug: None,
            referral_code: (kind_now == SignupKind::Patient && !referral.is_empty())
                .then_some(referral),
            doctor: registration,
            consents: [
                ("terms", terms),
                ("privacy", privacy),
                ("health_data_processing", health),
                ("marketing", marketing),
            ]
            .into_iter()
            // The required three are always sent, so the API can say which one is missing;
            // marketing only when given.
            .filter(|(purpose, checked)| *purpose != "marketing" || checked.get_untracked())
            .map(|(purpose, checked)| consent(purpose, checked.get_untracked()))
            .collect(),
        });
    };

    // A memo, so that a failed attempt does not rebuild (and reset the focus of) the form.
    let accepted =
        Memo::new(move |_| value.with(|v| v.as_ref().and_then(|r| r.as_ref().ok()).cloned()));

    view! {
        <section class="page narrow">
            {move || match accepted.get() {
                Some(answer) => {
                    view! {
                        <h1>"Check your email"</h1>
                        <div class="notice notice-ok" role="status">
                            <p>{answer.message}</p>
                        </div>
                        <p>
                            "We have sent a link to " <strong>{email.get_untracked()}</strong>
                            ". Open it to verify your address, then sign in. "
                            "The email can take a minute to arrive."
                        </p>
                        <p>
                            <A href=Page::SignIn.path() attr:class="button">"Go to sign in"</A>
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <h1>"Create your account"</h1>
                        <form class="card form" on:submit=on_submit aria-labelledby="signup-title">
                            <h2 id="signup-title" class="visually-hidden">"Your details"</h2>
                            <FormAlert message=general_error(error, FIELDS) />
                            <fieldset class="choice">
                                <legend>"I am signing up as"</legend>
                                <KindOption kind value=SignupKind::Patient label="A patient" />
                                <KindOption kind value=SignupKind::Doctor label="A doctor" />
                            </fieldset>
                            <p class="field-error" role="alert">{field("kind")}</p>
                            <TextField
                                label="Your name"
                                name="display_name"
                                autocomplete="name"
                                required=true
                                value=display_name
                                error=field("display_name")
                            />
                            <TextField
                                label="Email"
                                name="email"
                                kind="email"
                                autocomplete="email"
                                required=true
                                value=email
                                error=field("email")
                            />
                            <TextField
                                label="Password"
                                name="password"
                                kind="password"
                                autocomplete="new-password"
                                hint="At least 12 characters. A few unrelated words make a strong one."
                                required=true
                                minlength="12"
                                value=password
                                error=field("password")
                            />
                            <Show
                                when=move || kind.get() == SignupKind::Doctor
                                fallback=move || {
                                    view! {
                                        <TextField
                                            label="Referral code (optional)"
                                            name="referral_code"
                                            hint="From your doctor's referral link, if you have one."
                                            value=referral_code
                                            error=field("referral_code")
                                        />
                                    }
                                }
                            >
                                <DoctorSection doctor error expiry_error />
                            </Show>
                            <fieldset class="choice">
                                <legend>"Your consent"</legend>
                                <p class="hint">
                                    "Read the "
                                    <a href=legal::current(Document::Terms) target="_blank">
                                        "terms of service"
                                    </a>
                                    " and the "
                                    <a href=legal::current(Document::Privacy) target="_blank">
                                        "privacy notice"
                                    </a>
                                    " (version " {POLICY_VERSION} ")."
                                </p>
                                <CheckField label="I accept the terms of service" name="consent-terms" checked=terms required=true />
                                <CheckField label="I have read the privacy notice" name="consent-privacy" checked=privacy required=true />
                                <CheckField
                                    label="I agree that Rxgate processes my health information to provide care"
                                    name="consent-health_data_processing"
                                    checked=health
                                    required=true
                                />
                                <CheckField
                                    label="Send me news and offers by email (optional)"
                                    name="consent-marketing"
                                    checked=marketing
                                />
                            </fieldset>
                            <p class="field-error" role="alert">{field("consents")}</p>
                            <div class="form-actions">
                                <button class="button" type="submit" disabled=move || pending.get()>
                                    {move || if pending.get() { "Creating your account…" } else { "Create account" }}
                                </button>
                            </div>
                        </form>
                        <p>"Already have an account? " <A href=Page::SignIn.path()>"Sign in"</A></p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn KindOption(kind: RwSignal<SignupKind>, value: SignupKind, label: &'static str) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="radio"
                name="kind"
                prop:checked=move || kind.get() == value
                on:change=move |_| kind.set(value)
            />
            <span>{label}</span>
        </label>
    }
}

/// The licence details a doctor registers with.
#[derive(Debug, Clone, Copy)]
struct DoctorFields {
    licence_number: RwSignal<String>,
    licence_body: RwSignal<String>,
    licence_region: RwSignal<String>,
    licence_expires_on: RwSignal<String>,
    specialties: RwSignal<String>,
    time_zone: RwSignal<String>,
}

impl DoctorFields {
    fn new() -> Self {
        Self {
            licence_number: RwSignal::new(String::new()),
            licence_body: RwSignal::new(String::new()),
            licence_region: RwSignal::new(String::new()),
            licence_expires_on: RwSignal::new(String::new()),
            specialties: RwSignal::new(String::new()),
            time_zone: RwSignal::new(format::browser_time_zone().unwrap_or_default()),
        }
    }

    fn registration(self) -> Result<DoctorRegistration, String> {
        let expires = self.licence_expires_on.get_untracked();
        let licence_expires_on = expires
            .trim()
            .parse::<NaiveDate>()
            .map_err(|_| "Enter the date your licence expires.".to_owned())?;
        Ok(DoctorRegistration {
            licence_number: self.licence_number.get_untracked().trim().to_owned(),
            licence_body: self.licence_body.get_untracked().trim().to_owned(),
            licence_region: self.licence_region.get_untracked().trim().to_owned(),
            licence_expires_on,
            specialties: self
                .specialties
                .get_untracked()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            time_zone: self.time_zone.get_untracked().trim().to_owned(),
        })
    }
}

#[component]
fn DoctorSection(
    doctor: DoctorFields,
    error: Memo<Option<api::ApiError>>,
    expiry_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let field = move |name: &'static str| field_error(error, name);
    let server_expiry = field("doctor.licence_expires_on");
    let expiry = Signal::derive(move || expiry_error.get().or_else(|| server_expiry.get()));
    view! {
        <fieldset class="group">
            <legend>"Your licence"</legend>
            <p class="hint">"A platform administrator checks these details before you can consult."</p>
            <p class="field-error" role="alert">{field("doctor")}</p>
            <TextField
                label="Licence number"
                name="doctor.licence_number"
                required=true
                value=doctor.licence_number
                error=field("doctor.licence_number")
            />
            <TextField
                label="Licensing body"
                name="doctor.licence_body"
                placeholder="e.g. HPCSA"
                required=true
                value=doctor.licence_body
                error=field("doctor.licence_body")
            />
            <TextField
                label="Licence region"
                name="doctor.licence_region"
                placeholder="e.g. ZA"
                hint="Country or region code where the licence is valid, such as ZA or US-CA."
                required=true
                value=doctor.licence_region
                error=field("doctor.licence_region")
            />
            <TextField
                label="Licence expiry date"
                name="doctor.licence_expires_on"
                kind="date"
                required=true
                value=doctor.licence_expires_on
                error=expiry
            />
            <TextField
                label="Specialties"
                name="doctor.specialties"
                hint="Separate several with commas, e.g. General practice, Dermatology."
                value=doctor.specialties
                error=field("doctor.specialties")
            />
            <TextField
                label="Time zone"
                name="doctor.time_zone"
                placeholder="e.g. Africa/Johannesburg"
                hint="Your consulting hours are shown in this zone."
                required=true
                value=doctor.time_zone
                error=field("doctor.time_zone")
            />
        </fieldset>
    }
}

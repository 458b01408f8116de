//! The home of each portal: who is signed in, for doctors their approval status and referral
//! link, for platform admins the way to their tools, and for patients, pharmacists and clinic
//! admins a dashboard of what needs their attention.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::auth::Me;
use rxgate_api_types::vocab::{BookingListView, BookingStatus};

use crate::api::{self, ApiError};
use crate::components::booking;
use crate::components::dashboard::{Dashboard, DashboardCard, Onboarding};
use crate::contexts::auth::{Role, use_auth};
use crate::format;
use crate::routes::Page;

#[component]
pub fn PortalHome(role: Role) -> impl IntoView {
    let auth = use_auth();
    view! {
        <section class="page">
            <h1>{format!("{} portal", role.title())}</h1>
            {move || {
                auth.user()
                    .map(|me| {
                        let staff = me.clone();
                        view! {
                            <p class="lead">"Welcome, " {me.display_name.clone()} "."</p>
                            {(role == Role::Doctor).then(|| view! { <DoctorStatus me /> <DoctorDashboard /> })}
                            {(role == Role::PlatformAdmin).then(|| view! { <AdminTools /> })}
                            {(role == Role::ClinicAdmin).then(|| view! { <ClinicTools /> })}
                            {(role == Role::Patient).then(|| view! { <PatientDashboard /> })}
                            {matches!(role, Role::Pharmacist | Role::ClinicAdmin)
                                .then(|| view! { <StaffDashboard me=staff role /> })}
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn AdminTools() -> impl IntoView {
    view! {
        <div class="tiles">
            <div class="card stack">
                <h2>{Page::AdminDoctors.label()}</h2>
                <p class="muted">
                    "Check the licence of each doctor who signed up, then approve or reject the "
                    "registration. Suspend or reinstate approved doctors."
                </p>
                <p>
                    <A href=Page::AdminDoctors.path()>"Review doctor registrations"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::AdminOrganisations.label()}</h2>
                <p class="muted">"The clinics and pharmacies on the platform; add new ones."</p>
                <p>
                    <A href=Page::AdminOrganisations.path()>"Manage organisations"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::AdminInvitations.label()}</h2>
                <p class="muted">
                    "Invite clinic admins, pharmacists, information officers and platform admins "
                    "by email."
                </p>
                <p>
                    <A href=Page::AdminInvitations.path()>"Invite staff"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::AdminUsers.label()}</h2>
                <p class="muted">
                    "Find anyone with an account by name or email; suspend or reinstate accounts."
                </p>
                <p>
                    <A href=Page::AdminUsers.path()>"Find people"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::AdminCatalogue.label()}</h2>
                <p class="muted">
                    "The master catalogue: add products one by one or import a CSV file; images "
                    "and variants."
                </p>
                <p>
                    <A href=Page::AdminCatalogue.path()>"Manage the catalogue"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::AdminRules.label()}</h2>
                <p class="muted">
                    "Contraindication rules: which flags block a product, send it for review or "
                    "warn."
                </p>
                <p>
                    <A href=Page::AdminRules.path()>"Manage rules"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::AdminFlags.label()}</h2>
                <p class="muted">"The health flags answers raise and rules act on."</p>
                <p>
                    <A href=Page::AdminFlags.path()>"Manage flags"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::AdminQuestionnaires.label()}</h2>
                <p class="muted">
                    "The medical questionnaire: draft a new version with a live preview, then "
                    "publish it."
                </p>
                <p>
                    <A href=Page::AdminQuestionnaires.path()>"Manage questionnaires"</A>
                </p>
            </div>
        </div>
    }
}

#[component]
fn ClinicTools() -> impl IntoView {
    view! {
        <div class="tiles">
            <div class="card stack">
                <h2>{Page::ClinicCatalogue.label()}</h2>
                <p class="muted">
                    "Choose which products of the master catalogue your clinic sells, and set "
                    "your own prices."
                </p>
                <p>
                    <A href=Page::ClinicCatalogue.path()>"Manage what you sell"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::ClinicConsultOffer.label()}</h2>
                <p class="muted">
                    "Consult modes and their fees, free cancellation and how long a booked time "
                    "is held while the fee is paid."
                </p>
                <p>
                    <A href=Page::ClinicConsultOffer.path()>"Set the consult offer"</A>
                </p>
            </div>
            <div class="card stack">
                <h2>{Page::ClinicBookings.label()}</h2>
                <p class="muted">"The consults patients booked with the clinic's doctors."</p>
                <p>
                    <A href=Page::ClinicBookings.path()>"See the bookings"</A>
                </p>
            </div>
        </div>
    }
}

/// The badge of a doctor's approval status.
pub fn doctor_status_badge(status: &str) -> impl IntoView + use<> {
    let (class, text) = match status {
        "pending" => ("badge badge-warn", "Awaiting approval".to_owned()),
        "approved" => ("badge badge-ok", "Approved".to_owned()),
        "rejected" => ("badge badge-danger", "Not approved".to_owned()),
        "suspended" => ("badge badge-danger", "Suspended".to_owned()),
        other => ("badge", other.replace('_', " ")),
    };
    view! { <span class=class data-testid="doctor-status">{text}</span> }
}

#[component]
fn DoctorStatus(me: Me) -> impl IntoView {
    let pending = me.doctor_status.is_some_and(|s| s.as_str() == "pending");
    let origin = window().location().origin().unwrap_or_default();
    let link = me
        .referral_code
        .as_deref()
        .map(|code| format!("{origin}{}", Page::SignUp.with_query("ref", code)));
    view! {
        <div class="card">
            <h2>"Your practice"</h2>
            <dl class="facts">
                <dt>"Status"</dt>
                <dd>{me.doctor_status.map(|s| doctor_status_badge(s.as_str()))}</dd>
            </dl>
            {pending
                .then(|| {
                    view! {
                        <p class="muted">
                            "A platform administrator checks your licence details. You can "
                            "consult patients once your account is approved."
                        </p>
                    }
                })}
        </div>
        {link
            .map(|link| {
                view! {
                    <div class="card form">
                        <h2>"Referral link"</h2>
                        <p class="muted">
                            "Patients who sign up through this link are connected to you."
                        </p>
                        <label>
                            "Your referral link"
                            <input
                                type="text"
                                readonly
                                prop:value=link.clone()
                                on:focus:target=move |ev| ev.target().select()
                            />
                        </label>
                        <CopyButton text=link />
                    </div>
                }
            })}
    }
}

/// Copies `text` to the clipboard and says so (or says to copy it by hand where the browser
/// refuses, e.g. on a page not served over HTTPS).
#[component]
fn CopyButton(text: String) -> impl IntoView {
    let copy = Action::new_local(move |(): &()| {
        let text = text.clone();
        async move { copy_to_clipboard(&text).await }
    });
    let value = copy.value();
    view! {
        <div class="form-actions">
            <button class="button secondary" type="button" on:click=move |_| { copy.dispatch(()); }>
                "Copy link"
            </button>
            <span class="hint" role="status" aria-live="polite">
                {move || match value.get() {
                    Some(true) => "Copied.",
                    Some(false) => "Copying is not allowed here: select the link and copy it.",
                    None => "",
                }}
            </span>
        </div>
    }
}

/// `navigator.clipboard.writeText(text)`, through `Reflect` (web-sys gates the Clipboard API
/// behind an unstable flag); `false` when the browser has no clipboard or refuses.
async fn copy_to_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let navigator = window().navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(write) = write else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// A patient's home: first the health questionnaire (the Shop's badges depend on it), then
/// where their questionnaire, health profile and shopping stand.
#[component]
fn PatientDashboard() -> impl IntoView {
    let profile = LocalResource::new(api::my_health_profile);
    let questionnaire = LocalResource::new(api::my_questionnaire);
    // `None` while loading or when it cannot be told.
    let submitted = move || match profile.get()? {
        Ok(p) => Some(p.submitted_at.is_some()),
        Err(e) if e.code() == Some("NOT_FOUND") => Some(false),
        Err(_) => None,
    };
    let questionnaire_value = Signal::derive(move || match profile.get()? {
        Ok(p) if p.submitted_at.is_some() => p
            .submitted_at
            .map(|at| format!("Submitted {}", format::date_time(&at))),
        _ => match questionnaire.get()? {
            Ok(q) if q.progress.answered > 0 => Some(format!(
                "{} of {} answered",
                q.progress.answered, q.progress.visible
            )),
            Ok(_) => Some("Not started".to_owned()),
            Err(e) => Some(e.to_string()),
        },
    });
    let flags_value = Signal::derive(move || {
        Some(match profile.get()? {
            Ok(p) if p.submitted_at.is_some() => match p.flags.len() {
                0 => "Nothing noted".to_owned(),
                1 => "1 thing noted".to_owned(),
                n => format!("{n} things noted"),
            },
            Ok(_) => "Not yet".to_owned(),
            Err(e) if e.code() == Some("NOT_FOUND") => "Not yet".to_owned(),
            Err(e) => ApiError::to_string(&e),
        })
    });
    let shop_value = Signal::derive(move || {
        submitted().map(|done| {
            if done {
                "Ready: badges show what suits you".to_owned()
            } else {
                "Badges wait for your questionnaire".to_owned()
            }
        })
    });
    view! {
        <Show when=move || submitted() == Some(false)>
            <Onboarding
                title="Start with your health questionnaire"
                text="Answer a few questions about your health. The Shop then shows which products suit you, and a doctor can review what you ask for."
                href=Page::PatientQuestionnaire.path()
                link="Fill in the questionnaire"
            />
        </Show>
        <Dashboard>
            <NextConsultCard />
            <DashboardCard
                title="Health questionnaire"
                value=questionnaire_value
                href=Page::PatientQuestionnaire.path()
                link="Open the questionnaire"
            />
            <DashboardCard
                title="Health profile"
                value=flags_value
                note="What your answers tell a doctor."
                href=Page::PatientHealthProfile.path()
                link="See your health profile"
            />
            <DashboardCard
                title="Shop"
                value=shop_value
                href=Page::PatientShop.path()
                link="Go to the shop"
            />
        </Dashboard>
    }
}

/// The home of pharmacists and clinic admins: their organisation and how they sign in.
#[component]
fn StaffDashboard(me: Me, role: Role) -> impl IntoView {
    let passkeys = LocalResource::new(api::my_passkeys);
    let organisations = me
        .memberships
        .iter()
        .filter(|m| m.role.as_str() == role.as_str())
        .map(|m| m.organisation_name.clone())
        .collect::<Vec<_>>();
    let organisation = Signal::derive(move || {
        Some(if organisations.is_empty() {
            "None yet".to_owned()
        } else {
            organisations.join(", ")
        })
    });
    let passkey_value = Signal::derive(move || {
        Some(match passkeys.get()? {
            Ok(list) => match list.len() {
                0 => "No passkey yet".to_owned(),
                1 => "1 passkey".to_owned(),
                n => format!("{n} passkeys"),
            },
            Err(e) => e.to_string(),
        })
    });
    let (title, href, link) = match role {
        Role::ClinicAdmin => (
            "Your clinic",
            Page::ClinicCatalogue.path(),
            "Manage what you sell",
        ),
        _ => ("Your pharmacy", Page::Account.path(), "See your account"),
    };
    view! {
        <Dashboard>
            <DashboardCard title value=organisation href link />
            <DashboardCard
                title="Signing in"
                value=passkey_value
                note="A passkey signs you in without a password or code."
                href=Page::Account.path()
                link="Manage sign-in"
            />
        </Dashboard>
    }
}

/// The patient's next consult (held or confirmed), in their zone.
#[component]
fn NextConsultCard() -> impl IntoView {
    let coming = LocalResource::new(|| {
        api::bookings(
            BookingListView::Patient,
            None,
            Some(format::now()),
            None,
            None,
        )
    });
    let value = Signal::derive(move || {
        Some(match coming.get()? {
            Ok(page) => page
                .items
                .iter()
                .filter(|b| booking::is_open(b))
                .min_by_key(|b| b.starts_at)
                .map_or_else(
                    || "None booked".to_owned(),
                    |b| format!("{} with {}", booking::when(b), b.doctor_name),
                ),
            Err(e) => e.to_string(),
        })
    });
    view! {
        <DashboardCard
            title="Next consult"
            value
            href=Page::PatientConsults.path()
            link="See my consults"
        />
    }
}

/// A doctor's home: their consults today.
#[component]
fn DoctorDashboard() -> impl IntoView {
    let today = LocalResource::new(|| {
        let day = format::local_day(&format::now());
        let from = format::local_midnight(&day);
        let to = format::local_midnight(&(day + chrono::Duration::days(1)));
        api::bookings(BookingListView::Doctor, None, Some(from), Some(to), None)
    });
    let value = Signal::derive(move || {
        Some(match today.get()? {
            Ok(page) => {
                let count = page
                    .items
                    .iter()
                    .filter(|b| {
                        matches!(
                            b.status,
                            BookingStatus::Held
                                | BookingStatus::Confirmed
                                | BookingStatus::Completed
                                | BookingStatus::NoShow
                        )
                    })
                    .count();
                match count {
                    0 => "No consults today".to_owned(),
                    1 => "1 consult today".to_owned(),
                    n => format!("{n} consults today"),
                }
            }
            Err(e) => e.to_string(),
        })
    });
    view! {
        <Dashboard>
            <DashboardCard
                title="Consults today"
                value
                href=Page::DoctorCalendar.path()
                link="Open the calendar"
            />
            <DashboardCard
                title="Availability"
                value=Signal::derive(|| Some("Weekly hours and days off".to_owned()))
                href=Page::DoctorSchedule.path()
                link="Set your availability"
            />
        </Dashboard>
    }
}

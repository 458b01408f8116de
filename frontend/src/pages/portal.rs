//! The home of each portal. Simple for now: who is signed in, for doctors their approval
//! status and referral link, and for platform admins the way to their tools.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::auth::Me;

use crate::contexts::auth::{Role, use_auth};
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
                        view! {
                            <p class="lead">"Welcome, " {me.display_name.clone()} "."</p>
                            {(role == Role::Doctor).then(|| view! { <DoctorStatus me /> })}
                            {(role == Role::PlatformAdmin).then(|| view! { <AdminTools /> })}
                            {(role == Role::ClinicAdmin).then(|| view! { <ClinicTools /> })}
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
                                prop:value=link
                                on:focus:target=move |ev| ev.target().select()
                            />
                        </label>
                    </div>
                }
            })}
    }
}

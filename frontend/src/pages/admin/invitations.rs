//! Invitations: staff (clinic admins, pharmacists, information officers, platform admins) are
//! invited by email to an organisation of the right kind; the list shows where each invitation
//! stands, newest first.

use leptos::prelude::*;
use rxgate_api_types::PageQuery;
use rxgate_api_types::admin::{InvitationView, NewInvitation, OrganisationView};
use rxgate_api_types::vocab::InvitableRole;

use crate::api::{self, ApiError};
use crate::components::form::{
    DynamicSelectField, FormAlert, SelectField, TextField, field_error, general_error, last_error,
};
use crate::components::paged::{Extras, Layout, all_pages, paged_view_with, use_paged};
use crate::contexts::auth::role_label;
use crate::format;

const PAGE_SIZE: u32 = 50;

/// The largest page the API serves, to load every organisation for the drop-down.
const ORGANISATION_PAGE_SIZE: u32 = 200;

const FIELDS: &[&str] = &["email", "role", "organisation_id", "registration_number"];

const ROLES: &[(&str, &str)] = &[
    ("clinic_admin", "Clinic admin"),
    ("pharmacist", "Pharmacist"),
    ("information_officer", "Information officer"),
    ("platform_admin", "Platform admin"),
];

/// The platform organisation (information officers and platform admins belong to it). The
/// organisations list does not include it.
const PLATFORM_ORGANISATION_ID: &str = "00000000-0000-7000-8000-000000000001";
const PLATFORM_ORGANISATION_NAME: &str = "Rxgate platform";

/// The kind of organisation a role is invited to: `clinic`, `pharmacy` or `platform`.
fn organisation_kind(role: &str) -> &'static str {
    match role {
        "clinic_admin" => "clinic",
        "pharmacist" => "pharmacy",
        _ => "platform",
    }
}

/// The badge of an invitation's status.
fn status_badge(status: &str) -> impl IntoView + use<> {
    let (class, text) = match status {
        "open" => ("badge badge-warn", "Open".to_owned()),
        "accepted" => ("badge badge-ok", "Accepted".to_owned()),
        "expired" => ("badge", "Expired".to_owned()),
        "revoked" => ("badge badge-danger", "Revoked".to_owned()),
        other => ("badge", other.replace('_', " ")),
    };
    view! { <span class=class>{text}</span> }
}

/// Every clinic and pharmacy, following the cursor to the end.
pub async fn all_organisations() -> Result<Vec<OrganisationView>, ApiError> {
    all_pages(|cursor| async move {
        api::organisations(&PageQuery {
            cursor,
            limit: Some(ORGANISATION_PAGE_SIZE),
        })
        .await
    })
    .await
}

#[component]
pub fn Invitations() -> impl IntoView {
    // A new invitation reloads the list from its first page.
    let reload = RwSignal::new(0_u32);
    let paged = use_paged(
        move || reload.get(),
        |_, cursor| async move {
            api::invitations(&PageQuery {
                cursor,
                limit: Some(PAGE_SIZE),
            })
            .await
        },
    );
    let on_created = move || reload.update(|n| *n += 1);

    view! {
        <section class="page wide">
            <h1>"Invitations"</h1>
            <InviteForm on_created />
            <div class="stack" aria-labelledby="invitations-title">
                <h2 id="invitations-title">"Sent invitations"</h2>
                {paged_view_with(
                    paged,
                    Layout::Table {
                        label: "Invitations",
                        head: invitation_head,
                    },
                    "No invitations yet.",
                    Extras {
                        skeleton_lines: 4,
                        ..Extras::default()
                    },
                    invitation_row,
                )}
            </div>
        </section>
    }
}

#[component]
fn InviteForm(on_created: impl Fn() + Copy + 'static) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("clinic_admin".to_owned());
    let organisation = RwSignal::new(String::new());
    let registration_number = RwSignal::new(String::new());
    let no_organisation = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<String>);

    let organisations = LocalResource::new(all_organisations);
    let loading_error = Memo::new(move |_| {
        organisations
            .get()
            .and_then(|r| r.err())
            .map(|e| format!("The organisations could not be loaded: {e}"))
    });
    // The organisations of the kind the chosen role belongs to.
    let options = Memo::new(move |_| {
        let kind = organisation_kind(&role.get());
        if kind == "platform" {
            return vec![(
                PLATFORM_ORGANISATION_ID.to_owned(),
                PLATFORM_ORGANISATION_NAME.to_owned(),
            )];
        }
        let matching: Vec<(String, String)> = organisations
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o.kind == kind)
            .map(|o| (o.id.to_string(), o.name))
            .collect();
        if matching.is_empty() {
            let text = if kind == "clinic" {
                "No clinics yet: add one under Organisations"
            } else {
                "No pharmacies yet: add one under Organisations"
            };
            vec![(String::new(), text.to_owned())]
        } else {
            matching
        }
    });
    // Keep the chosen organisation one of the options (the first when the role changes).
    Effect::new(move |_| {
        let options = options.get();
        let current = organisation.get_untracked();
        if !options.iter().any(|(id, _)| *id == current) {
            organisation.set(
                options
                    .first()
                    .map(|(id, _)| id.clone())
                    .unwrap_or_default(),
            );
        }
    });
    let is_pharmacist = move || role.get() == "pharmacist";

    let create = Action::new_local(move |body: &NewInvitation| {
        let body = body.clone();
        async move {
            let invitation: InvitationView = api::create_invitation(&body).await?;
            created.set(Some(format!(
                "Invited {} as {} at {}.",
                invitation.email,
                role_label(invitation.role.as_str()).to_lowercase(),
                invitation.organisation_name
            )));
            email.set(String::new());
            registration_number.set(String::new());
            on_created();
            Ok::<_, ApiError>(())
        }
    });
    let pending = create.pending();
    let error = last_error(create);
    let organisation_field = field_error(error, "organisation_id");
    let organisation_error =
        Signal::derive(move || no_organisation.get().or_else(|| organisation_field.get()));
    let general = general_error(error, FIELDS);
    let general = Signal::derive(move || general.get().or_else(|| loading_error.get()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        let organisation_id =
            serde_json::from_value(serde_json::Value::String(organisation.get_untracked()));
        let Ok(organisation_id) = organisation_id else {
            no_organisation.set(Some("Choose an organisation.".into()));
            return;
        };
        no_organisation.set(None);
        let Some(role) = InvitableRole::parse(&role.get_untracked()) else {
            return;
        };
        let registration_number = (role == InvitableRole::Pharmacist)
            .then(|| registration_number.get_untracked().trim().to_owned())
            .filter(|n| !n.is_empty());
        create.dispatch(NewInvitation {
            email: email.get_untracked().trim().to_owned(),
            role,
            organisation_id,
            registration_number,
        });
    };

    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite a staff member"</h2>
            <FormAlert message=general />
            <TextField
                label="Email"
                name="email"
                kind="email"
                autocomplete="off"
                required=true
                value=email
                error=field_error(error, "email")
            />
            <SelectField label="Role" name="role" value=role options=ROLES error=field_error(error, "role") />
            <DynamicSelectField
                label="Organisation"
                name="organisation_id"
                value=organisation
                options=options
                error=organisation_error
                hint="Clinic admins join a clinic, pharmacists a pharmacy, information officers and platform admins the platform."
            />
            <Show when=is_pharmacist>
                <TextField
                    label="Registration number"
                    name="registration_number"
                    hint="The pharmacist's SAPC registration number."
                    required=true
                    value=registration_number
                    error=field_error(error, "registration_number")
                />
            </Show>
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Sending…" } else { "Send invitation" }}
                </button>
            </div>
            <p class="announcement" role="status">{move || created.get()}</p>
        </form>
    }
}

/// The header row of the invitations table.
fn invitation_head() -> AnyView {
    view! {
        <tr>
            <th scope="col">"Email"</th>
            <th scope="col">"Role"</th>
            <th scope="col">"Organisation"</th>
            <th scope="col">"Status"</th>
            <th scope="col">"Sent"</th>
            <th scope="col">"Expires"</th>
        </tr>
    }
    .into_any()
}

fn invitation_row(i: InvitationView) -> impl IntoView {
    view! {
        <tr>
            <td>{i.email}</td>
            <td>{role_label(i.role.as_str())}</td>
            <td>{i.organisation_name}</td>
            <td>{status_badge(i.status.as_str())}</td>
            <td>{format::date_time(&i.created_at)}</td>
            <td>{format::date_time(&i.expires_at)}</td>
        </tr>
    }
}

//! Doctor approvals: doctors by registration status, oldest first. Pending registrations are
//! approved or rejected, approved doctors suspended, suspended ones reinstated. Rejecting and
//! suspending need a reason, which the doctor is told by email.

use leptos::prelude::*;
use rxgate_api_types::CursorPage;
use rxgate_api_types::admin::{
    DoctorApplication, DoctorDecisionKind, DoctorDecisionRequest, DoctorQuery,
};
use rxgate_api_types::vocab::DoctorStatus;

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{
    FormAlert, SelectField, TextField, field_error, general_error, last_error, no_error,
};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::pages::admin::Pager;
use crate::pages::portal::doctor_status_badge;

const PAGE_SIZE: u32 = 25;

const STATUSES: &[(&str, &str)] = &[
    ("pending", "Awaiting approval"),
    ("approved", "Approved"),
    ("rejected", "Not approved"),
    ("suspended", "Suspended"),
];

/// The shortest reason the API accepts.
const MIN_REASON_CHARS: usize = 5;

fn empty_text(status: &str) -> &'static str {
    match status {
        "approved" => "No approved doctors.",
        "rejected" => "No rejected registrations.",
        "suspended" => "No suspended doctors.",
        _ => "No doctors waiting for approval.",
    }
}

/// What the page shared by every row: the list to reload, the one open reason form, and the
/// line that announces the last decision.
#[derive(Debug, Clone, Copy)]
struct Shared {
    reload: RwSignal<u32>,
    /// The doctor (user id) whose reject/suspend reason is being asked for, and the decision.
    asking: RwSignal<Option<(String, DoctorDecisionKind)>>,
    announcement: RwSignal<Option<String>>,
}

#[component]
pub fn DoctorApprovals() -> impl IntoView {
    let status = RwSignal::new("pending".to_owned());
    // A cursor belongs to the status it was given for; another status starts at its first page.
    let cursor = RwSignal::new(None::<(String, String)>);
    let shared = Shared {
        reload: RwSignal::new(0),
        asking: RwSignal::new(None),
        announcement: RwSignal::new(None),
    };
    let doctors = LocalResource::new(move || {
        shared.reload.get();
        let status = status.get();
        let cursor = cursor
            .get()
            .filter(|(for_status, _)| *for_status == status)
            .map(|(_, c)| c);
        let q = DoctorQuery {
            status: DoctorStatus::parse(&status),
            cursor,
            limit: Some(PAGE_SIZE),
        };
        async move {
            api::admin_doctors(&q)
                .await
                .map(|page| (status, q.cursor.is_none(), page))
        }
    });

    view! {
        <section class="page wide">
            <h1>"Doctor approvals"</h1>
            <p class="muted">
                "Check each licence with its licensing body before you approve it. Doctors are "
                "told of every decision by email."
            </p>
            <form
                class="card form filters"
                aria-label="Filter doctors"
                on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()
            >
                <SelectField label="Status" name="status" value=status options=STATUSES error=no_error() />
            </form>
            <p class="announcement" role="status">{move || shared.announcement.get()}</p>
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        doctors
                            .await
                            .map(|(status, at_start, page)| {
                                view! { <DoctorList status at_start page cursor shared /> }
                            })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn DoctorList(
    status: String,
    at_start: bool,
    page: CursorPage<DoctorApplication>,
    cursor: RwSignal<Option<(String, String)>>,
    shared: Shared,
) -> impl IntoView {
    if page.items.is_empty() && at_start {
        return view! { <p class="empty">{empty_text(&status)}</p> }.into_any();
    }
    let for_status = status.clone();
    view! {
        <ul class="item-list card" aria-label="Doctors">
            {page
                .items
                .into_iter()
                .map(|doctor| view! { <DoctorItem doctor shared /> })
                .collect_view()}
        </ul>
        <Pager
            next=page.next_cursor
            at_start
            on_next=move |c| cursor.set(Some((for_status.clone(), c)))
            on_first=move || cursor.set(None)
        />
    }
    .into_any()
}

fn decision_button_label(kind: DoctorDecisionKind) -> &'static str {
    match kind {
        DoctorDecisionKind::Approve => "Approve",
        DoctorDecisionKind::Reject => "Reject",
        DoctorDecisionKind::Suspend => "Suspend",
        DoctorDecisionKind::Reinstate => "Reinstate",
    }
}

fn announce(kind: DoctorDecisionKind, name: &str) -> String {
    match kind {
        DoctorDecisionKind::Approve => format!("Approved {name}."),
        DoctorDecisionKind::Reject => format!("Rejected the registration of {name}."),
        DoctorDecisionKind::Suspend => format!("Suspended {name}."),
        DoctorDecisionKind::Reinstate => format!("Reinstated {name}."),
    }
}

#[component]
fn DoctorItem(doctor: DoctorApplication, shared: Shared) -> impl IntoView {
    let id = doctor.user_id.to_string();
    let name = doctor.display_name.clone();
    let decide = Action::new_local({
        let id = id.clone();
        move |body: &DoctorDecisionRequest| {
            let (id, body) = (id.clone(), body.clone());
            async move {
                let updated = api::decide_doctor(&id, &body).await?;
                shared.asking.set(None);
                shared
                    .announcement
                    .set(Some(announce(body.decision, &updated.display_name)));
                shared.reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let pending = decide.pending();
    let error = last_error(decide);

    // Approving and reinstating go at once; rejecting and suspending ask for a reason first.
    let choices: &[DoctorDecisionKind] = match doctor.status.as_str() {
        "pending" => &[DoctorDecisionKind::Approve, DoctorDecisionKind::Reject],
        "approved" => &[DoctorDecisionKind::Suspend],
        "suspended" => &[DoctorDecisionKind::Reinstate],
        _ => &[],
    };
    let buttons = choices
        .iter()
        .map(|&kind| {
            let id = id.clone();
            let needs_reason = matches!(
                kind,
                DoctorDecisionKind::Reject | DoctorDecisionKind::Suspend
            );
            let class =
                if kind == DoctorDecisionKind::Approve || kind == DoctorDecisionKind::Reinstate {
                    "button"
                } else {
                    "button secondary"
                };
            view! {
                <button
                    class=class
                    type="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        if needs_reason {
                            shared.asking.set(Some((id.clone(), kind)));
                        } else {
                            shared.asking.set(None);
                            decide.dispatch(DoctorDecisionRequest {
                                decision: kind,
                                reason: None,
                            });
                        }
                    }
                >
                    {decision_button_label(kind)}
                </button>
            }
        })
        .collect_view();
    let asking_here = {
        let id = id.clone();
        Memo::new(move |_| {
            shared.asking.with(|a| {
                a.as_ref()
                    .filter(|(who, _)| *who == id)
                    .map(|(_, kind)| *kind)
            })
        })
    };

    view! {
        <li class="item doctor-item">
            <div class="item-main">
                <p class="item-title">{doctor.display_name.clone()} " " {doctor_status_badge(doctor.status.as_str())}</p>
                <p class="muted">{doctor.email.clone()}</p>
                <dl class="facts compact">
                    <dt>"Licence"</dt>
                    <dd>{format!("{} {}", doctor.licence_body, doctor.licence_number)}</dd>
                    <dt>"Region"</dt>
                    <dd>{doctor.licence_region.clone()}</dd>
                    <dt>"Licence expires"</dt>
                    <dd>{format::date(&doctor.licence_expires_on)}</dd>
                    {(!doctor.specialties.is_empty())
                        .then(|| {
                            view! {
                                <dt>"Specialties"</dt>
                                <dd>{doctor.specialties.join(", ")}</dd>
                            }
                        })}
                    <dt>"Submitted"</dt>
                    <dd>{format::date_time(&doctor.created_at)}</dd>
                    {doctor
                        .status_reason
                        .clone()
                        .map(|reason| view! { <dt>"Reason given"</dt><dd>{reason}</dd> })}
                </dl>
            </div>
            <div class="item-actions">{buttons}</div>
            <div class="item-wide">
                <FormAlert message=general_error(error, &["reason"]) />
                {move || {
                    asking_here
                        .get()
                        .map(|kind| view! { <ReasonForm kind name=name.clone() decide asking=shared.asking /> })
                }}
            </div>
        </li>
    }
}

/// Asks why a doctor is rejected or suspended, then sends the decision.
#[component]
fn ReasonForm(
    kind: DoctorDecisionKind,
    name: String,
    decide: Action<DoctorDecisionRequest, Result<(), ApiError>>,
    asking: RwSignal<Option<(String, DoctorDecisionKind)>>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let too_short = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let error = last_error(decide);
    let server_error = field_error(error, "reason");
    let reason_error = Signal::derive(move || too_short.get().or_else(|| server_error.get()));
    let pending = decide.pending();
    let (title, submit) = match kind {
        DoctorDecisionKind::Suspend => (format!("Suspend {name}"), "Suspend doctor"),
        _ => (
            format!("Reject the registration of {name}"),
            "Reject registration",
        ),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        if text.chars().count() < MIN_REASON_CHARS {
            too_short.set(Some(format!(
                "Give the doctor a reason (at least {MIN_REASON_CHARS} characters)."
            )));
            return;
        }
        too_short.set(None);
        decide.dispatch(DoctorDecisionRequest {
            decision: kind,
            reason: Some(text),
        });
    };
    view! {
        <form class="form reason-form" on:submit=on_submit aria-label=title>
            <TextField
                label="Reason"
                name="reason"
                hint="The doctor is told this reason by email."
                required=true
                value=reason
                input_ref=input
                error=reason_error
            />
            <div class="form-actions">
                <button class="button danger" type="submit" disabled=move || pending.get()>
                    {submit}
                </button>
                <button class="button secondary" type="button" on:click=move |_| asking.set(None)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

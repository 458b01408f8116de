//! The audit log, for the information officer: every recorded action, filtered, newest first,
//! page by page; and a check that the hash chain is unbroken.

use leptos::prelude::*;
use rxgate_api_types::audit::{AuditEventView, AuditQuery, ChainVerification};

use crate::api::{self, ApiError};
use crate::components::form::TextField;
use crate::components::paged::{Extras, Layout, paged_view_with, use_paged};
use crate::format;

const PAGE_SIZE: u32 = 50;

/// Common actions, offered as suggestions in the filter.
const ACTIONS: [&str; 8] = [
    "create",
    "read",
    "update",
    "delete",
    "login",
    "login_failed",
    "logout",
    "export",
];

fn query(action: &str, entity_type: &str) -> AuditQuery {
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    AuditQuery {
        action: text(action),
        entity_type: text(entity_type),
        limit: Some(PAGE_SIZE),
        ..AuditQuery::default()
    }
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let action = RwSignal::new(String::new());
    let entity_type = RwSignal::new(String::new());
    let applied = RwSignal::new(query("", ""));
    // Applying the filters, even unchanged, reads the log again from its newest event.
    let applications = RwSignal::new(0_u32);
    let paged = use_paged(
        move || (applied.get(), applications.get()),
        |(query, _), cursor| async move { api::audit_events(&AuditQuery { cursor, ..query }).await },
    );
    let apply = move |q: AuditQuery| {
        applied.set(q);
        applications.update(|n| *n += 1);
    };
    let on_filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply(query(&action.get_untracked(), &entity_type.get_untracked()));
    };
    let on_clear = move |_| {
        action.set(String::new());
        entity_type.set(String::new());
        apply(query("", ""));
    };
    let no_error = Signal::derive(|| None::<String>);

    view! {
        <section class="page wide">
            <header class="page-header">
                <h1>"Audit log"</h1>
                <VerifyChain />
            </header>
            <form class="card form filters" on:submit=on_filter aria-label="Filter events">
                <TextField
                    label="Action"
                    name="action"
                    placeholder="e.g. login_failed"
                    list="audit-actions"
                    value=action
                    error=no_error
                />
                <datalist id="audit-actions">
                    {ACTIONS.map(|a| view! { <option value=a></option> }).collect_view()}
                </datalist>
                <TextField
                    label="Entity type"
                    name="entity_type"
                    placeholder="e.g. user"
                    value=entity_type
                    error=no_error
                />
                <div class="form-actions">
                    <button class="button" type="submit">"Apply filters"</button>
                    <button class="button secondary" type="button" on:click=on_clear>"Clear"</button>
                </div>
            </form>
            {paged_view_with(
                paged,
                Layout::Table {
                    label: "Audit events",
                    head: event_head,
                },
                "No audit events match these filters.",
                Extras {
                    end: Some("End of the log."),
                    ..Extras::default()
                },
                event_row,
            )}
        </section>
    }
}

/// The header row of the events table.
fn event_head() -> AnyView {
    view! {
        <tr>
            <th scope="col">"#"</th>
            <th scope="col">"When"</th>
            <th scope="col">"Action"</th>
            <th scope="col">"Entity"</th>
            <th scope="col">"Actor"</th>
            <th scope="col">"Risk"</th>
            <th scope="col">"IP"</th>
        </tr>
    }
    .into_any()
}

fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

fn event_row(e: AuditEventView) -> impl IntoView {
    let risk_class = match e.risk.as_str() {
        "high" => "badge badge-danger",
        "medium" => "badge badge-warn",
        _ => "badge badge-ok",
    };
    let actor = match (e.acting_role.as_deref(), e.actor_id) {
        (Some(role), Some(id)) => format!("{} {}", role.replace('_', " "), short(&id.to_string())),
        (None, Some(id)) => short(&id.to_string()),
        (Some(role), None) => role.replace('_', " "),
        (None, None) => "system".to_owned(),
    };
    let actor_title = e.actor_id.map(|id| id.to_string());
    let entity = match &e.entity_id {
        Some(id) => format!("{} {}", e.entity_type, id),
        None => e.entity_type.clone(),
    };
    view! {
        <tr>
            <td class="num" title=e.hash.clone().unwrap_or_default()>{e.seq}</td>
            <td>{format::date_time(&e.occurred_at)}</td>
            <td><code>{e.action.clone()}</code></td>
            <td>{entity}</td>
            <td title=actor_title>{actor}</td>
            <td><span class=risk_class>{e.risk.to_string()}</span></td>
            <td>{e.ip.clone().unwrap_or_default()}</td>
        </tr>
    }
}

#[component]
fn VerifyChain() -> impl IntoView {
    let verify = Action::new_local(|(): &()| api::verify_audit_chain());
    let pending = verify.pending();
    let value = verify.value();
    view! {
        <div class="verify">
            <button
                class="button"
                type="button"
                disabled=move || pending.get()
                on:click=move |_| {
                    verify.dispatch(());
                }
            >
                {move || if pending.get() { "Verifying…" } else { "Verify chain" }}
            </button>
            <div role="status" aria-live="polite">
                {move || value.get().map(verification)}
            </div>
        </div>
    }
}

fn verification(result: Result<ChainVerification, ApiError>) -> AnyView {
    match result {
        Ok(v) if v.intact => view! {
            <p class="notice notice-ok" data-testid="chain-result">
                <strong>"Chain intact."</strong>
                " " {v.checked} " events checked."
            </p>
        }
        .into_any(),
        Ok(v) => view! {
            <p class="notice notice-error" data-testid="chain-result">
                <strong>"Chain broken"</strong>
                {v.first_broken_seq.map(|seq| format!(" at event #{seq}"))}
                "." {v.reason.map(|r| format!(" {r}"))} " " {v.checked} " events checked."
            </p>
        }
        .into_any(),
        Err(e) => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
    }
}

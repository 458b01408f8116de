//! The audit log, for the information officer: every recorded action, filtered, newest first,
//! page by page; and a check that the hash chain is unbroken.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use leptos::prelude::*;
use rxgate_api_types::audit::{AuditEventView, AuditExportQuery, AuditQuery, ChainVerification};
use uuid::Uuid;

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

/// The filters as the officer set them: free text, the actor picked from a row, and a range
/// of calendar days in the browser's time zone (both days included).
#[derive(Clone, Default, PartialEq)]
struct Filters {
    action: String,
    entity_type: String,
    actor: Option<(Uuid, String)>,
    from_day: String,
    to_day: String,
}

impl Filters {
    fn query(&self) -> AuditQuery {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        AuditQuery {
            action: text(&self.action),
            entity_type: text(&self.entity_type),
            actor_id: self.actor.as_ref().map(|(id, _)| *id),
            from: local_midnight(&self.from_day, 0),
            // The "to" day is included: the range ends at the next day's midnight.
            to: local_midnight(&self.to_day, 1),
            limit: Some(PAGE_SIZE),
            ..AuditQuery::default()
        }
    }
}

/// The instant local midnight begins on `day` (an `<input type="date">` value) plus `plus`
/// days, in the browser's time zone; `None` for an empty or malformed day.
fn local_midnight(day: &str, plus: u32) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let date = date.checked_add_days(Days::new(u64::from(plus)))?;
    let js = js_sys::Date::new_with_year_month_day(
        u32::try_from(date.year()).ok()?,
        i32::try_from(date.month0()).ok()?,
        i32::try_from(date.day()).ok()?,
    );
    #[allow(clippy::cast_possible_truncation)]
    DateTime::from_timestamp_millis(js.get_time() as i64)
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let action = RwSignal::new(String::new());
    let entity_type = RwSignal::new(String::new());
    let from_day = RwSignal::new(String::new());
    let to_day = RwSignal::new(String::new());
    let actor = RwSignal::new(None::<(Uuid, String)>);
    let applied = RwSignal::new(Filters::default());
    // Applying the filters, even unchanged, reads the log again from its newest event.
    let applications = RwSignal::new(0_u32);
    let paged = use_paged(
        move || (applied.get().query(), applications.get()),
        |(query, _), cursor| async move { api::audit_events(&AuditQuery { cursor, ..query }).await },
    );
    let current = move || Filters {
        action: action.get_untracked(),
        entity_type: entity_type.get_untracked(),
        actor: actor.get_untracked(),
        from_day: from_day.get_untracked(),
        to_day: to_day.get_untracked(),
    };
    let apply = move || {
        applied.set(current());
        applications.update(|n| *n += 1);
    };
    let on_filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let on_clear = move |_| {
        for field in [action, entity_type, from_day, to_day] {
            field.set(String::new());
        }
        actor.set(None);
        apply();
    };
    // Picking an actor in a row filters by them at once.
    let pick_actor = Callback::new(move |who: (Uuid, String)| {
        actor.set(Some(who));
        apply();
    });
    let no_error = Signal::derive(|| None::<String>);

    view! {
        <section class="page wide">
            <header class="page-header">
                <h1>"Audit log"</h1>
                <VerifyChain />
            </header>
            <form class="card form filters" on:submit=on_filter aria-label="Filter events" novalidate>
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
                <TextField label="From" name="from" kind="date" value=from_day error=no_error />
                <TextField label="To" name="to" kind="date" value=to_day error=no_error />
                {move || {
                    actor
                        .get()
                        .map(|(_, name)| {
                            view! {
                                <p class="filter-chip" data-testid="actor-filter">
                                    "Actor: " <bdi>{name.clone()}</bdi>
                                    <button
                                        class="button secondary small"
                                        type="button"
                                        aria-label=format!("Stop filtering by {name}")
                                        on:click=move |_| {
                                            actor.set(None);
                                            apply();
                                        }
                                    >
                                        "×"
                                    </button>
                                </p>
                            }
                        })
                }}
                <div class="form-actions">
                    <button class="button" type="submit">"Apply filters"</button>
                    <button class="button secondary" type="button" on:click=on_clear>"Clear"</button>
                </div>
            </form>
            <ExportCsv filters=applied />
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
                move |e| event_row(e, pick_actor),
            )}
        </section>
    }
}

/// Downloads the applied filters' events as CSV. The export needs a range (it holds at most
/// 50,000 events), so it is offered once both days are set.
#[component]
fn ExportCsv(filters: RwSignal<Filters>) -> impl IntoView {
    let export = Action::new_local(|filters: &Filters| {
        let q = filters.query();
        async move {
            let (Some(from), Some(to)) = (q.from, q.to) else {
                return Err(None);
            };
            let query = AuditExportQuery {
                actor_id: q.actor_id,
                entity_type: q.entity_type,
                entity_id: q.entity_id,
                action: q.action,
                from,
                to,
            };
            let csv = api::audit_export(&query).await.map_err(Some)?;
            let name = format!(
                "audit-{}-{}.csv",
                from.format("%Y%m%d"),
                (to - chrono::Duration::days(1)).format("%Y%m%d")
            );
            download(&name, &csv).map_err(|e| Some(ApiError::Network(e)))
        }
    });
    let pending = export.pending();
    let value = export.value();
    let ready = move || {
        let f = filters.get();
        !f.from_day.is_empty() && !f.to_day.is_empty()
    };
    view! {
        <div class="export">
            <button
                class="button secondary"
                type="button"
                disabled=move || pending.get() || !ready()
                on:click=move |_| {
                    export.dispatch(filters.get_untracked());
                }
            >
                {move || if pending.get() { "Exporting…" } else { "Export CSV" }}
            </button>
            <span class="hint" role="status" aria-live="polite">
                {move || match value.get() {
                    Some(Err(Some(e))) => e.to_string(),
                    Some(Err(None)) | None if !ready() => {
                        "Set From and To and apply them to export that range.".to_owned()
                    }
                    Some(Ok(())) => "Exported.".to_owned(),
                    _ => String::new(),
                }}
            </span>
        </div>
    }
}

/// Hands `text` to the browser as a file download named `name`.
fn download(name: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_owned())?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url).map_err(fail)?;
    Ok(())
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

fn event_row(e: AuditEventView, pick_actor: Callback<(Uuid, String)>) -> impl IntoView {
    let risk_class = match e.risk.as_str() {
        "high" => "badge badge-danger",
        "medium" => "badge badge-warn",
        _ => "badge badge-ok",
    };
    let role = e.acting_role.as_deref().map(|r| r.replace('_', " "));
    let actor = match (e.actor_id, e.actor_name.clone()) {
        (Some(id), name) => {
            let name = name.unwrap_or_else(|| short(&id.to_string()));
            let label = format!("Show only events by {name}");
            let picked = name.clone();
            view! {
                <button
                    class="link-button"
                    type="button"
                    title=e.actor_email.clone()
                    aria-label=label
                    on:click=move |_| pick_actor.run((id, picked.clone()))
                >
                    <bdi>{name}</bdi>
                </button>
                {role.map(|r| view! { <span class="muted small">{r}</span> })}
            }
            .into_any()
        }
        (None, _) => {
            view! { <span>{role.unwrap_or_else(|| "system".to_owned())}</span> }.into_any()
        }
    };
    let entity_id = e.entity_id.clone();
    view! {
        <tr>
            <td class="num" title=e.hash.clone().unwrap_or_default()>{e.seq}</td>
            <td class="nowrap">{format::date_time(&e.occurred_at)}</td>
            <td><code>{e.action.clone()}</code></td>
            <td>
                {e.entity_type.clone()}
                {entity_id.map(|id| view! { " " <code title=id.clone()>{short(&id)}</code> })}
            </td>
            <td class="actor">{actor}</td>
            <td><span class=risk_class>{e.risk.to_string()}</span></td>
            <td class="nowrap">{e.ip.clone().unwrap_or_default()}</td>
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

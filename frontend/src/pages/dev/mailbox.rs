//! The developer mailbox: what the local email transport delivered, and a form to push a test
//! message through the outbox.

use leptos::prelude::*;
use rxgate_api_types::dev::{MailboxMessage, SendTestEmail};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::skeleton::Skeleton;
use crate::format;

#[component]
pub fn DevMailbox() -> impl IntoView {
    let send = Action::new_local(|input: &SendTestEmail| {
        let input = input.clone();
        async move { api::send_test_email(&input).await }
    });
    let refresh = RwSignal::new(0_u32);
    let messages = LocalResource::new(move || {
        // Reload after each send and on demand.
        send.version().get();
        refresh.get();
        api::mailbox(None)
    });

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Developer mailbox"</h1>
                <button class="button secondary" type="button" on:click=move |_| refresh.update(|n| *n += 1)>
                    "Refresh"
                </button>
            </header>
            <p class="muted">
                "Running locally, Rxgate delivers every email here instead of sending it. "
                "Delivery runs as a background job, so a new message can take a moment to appear."
            </p>
            <SendForm send />
            <Transition fallback=|| view! { <Skeleton lines=4 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        messages.await.map(|page| view! { <MessageList items=page.items /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn MessageList(items: Vec<MailboxMessage>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"No messages yet."</p> }.into_any();
    }
    view! {
        <ul class="message-list" aria-label="Messages">
            {items
                .into_iter()
                .map(|m| {
                    view! {
                        <li class="card message">
                            <details>
                                <summary>
                                    <span class="message-subject">{m.subject.clone()}</span>
                                    <span class="muted">" to " {m.to.clone()} " · " {format::date_time(&m.created_at)}</span>
                                </summary>
                                <pre class="message-body">{m.body_text.clone()}</pre>
                            </details>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn SendForm(
    send: Action<SendTestEmail, Result<rxgate_api_types::dev::Queued, ApiError>>,
) -> impl IntoView {
    let to = RwSignal::new(String::from("someone@example.org"));
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let error = move || send.value().get().and_then(|r| r.err());
    let field_error = move |name: &'static str| move || error().and_then(|e| e.field(name));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.dispatch(SendTestEmail {
            to: to.get(),
            subject: subject.get(),
            body: body.get(),
        });
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="send-title">
            <h2 id="send-title">"Send a test email"</h2>
            <label>
                "To"
                <input type="email" name="to" required prop:value=to on:input:target=move |ev| to.set(ev.target().value()) />
            </label>
            <p class="field-error" role="alert">{field_error("to")}</p>
            <label>
                "Subject"
                <input type="text" name="subject" prop:value=subject on:input:target=move |ev| subject.set(ev.target().value()) />
            </label>
            <p class="field-error" role="alert">{field_error("subject")}</p>
            <label>
                "Message"
                <textarea name="body" rows="3" prop:value=body on:input:target=move |ev| body.set(ev.target().value())></textarea>
            </label>
            <p class="field-error" role="alert">{field_error("body")}</p>
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "Queueing…" } else { "Send" }}
                </button>
                <span class="muted" role="status">
                    {move || match send.value().get() {
                        Some(Ok(_)) => "Queued for delivery.".to_owned(),
                        Some(Err(e)) if e.field("to").is_none() && e.field("subject").is_none() && e.field("body").is_none() => e.to_string(),
                        _ => String::new(),
                    }}
                </span>
            </div>
        </form>
    }
}

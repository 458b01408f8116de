//! The signed-in person's account: profile (with two-step verification), passkeys, sessions
//! (devices) and consents.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use rxgate_api_types::auth::{ConsentInput, ConsentView, Me, PasskeyView, SessionView};
use rxgate_api_types::vocab::MfaMethod;

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{FormAlert, general_error, last_error};
use crate::components::passkey::AddPasskeyForm;
use crate::components::skeleton::Skeleton;
use crate::contexts::auth::{Role, use_auth};
use crate::format;
use crate::pages::auth::{POLICY_VERSION, REQUIRED_CONSENTS, consent_label};
use crate::pages::portal::doctor_status_badge;
use crate::routes::Page;

#[component]
pub fn Account() -> impl IntoView {
    // Bumped when a passkey is added or removed: the profile's two-step status follows.
    let passkeys_changed = RwSignal::new(0_u32);
    view! {
        <section class="page">
            <h1>"Your account"</h1>
            <Profile passkeys_changed />
            <Passkeys changed=passkeys_changed />
            <Sessions />
            <Consents />
        </section>
    }
}

#[component]
fn Profile(passkeys_changed: RwSignal<u32>) -> impl IntoView {
    let me = LocalResource::new(move || {
        passkeys_changed.get();
        api::me()
    });
    view! {
        <div class="card" aria-labelledby="profile-title">
            <h2 id="profile-title">"Profile"</h2>
            <Transition fallback=|| view! { <Skeleton lines=4 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move { me.await.map(|me| view! { <ProfileFacts me /> }) })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

#[component]
fn ProfileFacts(me: Me) -> impl IntoView {
    let roles = Role::of(&me)
        .into_iter()
        .map(Role::title)
        .collect::<Vec<_>>()
        .join(", ");
    let memberships = me
        .memberships
        .iter()
        .map(|m| view! { <li>{m.organisation_name.clone()} " — " {m.role.as_str().replace('_', " ")}</li> })
        .collect_view();
    view! {
        <dl class="facts" data-testid="profile">
            <dt>"Name"</dt>
            <dd>{me.display_name.clone()}</dd>
            <dt>"Email"</dt>
            <dd>
                {me.email.clone()} " "
                {if me.email_verified {
                    view! { <span class="badge badge-ok">"Verified"</span> }.into_any()
                } else {
                    view! { <span class="badge badge-warn">"Not verified"</span> }.into_any()
                }}
            </dd>
            <dt>"Roles"</dt>
            <dd>{if roles.is_empty() { "None".to_owned() } else { roles }}</dd>
            {me
                .doctor_status
                .map(|status| view! { <dt>"Doctor status"</dt><dd>{doctor_status_badge(status.as_str())}</dd> })}
            <dt>"Two-step verification"</dt>
            <dd data-testid="mfa-status">
                {if me.mfa_enrolled {
                    view! {
                        <span class="badge badge-ok">"On"</span>
                        " "
                        <span class="muted">{mfa_methods_label(&me.mfa_methods)}</span>
                    }
                        .into_any()
                } else {
                    view! {
                        <span class="badge badge-warn">"Off"</span>
                        " "
                        <A href=Page::MfaSetup.with_query("next", Page::Account.path())>
                            "Set up"
                            <span class="visually-hidden">" two-step verification"</span>
                        </A>
                    }
                        .into_any()
                }}
            </dd>
            {(!me.memberships.is_empty())
                .then(|| view! { <dt>"Memberships"</dt><dd><ul class="plain">{memberships}</ul></dd> })}
        </dl>
    }
}

/// The second factors set up, as people call them ("authenticator app, passkey").
fn mfa_methods_label(methods: &[MfaMethod]) -> String {
    let names: Vec<&str> = methods
        .iter()
        .map(|m| match m.as_str() {
            "totp" => "authenticator app",
            "passkey" => "passkey",
            other => other,
        })
        .collect();
    let text = names.join(", ");
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[component]
fn Passkeys(changed: RwSignal<u32>) -> impl IntoView {
    let passkeys = LocalResource::new(move || {
        changed.get();
        api::my_passkeys()
    });
    let announcement = RwSignal::new(None::<String>);
    // The passkey whose removal is being confirmed.
    let asking = RwSignal::new(None::<String>);
    let on_added = move |passkey: PasskeyView| {
        announcement.set(Some(format!("Added the passkey “{}”.", passkey.name)));
        changed.update(|n| *n += 1);
    };
    view! {
        <div class="card stack" aria-labelledby="passkeys-title">
            <h2 id="passkeys-title">"Passkeys"</h2>
            <p class="muted">
                "A passkey signs you in with your fingerprint, face or screen lock instead of "
                "your password, and also counts as the second step when you do use your password. "
                "It stays on your device or in your password manager; Rxgate only keeps its public half."
            </p>
            <p class="announcement" role="status">{move || announcement.get()}</p>
            <Transition fallback=|| view! { <Skeleton lines=2 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        passkeys
                            .await
                            .map(|list| view! { <PasskeyList list asking announcement changed /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <AddPasskeyForm submit="Add a passkey" label="Add a passkey" on_added />
        </div>
    }
}

#[component]
fn PasskeyList(
    list: Vec<PasskeyView>,
    asking: RwSignal<Option<String>>,
    announcement: RwSignal<Option<String>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No passkeys yet."</p> }.into_any();
    }
    view! {
        <ul class="item-list" aria-label="Passkeys">
            {list
                .into_iter()
                .map(|passkey| view! { <PasskeyItem passkey asking announcement changed /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PasskeyItem(
    passkey: PasskeyView,
    asking: RwSignal<Option<String>>,
    announcement: RwSignal<Option<String>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let id = passkey.id.to_string();
    let name = passkey.name.clone();
    let remove = Action::new_local({
        let (id, name) = (id.clone(), name.clone());
        move |(): &()| {
            let (id, name) = (id.clone(), name.clone());
            async move {
                api::remove_passkey(&id).await?;
                asking.set(None);
                announcement.set(Some(format!("Removed the passkey “{name}”.")));
                changed.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let pending = remove.pending();
    let error = last_error(remove);
    let asking_here = Memo::new({
        let id = id.clone();
        move |_| asking.with(|a| a.as_deref() == Some(id.as_str()))
    });
    let remove_ref = NodeRef::<leptos::html::Button>::new();
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    // The question appears in place of nothing: take the person to it.
    Effect::new(move || {
        if let Some(button) = cancel_ref.get() {
            let _ = button.focus();
        }
    });
    let last_used = passkey.last_used_at.as_ref().map_or_else(
        || "never used".to_owned(),
        |at| format!("last used {}", format::date_time(at)),
    );

    view! {
        <li class="item">
            <div class="item-main">
                <p class="item-title">{name.clone()}</p>
                <p class="muted">
                    "Added " {format::date_time(&passkey.created_at)} " · " {last_used}
                </p>
            </div>
            <div class="item-actions">
                <button
                    class="button secondary"
                    type="button"
                    node_ref=remove_ref
                    disabled=move || pending.get() || asking_here.get()
                    on:click=move |_| {
                        remove.value().set(None);
                        asking.set(Some(id.clone()));
                    }
                >
                    "Remove"
                    <span class="visually-hidden">" the passkey " {name.clone()}</span>
                </button>
            </div>
            <div class="item-wide">
                <FormAlert message=general_error(error, &[]) />
                {move || {
                    asking_here
                        .get()
                        .then(|| {
                            view! {
                                <div
                                    class="reason-form stack"
                                    role="group"
                                    aria-label=format!("Remove the passkey {name}")
                                >
                                    <p>
                                        "Remove “" {name.clone()} "”? You will no longer be able "
                                        "to sign in with it."
                                    </p>
                                    <div class="form-actions">
                                        <button
                                            class="button danger"
                                            type="button"
                                            disabled=move || pending.get()
                                            on:click=move |_| {
                                                remove.dispatch(());
                                            }
                                        >
                                            {move || if pending.get() { "Removing…" } else { "Yes, remove it" }}
                                        </button>
                                        <button
                                            class="button secondary"
                                            type="button"
                                            node_ref=cancel_ref
                                            on:click=move |_| {
                                                asking.set(None);
                                                // Back where the person was, once the button is
                                                // enabled again.
                                                request_animation_frame(move || {
                                                    if let Some(button) = remove_ref.get_untracked() {
                                                        let _ = button.focus();
                                                    }
                                                });
                                            }
                                        >
                                            "Cancel"
                                        </button>
                                    </div>
                                </div>
                            }
                        })
                }}
            </div>
        </li>
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let revoke = Action::new_local(|id: &String| {
        let id = id.clone();
        async move { api::revoke_session(&id).await }
    });
    let everywhere = Action::new_local({
        let navigate = navigate.clone();
        move |(): &()| {
            let navigate = navigate.clone();
            async move {
                auth.sign_out_everywhere().await?;
                navigate(Page::SignIn.path(), NavigateOptions::default());
                Ok::<_, ApiError>(())
            }
        }
    });
    let sessions = LocalResource::new(move || {
        revoke.version().get();
        api::my_sessions()
    });
    let revoke_error = last_error(revoke);
    let everywhere_error = last_error(everywhere);
    let everywhere_pending = everywhere.pending();
    // Signing out this device is an ordinary sign-out.
    let sign_out_here = move || {
        navigate(Page::SignIn.path(), NavigateOptions::default());
        auth.sign_out();
    };

    view! {
        <div class="card stack" aria-labelledby="sessions-title">
            <div class="page-header">
                <h2 id="sessions-title">"Where you are signed in"</h2>
                <button
                    class="button secondary"
                    type="button"
                    disabled=move || everywhere_pending.get()
                    on:click=move |_| {
                        everywhere.dispatch(());
                    }
                >
                    {move || if everywhere_pending.get() { "Signing out…" } else { "Sign out everywhere" }}
                </button>
            </div>
            <FormAlert message=general_error(everywhere_error, &[]) />
            <FormAlert message=general_error(revoke_error, &[]) />
            <Transition fallback=|| view! { <Skeleton lines=3 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {
                        let sign_out_here = sign_out_here.clone();
                        move || {
                            let sign_out_here = sign_out_here.clone();
                            Suspend::new(async move {
                                sessions
                                    .await
                                    .map(|list| view! { <SessionList list revoke sign_out_here /> })
                            })
                        }
                    }
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

#[component]
fn SessionList(
    list: Vec<SessionView>,
    revoke: Action<String, Result<(), ApiError>>,
    sign_out_here: impl Fn() + Clone + 'static,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No active sessions."</p> }.into_any();
    }
    let pending = revoke.pending();
    view! {
        <ul class="item-list" aria-label="Sessions">
            {list
                .into_iter()
                .map(|s| {
                    let id = s.id.to_string();
                    let current = s.current;
                    let sign_out_here = sign_out_here.clone();
                    view! {
                        <li class="item">
                            <div>
                                <p class="item-title">
                                    <span title=s.user_agent.clone()>
                                        {s
                                            .user_agent
                                            .as_deref()
                                            .map_or_else(|| "Unknown device".into(), format::device)}
                                    </span>
                                    {current.then(|| view! { " " <span class="badge badge-ok">"This device"</span> })}
                                </p>
                                <p class="muted">
                                    "Signed in " {format::date_time(&s.created_at)}
                                    " · last active " {format::date_time(&s.last_seen_at)}
                                    {s.ip.clone().map(|ip| format!(" · {ip}"))}
                                </p>
                            </div>
                            <button
                                class="button secondary"
                                type="button"
                                disabled=move || pending.get()
                                on:click=move |_| {
                                    if current {
                                        sign_out_here();
                                    } else {
                                        revoke.dispatch(id.clone());
                                    }
                                }
                            >
                                "Sign out this device"
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The latest record of each purpose: the consent as it stands.
fn current_consents(records: Vec<ConsentView>) -> BTreeMap<String, ConsentView> {
    let mut latest: BTreeMap<String, ConsentView> = BTreeMap::new();
    for record in records {
        let newer = latest
            .get(&record.purpose)
            .is_none_or(|seen| record.recorded_at >= seen.recorded_at);
        if newer {
            latest.insert(record.purpose.clone(), record);
        }
    }
    latest
}

#[component]
fn Consents() -> impl IntoView {
    let record = Action::new_local(|input: &ConsentInput| {
        let input = input.clone();
        async move { api::record_consent(&input).await }
    });
    let consents = LocalResource::new(move || {
        record.version().get();
        api::my_consents()
    });
    let error = last_error(record);
    view! {
        <div class="card stack" aria-labelledby="consents-title">
            <h2 id="consents-title">"Your consents"</h2>
            <FormAlert message=general_error(error, &[]) />
            <Transition fallback=|| view! { <Skeleton lines=4 /> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        consents.await.map(|list| view! { <ConsentList current=current_consents(list) record /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

#[component]
fn ConsentList(
    current: BTreeMap<String, ConsentView>,
    record: Action<ConsentInput, Result<ConsentView, ApiError>>,
) -> impl IntoView {
    // Required consents first, then marketing (always listed, so it can be given), then others.
    let mut purposes: Vec<String> = REQUIRED_CONSENTS.iter().map(|p| (*p).to_owned()).collect();
    purposes.push("marketing".into());
    purposes.extend(
        current
            .keys()
            .filter(|k| !purposes.contains(k))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let purposes: Vec<String> = purposes
        .into_iter()
        .filter(|p| p == "marketing" || current.contains_key(p))
        .collect();
    let pending = record.pending();

    view! {
        <ul class="item-list" aria-label="Consents">
            {purposes
                .into_iter()
                .map(|purpose| {
                    let state = current.get(&purpose).cloned();
                    let granted = state.as_ref().is_some_and(|c| c.granted);
                    let toggle = (purpose == "marketing")
                        .then(|| {
                            let label = if granted {
                                "Withdraw marketing consent"
                            } else {
                                "Allow marketing emails"
                            };
                            view! {
                                <button
                                    class="button secondary"
                                    type="button"
                                    disabled=move || pending.get()
                                    on:click=move |_| {
                                        record.dispatch(ConsentInput {
                                            purpose: "marketing".into(),
                                            policy_version: POLICY_VERSION.into(),
                                            granted: !granted,
                                        });
                                    }
                                >
                                    {label}
                                </button>
                            }
                        });
                    view! {
                        <li class="item">
                            <div>
                                <p class="item-title">
                                    {consent_label(&purpose)} " "
                                    {if granted {
                                        view! { <span class="badge badge-ok">"Given"</span> }.into_any()
                                    } else if state.is_some() {
                                        view! { <span class="badge badge-warn">"Withdrawn"</span> }.into_any()
                                    } else {
                                        view! { <span class="badge">"Not given"</span> }.into_any()
                                    }}
                                </p>
                                {state
                                    .map(|c| {
                                        view! {
                                            <p class="muted">
                                                "Policy version " {c.policy_version} " · recorded "
                                                {format::date_time(&c.recorded_at)}
                                            </p>
                                        }
                                    })}
                            </div>
                            {toggle}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

//! Passkey building blocks: the form that adds one (account page, second-factor set-up) and the
//! message of a failed passkey request.

use leptos::prelude::*;
use rxgate_api_types::auth::PasskeyView;

use crate::api::ApiError;
use crate::components::form::{FormAlert, TextField, field_error, general_error, last_error};
use crate::contexts::auth::use_auth;
use crate::webauthn;

/// What a form says when a passkey request failed: the browser's or the server's reason. A
/// credential the server could not verify is a `credential` field error, but there is no such
/// field on screen, so it is said in the general error area.
pub fn passkey_error(
    error: Memo<Option<ApiError>>,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    let general = general_error(error, fields);
    Signal::derive(move || {
        general
            .get()
            .or_else(|| error.with(|e| e.as_ref().and_then(|e| e.field("credential"))))
    })
}

/// Asks for a name (suggested from the browser and system), then for the browser's passkey
/// prompt, and adds the passkey to the signed-in person's account. The session's tokens are
/// renewed on the way (a new passkey is a passed second factor).
#[component]
pub fn AddPasskeyForm(
    /// The submit button's text.
    submit: &'static str,
    /// The accessible name of the form.
    label: &'static str,
    /// Runs with the new passkey once it is added.
    #[prop(into)]
    on_added: Callback<PasskeyView>,
    /// A less prominent submit button, when the form is the second choice on its page.
    #[prop(optional)]
    secondary: bool,
) -> impl IntoView {
    let auth = use_auth();
    let name = RwSignal::new(webauthn::suggested_name());
    let name_field = name;
    let add = Action::new_local(move |name: &String| {
        let name = name.clone();
        async move {
            let passkey = auth.add_passkey(name).await?;
            // Ready for another one (the page may also leave).
            name_field.set(webauthn::suggested_name());
            on_added.run(passkey);
            Ok::<_, ApiError>(())
        }
    });
    let pending = add.pending();
    let error = last_error(add);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(name.get_untracked().trim().to_owned());
    };
    view! {
        <form class="form" on:submit=on_submit aria-label=label>
            <FormAlert message=passkey_error(error, &["name", "credential"]) />
            <TextField
                label="Passkey name"
                name="name"
                hint="To tell your passkeys apart, e.g. the device or password manager that keeps it."
                maxlength="64"
                required=true
                value=name
                error=field_error(error, "name")
            />
            <div class="form-actions">
                <button
                    class=if secondary { "button secondary" } else { "button" }
                    type="submit"
                    disabled=move || pending.get()
                >
                    {move || if pending.get() { "Waiting for your passkey…" } else { submit }}
                </button>
            </div>
        </form>
    }
}

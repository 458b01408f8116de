//! `/verify-email#token=…`: the link of the sign-up email. The token is posted as soon as the
//! page opens.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::auth::TokenInput;

use crate::api;
use crate::components::skeleton::Skeleton;
use crate::pages::auth::take_token_from_fragment;
use crate::routes::Page;

#[component]
pub fn VerifyEmail() -> impl IntoView {
    let token = take_token_from_fragment(Page::VerifyEmail);
    let verify = Action::new_local(|input: &TokenInput| {
        let input = input.clone();
        async move { api::verify_email(&input).await }
    });
    let has_token = token.is_some();
    if let Some(token) = token {
        verify.dispatch(TokenInput { token });
    }
    let value = verify.value();

    view! {
        <section class="page narrow">
            <h1>"Verify your email"</h1>
            {move || match value.get() {
                _ if !has_token => {
                    view! {
                        <div class="notice notice-error" role="alert">
                            <p>
                                "This link is incomplete. Open the link from the email again, or "
                                "copy the whole address into your browser."
                            </p>
                        </div>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p role="status">"Checking your link…"</p>
                        <Skeleton lines=1 />
                    }
                        .into_any()
                }
                Some(Ok(())) => {
                    view! {
                        <div class="notice notice-ok" role="status">
                            <p>"Your email address is verified. You can now sign in."</p>
                        </div>
                        <p>
                            <A href=Page::SignIn.path() attr:class="button">"Sign in"</A>
                        </p>
                    }
                        .into_any()
                }
                Some(Err(e)) => {
                    let expired = e.code() == Some("TOKEN_EXPIRED");
                    view! {
                        <div class="notice notice-error" role="alert">
                            <p>{e.to_string()}</p>
                            <p>
                                {if expired {
                                    "Verification links are valid for a limited time. "
                                } else {
                                    "A verification link works once. "
                                }}
                                "If you have already verified your address, just sign in."
                            </p>
                        </div>
                        <p>
                            <A href=Page::SignIn.path()>"Go to sign in"</A>
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

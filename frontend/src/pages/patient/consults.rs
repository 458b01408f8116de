//! Where "Book a consult" leads until consults can be booked: says so, and what to do
//! meanwhile.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::Page;

#[component]
pub fn Consults() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>"Book a consult"</h1>
            <div class="card stack">
                <p>
                    "Prescription medicines need a short video consult with a doctor, who decides "
                    "whether the medicine is right for you and prescribes it."
                </p>
                <p class="notice notice-warn" role="status">
                    "Booking consults online is coming soon: you will be able to book one here."
                </p>
                <p class="muted">
                    "Meanwhile, keeping your health questionnaire up to date lets the doctor "
                    "prepare for your consult."
                </p>
                <div class="form-actions">
                    <A href=Page::PatientQuestionnaire.path() attr:class="button">
                        "Update my health questionnaire"
                    </A>
                    <A href=Page::PatientShop.path() attr:class="button secondary">
                        "Back to the shop"
                    </A>
                </div>
            </div>
        </section>
    }
}

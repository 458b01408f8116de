//! Platform administration (platform admins): doctor approvals, organisations, staff
//! invitations, people's accounts, and the catalogue with its rules, flags and questionnaires.

pub mod catalogue;
pub mod catalogue_import;
pub mod catalogue_new;
pub mod categories;
pub mod doctors;
pub mod flags;
pub mod invitations;
pub mod organisations;
pub mod people;
pub mod product_admin;
pub mod product_edit;
pub mod questionnaires;
pub mod questionnaires_editor;
pub mod questionnaires_preview;
pub mod rules;

use leptos::prelude::*;

/// "Next page" and "First page" for a cursor-paginated list: `next` is the list's
/// `next_cursor`, `at_start` whether this is its first page.
#[component]
pub fn Pager(
    next: Option<String>,
    at_start: bool,
    on_next: impl Fn(String) + 'static,
    on_first: impl Fn() + 'static,
) -> impl IntoView {
    let first = (!at_start).then(|| {
        view! {
            <button class="button secondary" type="button" on:click=move |_| on_first()>
                "First page"
            </button>
        }
    });
    let more = next.map(|cursor| {
        view! {
            <button class="button secondary" type="button" on:click=move |_| on_next(cursor.clone())>
                "Next page"
            </button>
        }
    });
    view! { <div class="form-actions">{first} {more}</div> }
}

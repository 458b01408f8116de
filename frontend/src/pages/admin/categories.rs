//! Categories (platform admins): the groups the catalogue's products are filed under, and a
//! form to add one.

use leptos::prelude::*;
use rxgate_api_types::catalogue::{CategoryView, NewCategory};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{
    FormAlert, TextField, field_error, follow_until_edited, general_error, last_error, suggest_slug,
};
use crate::components::skeleton::Skeleton;

const FIELDS: &[&str] = &["slug", "name"];

/// The address suggested for a category's name ("Skin care" → `skin-care`).
fn category_slug(name: &str) -> String {
    suggest_slug(name, '-', 64)
}

#[component]
pub fn Categories() -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    let categories = LocalResource::new(move || {
        reload.get();
        api::catalogue_categories()
    });
    view! {
        <section class="page">
            <h1>"Categories"</h1>
            <p class="muted">
                "Every product is filed under one category; patients filter the shop by them."
            </p>
            <NewCategoryForm reload />
            <div class="stack" aria-labelledby="categories-title">
                <h2 id="categories-title">"All categories"</h2>
                <Transition fallback=|| view! { <Skeleton lines=5 /> }>
                    <ErrorBoundary fallback=error_fallback>
                        {move || Suspend::new(async move {
                            categories.await.map(|list| view! { <CategoryTable list /> })
                        })}
                    </ErrorBoundary>
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn NewCategoryForm(reload: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let created = RwSignal::new(None::<String>);
    follow_until_edited(name, slug, category_slug);
    let create = Action::new_local(move |body: &NewCategory| {
        let body = body.clone();
        async move {
            let category: CategoryView = api::create_category(&body).await?;
            created.set(Some(format!("Added the category {}.", category.name)));
            name.set(String::new());
            slug.set(String::new());
            reload.update(|n| *n += 1);
            Ok::<_, ApiError>(())
        }
    });
    let pending = create.pending();
    let error = last_error(create);
    // A taken address is a field error too (the API names the field of a conflict).
    let slug_error = field_error(error, "slug");
    let general = general_error(error, FIELDS);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        create.dispatch(NewCategory {
            slug: slug.get_untracked().trim().to_owned(),
            name: name.get_untracked().trim().to_owned(),
        });
    };
    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="new-category-title">
            <h2 id="new-category-title">"Add a category"</h2>
            <FormAlert message=general />
            <TextField
                label="Name"
                name="name"
                hint="What patients read, e.g. Skin care."
                required=true
                maxlength="120"
                value=name
                error=field_error(error, "name")
            />
            <TextField
                label="Address"
                name="slug"
                hint="Used in links and CSV imports: lower-case letters, digits and single dashes. Suggested from the name."
                required=true
                maxlength="64"
                value=slug
                error=slug_error
            />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Adding…" } else { "Add category" }}
                </button>
            </div>
            <p class="announcement" role="status">{move || created.get()}</p>
        </form>
    }
}

#[component]
fn CategoryTable(list: Vec<CategoryView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No categories yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Categories">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Address"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr>
                                    <td>{c.name}</td>
                                    <td>
                                        <code>{c.slug}</code>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

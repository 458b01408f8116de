//! Categories (platform admins): the groups the catalogue's products are filed under, a form
//! to add one, and on each row a rename and a delete (refused while products are in it).

use leptos::prelude::*;
use rxgate_api_types::catalogue::{CategoryRename, CategoryView, NewCategory};

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
                            categories.await.map(|list| view! { <CategoryTable list reload /> })
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
fn CategoryTable(list: Vec<CategoryView>, reload: RwSignal<u32>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No categories yet."</p> }.into_any();
    }
    // What the last rename or delete did, read out to screen readers.
    let announcement = RwSignal::new(None::<String>);
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Categories">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Address"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|c| view! { <CategoryRow category=c reload announcement /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="announcement" role="status">{move || announcement.get()}</p>
    }
    .into_any()
}

/// What a row is doing: showing, renaming (a name field) or asking to confirm a delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowMode {
    Show,
    Rename,
    ConfirmDelete,
}

#[component]
fn CategoryRow(
    category: CategoryView,
    reload: RwSignal<u32>,
    announcement: RwSignal<Option<String>>,
) -> impl IntoView {
    let mode = RwSignal::new(RowMode::Show);
    let new_name = RwSignal::new(category.name.clone());
    let id = category.id.to_string();
    let name = category.name.clone();
    let rename = Action::new_local({
        let id = id.clone();
        move |body: &CategoryRename| {
            let (id, body) = (id.clone(), body.clone());
            async move {
                let renamed = api::rename_category(&id, &body).await?;
                announcement.set(Some(format!("Renamed the category to {}.", renamed.name)));
                reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let remove = Action::new_local({
        let (id, name) = (id.clone(), name.clone());
        move |_: &()| {
            let (id, name) = (id.clone(), name.clone());
            async move {
                api::delete_category(&id).await?;
                announcement.set(Some(format!("Deleted the category {name}.")));
                reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let rename_error = last_error(rename);
    let name_error = field_error(rename_error, "name");
    let rename_general = general_error(rename_error, &["name"]);
    let remove_error = last_error(remove);
    let remove_general = general_error(remove_error, &[]);
    let pending = Signal::derive(move || rename.pending().get() || remove.pending().get());
    let input_id = format!("rename-{id}");
    let error_id = format!("rename-{id}-error");
    let on_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        rename.dispatch(CategoryRename {
            name: new_name.get_untracked().trim().to_owned(),
        });
    };
    let label_name = name.clone();
    let actions = move || match mode.get() {
        RowMode::Show => {
            let (rename_label, delete_label) = (label_name.clone(), label_name.clone());
            view! {
                <div class="form-actions">
                    <button class="button secondary" type="button" on:click=move |_| mode.set(RowMode::Rename)>
                        "Rename"
                        <span class="visually-hidden">" " {rename_label}</span>
                    </button>
                    <button class="button danger" type="button" on:click=move |_| mode.set(RowMode::ConfirmDelete)>
                        "Delete"
                        <span class="visually-hidden">" " {delete_label}</span>
                    </button>
                </div>
            }
            .into_any()
        }
        RowMode::Rename => {
            let (input_id, error_id) = (input_id.clone(), error_id.clone());
            let label = format!("New name for {}", label_name);
            view! {
                <form class="form" on:submit=on_rename>
                    <label for=input_id.clone()>{label}</label>
                    <input
                        id=input_id
                        name="name"
                        type="text"
                        required=true
                        maxlength="120"
                        aria-invalid=move || name_error.get().is_some().to_string()
                        aria-describedby=error_id.clone()
                        bind:value=new_name
                    />
                    <p class="field-error" id=error_id>{move || name_error.get()}</p>
                    <FormAlert message=rename_general />
                    <div class="form-actions">
                        <button class="button" type="submit" disabled=move || pending.get()>
                            {move || if rename.pending().get() { "Saving…" } else { "Save name" }}
                        </button>
                        <button class="button secondary" type="button" on:click=move |_| mode.set(RowMode::Show)>
                            "Cancel"
                        </button>
                    </div>
                </form>
            }
            .into_any()
        }
        RowMode::ConfirmDelete => {
            let question = format!("Delete the category {}?", label_name);
            let group_label = question.clone();
            view! {
                <div class="confirm" role="group" aria-label=group_label>
                    <p>{question}</p>
                    <FormAlert message=remove_general />
                    <div class="form-actions">
                        <button class="button danger" type="button" disabled=move || pending.get() on:click=move |_| {
                            remove.dispatch(());
                        }>
                            {move || if remove.pending().get() { "Deleting…" } else { "Yes, delete" }}
                        </button>
                        <button class="button secondary" type="button" on:click=move |_| mode.set(RowMode::Show)>
                            "Keep it"
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <tr>
            <td>{category.name}</td>
            <td>
                <code>{category.slug}</code>
            </td>
            <td>{actions}</td>
        </tr>
    }
}

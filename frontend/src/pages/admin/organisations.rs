//! Organisations: the clinics (tenants) and pharmacies on the platform, oldest first, and a
//! form to add one.

use leptos::prelude::*;
use rxgate_api_types::admin::{NewOrganisation, OrganisationView};
use rxgate_api_types::vocab::NewOrganisationKind;
use rxgate_api_types::{CursorPage, PageQuery};

use crate::api::{self, ApiError};
use crate::components::error_view::error_fallback;
use crate::components::form::{
    FormAlert, SelectField, TextField, field_error, follow_until_edited, general_error, last_error,
    suggest_slug,
};
use crate::components::skeleton::Skeleton;
use crate::format;
use crate::pages::admin::Pager;

const PAGE_SIZE: u32 = 50;

const FIELDS: &[&str] = &["kind", "name", "slug"];

const KINDS: &[(&str, &str)] = &[("clinic", "Clinic"), ("pharmacy", "Pharmacy")];

/// The longest slug the API accepts.
const MAX_SLUG: usize = 63;

fn kind_label(kind: &str) -> String {
    KINDS
        .iter()
        .find(|(value, _)| *value == kind)
        .map_or_else(|| kind.to_owned(), |(_, label)| (*label).to_owned())
}

fn slugify(name: &str) -> String {
    suggest_slug(name, '-', MAX_SLUG)
}

#[component]
pub fn Organisations() -> impl IntoView {
    let cursor = RwSignal::new(None::<String>);
    let reload = RwSignal::new(0_u32);
    let organisations = LocalResource::new(move || {
        reload.get();
        let q = PageQuery {
            cursor: cursor.get(),
            limit: Some(PAGE_SIZE),
        };
        async move {
            api::organisations(&q)
                .await
                .map(|page| (q.cursor.is_none(), page))
        }
    });

    view! {
        <section class="page wide">
            <h1>"Organisations"</h1>
            <CreateOrganisation reload />
            <div class="stack" aria-labelledby="organisations-title">
                <h2 id="organisations-title">"Clinics and pharmacies"</h2>
                <Transition fallback=|| view! { <Skeleton lines=4 /> }>
                    <ErrorBoundary fallback=error_fallback>
                        {move || Suspend::new(async move {
                            organisations
                                .await
                                .map(|(at_start, page)| {
                                    view! { <OrganisationTable at_start page cursor /> }
                                })
                        })}
                    </ErrorBoundary>
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn CreateOrganisation(reload: RwSignal<u32>) -> impl IntoView {
    let kind = RwSignal::new("clinic".to_owned());
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let created = RwSignal::new(None::<String>);
    follow_until_edited(name, slug, slugify);

    let create = Action::new_local(move |body: &NewOrganisation| {
        let body = body.clone();
        async move {
            let org: OrganisationView = api::create_organisation(&body).await?;
            created.set(Some(format!(
                "Created {} {} ({}).",
                kind_label(org.kind.as_str()).to_lowercase(),
                org.name,
                org.slug
            )));
            slug.set(String::new());
            name.set(String::new());
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
        let Some(kind) = NewOrganisationKind::parse(&kind.get_untracked()) else {
            return;
        };
        create.dispatch(NewOrganisation {
            kind,
            name: name.get_untracked().trim().to_owned(),
            slug: slug.get_untracked().trim().to_owned(),
        });
    };

    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="create-org-title">
            <h2 id="create-org-title">"Add an organisation"</h2>
            <FormAlert message=general />
            <SelectField label="Kind" name="kind" value=kind options=KINDS error=field_error(error, "kind") />
            <TextField
                label="Name"
                name="name"
                autocomplete="organization"
                required=true
                value=name
                error=field_error(error, "name")
            />
            <TextField
                label="Slug"
                name="slug"
                hint="Used in web addresses: lower-case letters, digits and single dashes. Suggested from the name."
                required=true
                value=slug
                error=slug_error
            />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Adding…" } else { "Add organisation" }}
                </button>
            </div>
            <p class="announcement" role="status">{move || created.get()}</p>
        </form>
    }
}

#[component]
fn OrganisationTable(
    at_start: bool,
    page: CursorPage<OrganisationView>,
    cursor: RwSignal<Option<String>>,
) -> impl IntoView {
    if page.items.is_empty() && at_start {
        return view! { <p class="empty">"No organisations yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Organisations">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Slug"</th>
                        <th scope="col">"Added"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .items
                        .into_iter()
                        .map(|o| {
                            view! {
                                <tr>
                                    <td>{o.name}</td>
                                    <td>{kind_label(o.kind.as_str())}</td>
                                    <td><code>{o.slug}</code></td>
                                    <td>{format::date_time(&o.created_at)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pager
            next=page.next_cursor
            at_start
            on_next=move |c| cursor.set(Some(c))
            on_first=move || cursor.set(None)
        />
    }
    .into_any()
}

//! Rules (platform admins): contraindication rules, `(product | active ingredient) × flag →
//! block | review | warn`, filtered by flag, action and state; a form to add one or change
//! one, and retiring (or reactivating) a rule, which takes effect for every patient at once.

use leptos::prelude::*;
use rxgate_api_types::catalogue::{
    CatalogueQuery, FlagView, ProductSummary, RuleInput, RuleQuery, RuleView,
};

use rxgate_api_types::vocab::RuleAction;

use crate::api::{self, ApiError};
use crate::components::form::TextAreaField;
use crate::components::form::{
    CheckField, DynamicSelectField, FormAlert, SelectField, TextField, field_error, general_error,
    last_error, no_error,
};
use crate::components::paged::{Layout, all_pages, paged_view, use_paged};
use crate::format;

const PAGE_SIZE: u32 = 50;

/// The largest page the API serves, to load the whole catalogue for the target picker.
const PRODUCT_PAGE_SIZE: u32 = 200;

const FIELDS: &[&str] = &[
    "product_id",
    "ingredient_id",
    "flag",
    "action",
    "patient_message",
    "clinician_message",
    "active",
];

const ACTIONS: &[(&str, &str)] = &[
    ("block", "Block: the patient cannot order it"),
    ("review", "Review: a clinician checks each order first"),
    ("warn", "Warn: the patient is told, and may order it"),
];

const ACTION_FILTER: &[(&str, &str)] = &[
    ("", "All"),
    ("block", "Block"),
    ("review", "Review"),
    ("warn", "Warn"),
];

const STATUS_FILTER: &[(&str, &str)] = &[("", "All"), ("true", "Active"), ("false", "Retired")];

const TARGETS: &[(&str, &str)] = &[
    ("product", "A product"),
    ("ingredient", "An active ingredient (every product with it)"),
];

fn action_label(action: &str) -> String {
    match action {
        "block" => "Block".into(),
        "review" => "Review".into(),
        "warn" => "Warn".into(),
        other => other.to_owned(),
    }
}

fn action_badge(action: &str) -> impl IntoView + use<> {
    let class = match action {
        "block" => "badge badge-danger",
        "review" => "badge badge-warn",
        _ => "badge",
    };
    view! { <span class=class>{action_label(action)}</span> }
}

fn status_badge(active: bool) -> impl IntoView {
    if active {
        view! { <span class="badge badge-ok">"Active"</span> }
    } else {
        view! { <span class="badge">"Retired"</span> }
    }
}

/// An id typed as the API's id type (`Uuid`), from its text.
fn parse_id<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// Every product of the master catalogue, following the cursor to the end.
async fn all_products() -> Result<Vec<ProductSummary>, ApiError> {
    all_pages(|cursor| async move {
        api::catalogue_products(&CatalogueQuery {
            cursor,
            limit: Some(PRODUCT_PAGE_SIZE),
            ..CatalogueQuery::default()
        })
        .await
    })
    .await
}

/// What the rule applies to, in words: "Cetirizine 10 mg tablets" or "Amoxicillin (active
/// ingredient)".
fn target_name(rule: &RuleView) -> String {
    match (&rule.product_name, &rule.ingredient_name) {
        (Some(product), _) => product.clone(),
        (None, Some(ingredient)) => format!("{ingredient} (active ingredient)"),
        (None, None) => "Unknown target".to_owned(),
    }
}

fn flag_label(flags: &[FlagView], code: &str) -> String {
    flags
        .iter()
        .find(|f| f.code == code)
        .map_or_else(|| code.to_owned(), |f| f.label.clone())
}

/// The content of a rule, to send back with a change.
fn input_of(rule: &RuleView) -> RuleInput {
    RuleInput {
        product_id: rule.product_id,
        ingredient_id: rule.ingredient_id,
        flag: rule.flag.clone(),
        action: rule.action,
        patient_message: rule.patient_message.clone(),
        clinician_message: rule.clinician_message.clone(),
        active: rule.active,
    }
}

/// What the page shares with its parts.
#[derive(Clone, Copy)]
struct Shared {
    reload: RwSignal<u32>,
    /// The rule being changed in the form; `None` adds a new one.
    editing: RwSignal<Option<RuleView>>,
    announcement: RwSignal<Option<String>>,
    flags: LocalResource<Result<Vec<FlagView>, ApiError>>,
}

impl Shared {
    fn flag_list(self) -> Vec<FlagView> {
        self.flags.get().and_then(Result::ok).unwrap_or_default()
    }
}

#[component]
pub fn Rules() -> impl IntoView {
    let shared = Shared {
        reload: RwSignal::new(0),
        editing: RwSignal::new(None),
        announcement: RwSignal::new(None),
        flags: LocalResource::new(api::flags),
    };
    let flag_filter = RwSignal::new(String::new());
    let action_filter = RwSignal::new(String::new());
    let status_filter = RwSignal::new(String::new());
    let flag_options = Signal::derive(move || {
        std::iter::once((String::new(), "All flags".to_owned()))
            .chain(shared.flag_list().into_iter().map(|f| (f.code, f.label)))
            .collect::<Vec<_>>()
    });

    // A saved or retired rule reloads the list from its first page.
    let paged = use_paged(
        move || {
            let query = RuleQuery {
                flag: Some(flag_filter.get()).filter(|f| !f.is_empty()),
                action: RuleAction::parse(&action_filter.get()),
                active: match status_filter.get().as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                },
                limit: Some(PAGE_SIZE),
                ..RuleQuery::default()
            };
            (query, shared.reload.get())
        },
        |(query, _), cursor| async move { api::rules(&RuleQuery { cursor, ..query }).await },
    );

    view! {
        <section class="page wide">
            <h1>"Rules"</h1>
            <p class="muted">
                "A contraindication rule acts when a patient has a flag: it blocks a product, "
                "sends orders for review, or warns. Changes apply to every patient at once."
            </p>
            <RuleForm shared />
            <div class="stack" aria-labelledby="rules-title">
                <h2 id="rules-title">"All rules"</h2>
                <form
                    class="card form filters"
                    aria-label="Filter rules"
                    on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()
                >
                    <DynamicSelectField
                        label="Flag"
                        name="flag_filter"
                        value=flag_filter
                        options=flag_options
                        error=no_error()
                    />
                    <SelectField
                        label="Action"
                        name="action_filter"
                        value=action_filter
                        options=ACTION_FILTER
                        error=no_error()
                    />
                    <SelectField
                        label="Status"
                        name="status_filter"
                        value=status_filter
                        options=STATUS_FILTER
                        error=no_error()
                    />
                </form>
                <p class="announcement" role="status">{move || shared.announcement.get()}</p>
                {paged_view(
                    paged,
                    Layout::List { label: "Rules" },
                    "No rules match.",
                    move |rule| view! { <RuleItem rule shared /> },
                )}
            </div>
        </section>
    }
}

#[component]
fn RuleForm(shared: Shared) -> impl IntoView {
    let target = RwSignal::new("product".to_owned());
    let search = RwSignal::new(String::new());
    let product = RwSignal::new(String::new());
    let ingredient = RwSignal::new(String::new());
    let flag = RwSignal::new(String::new());
    let action = RwSignal::new("block".to_owned());
    let patient_message = RwSignal::new(String::new());
    let clinician_message = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let no_target = RwSignal::new(None::<String>);
    let heading = NodeRef::<leptos::html::H2>::new();

    let products = LocalResource::new(all_products);
    let products_error = Memo::new(move |_| {
        products
            .get()
            .and_then(|r| r.err())
            .map(|e| format!("The products could not be loaded: {e}"))
    });
    let needle = Memo::new(move |_| search.get().trim().to_lowercase());
    let product_options = Memo::new(move |_| {
        let needle = needle.get();
        let list: Vec<(String, String)> = products
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.name.to_lowercase().contains(&needle))
            .map(|p| {
                let label = if p.active {
                    p.name
                } else {
                    format!("{} (inactive)", p.name)
                };
                (p.id.to_string(), label)
            })
            .collect();
        if list.is_empty() {
            vec![(String::new(), "No product matches the search".to_owned())]
        } else {
            list
        }
    });
    // Each active ingredient once, with the products that contain it.
    let ingredient_options = Memo::new(move |_| {
        let needle = needle.get();
        let mut found: Vec<(String, String, Vec<String>)> = Vec::new();
        for p in products.get().and_then(Result::ok).unwrap_or_default() {
            for i in p.ingredients {
                let id = i.id.to_string();
                match found.iter_mut().find(|(known, _, _)| *known == id) {
                    Some((_, _, in_products)) => in_products.push(p.name.clone()),
                    None => found.push((id, i.name, vec![p.name.clone()])),
                }
            }
        }
        found.sort_by(|a, b| a.1.cmp(&b.1));
        let list: Vec<(String, String)> = found
            .into_iter()
            .filter(|(_, name, in_products)| {
                name.to_lowercase().contains(&needle)
                    || in_products
                        .iter()
                        .any(|p| p.to_lowercase().contains(&needle))
            })
            .map(|(id, name, in_products)| (id, format!("{name} — in {}", in_products.join(", "))))
            .collect();
        if list.is_empty() {
            vec![(
                String::new(),
                "No active ingredient matches the search".to_owned(),
            )]
        } else {
            list
        }
    });
    let flag_options = Signal::derive(move || {
        let list: Vec<(String, String)> = shared
            .flag_list()
            .into_iter()
            .map(|f| (f.code.clone(), format!("{} ({})", f.label, f.code)))
            .collect();
        if list.is_empty() {
            vec![(
                String::new(),
                "No flags yet: add one under Flags".to_owned(),
            )]
        } else {
            list
        }
    });
    // Keep each choice one of its options (the first when the search hides it).
    let keep_chosen = move |value: RwSignal<String>, options: Vec<(String, String)>| {
        let current = value.get_untracked();
        if !options.iter().any(|(id, _)| *id == current) {
            value.set(
                options
                    .first()
                    .map(|(id, _)| id.clone())
                    .unwrap_or_default(),
            );
        }
    };
    Effect::new(move |_| keep_chosen(product, product_options.get()));
    Effect::new(move |_| keep_chosen(ingredient, ingredient_options.get()));
    Effect::new(move |_| keep_chosen(flag, flag_options.get()));

    // Editing a rule fills the form with it; leaving edit mode empties the form.
    Effect::new(move |_| {
        let editing = shared.editing.get();
        search.set(String::new());
        no_target.set(None);
        match editing {
            Some(rule) => {
                match (rule.product_id, rule.ingredient_id) {
                    (Some(p), _) => {
                        target.set("product".into());
                        product.set(p.to_string());
                    }
                    (None, Some(i)) => {
                        target.set("ingredient".into());
                        ingredient.set(i.to_string());
                    }
                    (None, None) => {}
                }
                flag.set(rule.flag);
                action.set(rule.action.to_string());
                patient_message.set(rule.patient_message);
                clinician_message.set(rule.clinician_message);
                active.set(rule.active);
                if let Some(h) = heading.get_untracked() {
                    h.scroll_into_view();
                    let _ = h.focus();
                }
            }
            None => {
                patient_message.set(String::new());
                clinician_message.set(String::new());
                active.set(true);
            }
        }
    });

    let save = Action::new_local(move |(id, body): &(Option<String>, RuleInput)| {
        let (id, body) = (id.clone(), body.clone());
        async move {
            let rule = match &id {
                Some(id) => api::update_rule(id, &body).await?,
                None => api::create_rule(&body).await?,
            };
            let flags = shared
                .flags
                .get_untracked()
                .and_then(Result::ok)
                .unwrap_or_default();
            let what = format!(
                "{} × {} → {}",
                target_name(&rule),
                flag_label(&flags, &rule.flag),
                action_label(rule.action.as_str()).to_lowercase()
            );
            shared.announcement.set(Some(if id.is_some() {
                format!("Saved the rule {what}.")
            } else {
                format!("Added the rule {what}.")
            }));
            shared.editing.set(None);
            patient_message.set(String::new());
            clinician_message.set(String::new());
            active.set(true);
            shared.reload.update(|n| *n += 1);
            Ok::<_, ApiError>(())
        }
    });
    let pending = save.pending();
    let error = last_error(save);
    let target_field = field_error(error, "product_id");
    let target_error = Signal::derive(move || no_target.get().or_else(|| target_field.get()));
    let general = general_error(error, FIELDS);
    let general = Signal::derive(move || general.get().or_else(|| products_error.get()));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        shared.announcement.set(None);
        let by_product = target.get_untracked() == "product";
        let chosen = if by_product {
            product.get_untracked()
        } else {
            ingredient.get_untracked()
        };
        let Some(id) = parse_id(&chosen) else {
            no_target.set(Some(if by_product {
                "Choose a product.".into()
            } else {
                "Choose an active ingredient.".into()
            }));
            return;
        };
        no_target.set(None);
        let (product_id, ingredient_id) = if by_product {
            (Some(id), None)
        } else {
            (None, Some(id))
        };
        let editing = shared.editing.get_untracked().map(|r| r.id.to_string());
        save.dispatch((
            editing,
            RuleInput {
                product_id,
                ingredient_id,
                flag: flag.get_untracked(),
                action: RuleAction::parse(&action.get_untracked()).unwrap_or(RuleAction::Block),
                patient_message: patient_message.get_untracked().trim().to_owned(),
                clinician_message: clinician_message.get_untracked().trim().to_owned(),
                active: active.get_untracked(),
            },
        ));
    };
    let is_editing = move || shared.editing.with(Option::is_some);
    let by_product = move || target.get() == "product";

    view! {
        <form class="card form" on:submit=on_submit aria-labelledby="rule-form-title">
            <h2 id="rule-form-title" node_ref=heading tabindex="-1">
                {move || if is_editing() { "Change a rule" } else { "Add a rule" }}
            </h2>
            <FormAlert message=general />
            <SelectField label="Applies to" name="target" value=target options=TARGETS error=no_error() />
            <TextField
                label="Find"
                name="target_search"
                kind="search"
                autocomplete="off"
                hint="Part of a product's or an active ingredient's name."
                value=search
                error=no_error()
            />
            <Show
                when=by_product
                fallback=move || {
                    view! {
                        <DynamicSelectField
                            label="Active ingredient"
                            name="ingredient_id"
                            value=ingredient
                            options=ingredient_options
                            error=target_error
                        />
                    }
                }
            >
                <DynamicSelectField
                    label="Product"
                    name="product_id"
                    value=product
                    options=product_options
                    error=target_error
                />
            </Show>
            <DynamicSelectField
                label="Flag"
                name="flag"
                value=flag
                options=flag_options
                error=field_error(error, "flag")
            />
            <SelectField
                label="Action"
                name="action"
                value=action
                options=ACTIONS
                error=field_error(error, "action")
            />
            <TextAreaField
                label="Message to the patient"
                name="patient_message"
                hint="Shown to the patient next to the product, in plain words."
                required=true
                maxlength="1000"
                rows=3
                value=patient_message
                error=field_error(error, "patient_message")
            />
            <TextAreaField
                label="Message to clinicians"
                name="clinician_message"
                hint="Shown to doctors and pharmacists: the clinical reason."
                required=true
                maxlength="2000"
                rows=3
                value=clinician_message
                error=field_error(error, "clinician_message")
            />
            <CheckField label="Active (applies now)" name="active" checked=active />
            <div class="form-actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || match (pending.get(), is_editing()) {
                        (true, _) => "Saving…",
                        (false, true) => "Save rule",
                        (false, false) => "Add rule",
                    }}
                </button>
                <Show when=is_editing>
                    <button
                        class="button secondary"
                        type="button"
                        on:click=move |_| shared.editing.set(None)
                    >
                        "Cancel"
                    </button>
                </Show>
            </div>
        </form>
    }
}

#[component]
fn RuleItem(rule: RuleView, shared: Shared) -> impl IntoView {
    // The flag's name arrives with the flags, which may come after the rules.
    let heading = Signal::derive({
        let rule = rule.clone();
        move || {
            format!(
                "{} × {} → ",
                target_name(&rule),
                flag_label(&shared.flag_list(), &rule.flag)
            )
        }
    });
    let action = action_label(rule.action.as_str()).to_lowercase();
    let title = Signal::derive(move || format!("{}{action}", heading.get()));
    let toggle = Action::new_local({
        let rule = rule.clone();
        move |_: &()| {
            let mut body = input_of(&rule);
            body.active = !rule.active;
            let (id, title) = (rule.id.to_string(), title.get_untracked());
            async move {
                let saved = api::update_rule(&id, &body).await?;
                shared.announcement.set(Some(if saved.active {
                    format!("Reactivated the rule {title}.")
                } else {
                    format!("Retired the rule {title}.")
                }));
                shared.reload.update(|n| *n += 1);
                Ok::<_, ApiError>(())
            }
        }
    });
    let pending = toggle.pending();
    let error = last_error(toggle);
    let updated = match &rule.updated_by {
        Some(name) => format!("{} by {name}", format::date_time(&rule.updated_at)),
        None => format::date_time(&rule.updated_at),
    };
    let toggle_label = if rule.active { "Retire" } else { "Reactivate" };
    let edit_rule = rule.clone();
    view! {
        <li class="item rule-item">
            <div class="item-main">
                <p class="item-title">
                    {move || heading.get()} {action_badge(rule.action.as_str())} " " {status_badge(rule.active)}
                </p>
                <dl class="facts compact">
                    <dt>"Patient is told"</dt>
                    <dd>{rule.patient_message.clone()}</dd>
                    <dt>"Clinicians are told"</dt>
                    <dd>{rule.clinician_message.clone()}</dd>
                    <dt>"Updated"</dt>
                    <dd>{updated}</dd>
                </dl>
            </div>
            <div class="item-actions">
                <button
                    class="button secondary"
                    type="button"
                    aria-label=move || format!("Edit the rule {}", title.get())
                    on:click=move |_| shared.editing.set(Some(edit_rule.clone()))
                >
                    "Edit"
                </button>
                <button
                    class=if rule.active { "button danger" } else { "button" }
                    type="button"
                    aria-label=move || format!("{toggle_label} the rule {}", title.get())
                    disabled=move || pending.get()
                    on:click=move |_| {
                        shared.announcement.set(None);
                        toggle.dispatch(());
                    }
                >
                    {move || if pending.get() { "Saving…" } else { toggle_label }}
                </button>
            </div>
            <div class="item-wide">
                <FormAlert message=general_error(error, &[]) />
            </div>
        </li>
    }
}

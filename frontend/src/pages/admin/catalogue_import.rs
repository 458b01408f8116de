//! Import products (platform admins): a CSV file, chosen or pasted, one variant per row. The
//! answer is a summary of what was created, or a table of every problem by line and column.

use leptos::prelude::*;
use leptos_router::components::A;
use rxgate_api_types::catalogue::{ImportProblem, ImportReport};

use crate::api::{self, ApiError};
use crate::components::form::FormAlert;
use crate::components::form::TextAreaField;
use crate::routes::Page;

/// The header the API expects (the columns may come in any order).
const HEADER: &str = "name,category,dosage_form,strength,schedule,requires_prescription,\
requires_consult,consult_fee_minor,consult_fee_currency,ingredients,description,sku,\
variant_strength,pack_size,price_minor,currency";

const EXAMPLE: &str = "Loratadine 10 mg tablets,allergy,tablet,10 mg,S1,no,no,,,Loratadine,\
A non-drowsy antihistamine.,LOR-10-30,10 mg,30,6500,ZAR";

/// The biggest file read into the page (the API takes at most 5000 rows).
const MAX_FILE_BYTES: f64 = 4.0 * 1_048_576.0;

/// `lines[4].sku` → `(4, "sku")`.
fn line_field(field: &str) -> Option<(u64, String)> {
    let rest = field.strip_prefix("lines[")?;
    let (line, column) = rest.split_once("].")?;
    Some((line.parse().ok()?, column.to_owned()))
}

/// What one import attempt came to.
#[derive(Debug, Clone)]
enum Outcome {
    Imported(ImportReport),
    /// Mode `all` and some rows are wrong: nothing was imported.
    Refused(Vec<ImportProblem>),
}

/// Reads the chosen file as text.
async fn file_text(file: web_sys::File) -> Result<String, String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| "The file could not be read.".to_owned())?;
    text.as_string()
        .ok_or_else(|| "The file could not be read as text.".to_owned())
}

#[component]
pub fn ImportProducts() -> impl IntoView {
    let csv = RwSignal::new(String::new());
    let mode = RwSignal::new("all".to_owned());
    let file_problem = RwSignal::new(None::<String>);
    let file_name = RwSignal::new(None::<String>);

    let import = Action::new_local(move |(text, mode): &(String, String)| {
        let (text, mode) = (text.clone(), mode.clone());
        async move {
            match api::import_products(&text, &mode).await {
                Ok(report) => Ok(Outcome::Imported(report)),
                Err(ApiError::Problem(p))
                    if p.errors.iter().any(|e| line_field(&e.field).is_some()) =>
                {
                    let mut problems: Vec<ImportProblem> = p
                        .errors
                        .iter()
                        .filter_map(|e| {
                            line_field(&e.field).map(|(line, column)| ImportProblem {
                                line,
                                column,
                                message: e.message.clone(),
                            })
                        })
                        .collect();
                    problems.sort_by_key(|p| p.line);
                    Ok(Outcome::Refused(problems))
                }
                Err(e) => Err(e),
            }
        }
    });
    let pending = import.pending();
    let value = import.value();
    let error = Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e)) => Some(match e {
                ApiError::Problem(p) if !p.errors.is_empty() => p
                    .errors
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            }),
            _ => None,
        })
    });
    let problem = Signal::derive(move || file_problem.get().or_else(|| error.get()));

    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        if file.size() > MAX_FILE_BYTES {
            file_problem.set(Some(
                "The file is larger than 4 MiB: split it first.".into(),
            ));
            return;
        }
        file_problem.set(None);
        file_name.set(Some(file.name()));
        leptos::task::spawn_local(async move {
            match file_text(file).await {
                Ok(text) => csv.set(text),
                Err(message) => file_problem.set(Some(message)),
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = csv.get_untracked();
        if text.trim().is_empty() {
            file_problem.set(Some("Choose a CSV file or paste its rows first.".into()));
            return;
        }
        file_problem.set(None);
        import.dispatch((text, mode.get_untracked()));
    };

    view! {
        <section class="page">
            <p>
                <A href=Page::AdminCatalogue.path()>"← Catalogue"</A>
            </p>
            <h1>"Import products"</h1>
            <div class="card stack">
                <p>
                    "One variant per row; rows with the same name are one product (its details "
                    "come from its first row). The first line names the columns:"
                </p>
                <pre class="code-block">{HEADER}</pre>
                <p class="muted">"For example:"</p>
                <pre class="code-block">{EXAMPLE}</pre>
                <p class="muted">
                    "Yes/no columns take yes, no, true or false; amounts are in cents; separate "
                    "ingredients with semicolons."
                </p>
            </div>
            <form class="card form" on:submit=on_submit aria-label="Import products">
                <FormAlert message=problem />
                <div class="field">
                    <label>
                        "CSV file"
                        <input
                            type="file"
                            name="file"
                            accept=".csv,text/csv"
                            aria-describedby="csv-file-hint"
                            on:change=on_file
                        />
                    </label>
                    <p class="hint" id="csv-file-hint">
                        {move || match file_name.get() {
                            Some(name) => format!("{name} is loaded below; you can still edit it."),
                            None => "Or paste the rows below.".to_owned(),
                        }}
                    </p>
                </div>
                <TextAreaField
                    label="CSV content"
                    name="csv"
                    rows=8
                    value=csv
                    error=Signal::derive(|| None::<String>)
                />
                <fieldset>
                    <legend>"When a row has a problem"</legend>
                    <ModeChoice
                        mode
                        value="all"
                        label="Import nothing, and list every problem"
                    />
                    <ModeChoice
                        mode
                        value="valid_rows"
                        label="Import the products whose rows are all valid, and list the rest"
                    />
                </fieldset>
                <div class="form-actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Importing…" } else { "Import" }}
                    </button>
                </div>
            </form>
            {move || {
                value
                    .get()
                    .and_then(Result::ok)
                    .map(|outcome| view! { <ImportResult outcome /> })
            }}
        </section>
    }
}

#[component]
fn ModeChoice(mode: RwSignal<String>, value: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="radio"
                name="mode"
                value=value
                prop:checked=move || mode.with(|m| m == value)
                on:change=move |_| mode.set(value.to_owned())
            />
            <span>{label}</span>
        </label>
    }
}

#[component]
fn ImportResult(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::Imported(report) => {
            let summary = format!(
                "Imported {} {} with {} {}.",
                report.products_created,
                if report.products_created == 1 {
                    "product"
                } else {
                    "products"
                },
                report.variants_created,
                if report.variants_created == 1 {
                    "variant"
                } else {
                    "variants"
                },
            );
            let left_out = (!report.problems.is_empty()).then(|| {
                view! {
                    <h2>"Rows left out"</h2>
                    <ProblemTable problems=report.problems />
                }
            });
            view! {
                <div class="stack" aria-labelledby="import-result-title">
                    <h2 id="import-result-title" class="visually-hidden">"Import result"</h2>
                    <p class="notice notice-ok" role="status">{summary}</p>
                    {left_out}
                </div>
            }
            .into_any()
        }
        Outcome::Refused(problems) => {
            let lines = {
                let mut lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
                lines.dedup();
                lines.len()
            };
            view! {
                <div class="stack" aria-labelledby="import-result-title">
                    <h2 id="import-result-title">"Nothing was imported"</h2>
                    <p class="notice notice-error" role="alert">
                        {format!(
                            "{} {} on {} {}: fix them and import the file again.",
                            problems.len(),
                            if problems.len() == 1 { "problem" } else { "problems" },
                            lines,
                            if lines == 1 { "line" } else { "lines" },
                        )}
                    </p>
                    <ProblemTable problems />
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn ProblemTable(problems: Vec<ImportProblem>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Problems by line">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col" class="num">"Line"</th>
                        <th scope="col">"Column"</th>
                        <th scope="col">"Problem"</th>
                    </tr>
                </thead>
                <tbody>
                    {problems
                        .into_iter()
                        .map(|p| {
                            view! {
                                <tr>
                                    <td class="num">{p.line}</td>
                                    <td>
                                        <code>{p.column}</code>
                                    </td>
                                    <td class="wrap">{p.message}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

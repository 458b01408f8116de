//! Bulk import of products and variants from CSV, one variant per row. Rows with the same
//! `name` are one product: its fields come from its first row, each row adds a variant.

use std::collections::{BTreeMap, HashSet};

use rxgate_api_types::FieldError;
use rxgate_api_types::catalogue::{ImportProblem, ImportReport};
use rxgate_domain::catalogue::{
    Currency, Money, Schedule, Sku, check_product_rules, ingredient_names, slugify,
};
use rxgate_domain::identity::Role;
use rxgate_persistence::Db;
use rxgate_persistence::catalogue::{self, NewProduct, NewVariant};
use uuid::Uuid;

use super::ingredient_ids;
use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// The columns, in any order; `strength`, `requires_consult`, `consult_fee_minor`,
/// `consult_fee_currency`, `ingredients` (separated by `;`), `description` and
/// `variant_strength` may be empty.
pub const COLUMNS: [&str; 16] = [
    "name",
    "category",
    "dosage_form",
    "strength",
    "schedule",
    "requires_prescription",
    "requires_consult",
    "consult_fee_minor",
    "consult_fee_currency",
    "ingredients",
    "description",
    "sku",
    "variant_strength",
    "pack_size",
    "price_minor",
    "currency",
];
const MAX_ROWS: usize = 5_000;

/// What happens to the valid rows of a file that has invalid ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Nothing is imported when any row is invalid (422 lists every problem).
    AllOrNothing,
    /// Products whose rows are all valid are imported; the others are reported.
    ValidRows,
}

struct Row {
    line: u64,
    cells: BTreeMap<&'static str, String>,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", |s| s.trim())
    }
}

struct Checker {
    problems: Vec<ImportProblem>,
}

impl Checker {
    fn fail(&mut self, line: u64, column: &str, message: impl Into<String>) {
        self.problems.push(ImportProblem {
            line,
            column: column.into(),
            message: message.into(),
        });
    }

    fn boolean(&mut self, row: &Row, column: &str, required: bool) -> Option<bool> {
        match row.get(column).to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "y" => Some(true),
            "false" | "no" | "0" | "n" => Some(false),
            "" if !required => Some(false),
            other => {
                self.fail(row.line, column, format!("`{other}` is not yes or no"));
                None
            }
        }
    }

    fn number<T: std::str::FromStr>(&mut self, row: &Row, column: &str) -> Option<T> {
        let raw = row.get(column);
        raw.parse().ok().or_else(|| {
            self.fail(row.line, column, format!("`{raw}` is not a whole number"));
            None
        })
    }

    fn money(&mut self, row: &Row, amount: &str, currency: &str) -> Option<Money> {
        let a: i64 = self.number(row, amount)?;
        match Currency::parse(row.get(currency)).and_then(|c| Money::new(a, c)) {
            Ok(m) => Some(m),
            Err(e) => {
                self.fail(row.line, currency, e.to_string());
                None
            }
        }
    }
}

/// Imports products and variants from a CSV file (platform admins): a header naming every
/// [`COLUMNS`] entry, then at most 5000 rows. With [`ImportMode::AllOrNothing`] nothing is
/// imported when any row is invalid: the 422 lists every row's problems as
/// `lines[<line>].<column>`.
pub async fn import_products(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    mode: ImportMode,
    csv: &[u8],
) -> Result<ImportReport, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let rows = parse(csv)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let categories = catalogue::categories(&mut tx).await?;
    let file_skus: Vec<String> = rows
        .iter()
        .filter_map(|r| Sku::parse(r.get("sku")).ok())
        .map(|s| s.as_str().to_owned())
        .collect();
    let file_slugs: Vec<String> = rows.iter().map(|r| slugify(r.get("name"))).collect();
    let existing_skus: HashSet<String> = catalogue::existing_skus(&mut tx, &file_skus)
        .await?
        .into_iter()
        .collect();
    let existing_slugs: HashSet<String> = catalogue::existing_slugs(&mut tx, &file_slugs)
        .await?
        .into_iter()
        .collect();

    // Group rows into products (in file order) and check every row.
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        let key = row.get("name").to_owned();
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(row);
    }
    let mut check = Checker {
        problems: Vec::new(),
    };
    let mut seen_skus = HashSet::new();
    let mut seen_slugs = HashSet::new();
    let mut ready: Vec<(NewProduct, Vec<String>)> = Vec::new();
    for name in &order {
        let group = &groups[name];
        let first = group[0];
        let before = check.problems.len();
        let slug = slugify(name);
        if name.is_empty() || name.len() > 200 || slug.is_empty() {
            check.fail(
                first.line,
                "name",
                "A product needs a name (at most 200 characters).",
            );
        } else if existing_slugs.contains(&slug) {
            check.fail(
                first.line,
                "name",
                "A product with this name exists already.",
            );
        } else if !seen_slugs.insert(slug.clone()) {
            // Two names that differ only in case or punctuation make the same address.
            check.fail(
                first.line,
                "name",
                "Another product of the file has (nearly) the same name.",
            );
        }
        for (column, max) in [("strength", 80), ("description", 10_000)] {
            if first.get(column).len() > max {
                check.fail(first.line, column, format!("At most {max} characters."));
            }
        }
        let ingredients =
            ingredient_names(first.get("ingredients").split(';')).unwrap_or_else(|p| {
                check.fail(first.line, "ingredients", p.message);
                Vec::new()
            });
        let category = categories.iter().find(|c| c.slug == first.get("category"));
        if category.is_none() {
            check.fail(
                first.line,
                "category",
                format!("There is no category `{}`.", first.get("category")),
            );
        }
        let form = first.get("dosage_form");
        if form.is_empty() || form.len() > 80 {
            check.fail(
                first.line,
                "dosage_form",
                "A dosage form is required (at most 80 characters).",
            );
        }
        let schedule = match Schedule::parse(first.get("schedule")) {
            Ok(s) => Some(s),
            Err(e) => {
                check.fail(first.line, "schedule", e.to_string());
                None
            }
        };
        let rx = check.boolean(first, "requires_prescription", true);
        let consult = check.boolean(first, "requires_consult", false);
        if let (Some(s), Some(rx)) = (schedule, rx)
            && let Err(e) = check_product_rules(s, rx)
        {
            check.fail(first.line, "requires_prescription", e.to_string());
        }
        let fee = if first.get("consult_fee_minor").is_empty() {
            None
        } else {
            check.money(first, "consult_fee_minor", "consult_fee_currency")
        };
        let mut variants = Vec::new();
        for row in group {
            let sku = match Sku::parse(row.get("sku")) {
                Ok(s) if existing_skus.contains(s.as_str()) => {
                    check.fail(
                        row.line,
                        "sku",
                        format!("SKU {} exists already.", s.as_str()),
                    );
                    None
                }
                Ok(s) if !seen_skus.insert(s.as_str().to_owned()) => {
                    check.fail(
                        row.line,
                        "sku",
                        format!("SKU {} appears twice in the file.", s.as_str()),
                    );
                    None
                }
                Ok(s) => Some(s),
                Err(e) => {
                    check.fail(row.line, "sku", e.to_string());
                    None
                }
            };
            if row.get("variant_strength").len() > 80 {
                check.fail(row.line, "variant_strength", "At most 80 characters.");
            }
            let pack: Option<i32> = check.number(row, "pack_size");
            if pack.is_some_and(|p| !(1..=100_000).contains(&p)) {
                check.fail(row.line, "pack_size", "The pack size is 1 to 100000.");
            }
            let price = check.money(row, "price_minor", "currency");
            if let (Some(sku), Some(pack), Some(price)) = (sku, pack, price) {
                variants.push(NewVariant {
                    sku: sku.as_str().to_owned(),
                    strength: row.get("variant_strength").to_owned(),
                    pack_size: pack,
                    price_minor: price.amount_minor(),
                    currency: price.currency().as_str().to_owned(),
                });
            }
        }
        if check.problems.len() > before {
            continue;
        }
        let (Some(category), Some(schedule), Some(rx), Some(consult)) =
            (category, schedule, rx, consult)
        else {
            continue;
        };
        ready.push((
            NewProduct {
                slug,
                name: name.clone(),
                category_id: category.id,
                dosage_form: form.to_owned(),
                strength: first.get("strength").to_owned(),
                schedule: schedule.as_str().to_owned(),
                requires_prescription: rx,
                requires_consult: consult,
                consult_fee_minor: fee.as_ref().map(Money::amount_minor),
                consult_fee_currency: fee.as_ref().map(|m| m.currency().as_str().to_owned()),
                description: first.get("description").to_owned(),
                ingredient_ids: Vec::new(),
                variants,
            },
            ingredients,
        ));
    }
    if mode == ImportMode::AllOrNothing && !check.problems.is_empty() {
        return Err(problems(check.problems));
    }
    let mut report = ImportReport {
        products_created: 0,
        variants_created: 0,
        problems: check.problems,
    };
    for (mut product, ingredients) in ready {
        product.ingredient_ids = ingredient_ids(&mut tx, &ingredients).await?;
        catalogue::insert_product(&mut tx, &product, Some(actor.user_id)).await?;
        report.products_created += 1;
        report.variants_created += u32::try_from(product.variants.len()).unwrap_or(u32::MAX);
    }
    tx.record(
        Event::new("import", "product", Uuid::nil()).details(serde_json::json!({
            "products": report.products_created,
            "variants": report.variants_created,
            "rows_refused": report.problems.len(),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

fn problems(list: Vec<ImportProblem>) -> AppError {
    AppError::Validation(
        list.into_iter()
            .map(|p| FieldError {
                field: format!("lines[{}].{}", p.line, p.column),
                code: "import".into(),
                message: p.message,
            })
            .collect(),
    )
}

/// Reads the file: a header naming every column, then at most 5000 rows.
fn parse(body: &[u8]) -> Result<Vec<Row>, AppError> {
    let unreadable = |message: String| {
        AppError::Validation(vec![FieldError {
            field: "file".into(),
            code: "csv".into(),
            message,
        }])
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(format!("The file is not CSV: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(unreadable(format!(
            "The header lacks these columns: {}.",
            missing.join(", ")
        )));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(format!("The file is not valid CSV: {e}")))?;
        if rows.len() == MAX_ROWS {
            return Err(unreadable(format!("A file has at most {MAX_ROWS} rows.")));
        }
        let line = record.position().map_or(0, |p| p.line());
        let mut cells = BTreeMap::new();
        for column in COLUMNS {
            if let Some(i) = header.iter().position(|h| h == column) {
                cells.insert(column, record.get(i).unwrap_or_default().to_owned());
            }
        }
        rows.push(Row { line, cells });
    }
    if rows.is_empty() {
        return Err(unreadable("The file has no rows.".into()));
    }
    Ok(rows)
}

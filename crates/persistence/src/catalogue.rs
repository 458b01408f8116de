//! The catalogue: products with their ingredients, variants and clinic prices, read a page at a
//! time together with each product's eligibility for one patient — one query per page, whatever
//! its size.

use rxgate_domain::ids::{ClinicId, DoctorId, PatientId, ProductId};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

/// How a catalogue page is ordered. Both orders are keyset-paginated on `(key, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CatalogueSort {
    #[default]
    Name,
    /// Cheapest first, by the lowest price the caller would pay for any variant.
    Price,
}

/// Position after the last row of a page: its sort key and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueCursor {
    pub name: Option<String>,
    pub price: Option<i64>,
    pub id: Uuid,
}

impl CatalogueCursor {
    /// Opaque form: `n.<hex name>.<uuid>` or `p.<price>.<uuid>`.
    pub fn encode(&self) -> String {
        match (&self.name, self.price) {
            (Some(name), _) => {
                let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
                format!("n.{hex}.{}", self.id.simple())
            }
            (None, price) => format!("p.{}.{}", price.unwrap_or(i64::MAX), self.id.simple()),
        }
    }

    pub fn decode(raw: &str, sort: CatalogueSort) -> Result<Self, RepoError> {
        let mut parts = raw.splitn(3, '.');
        let (kind, key, id) = match (parts.next(), parts.next(), parts.next()) {
            (Some(k), Some(key), Some(id)) => (k, key, id),
            _ => return Err(RepoError::InvalidCursor),
        };
        let id = Uuid::parse_str(id).map_err(|_| RepoError::InvalidCursor)?;
        match (kind, sort) {
            ("n", CatalogueSort::Name) => {
                if key.len() % 2 != 0 {
                    return Err(RepoError::InvalidCursor);
                }
                let bytes = (0..key.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(key.get(i..i + 2).unwrap_or("zz"), 16))
                    .collect::<Result<Vec<u8>, _>>()
                    .map_err(|_| RepoError::InvalidCursor)?;
                let name = String::from_utf8(bytes).map_err(|_| RepoError::InvalidCursor)?;
                Ok(Self {
                    name: Some(name),
                    price: None,
                    id,
                })
            }
            ("p", CatalogueSort::Price) => Ok(Self {
                name: None,
                price: Some(key.parse().map_err(|_| RepoError::InvalidCursor)?),
                id,
            }),
            _ => Err(RepoError::InvalidCursor),
        }
    }
}

/// What to list. `clinic_id` limits the list to what that clinic sells and applies its prices;
/// `patient_id` adds each product's eligibility for that patient.
#[derive(Debug, Clone, Default)]
pub struct CatalogueQuery {
    pub clinic_id: Option<ClinicId>,
    pub patient_id: Option<PatientId>,
    pub search: Option<String>,
    pub category: Option<String>,
    pub requires_prescription: Option<bool>,
    pub include_inactive: bool,
    /// With a clinic: list the whole master catalogue, marking what the clinic sells.
    pub whole_catalogue: bool,
    pub sort: CatalogueSort,
    pub after: Option<CatalogueCursor>,
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct ProductRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub category_id: Uuid,
    pub category_slug: String,
    pub category_name: String,
    pub dosage_form: String,
    pub strength: String,
    pub schedule: String,
    pub requires_prescription: bool,
    pub requires_consult: bool,
    pub consult_fee_minor: Option<i64>,
    pub consult_fee_currency: Option<String>,
    pub description: String,
    pub active: bool,
    /// `[{id, name}]`, by name.
    pub ingredients: Value,
    /// The lowest price the caller pays for an active variant, and its currency.
    pub from_price_minor: Option<i64>,
    pub currency: Option<String>,
    /// With a patient: `eligible`, `consult_required`, `blocked` or `needs_review`.
    pub verdict: Option<String>,
    /// `[{rule_id, flag, patient_message, clinician_message}]` by rule id.
    pub reasons: Option<Value>,
    pub warnings: Option<Value>,
    /// With a clinic: whether that clinic sells it.
    pub in_selection: Option<bool>,
    /// Image ids in display order.
    pub image_ids: Vec<Uuid>,
}

impl ProductRow {
    pub fn cursor(&self, sort: CatalogueSort) -> CatalogueCursor {
        match sort {
            CatalogueSort::Name => CatalogueCursor {
                name: Some(self.name.clone()),
                price: None,
                id: self.id,
            },
            CatalogueSort::Price => CatalogueCursor {
                name: None,
                price: Some(self.from_price_minor.unwrap_or(i64::MAX)),
                id: self.id,
            },
        }
    }
}

/// One page (`limit + 1` rows, see `finish_page`) in a single statement: products, category,
/// ingredients, the caller's lowest price, and eligibility for the patient.
pub async fn page(
    conn: &mut PgConnection,
    q: &CatalogueQuery,
) -> Result<Vec<ProductRow>, RepoError> {
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let by_price = q.sort == CatalogueSort::Price;
    let rows = sqlx::query_as!(
        ProductRow,
        r#"
WITH listed AS (
    SELECT p.*, c.slug AS category_slug, c.name AS category_name,
           fp.price_minor AS from_price_minor, fp.currency
      FROM products p
      JOIN categories c ON c.id = p.category_id
      -- The cheapest active variant at the caller's price, amount and currency together.
      LEFT JOIN LATERAL (
            SELECT vp.price_minor, vp.currency FROM variant_prices($1, $2) vp
             WHERE vp.product_id = p.id AND vp.active
             ORDER BY vp.price_minor, vp.variant_id
             LIMIT 1) fp ON true
     WHERE ($1::uuid IS NULL OR $12 OR EXISTS (SELECT 1 FROM clinic_products cp
                                         WHERE cp.clinic_id = $1 AND cp.product_id = p.id))
       AND ($3 OR p.active)
       AND ($4::text IS NULL OR p.search @@ websearch_to_tsquery('english', $4)
            OR p.name ILIKE '%' || like_escape($4) || '%'
            OR p.ingredient_names ILIKE '%' || like_escape($4) || '%')
       AND ($5::text IS NULL OR c.slug = $5)
       AND ($6::boolean IS NULL OR p.requires_prescription = $6)
), page AS (
    SELECT * FROM listed
     WHERE CASE WHEN $7 THEN ($9::bigint IS NULL
                              OR (coalesce(from_price_minor, 9223372036854775807), id) > ($9, $10))
                ELSE ($8::text IS NULL OR (name, id) > ($8, $10)) END
     ORDER BY CASE WHEN $7 THEN coalesce(from_price_minor, 9223372036854775807) END,
              name, id
     LIMIT $11
)
SELECT pg.id AS "id!", pg.slug AS "slug!", pg.name AS "name!",
       pg.category_id AS "category_id!", pg.category_slug AS "category_slug!", pg.category_name AS "category_name!",
       pg.dosage_form AS "dosage_form!", pg.strength AS "strength!", pg.schedule AS "schedule!",
       pg.requires_prescription AS "requires_prescription!",
       pg.requires_consult AS "requires_consult!",
       pg.consult_fee_minor, pg.consult_fee_currency,
       pg.description AS "description!", pg.active AS "active!",
       coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id, 'name', i.name) ORDER BY i.name)
                   FROM product_ingredients pi JOIN active_ingredients i ON i.id = pi.ingredient_id
                  WHERE pi.product_id = pg.id), '[]') AS "ingredients!",
       pg.from_price_minor AS "from_price_minor?", pg.currency AS "currency?",
       coalesce((SELECT array_agg(im.id ORDER BY im.position, im.created_at)
                   FROM product_images im WHERE im.product_id = pg.id), '{}') AS "image_ids!",
       e.verdict AS "verdict?", e.reasons AS "reasons?", e.warnings AS "warnings?",
       CASE WHEN $1::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM clinic_products cp WHERE cp.clinic_id = $1 AND cp.product_id = pg.id)
       END AS "in_selection?"
  FROM page pg
  LEFT JOIN product_eligibility($2, (SELECT array_agg(id) FROM page)) e ON e.product_id = pg.id
 ORDER BY CASE WHEN $7 THEN coalesce(pg.from_price_minor, 9223372036854775807) END,
          pg.name, pg.id
"#,
        q.clinic_id.map(ClinicId::uuid),
        q.patient_id.map(PatientId::uuid),
        q.include_inactive,
        search,
        q.category,
        q.requires_prescription,
        by_price,
        q.after.as_ref().and_then(|c| c.name.clone()),
        q.after.as_ref().and_then(|c| c.price),
        q.after.as_ref().map(|c| c.id),
        q.limit + 1,
        q.whole_catalogue,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// One product as `page` shows it (for the product page, the cart and checkout).
pub async fn product(
    conn: &mut PgConnection,
    id: ProductId,
    clinic_id: Option<ClinicId>,
    patient_id: Option<PatientId>,
    include_inactive: bool,
    whole_catalogue: bool,
) -> Result<Option<ProductRow>, RepoError> {
    let row = sqlx::query_as!(
        ProductRow,
        r#"
SELECT p.id, p.slug, p.name, p.category_id, c.slug AS category_slug, c.name AS category_name,
       p.dosage_form, p.strength, p.schedule, p.requires_prescription, p.requires_consult,
       p.consult_fee_minor, p.consult_fee_currency, p.description, p.active,
       coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id, 'name', i.name) ORDER BY i.name)
                   FROM product_ingredients pi JOIN active_ingredients i ON i.id = pi.ingredient_id
                  WHERE pi.product_id = p.id), '[]') AS "ingredients!",
       fp.price_minor AS "from_price_minor?", fp.currency AS "currency?",
       coalesce((SELECT array_agg(im.id ORDER BY im.position, im.created_at)
                   FROM product_images im WHERE im.product_id = p.id), '{}') AS "image_ids!",
       e.verdict AS "verdict?", e.reasons AS "reasons?", e.warnings AS "warnings?",
       CASE WHEN $2::uuid IS NULL THEN NULL
            ELSE EXISTS (SELECT 1 FROM clinic_products cp WHERE cp.clinic_id = $2 AND cp.product_id = p.id)
       END AS "in_selection?"
  FROM products p
  JOIN categories c ON c.id = p.category_id
  LEFT JOIN LATERAL (
        SELECT vp.price_minor, vp.currency FROM variant_prices($2, $3) vp
         WHERE vp.product_id = p.id AND vp.active
         ORDER BY vp.price_minor, vp.variant_id
         LIMIT 1) fp ON true
  LEFT JOIN product_eligibility($3, ARRAY[p.id]) e ON e.product_id = p.id
 WHERE p.id = $1
   AND ($4 OR p.active)
   AND ($2::uuid IS NULL OR $5 OR EXISTS (SELECT 1 FROM clinic_products cp
                                     WHERE cp.clinic_id = $2 AND cp.product_id = p.id))
"#,
        id.uuid(),
        clinic_id.map(ClinicId::uuid),
        patient_id.map(PatientId::uuid),
        include_inactive,
        whole_catalogue,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

#[derive(Debug, Clone)]
pub struct VariantRow {
    pub id: Uuid,
    pub sku: String,
    pub strength: String,
    pub pack_size: i32,
    pub base_price_minor: i64,
    pub price_minor: i64,
    pub currency: String,
    pub active: bool,
    /// The clinic's own price, when it has set one.
    pub clinic_price_minor: Option<i64>,
    /// The asking doctor's own price in the clinic, when they have set one.
    pub own_price_minor: Option<i64>,
}

/// A product's variants with the price the caller pays (`variant_prices`: doctor, then clinic,
/// then list), the
/// clinic's own price and, for a doctor (`doctor_id`), their own price in the clinic.
pub async fn variants(
    conn: &mut PgConnection,
    product_id: ProductId,
    clinic_id: Option<ClinicId>,
    patient_id: Option<PatientId>,
    doctor_id: Option<DoctorId>,
) -> Result<Vec<VariantRow>, RepoError> {
    let rows = sqlx::query_as!(
        VariantRow,
        r#"
SELECT v.id, v.sku, v.strength, v.pack_size, v.price_minor AS base_price_minor,
       vp.price_minor AS "price_minor!", vp.currency AS "currency!", v.active,
       cp.price_minor AS "clinic_price_minor?", own.price_minor AS "own_price_minor?"
  FROM product_variants v
  JOIN variant_prices($2, $3) vp ON vp.variant_id = v.id
  LEFT JOIN clinic_variant_prices cp ON cp.variant_id = v.id AND cp.clinic_id = $2
  LEFT JOIN doctor_variant_prices own
         ON own.variant_id = v.id AND own.clinic_id = $2 AND own.doctor_id = $4
 WHERE v.product_id = $1
 ORDER BY v.price_minor, v.sku
"#,
        product_id.uuid(),
        clinic_id.map(ClinicId::uuid),
        patient_id.map(PatientId::uuid),
        doctor_id.map(DoctorId::uuid),
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

#[derive(Debug, Clone)]
pub struct EligibilityRow {
    pub product_id: Uuid,
    pub verdict: String,
    pub reasons: Value,
    pub warnings: Value,
}

/// Eligibility of several products for one patient in one statement (cart and checkout).
pub async fn eligibility(
    conn: &mut PgConnection,
    patient_id: PatientId,
    product_ids: &[Uuid],
) -> Result<Vec<EligibilityRow>, RepoError> {
    let rows = sqlx::query_as!(
        EligibilityRow,
        r#"SELECT product_id AS "product_id!", verdict AS "verdict!", reasons AS "reasons!",
                  warnings AS "warnings!"
             FROM product_eligibility($1, $2) ORDER BY product_id"#,
        patient_id.uuid(),
        product_ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

#[derive(Debug, Clone)]
pub struct CategoryRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

pub async fn categories(conn: &mut PgConnection) -> Result<Vec<CategoryRow>, RepoError> {
    let rows = sqlx::query_as!(
        CategoryRow,
        "SELECT id, slug, name FROM categories ORDER BY name"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn insert_category(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO categories (id, slug, name) VALUES ($1, $2, $3)",
        id,
        slug,
        name
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A category after a rename, with the name it had before.
#[derive(Debug, Clone)]
pub struct RenamedCategory {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub previous_name: String,
}

/// Renames a category in one statement (`None`: no such category).
pub async fn rename_category(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
) -> Result<Option<RenamedCategory>, RepoError> {
    let row = sqlx::query_as!(
        RenamedCategory,
        r#"WITH before AS (SELECT id, name FROM categories WHERE id = $1 FOR UPDATE)
           UPDATE categories c SET name = $2 FROM before
            WHERE c.id = before.id
           RETURNING c.id, c.slug, c.name, before.name AS "previous_name!""#,
        id,
        name
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// How many products (on sale or not) are in a category.
pub async fn category_product_count(conn: &mut PgConnection, id: Uuid) -> Result<i64, RepoError> {
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM products WHERE category_id = $1"#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(count)
}

/// Deletes a category no product uses (a product still in it is the foreign key's
/// `products_category_id_fkey`). `None`: no such category.
pub async fn delete_category(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<CategoryRow>, RepoError> {
    let row = sqlx::query_as!(
        CategoryRow,
        "DELETE FROM categories WHERE id = $1 RETURNING id, slug, name",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// The ingredient's id, creating it when no ingredient has that name (case-insensitive).
pub async fn ingredient_id(conn: &mut PgConnection, name: &str) -> Result<Uuid, RepoError> {
    if let Some(id) = sqlx::query_scalar!(
        "SELECT id FROM active_ingredients WHERE lower(name) = lower($1)",
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(id);
    }
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO active_ingredients (id, name) VALUES ($1, $2)",
        id,
        name
    )
    .execute(conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct IngredientRow {
    pub id: Uuid,
    pub name: String,
}

pub async fn ingredients(conn: &mut PgConnection) -> Result<Vec<IngredientRow>, RepoError> {
    let rows = sqlx::query_as!(
        IngredientRow,
        "SELECT id, name FROM active_ingredients ORDER BY lower(name)"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// A product to add to the master catalogue.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub slug: String,
    pub name: String,
    pub category_id: Uuid,
    pub dosage_form: String,
    pub strength: String,
    pub schedule: String,
    pub requires_prescription: bool,
    pub requires_consult: bool,
    pub consult_fee_minor: Option<i64>,
    pub consult_fee_currency: Option<String>,
    pub description: String,
    pub ingredient_ids: Vec<Uuid>,
    pub variants: Vec<NewVariant>,
}

#[derive(Debug, Clone)]
pub struct NewVariant {
    pub sku: String,
    pub strength: String,
    pub pack_size: i32,
    pub price_minor: i64,
    pub currency: String,
}

/// Inserts a product with its ingredients and variants (three statements, any number of each).
pub async fn insert_product(
    conn: &mut PgConnection,
    p: &NewProduct,
    by: Option<Uuid>,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO products (id, slug, name, category_id, dosage_form, strength, schedule,
               requires_prescription, requires_consult, consult_fee_minor, consult_fee_currency,
               description, created_by, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)"#,
        id,
        p.slug,
        p.name,
        p.category_id,
        p.dosage_form,
        p.strength,
        p.schedule,
        p.requires_prescription,
        p.requires_consult,
        p.consult_fee_minor,
        p.consult_fee_currency,
        p.description,
        by,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"INSERT INTO product_ingredients (product_id, ingredient_id)
           SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING"#,
        id,
        &p.ingredient_ids,
    )
    .execute(&mut *conn)
    .await?;
    insert_variants(conn, id, &p.variants).await?;
    Ok(id)
}

/// Adds variants to a product in one statement; their ids in the same order.
pub async fn insert_variants(
    conn: &mut PgConnection,
    product_id: Uuid,
    variants: &[NewVariant],
) -> Result<Vec<Uuid>, RepoError> {
    let ids: Vec<Uuid> = variants.iter().map(|_| Uuid::now_v7()).collect();
    let skus: Vec<String> = variants.iter().map(|v| v.sku.clone()).collect();
    let strengths: Vec<String> = variants.iter().map(|v| v.strength.clone()).collect();
    let packs: Vec<i32> = variants.iter().map(|v| v.pack_size).collect();
    let prices: Vec<i64> = variants.iter().map(|v| v.price_minor).collect();
    let currencies: Vec<String> = variants.iter().map(|v| v.currency.clone()).collect();
    sqlx::query!(
        r#"INSERT INTO product_variants (id, product_id, sku, strength, pack_size, price_minor, currency)
           SELECT v.id, $1, v.sku, v.strength, v.pack, v.price, v.currency
             FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::text[])
                  AS v(id, sku, strength, pack, price, currency)"#,
        product_id,
        &ids,
        &skus,
        &strengths,
        &packs,
        &prices,
        &currencies,
    )
    .execute(conn)
    .await?;
    Ok(ids)
}

/// Makes `ingredient_ids` the product's ingredients (removing the others).
pub async fn set_product_ingredients(
    conn: &mut PgConnection,
    product_id: Uuid,
    ingredient_ids: &[Uuid],
) -> Result<(), RepoError> {
    sqlx::query!(
        "DELETE FROM product_ingredients WHERE product_id = $1 AND ingredient_id <> ALL($2)",
        product_id,
        ingredient_ids,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"INSERT INTO product_ingredients (product_id, ingredient_id)
           SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING"#,
        product_id,
        ingredient_ids,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets whether a clinic sells a product. Returns false when nothing changed.
pub async fn set_clinic_selection(
    conn: &mut PgConnection,
    clinic_id: Uuid,
    product_id: Uuid,
    sells: bool,
) -> Result<bool, RepoError> {
    let n = if sells {
        sqlx::query!(
            r#"INSERT INTO clinic_products (clinic_id, product_id)
               SELECT $1, $2 WHERE NOT EXISTS (
                   SELECT 1 FROM clinic_products WHERE clinic_id = $1 AND product_id = $2)"#,
            clinic_id,
            product_id
        )
        .execute(conn)
        .await?
        .rows_affected()
    } else {
        sqlx::query!(
            "DELETE FROM clinic_products WHERE clinic_id = $1 AND product_id = $2",
            clinic_id,
            product_id
        )
        .execute(conn)
        .await?
        .rows_affected()
    };
    Ok(n == 1)
}

/// Sets a clinic's price for the variant with this SKU (SPEC C7).
pub async fn set_clinic_price_by_sku(
    conn: &mut PgConnection,
    clinic_id: Uuid,
    sku: &str,
    price_minor: i64,
    currency: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO clinic_variant_prices (clinic_id, variant_id, price_minor, currency)
           SELECT $1, id, $3, $4 FROM product_variants WHERE sku = $2
           ON CONFLICT (clinic_id, variant_id)
           DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency, updated_at = now()"#,
        clinic_id,
        sku,
        price_minor,
        currency
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets (or, with `None`, clears) a clinic's price for a variant. False when no such variant.
pub async fn set_clinic_price(
    conn: &mut PgConnection,
    clinic_id: Uuid,
    variant_id: Uuid,
    price: Option<(i64, &str)>,
) -> Result<(), RepoError> {
    match price {
        Some((amount, currency)) => {
            sqlx::query!(
                r#"INSERT INTO clinic_variant_prices (clinic_id, variant_id, price_minor, currency)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (clinic_id, variant_id)
                   DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency, updated_at = now()"#,
                clinic_id,
                variant_id,
                amount,
                currency
            )
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query!(
                "DELETE FROM clinic_variant_prices WHERE clinic_id = $1 AND variant_id = $2",
                clinic_id,
                variant_id
            )
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// A variant's list price and currency.
pub async fn variant_price(
    conn: &mut PgConnection,
    variant_id: Uuid,
) -> Result<Option<(i64, String)>, RepoError> {
    let row = sqlx::query!(
        "SELECT price_minor, currency FROM product_variants WHERE id = $1",
        variant_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.price_minor, r.currency)))
}

/// Whether any clinic or doctor has its own price for the variant.
pub async fn has_price_overrides(
    conn: &mut PgConnection,
    variant_id: Uuid,
) -> Result<bool, RepoError> {
    let yes = sqlx::query_scalar!(
        r#"SELECT (EXISTS (SELECT 1 FROM clinic_variant_prices WHERE variant_id = $1)
                OR EXISTS (SELECT 1 FROM doctor_variant_prices WHERE variant_id = $1)) AS "yes!""#,
        variant_id
    )
    .fetch_one(conn)
    .await?;
    Ok(yes)
}

/// Whether a product exists in the master catalogue.
pub async fn product_exists(conn: &mut PgConnection, id: Uuid) -> Result<bool, RepoError> {
    let yes = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM products WHERE id = $1) AS "yes!""#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(yes)
}

/// Which of `skus` the catalogue has already (to check an import before writing anything).
pub async fn existing_skus(
    conn: &mut PgConnection,
    skus: &[String],
) -> Result<Vec<String>, RepoError> {
    let rows = sqlx::query_scalar!("SELECT sku FROM product_variants WHERE sku = ANY($1)", skus)
        .fetch_all(conn)
        .await?;
    Ok(rows)
}

/// Which of `slugs` the catalogue has already.
pub async fn existing_slugs(
    conn: &mut PgConnection,
    slugs: &[String],
) -> Result<Vec<String>, RepoError> {
    let rows = sqlx::query_scalar!("SELECT slug FROM products WHERE slug = ANY($1)", slugs)
        .fetch_all(conn)
        .await?;
    Ok(rows)
}

pub async fn insert_image(
    conn: &mut PgConnection,
    product_id: Uuid,
    storage_key: &str,
    content_type: &str,
    size_bytes: i32,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO product_images (id, product_id, storage_key, content_type, size_bytes, position)
           SELECT $1, $2, $3, $4, $5, coalesce(max(position) + 1, 0)
             FROM product_images WHERE product_id = $2"#,
        id,
        product_id,
        storage_key,
        content_type,
        size_bytes
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// An image's storage key and content type.
pub async fn image(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(String, String)>, RepoError> {
    let row = sqlx::query!(
        "SELECT storage_key, content_type FROM product_images WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.storage_key, r.content_type)))
}

/// Deletes a product's image; returns its storage key.
pub async fn delete_image(
    conn: &mut PgConnection,
    product_id: Uuid,
    id: Uuid,
) -> Result<Option<String>, RepoError> {
    let key = sqlx::query_scalar!(
        "DELETE FROM product_images WHERE id = $1 AND product_id = $2 RETURNING storage_key",
        id,
        product_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(key)
}

/// Sets (or, with `None`, clears) a doctor's own price for a variant in a clinic.
pub async fn set_doctor_price(
    conn: &mut PgConnection,
    doctor_id: Uuid,
    clinic_id: Uuid,
    variant_id: Uuid,
    price: Option<(i64, &str)>,
) -> Result<(), RepoError> {
    match price {
        Some((amount, currency)) => {
            sqlx::query!(
                r#"INSERT INTO doctor_variant_prices (doctor_id, clinic_id, variant_id, price_minor, currency)
                   VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT (doctor_id, clinic_id, variant_id)
                   DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency, updated_at = now()"#,
                doctor_id,
                clinic_id,
                variant_id,
                amount,
                currency
            )
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query!(
                "DELETE FROM doctor_variant_prices WHERE doctor_id = $1 AND clinic_id = $2 AND variant_id = $3",
                doctor_id,
                clinic_id,
                variant_id
            )
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// New details of a product (not its ingredients, variants or images).
#[derive(Debug, Clone)]
pub struct ProductChange {
    pub name: String,
    pub category_id: Uuid,
    pub dosage_form: String,
    pub strength: String,
    pub schedule: String,
    pub requires_prescription: bool,
    pub requires_consult: bool,
    pub consult_fee_minor: Option<i64>,
    pub consult_fee_currency: Option<String>,
    pub description: String,
    pub active: bool,
}

/// Changes a product; false when there is no such product.
pub async fn update_product(
    conn: &mut PgConnection,
    id: Uuid,
    p: &ProductChange,
    by: Uuid,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE products SET name = $2, category_id = $3, dosage_form = $4, strength = $5,
               schedule = $6, requires_prescription = $7, requires_consult = $8,
               consult_fee_minor = $9, consult_fee_currency = $10, description = $11,
               active = $12, updated_by = $13
            WHERE id = $1"#,
        id,
        p.name,
        p.category_id,
        p.dosage_form,
        p.strength,
        p.schedule,
        p.requires_prescription,
        p.requires_consult,
        p.consult_fee_minor,
        p.consult_fee_currency,
        p.description,
        p.active,
        by,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Changes a variant; false when there is no such variant.
pub async fn update_variant(
    conn: &mut PgConnection,
    id: Uuid,
    strength: &str,
    pack_size: i32,
    price_minor: i64,
    currency: &str,
    active: bool,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE product_variants SET strength = $2, pack_size = $3, price_minor = $4,
               currency = $5, active = $6
            WHERE id = $1"#,
        id,
        strength,
        pack_size,
        price_minor,
        currency,
        active,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

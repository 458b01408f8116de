//! The SQL price rule (`variant_prices`, used by every catalogue page, product page and, later,
//! the cart) and the domain's `price_for_patient` must agree. Random list prices, clinic
//! prices, doctors' prices and doctor–patient links are written to PostgreSQL, and both are
//! asked the price of every variant for every patient.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeDelta, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rxgate_domain::catalogue::{Currency, DoctorPrice, Money, price_for_patient};
use sqlx::PgPool;
use uuid::Uuid;

const CURRENCIES: [&str; 2] = ["ZAR", "USD"];

fn zar_or_usd(amount: i64, currency: &str) -> Money {
    Money::new(amount, Currency::parse(currency).unwrap()).unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn sql_and_domain_agree_on_random_prices(pool: PgPool) {
    let mut rng = StdRng::seed_from_u64(0x5eed_0009);
    for round in 0..25 {
        let mut tx = pool.begin().await.unwrap();
        let clinic = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO organisations (id, kind, name, slug) VALUES ($1, 'clinic', 'C', $2)",
        )
        .bind(clinic)
        .bind(format!("c-{round}"))
        .execute(&mut *tx)
        .await
        .unwrap();
        let person = |n: &str| format!("{n}-{round}@example.org");
        let mut new_user = async |email: String| {
            let id = Uuid::now_v7();
            sqlx::query("INSERT INTO users (id, email, display_name) VALUES ($1, $2, 'U')")
                .bind(id)
                .bind(email)
                .execute(&mut *tx)
                .await
                .unwrap();
            id
        };
        let doctors = [
            new_user(person("d1")).await,
            new_user(person("d2")).await,
            new_user(person("d3")).await,
        ];
        let patients = [new_user(person("p1")).await, new_user(person("p2")).await];
        let category = Uuid::now_v7();
        sqlx::query("INSERT INTO categories (id, slug, name) VALUES ($1, $2, 'C')")
            .bind(category)
            .bind(format!("cat-{round}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        let product = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO products (id, slug, name, category_id, dosage_form, schedule,
                 requires_prescription, requires_consult)
             VALUES ($1, $2, $2, $3, 'tablet', 'S0', false, false)",
        )
        .bind(product)
        .bind(format!("p-{round}"))
        .bind(category)
        .execute(&mut *tx)
        .await
        .unwrap();

        // Links: each patient to a random subset of doctors, at random times (some equal).
        let base_time = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut links = Vec::new();
        for patient in patients {
            for doctor in doctors {
                if rng.random_bool(0.6) {
                    let at = base_time + TimeDelta::hours(rng.random_range(0..3));
                    sqlx::query(
                        "INSERT INTO doctor_patient_links (doctor_id, patient_id, source, created_at)
                         VALUES ($1, $2, 'referral', $3)",
                    )
                    .bind(doctor)
                    .bind(patient)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    links.push((doctor, patient, at));
                }
            }
        }

        let mut variants = Vec::new();
        for n in 0..4 {
            let id = Uuid::now_v7();
            let currency = CURRENCIES[rng.random_range(0..CURRENCIES.len())];
            let list = rng.random_range(0..100_000_i64);
            sqlx::query(
                "INSERT INTO product_variants (id, product_id, sku, pack_size, price_minor, currency)
                 VALUES ($1, $2, $3, 1, $4, $5)",
            )
            .bind(id)
            .bind(product)
            .bind(format!("SKU-{round}-{n}"))
            .bind(list)
            .bind(currency)
            .execute(&mut *tx)
            .await
            .unwrap();
            let money = |amount: i64| zar_or_usd(amount, currency);
            let clinic_price = rng
                .random_bool(0.5)
                .then(|| rng.random_range(0..100_000_i64));
            if let Some(p) = clinic_price {
                sqlx::query(
                    "INSERT INTO clinic_variant_prices (clinic_id, variant_id, price_minor, currency)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(clinic)
                .bind(id)
                .bind(p)
                .bind(currency)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
            let mut doctor_prices = Vec::new();
            for doctor in doctors {
                if rng.random_bool(0.4) {
                    let p = rng.random_range(0..100_000_i64);
                    sqlx::query(
                        "INSERT INTO doctor_variant_prices (doctor_id, clinic_id, variant_id, price_minor, currency)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(doctor)
                    .bind(clinic)
                    .bind(id)
                    .bind(p)
                    .bind(currency)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    doctor_prices.push((doctor, p));
                }
            }
            variants.push((
                id,
                money(list),
                clinic_price.map(money),
                doctor_prices,
                currency,
            ));
        }

        for patient in patients {
            let rows: Vec<(Uuid, i64, String, String)> = sqlx::query_as(
                "SELECT variant_id, price_minor, currency, source FROM variant_prices($1, $2)
                  WHERE product_id = $3",
            )
            .bind(clinic)
            .bind(patient)
            .bind(product)
            .fetch_all(&mut *tx)
            .await
            .unwrap();
            assert_eq!(rows.len(), variants.len());
            for (id, list, clinic_price, doctor_prices, currency) in &variants {
                let theirs: Vec<DoctorPrice> = doctor_prices
                    .iter()
                    .filter_map(|(doctor, p)| {
                        links
                            .iter()
                            .find(|(d, pt, _)| d == doctor && *pt == patient)
                            .map(|(_, _, at)| DoctorPrice {
                                doctor_id: *doctor,
                                linked_at: *at,
                                price: zar_or_usd(*p, currency),
                            })
                    })
                    .collect();
                let expected = price_for_patient(list, clinic_price.as_ref(), &theirs);
                let (_, amount, currency, source) = rows.iter().find(|(v, ..)| v == id).unwrap();
                assert_eq!(
                    (*amount, currency.as_str()),
                    (expected.amount_minor(), expected.currency().as_str()),
                    "round {round}, variant {id}, source {source}"
                );
            }
        }
        tx.rollback().await.unwrap();
    }
}

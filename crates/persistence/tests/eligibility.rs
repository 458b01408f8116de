//! The SQL eligibility engine (`product_eligibility`, used by every catalogue page) and the
//! domain's `evaluate` must give the same answer. Random catalogues, flags, doctors' overrides
//! and rules are written to PostgreSQL and both are asked about every product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rxgate_domain::catalogue::{Currency, Money};
use rxgate_domain::eligibility::{ProductFacts, Rule, RuleAction, RuleTarget, Verdict, evaluate};
use rxgate_domain::questionnaire::{FlagOverride, effective_flags};
use rxgate_persistence::catalogue;
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

const FLAGS: [&str; 5] = [
    "pregnant",
    "hx_mtc",
    "on_anticoagulants",
    "smoker_over_35",
    "renal",
];

struct Case {
    patient: Uuid,
    products: Vec<ProductFacts>,
    rules: Vec<Rule>,
    flags: BTreeSet<String>,
}

async fn exec(tx: &mut Transaction<'_, Postgres>, sql: &str, binds: &[Uuid]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&mut **tx).await.unwrap();
}

/// Writes one random world and returns what the domain needs to judge it.
async fn random_case(tx: &mut Transaction<'_, Postgres>, rng: &mut StdRng) -> Case {
    for code in FLAGS {
        sqlx::query("INSERT INTO flags (code, label) VALUES ($1, $1)")
            .bind(code)
            .execute(&mut **tx)
            .await
            .unwrap();
    }
    let category = Uuid::now_v7();
    exec(
        tx,
        "INSERT INTO categories (id, slug, name) VALUES ($1, 'c', 'C')",
        &[category],
    )
    .await;
    let ingredients: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
    for (n, id) in ingredients.iter().enumerate() {
        sqlx::query("INSERT INTO active_ingredients (id, name) VALUES ($1, $2)")
            .bind(id)
            .bind(format!("ingredient {n}"))
            .execute(&mut **tx)
            .await
            .unwrap();
    }
    let mut products = Vec::new();
    for n in 0..6 {
        let id = Uuid::now_v7();
        let rx = rng.random_bool(0.5);
        let consult = rng.random_bool(0.3);
        let fee = rng
            .random_bool(0.5)
            .then(|| rng.random_range(0..50_000_i64));
        sqlx::query(
            "INSERT INTO products (id, slug, name, category_id, dosage_form, schedule,
                 requires_prescription, requires_consult, consult_fee_minor, consult_fee_currency)
             VALUES ($1, $2, $2, $3, 'tablet', $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(format!("p-{n}"))
        .bind(category)
        .bind(if rx { "S4" } else { "S1" })
        .bind(rx)
        .bind(consult)
        .bind(fee)
        .bind(fee.map(|_| "ZAR"))
        .execute(&mut **tx)
        .await
        .unwrap();
        let mut mine = Vec::new();
        for ing in &ingredients {
            if rng.random_bool(0.3) {
                exec(
                    tx,
                    "INSERT INTO product_ingredients VALUES ($1, $2)",
                    &[id, *ing],
                )
                .await;
                mine.push(*ing);
            }
        }
        products.push(ProductFacts {
            id,
            ingredient_ids: mine,
            requires_prescription: rx,
            requires_consult: consult,
            consult_fee: fee.map(|f| Money::new(f, Currency::parse("ZAR").unwrap()).unwrap()),
        });
    }
    let mut rules = Vec::new();
    for _ in 0..rng.random_range(0..12) {
        let id = Uuid::now_v7();
        let target = if rng.random_bool(0.5) {
            RuleTarget::Product(products[rng.random_range(0..products.len())].id)
        } else {
            RuleTarget::Ingredient(ingredients[rng.random_range(0..ingredients.len())])
        };
        let action =
            [RuleAction::Block, RuleAction::Review, RuleAction::Warn][rng.random_range(0..3)];
        let flag = FLAGS[rng.random_range(0..FLAGS.len())].to_owned();
        let active = rng.random_bool(0.8);
        let (product_id, ingredient_id) = match target {
            RuleTarget::Product(p) => (Some(p), None),
            RuleTarget::Ingredient(i) => (None, Some(i)),
        };
        sqlx::query(
            "INSERT INTO contraindication_rules (id, product_id, ingredient_id, flag_code, action,
                 patient_message, clinician_message, active)
             VALUES ($1, $2, $3, $4, $5::rule_action, $6, $7, $8)",
        )
        .bind(id)
        .bind(product_id)
        .bind(ingredient_id)
        .bind(&flag)
        .bind(action.as_str())
        .bind(format!("patient {id}"))
        .bind(format!("clinician {id}"))
        .bind(active)
        .execute(&mut **tx)
        .await
        .unwrap();
        rules.push(Rule {
            id,
            target,
            flag,
            action,
            patient_message: format!("patient {id}"),
            clinician_message: format!("clinician {id}"),
            active,
        });
    }

    // The patient, a questionnaire response with derived flags, and overrides on top.
    let patient = Uuid::now_v7();
    sqlx::query("INSERT INTO users (id, email, display_name) VALUES ($1, $2, 'P')")
        .bind(patient)
        .bind(format!("{patient}@example.test"))
        .execute(&mut **tx)
        .await
        .unwrap();
    let (questionnaire, version, response) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    exec(
        tx,
        "INSERT INTO questionnaires (id, name) VALUES ($1, 'Q')",
        &[questionnaire],
    )
    .await;
    exec(
        tx,
        "INSERT INTO questionnaire_versions (id, questionnaire_id, version, status, definition, published_at)
         VALUES ($1, $2, 1, 'published', '{}', now())",
        &[version, questionnaire],
    )
    .await;
    exec(
        tx,
        "INSERT INTO questionnaire_responses (id, patient_id, version_id, status, answers_enc, key_id, submitted_at)
         VALUES ($1, $2, $3, 'submitted', '\\x00', 'k', now())",
        &[response, patient, version],
    )
    .await;
    let derived: BTreeSet<String> = FLAGS
        .iter()
        .filter(|_| rng.random_bool(0.4))
        .map(|f| (*f).to_owned())
        .collect();
    for flag in &derived {
        sqlx::query(
            "INSERT INTO patient_flags (patient_id, flag_code, response_id) VALUES ($1, $2, $3)",
        )
        .bind(patient)
        .bind(flag)
        .bind(response)
        .execute(&mut **tx)
        .await
        .unwrap();
    }
    let mut overrides = Vec::new();
    for n in 0..rng.random_range(0..5) {
        let flag = FLAGS[rng.random_range(0..FLAGS.len())].to_owned();
        let raised = rng.random_bool(0.5);
        sqlx::query(
            "INSERT INTO flag_overrides (id, patient_id, flag_code, raised, reason_enc, key_id, doctor_id, doctor_name, created_at)
             VALUES ($1, $2, $3, $4, '\\x00', 'k', $2, 'Dr', now() + make_interval(secs => $5))",
        )
        .bind(Uuid::now_v7())
        .bind(patient)
        .bind(&flag)
        .bind(raised)
        .bind(f64::from(n))
        .execute(&mut **tx)
        .await
        .unwrap();
        overrides.push(FlagOverride { flag, raised });
    }
    Case {
        patient,
        products,
        rules,
        flags: effective_flags(&derived, &overrides),
    }
}

fn rule_ids(reasons: &serde_json::Value) -> Vec<String> {
    reasons
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule_id"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrations = "../../migrations")]
async fn sql_and_domain_agree_on_random_catalogues(pool: PgPool) {
    let mut verdicts = BTreeSet::new();
    for seed in 0..60_u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut tx = pool.begin().await.unwrap();
        let case = random_case(&mut tx, &mut rng).await;
        let ids: Vec<Uuid> = case.products.iter().map(|p| p.id).collect();
        let rows = catalogue::eligibility(&mut tx, case.patient.into(), &ids)
            .await
            .unwrap();
        assert_eq!(rows.len(), ids.len(), "seed {seed}: one row per product");
        for row in rows {
            let product = case
                .products
                .iter()
                .find(|p| p.id == row.product_id)
                .unwrap();
            let expected = evaluate(product, &case.flags, &case.rules, false);
            verdicts.insert(expected.verdict.code());
            assert_eq!(
                row.verdict,
                expected.verdict.code(),
                "seed {seed}, product {}",
                product.id
            );
            let reasons = match &expected.verdict {
                Verdict::Blocked { reasons } | Verdict::NeedsReview { reasons } => reasons.clone(),
                _ => Vec::new(),
            };
            let want: Vec<String> = reasons.iter().map(|r| r.rule_id.to_string()).collect();
            assert_eq!(rule_ids(&row.reasons), want, "seed {seed}: reasons");
            let want: Vec<String> = expected
                .warnings
                .iter()
                .map(|r| r.rule_id.to_string())
                .collect();
            assert_eq!(rule_ids(&row.warnings), want, "seed {seed}: warnings");
            for (got, want) in row.reasons.as_array().unwrap().iter().zip(&reasons) {
                assert_eq!(got["patient_message"], json!(want.patient_message));
                assert_eq!(got["clinician_message"], json!(want.clinician_message));
                assert_eq!(got["flag"], json!(want.flag));
            }
        }
        tx.rollback().await.unwrap();
    }
    // The generator reaches every verdict, so agreement is not vacuous.
    assert_eq!(
        verdicts,
        BTreeSet::from(["blocked", "consult_required", "eligible", "needs_review"])
    );
}

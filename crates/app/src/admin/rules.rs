//! Flags (what a questionnaire can raise and a rule can name) and contraindication rules
//! (`(product | active ingredient) × flag → block | review | warn`). Clinicians and admins
//! read them; platform admins write them, and a change applies to every patient at once.

use rxgate_api_types::FieldError;
use rxgate_domain::eligibility::RuleAction;
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::valid_flag_code;
use rxgate_persistence::pagination::finish_page;
use rxgate_persistence::questionnaires::{self, FlagRow};
use rxgate_persistence::rules::{self, RuleFilter, RuleRow};
use rxgate_persistence::{Db, RepoError};
use sqlx::PgConnection;
use uuid::Uuid;

use super::Page;
use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// A new flag.
#[derive(Debug, Clone)]
pub struct CreateFlag {
    /// `[a-z][a-z0-9_]{0,63}`.
    pub code: String,
    pub label: String,
    pub description: String,
}

/// What a page of rules asks for.
#[derive(Debug, Clone, Default)]
pub struct RuleSearch {
    pub flag: Option<String>,
    /// `block`, `review` or `warn`.
    pub action: Option<String>,
    pub product_id: Option<Uuid>,
    pub ingredient_id: Option<Uuid>,
    pub active: Option<bool>,
    /// The opaque cursor of the previous page.
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A rule's content, new or replacing a rule's.
#[derive(Debug, Clone)]
pub struct SaveRule {
    pub product_id: Option<Uuid>,
    pub ingredient_id: Option<Uuid>,
    pub flag: String,
    /// `block`, `review` or `warn`.
    pub action: String,
    pub patient_message: String,
    pub clinician_message: String,
    /// `false` retires the rule.
    pub active: bool,
}

/// Every flag (a short list: not paginated), for clinicians and admins; patients see their
/// own flags in their health profile.
pub async fn list_flags(db: &Db, actor: &Actor) -> Result<Vec<FlagRow>, AppError> {
    require_staff(actor, "Flags are for clinicians and administrators.")?;
    let mut tx = db.begin(&actor.rls()).await?;
    let rows = questionnaires::flags(&mut tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Adds a flag. A taken code is the database's `FLAG_EXISTS`. Returns the flag as stored.
pub async fn create_flag(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    command: CreateFlag,
) -> Result<FlagRow, AppError> {
    actor.require(Role::PlatformAdmin)?;
    if !valid_flag_code(&command.code) {
        return Err(AppError::Validation(vec![FieldError {
            field: "code".into(),
            code: "flag_code".into(),
            message: "Use lower-case letters, digits and underscores, starting with a letter."
                .into(),
        }]));
    }
    let flag = FlagRow {
        label: command.label.trim().to_owned(),
        description: command.description.trim().to_owned(),
        code: command.code,
    };
    let mut tx = Work::begin(db, actor, facts).await?;
    questionnaires::insert_flag(&mut tx, &flag.code, &flag.label, &flag.description).await?;
    tx.record(Event::new("create", "flag", &flag.code)).await?;
    tx.commit().await?;
    Ok(flag)
}

/// Contraindication rules, oldest first, filtered by flag, product, ingredient or state, for
/// clinicians and admins.
pub async fn list_rules(
    db: &Db,
    actor: &Actor,
    search: RuleSearch,
) -> Result<Page<RuleRow>, AppError> {
    require_staff(actor, "Rules are for clinicians and administrators.")?;
    if let Some(action) = &search.action {
        RuleAction::parse(action)
            .map_err(|_| AppError::InvalidQuery("action must be block, review or warn".into()))?;
    }
    let after = search
        .cursor
        .as_deref()
        .map(|c| Uuid::parse_str(c).map_err(|_| RepoError::InvalidCursor))
        .transpose()?;
    let limit = search.limit;
    let mut tx = db.begin(&actor.rls()).await?;
    let rows = rules::list(
        &mut tx,
        &RuleFilter {
            flag: search.flag,
            action: search.action,
            product_id: search.product_id,
            ingredient_id: search.ingredient_id,
            active: search.active,
            after,
            limit,
        },
    )
    .await?;
    tx.commit().await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| r.id.simple().to_string());
    Ok(Page { rows, next_cursor })
}

/// Adds a contraindication rule; it applies to every patient at once. An unknown product or
/// ingredient is the database's `UNKNOWN_TARGET`.
pub async fn create_rule(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    command: SaveRule,
) -> Result<RuleRow, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let input = checked(&mut tx, &command).await?;
    let id = rules::insert(&mut tx, &input, actor.user_id).await?;
    let row = rules::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.record(
        Event::new("create", "contraindication_rule", id)
            .risk("medium")
            .details(serde_json::json!({ "flag": input.flag_code, "action": input.action })),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Replaces a rule's content, or retires it (`active: false`). Takes effect at once.
pub async fn update_rule(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    command: SaveRule,
) -> Result<RuleRow, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let before = rules::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let input = checked(&mut tx, &command).await?;
    rules::update(&mut tx, id, &input, actor.user_id).await?;
    let row = rules::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.record(Event::new(if input.active { "update" } else { "retire" }, "contraindication_rule", id)
            .risk("medium")
            .details(serde_json::json!({
                "before": { "flag": before.flag_code, "action": before.action, "active": before.active },
                "after": { "flag": input.flag_code, "action": input.action, "active": input.active },
            }))).await?;
    tx.commit().await?;
    Ok(row)
}

fn require_staff(actor: &Actor, detail: &str) -> Result<(), AppError> {
    if actor.roles.iter().any(|r| r.is_staff()) {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "FORBIDDEN",
            detail: detail.into(),
        })
    }
}

/// The rule as stored, or every field that is wrong with it (the flag must exist).
async fn checked(tx: &mut PgConnection, rule: &SaveRule) -> Result<rules::RuleInput, AppError> {
    let mut errors = Vec::new();
    let mut field = |field: &str, code: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        });
    };
    if rule.product_id.is_some() == rule.ingredient_id.is_some() {
        field(
            "product_id",
            "one_target",
            "Choose a product or an active ingredient (not both).",
        );
    }
    let action = RuleAction::parse(&rule.action);
    if action.is_err() {
        field("action", "action", "The action is block, review or warn.");
    }
    if rule.patient_message.trim().is_empty() {
        field(
            "patient_message",
            "length",
            "Write what the patient is told.",
        );
    }
    if rule.clinician_message.trim().is_empty() {
        field(
            "clinician_message",
            "length",
            "Write what clinicians are told.",
        );
    }
    if !questionnaires::flags(tx)
        .await?
        .iter()
        .any(|f| f.code == rule.flag)
    {
        field("flag", "unknown_flag", "There is no such flag.");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(rules::RuleInput {
        product_id: rule.product_id,
        ingredient_id: rule.ingredient_id,
        flag_code: rule.flag.clone(),
        action: rule.action.clone(),
        patient_message: rule.patient_message.trim().to_owned(),
        clinician_message: rule.clinician_message.trim().to_owned(),
        active: rule.active,
    })
}

//! Questionnaire administration (platform admins): versions are drafted, edited while drafts
//! and published; a published version never changes (edits start a new draft). Every draft is
//! checked against the domain's rules and the flags that exist before it is stored.

use rxgate_api_types::FieldError;
use rxgate_api_types::health::{DraftInput, NewQuestionnaire, QuestionnaireVersionView};
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::{Definition, FlagMapping, validate_mapping};
use rxgate_persistence::Db;
use rxgate_persistence::questionnaires::{self, VersionRow};
use uuid::Uuid;

use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};
use crate::{AppError, Work};

fn view(v: VersionRow) -> Result<QuestionnaireVersionView, AppError> {
    Ok(QuestionnaireVersionView {
        id: v.id,
        questionnaire_id: v.questionnaire_id,
        name: v.questionnaire_name,
        clinic_id: v.clinic_id,
        version: v.version,
        status: rxgate_api_types::vocab::QuestionnaireStatus::parse(v.status.as_str())
            .ok_or_else(|| AppError::unexpected("questionnaire status", v.status.as_str()))?,
        definition: serde_json::from_value(v.definition).map_err(AppError::internal)?,
        mappings: serde_json::from_value(v.mappings).map_err(AppError::internal)?,
        published_at: v.published_at,
    })
}

/// The draft's definition and mappings as stored, once valid: the definition by the domain's
/// rules, each mapping against the definition and the flags that exist.
async fn checked(
    conn: &mut sqlx::PgConnection,
    body: &DraftInput,
) -> Result<(serde_json::Value, serde_json::Value), AppError> {
    let definition = Definition::from(&body.definition);
    let mappings: Vec<FlagMapping> = body.mappings.iter().map(FlagMapping::from).collect();
    let mut errors: Vec<FieldError> = definition
        .validate()
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| FieldError {
            field: e
                .question
                .map_or_else(|| "definition".to_owned(), |q| format!("definition.{q}")),
            code: "definition".into(),
            message: e.message,
        })
        .collect();
    if errors.is_empty() {
        let known: Vec<String> = questionnaires::flags(conn)
            .await?
            .into_iter()
            .map(|f| f.code)
            .collect();
        for (i, m) in mappings.iter().enumerate() {
            if let Err(message) = validate_mapping(&definition, m) {
                errors.push(FieldError {
                    field: format!("mappings[{i}]"),
                    code: "mapping".into(),
                    message,
                });
            } else if !known.contains(&m.flag) {
                errors.push(FieldError {
                    field: format!("mappings[{i}].flag"),
                    code: "unknown_flag".into(),
                    message: format!("There is no flag `{}`: add it first.", m.flag),
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok((
        serde_json::to_value(&definition).map_err(AppError::internal)?,
        serde_json::to_value(&mappings).map_err(AppError::internal)?,
    ))
}

fn frozen() -> AppError {
    AppError::Conflict {
        code: "VERSION_FROZEN",
        detail: "A published version never changes: start a new draft instead.".into(),
    }
}

async fn stored(work: &mut Work<'_>, id: Uuid) -> Result<QuestionnaireVersionView, AppError> {
    view(
        questionnaires::version(work, id)
            .await?
            .ok_or(AppError::NotFound)?,
    )
}

/// Every version of every questionnaire.
pub async fn list(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
) -> Result<Vec<QuestionnaireVersionView>, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let rows = questionnaires::versions(&mut work).await?;
    work.commit().await?;
    rows.into_iter().map(view).collect()
}

/// One version.
pub async fn version(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<QuestionnaireVersionView, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let version = stored(&mut work, id).await?;
    work.commit().await?;
    Ok(version)
}

/// A new questionnaire with its first draft.
pub async fn create_questionnaire(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    body: &NewQuestionnaire,
) -> Result<QuestionnaireVersionView, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::Validation(vec![FieldError {
            field: "name".into(),
            code: "length".into(),
            message: "Give the questionnaire a name (at most 200 characters).".into(),
        }]));
    }
    let mut work = Work::begin(db, actor, facts).await?;
    let draft = DraftInput {
        definition: body.definition.clone(),
        mappings: body.mappings.clone(),
    };
    let (definition, mappings) = checked(&mut work, &draft).await?;
    let questionnaire =
        questionnaires::create_questionnaire(&mut work, body.clinic_id, name).await?;
    let version = questionnaires::create_draft(
        &mut work,
        questionnaire,
        &definition,
        &mappings,
        Some(actor.user_id),
    )
    .await?;
    let created = stored(&mut work, version).await?;
    work.record(Event::new("create", "questionnaire", questionnaire))
        .await?;
    work.commit().await?;
    Ok(created)
}

/// A new draft version of a questionnaire.
pub async fn create_draft(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    questionnaire: Uuid,
    body: &DraftInput,
) -> Result<QuestionnaireVersionView, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut work = Work::begin(db, actor, facts).await?;
    let (definition, mappings) = checked(&mut work, body).await?;
    let version = questionnaires::create_draft(
        &mut work,
        questionnaire,
        &definition,
        &mappings,
        Some(actor.user_id),
    )
    .await?;
    let created = stored(&mut work, version).await?;
    work.record(Event::new("create", "questionnaire_version", version))
        .await?;
    work.commit().await?;
    Ok(created)
}

/// Replaces a draft's questions and mappings (a published version is frozen: 409).
pub async fn update_draft(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
    body: &DraftInput,
) -> Result<QuestionnaireVersionView, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut work = Work::begin(db, actor, facts).await?;
    stored(&mut work, id).await?;
    let (definition, mappings) = checked(&mut work, body).await?;
    if !questionnaires::update_draft(&mut work, id, &definition, &mappings).await? {
        return Err(frozen());
    }
    let updated = stored(&mut work, id).await?;
    work.record(Event::new("update", "questionnaire_version", id))
        .await?;
    work.commit().await?;
    Ok(updated)
}

/// Publishes a draft: patients answer it from now on.
pub async fn publish(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: Uuid,
) -> Result<QuestionnaireVersionView, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut work = Work::begin(db, actor, facts).await?;
    stored(&mut work, id).await?;
    if !questionnaires::publish(&mut work, id).await? {
        return Err(frozen());
    }
    let published = stored(&mut work, id).await?;
    work.record(Event::new("publish", "questionnaire_version", id).risk("medium"))
        .await?;
    work.commit().await?;
    Ok(published)
}

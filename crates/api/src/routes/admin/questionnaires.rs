//! Questionnaire administration: versions are drafted, edited while drafts, and published;
//! a published version never changes (edits start a new draft).

use actix_web::{HttpResponse, get, post, put, web};
use rxgate_api_types::health::{DraftInput, NewQuestionnaire, QuestionnaireVersionView};
use rxgate_api_types::vocab::QuestionnaireStatus;
use rxgate_api_types::{FieldError, Problem};
use rxgate_app::AppError;
use rxgate_domain::identity::Role;
use rxgate_domain::questionnaire::{Definition, FlagMapping, validate_mapping};
use rxgate_persistence::questionnaires::{self, VersionRow};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

fn view(v: VersionRow) -> Result<QuestionnaireVersionView, ApiError> {
    Ok(QuestionnaireVersionView {
        id: v.id,
        questionnaire_id: v.questionnaire_id,
        name: v.questionnaire_name,
        clinic_id: v.clinic_id,
        version: v.version,
        status: QuestionnaireStatus::parse(&v.status)
            .ok_or_else(|| AppError::unexpected("questionnaire status", &v.status))?,
        definition: serde_json::from_value(v.definition).map_err(ApiError::internal)?,
        mappings: serde_json::from_value(v.mappings).map_err(ApiError::internal)?,
        published_at: v.published_at,
    })
}

/// Checks a draft with the domain's rules and that every mapped flag exists.
async fn checked(
    tx: &mut sqlx::PgConnection,
    body: &DraftInput,
) -> Result<(serde_json::Value, serde_json::Value), ApiError> {
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
        let known: Vec<String> = questionnaires::flags(tx)
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
        return Err(ApiError::Validation(errors));
    }
    Ok((
        serde_json::to_value(&definition).map_err(ApiError::internal)?,
        serde_json::to_value(&mappings).map_err(ApiError::internal)?,
    ))
}

/// Every questionnaire version (at most 500), newest first per questionnaire.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = OK, body = Vec<QuestionnaireVersionView>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/questionnaires")]
pub async fn list_questionnaires(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let mut tx = state.begin_as(&principal).await?;
    let rows = questionnaires::versions(&mut tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(view).collect::<Result<Vec<_>, _>>()?))
}

/// One questionnaire version with its questions and mappings.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Version id")),
    responses(
        (status = OK, body = QuestionnaireVersionView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/questionnaire-versions/{id}")]
pub async fn get_version(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let mut tx = state.begin_as(&principal).await?;
    let row = questionnaires::version(&mut tx, id.into_inner())
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view(row)?))
}

/// Starts a new draft version of a questionnaire (one draft at a time).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Questionnaire id")),
    request_body = DraftInput,
    responses(
        (status = CREATED, body = QuestionnaireVersionView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`DRAFT_EXISTS`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/questionnaires/{id}/versions")]
pub async fn create_draft(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let questionnaire = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    let (definition, mappings) = checked(&mut tx, &body).await?;
    let version = questionnaires::create_draft(
        &mut tx,
        questionnaire,
        &definition,
        &mappings,
        Some(principal.user_id),
    )
    .await?;
    let row = questionnaires::version(&mut tx, version)
        .await?
        .ok_or(ApiError::NotFound)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("create", "questionnaire_version", version),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(view(row)?))
}

/// Replaces a draft's questions and mappings. A published version is `VERSION_FROZEN`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Version id")),
    request_body = DraftInput,
    responses(
        (status = OK, body = QuestionnaireVersionView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`VERSION_FROZEN`", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/questionnaire-versions/{id}")]
pub async fn update_draft(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    questionnaires::version(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (definition, mappings) = checked(&mut tx, &body).await?;
    if !questionnaires::update_draft(&mut tx, id, &definition, &mappings).await? {
        return Err(frozen());
    }
    let row = questionnaires::version(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("update", "questionnaire_version", id),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view(row)?))
}

fn frozen() -> ApiError {
    ApiError::Conflict {
        code: "VERSION_FROZEN",
        detail: "A published version never changes: start a new draft instead.".into(),
    }
}

/// Publishes a draft: patients answer it from now on and the previous version is retired.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Version id")),
    responses(
        (status = OK, body = QuestionnaireVersionView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`VERSION_FROZEN`: not a draft", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/questionnaire-versions/{id}/publish")]
pub async fn publish_version(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    questionnaires::version(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !questionnaires::publish(&mut tx, id).await? {
        return Err(frozen());
    }
    let row = questionnaires::version(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("publish", "questionnaire_version", id).risk("medium"),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view(row)?))
}

/// Creates a questionnaire (platform-wide, or a clinic's own) with its first draft version.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewQuestionnaire,
    responses(
        (status = CREATED, body = QuestionnaireVersionView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/questionnaires")]
pub async fn create_questionnaire(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    body: web::Json<NewQuestionnaire>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::PlatformAdmin)?;
    let name = body.name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(ApiError::Validation(vec![FieldError {
            field: "name".into(),
            code: "length".into(),
            message: "Give the questionnaire a name (at most 200 characters).".into(),
        }]));
    }
    let mut tx = state.begin_as(&principal).await?;
    let draft = DraftInput {
        definition: body.definition.clone(),
        mappings: body.mappings.clone(),
    };
    let (definition, mappings) = checked(&mut tx, &draft).await?;
    let questionnaire = questionnaires::create_questionnaire(&mut tx, body.clinic_id, name).await?;
    let version = questionnaires::create_draft(
        &mut tx,
        questionnaire,
        &definition,
        &mappings,
        Some(principal.user_id),
    )
    .await?;
    let row = questionnaires::version(&mut tx, version)
        .await?
        .ok_or(ApiError::NotFound)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("create", "questionnaire", questionnaire),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(view(row)?))
}

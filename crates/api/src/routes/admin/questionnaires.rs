//! Questionnaire administration: versions are drafted, edited while drafts, and published;
//! a published version never changes (edits start a new draft). The use cases are in
//! `rxgate_app::admin::questionnaires`.

use actix_web::{HttpResponse, get, post, put, web};
use rxgate_api_types::Problem;
use rxgate_api_types::health::{DraftInput, NewQuestionnaire, QuestionnaireVersionView};
use rxgate_app::admin::questionnaires;
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

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
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(questionnaires::list(&state.db, &principal, &meta).await?))
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
    meta: RequestMeta,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let version = questionnaires::version(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(version))
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
    let draft =
        questionnaires::create_draft(&state.db, &principal, &meta, id.into_inner(), &body).await?;
    Ok(HttpResponse::Created().json(draft))
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
    let draft =
        questionnaires::update_draft(&state.db, &principal, &meta, id.into_inner(), &body).await?;
    Ok(HttpResponse::Ok().json(draft))
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
    let version = questionnaires::publish(&state.db, &principal, &meta, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(version))
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
    let created = questionnaires::create_questionnaire(&state.db, &principal, &meta, &body).await?;
    Ok(HttpResponse::Created().json(created))
}

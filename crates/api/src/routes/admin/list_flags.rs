use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::FlagView;
use rxgate_app::admin::rules;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// Every flag a questionnaire can raise and a rule can name (a short list: not paginated).
/// Open to clinicians and admins; patients see their own flags in their health profile.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = OK, body = Vec<FlagView>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/flags")]
pub async fn list_flags(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let rows = rules::list_flags(&state.db, &principal).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|f| FlagView {
                code: f.code,
                label: f.label,
                description: f.description,
            })
            .collect::<Vec<_>>(),
    ))
}

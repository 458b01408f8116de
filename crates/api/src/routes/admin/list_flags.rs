use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::FlagView;
use rxgate_persistence::questionnaires;

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
    if !principal.roles.iter().any(|r| r.is_staff()) {
        return Err(ApiError::Forbidden {
            code: "FORBIDDEN",
            detail: "Flags are for clinicians and administrators.".into(),
        });
    }
    let mut tx = state.begin_as(&principal).await?;
    let rows = questionnaires::flags(&mut tx).await?;
    tx.commit().await?;
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

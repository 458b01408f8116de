use actix_web::{HttpResponse, get, web};
use rxgate_api_types::Problem;
use rxgate_app::catalogue;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// A product image. Public, so `<img>` can load it; images never change (a new upload gets a
/// new id), so they are cached for a year.
#[utoipa::path(
    tag = "catalogue",
    params(("id" = Uuid, Path, description = "Image id")),
    responses(
        (status = OK, description = "The image, in the type it was uploaded as", content(
            (crate::openapi::Binary = "image/png"),
            (crate::openapi::Binary = "image/jpeg"),
            (crate::openapi::Binary = "image/webp"),
        )),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue/images/{id}")]
pub async fn get_image(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (bytes, content_type) = catalogue::image(&state.db, &*state.store, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
        .body(bytes))
}

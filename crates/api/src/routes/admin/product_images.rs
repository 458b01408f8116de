//! Product images: uploaded as the request body with their content type, checked by their
//! first bytes, kept in the object store.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::catalogue::ImageView;
use rxgate_app::catalogue_admin::{self, IMAGE_TYPES};
use uuid::Uuid;

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::routes::catalogue::image_url;
use crate::state::AppState;

/// Adds an image to a product (platform admins): PNG, JPEG or WebP, at most the API's body
/// limit (1 MiB by default), sent as the body with its `Content-Type`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body(
        description = "The image file's bytes as they are (no multipart envelope), sent with its own `Content-Type`; the server checks the bytes are that type",
        content(
            (crate::openapi::Binary = "image/png"),
            (crate::openapi::Binary = "image/jpeg"),
            (crate::openapi::Binary = "image/webp"),
        ),
    ),
    responses(
        (status = CREATED, body = ImageView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PAYLOAD_TOO_LARGE, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "The bytes are not the declared image type", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/products/{id}/images")]
pub async fn upload_image(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let declared = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !IMAGE_TYPES.contains(&declared) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let image_id = catalogue_admin::upload_image(
        &state.db,
        state.store.as_ref(),
        &principal,
        &meta,
        id.into_inner(),
        declared,
        &body,
    )
    .await?;
    Ok(HttpResponse::Created().json(ImageView {
        id: image_id,
        url: image_url(image_id),
    }))
}

/// Removes a product image (platform admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id"), ("image_id" = Uuid, Path)),
    responses(
        (status = NO_CONTENT, description = "Removed"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/admin/products/{id}/images/{image_id}")]
pub async fn delete_image(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (product_id, image_id) = path.into_inner();
    catalogue_admin::delete_image(
        &state.db,
        state.store.as_ref(),
        &principal,
        &meta,
        product_id,
        image_id,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

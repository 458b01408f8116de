//! Product images: uploaded as the request body with their content type, checked by their
//! first bytes, kept in the object store.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use rxgate_api_types::catalogue::ImageView;
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::catalogue;
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::routes::catalogue::image_url;
use crate::state::AppState;

/// The image type the bytes really are, when it is one we accept.
fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// Adds an image to a product (platform admins): PNG, JPEG or WebP, at most the API's body
/// limit (1 MiB by default), sent as the body with its `Content-Type`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body(content = Vec<u8>, content_type = "image/png", description = "Also image/jpeg or image/webp"),
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
    principal.require(Role::PlatformAdmin)?;
    let product_id = id.into_inner();
    let declared = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !["image/png", "image/jpeg", "image/webp"].contains(&declared.as_str()) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let Some((content_type, ext)) = sniff(&body).filter(|(t, _)| *t == declared) else {
        return Err(ApiError::Validation(vec![FieldError {
            field: "body".into(),
            code: "image".into(),
            message: format!("The file is not a {declared} image."),
        }]));
    };
    let mut tx = state.begin_as(&principal).await?;
    if !catalogue::product_exists(&mut tx, product_id).await? {
        return Err(ApiError::NotFound);
    }
    let key = format!("{}.{ext}", Uuid::now_v7().simple());
    let size = i32::try_from(body.len()).map_err(ApiError::internal)?;
    let image_id = catalogue::insert_image(&mut tx, product_id, &key, content_type, size).await?;
    // Written before the commit: a failed commit leaves an unreferenced file, never a row
    // without its file.
    state
        .store
        .put(&key, &body, content_type)
        .await
        .map_err(ApiError::internal)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("upload", "product_image", image_id)
            .details(serde_json::json!({ "product_id": product_id, "bytes": size })),
    )
    .await?;
    tx.commit().await?;
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
    principal.require(Role::PlatformAdmin)?;
    let (product_id, image_id) = path.into_inner();
    let mut tx = state.begin_as(&principal).await?;
    let key = catalogue::delete_image(&mut tx, product_id, image_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("delete", "product_image", image_id),
    )
    .await?;
    tx.commit().await?;
    if let Err(e) = state.store.delete(&key).await {
        tracing::warn!(error = %e, "an image file could not be removed");
    }
    Ok(HttpResponse::NoContent().finish())
}

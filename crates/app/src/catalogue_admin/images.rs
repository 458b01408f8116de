//! Product images (platform admins): checked by their first bytes, kept in the object store.

use rxgate_api_types::FieldError;
use rxgate_domain::identity::Role;
use rxgate_integrations::storage::ObjectStore;
use rxgate_persistence::Db;
use rxgate_persistence::catalogue;
use uuid::Uuid;

use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// The media types a product image may be declared as.
pub const IMAGE_TYPES: [&str; 3] = ["image/png", "image/jpeg", "image/webp"];

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

/// Adds an image to a product. `declared` is the media type it was sent as (one of
/// [`IMAGE_TYPES`]); bytes that are not that type are refused. Returns the image's id.
pub async fn upload_image(
    db: &Db,
    store: &dyn ObjectStore,
    actor: &Actor,
    facts: &RequestFacts,
    product_id: Uuid,
    declared: &str,
    bytes: &[u8],
) -> Result<Uuid, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let Some((content_type, ext)) = sniff(bytes).filter(|(t, _)| *t == declared) else {
        return Err(AppError::Validation(vec![FieldError {
            field: "body".into(),
            code: "image".into(),
            message: format!("The file is not a {declared} image."),
        }]));
    };
    let mut tx = Work::begin(db, actor, facts).await?;
    if !catalogue::product_exists(&mut tx, product_id).await? {
        return Err(AppError::NotFound);
    }
    let key = format!("{}.{ext}", Uuid::now_v7().simple());
    let size = i32::try_from(bytes.len()).map_err(AppError::internal)?;
    let image_id = catalogue::insert_image(&mut tx, product_id, &key, content_type, size).await?;
    // Written before the commit: a failed commit leaves an unreferenced file, never a row
    // without its file.
    store
        .put(&key, bytes, content_type)
        .await
        .map_err(AppError::internal)?;
    tx.record(
        Event::new("upload", "product_image", image_id)
            .details(serde_json::json!({ "product_id": product_id, "bytes": size })),
    )
    .await?;
    tx.commit().await?;
    Ok(image_id)
}

/// Removes a product image. The file goes after the commit; a file that cannot be removed is
/// logged, not an error (nothing refers to it any more).
pub async fn delete_image(
    db: &Db,
    store: &dyn ObjectStore,
    actor: &Actor,
    facts: &RequestFacts,
    product_id: Uuid,
    image_id: Uuid,
) -> Result<(), AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut tx = Work::begin(db, actor, facts).await?;
    let key = catalogue::delete_image(&mut tx, product_id, image_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.record(Event::new("delete", "product_image", image_id))
        .await?;
    tx.commit().await?;
    if let Err(e) = store.delete(&key).await {
        tracing::warn!(error = %e, "an image file could not be removed");
    }
    Ok(())
}

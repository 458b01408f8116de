//! The catalogue as patients and staff see it: one page of products with the caller's prices
//! and, for patients, whether they may buy each one (C3, C7). Cart and checkout will read
//! products through the same [`Viewer`].

use rxgate_domain::identity::Role;
use rxgate_domain::ids::{ClinicId, DoctorId, PatientId, ProductId};
use rxgate_persistence::Db;
use rxgate_persistence::catalogue::{self, CatalogueCursor, CatalogueSort, ProductRow, VariantRow};
use rxgate_persistence::pagination::finish_page;
use uuid::Uuid;

use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// Whose catalogue the caller sees: a patient their clinic's selection with their eligibility;
/// staff their clinic's (or, for platform admins, any clinic's or the whole master catalogue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub clinic_id: Option<ClinicId>,
    pub patient_id: Option<PatientId>,
    pub clinician: bool,
    pub include_inactive: bool,
    /// With a clinic: the whole master catalogue, marked with what the clinic sells.
    pub whole_catalogue: bool,
}

impl Viewer {
    /// A patient who belongs to no clinic. The patient role comes from a clinic membership, so
    /// this is a guard: without a clinic the catalogue query would not be limited to one
    /// clinic's selection, so such a patient gets an empty catalogue and 404 for every product.
    pub fn without_shop(&self) -> bool {
        self.patient_id.is_some() && self.clinic_id.is_none()
    }

    /// The viewer for `actor` in the clinic the request names (`requested_clinic`, else the
    /// `X-Rxgate-Clinic` header, else the caller's only clinic).
    pub fn of(actor: &Actor, requested_clinic: Option<Uuid>, all: bool) -> Result<Self, AppError> {
        let staff = actor.roles.iter().any(|r| r.is_staff());
        if !staff {
            actor.require(Role::Patient)?;
            return Ok(Self {
                clinic_id: actor
                    .acting_clinic(Role::Patient, requested_clinic)?
                    .map(ClinicId::from),
                patient_id: Some(PatientId::from(actor.user_id)),
                clinician: false,
                include_inactive: false,
                whole_catalogue: false,
            });
        }
        let admin = actor.has(Role::PlatformAdmin);
        let clinic_id = match requested_clinic.or(actor.requested_clinic) {
            Some(c) if admin => Some(c),
            None if admin => None,
            requested => actor.acting_clinic_any_role(requested)?,
        };
        Ok(Self {
            clinic_id: clinic_id.map(ClinicId::from),
            patient_id: None,
            clinician: true,
            include_inactive: admin,
            whole_catalogue: all && clinic_id.is_some(),
        })
    }
}

/// What a catalogue page asks for.
#[derive(Debug, Clone)]
pub struct Browse {
    pub clinic_id: Option<Uuid>,
    /// Staff with a clinic: the whole master catalogue, marked with the clinic's selection.
    pub all: bool,
    pub search: Option<String>,
    pub category: Option<String>,
    pub requires_prescription: Option<bool>,
    pub sort: CatalogueSort,
    pub after: Option<CatalogueCursor>,
    pub limit: i64,
}

/// One page and who saw it.
#[derive(Debug, Clone)]
pub struct Page {
    pub viewer: Viewer,
    pub rows: Vec<ProductRow>,
    pub next_cursor: Option<String>,
}

/// One page of the catalogue in one statement (prices and eligibility included). A patient's
/// page is a read of their health flags, so it is audited.
pub async fn browse(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    request: Browse,
) -> Result<Page, AppError> {
    let viewer = Viewer::of(actor, request.clinic_id, request.all)?;
    if viewer.without_shop() {
        return Ok(Page {
            viewer,
            rows: Vec::new(),
            next_cursor: None,
        });
    }
    // The page shows eligibility, a read of the patient's health flags: the event is known
    // now and travels with the transaction's first round trip (it rolls back with a failure).
    let event = viewer.patient_id.map(|patient| {
        Event::new("read_eligibility", "patient", patient).in_clinic(viewer.clinic_id)
    });
    let mut tx = Work::begin_reading(db, actor, facts, event).await?;
    let rows = catalogue::page(
        &mut tx,
        &catalogue::CatalogueQuery {
            clinic_id: viewer.clinic_id,
            patient_id: viewer.patient_id,
            search: request.search,
            category: request.category,
            requires_prescription: request.requires_prescription,
            include_inactive: viewer.include_inactive,
            whole_catalogue: viewer.whole_catalogue,
            sort: request.sort,
            after: request.after,
            limit: request.limit,
        },
    )
    .await?;
    tx.commit().await?;
    let sort = request.sort;
    let (rows, next_cursor) = finish_page(rows, request.limit, |r| r.cursor(sort).encode());
    Ok(Page {
        viewer,
        rows,
        next_cursor,
    })
}

/// One product with its variants, as the caller sees it.
#[derive(Debug, Clone)]
pub struct ProductPage {
    pub viewer: Viewer,
    pub product: ProductRow,
    /// Inactive variants only for those who see inactive products.
    pub variants: Vec<VariantRow>,
}

/// One product of the caller's catalogue (404 when their clinic does not sell it).
pub async fn product(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    id: ProductId,
    requested_clinic: Option<Uuid>,
) -> Result<ProductPage, AppError> {
    let viewer = Viewer::of(actor, requested_clinic, true)?;
    if viewer.without_shop() {
        return Err(AppError::NotFound);
    }
    // As for a page: the read of the patient's flags is recorded in the first round trip, and
    // rolls back with the transaction when the product is not theirs to see (404).
    let event = viewer.patient_id.map(|patient| {
        Event::new("read_eligibility", "patient", patient)
            .in_clinic(viewer.clinic_id)
            .details(serde_json::json!({ "product_id": id }))
    });
    let mut tx = Work::begin_reading(db, actor, facts, event).await?;
    let product = catalogue::product(
        &mut tx,
        id,
        viewer.clinic_id,
        viewer.patient_id,
        viewer.include_inactive,
        viewer.whole_catalogue,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let doctor = actor
        .has(Role::Doctor)
        .then_some(DoctorId::from(actor.user_id));
    let variants = catalogue::variants(&mut tx, id, viewer.clinic_id, viewer.patient_id, doctor)
        .await?
        .into_iter()
        .filter(|v| v.active || viewer.include_inactive)
        .collect();
    tx.commit().await?;
    Ok(ProductPage {
        viewer,
        product,
        variants,
    })
}

/// A product image's bytes and content type. Images are public (an `<img>` loads them without
/// a token), so this reads as an anonymous caller.
pub async fn image(
    db: &Db,
    store: &dyn rxgate_integrations::storage::ObjectStore,
    id: Uuid,
) -> Result<(Vec<u8>, String), AppError> {
    let mut tx = db
        .begin(&rxgate_persistence::RlsContext::anonymous(None))
        .await?;
    let (key, content_type) = catalogue::image(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let bytes = store
        .get(&key)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound)?;
    Ok((bytes, content_type))
}

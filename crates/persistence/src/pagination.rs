//! Keyset pagination: a cursor is the sort key of the last row of the previous page, so pages
//! stay stable while rows are added and every page costs one index range scan.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::RepoError;

/// Position after a row sorted by `(created_at DESC, id DESC)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl TimeCursor {
    /// Opaque, URL-safe form: `<microseconds since epoch>.<uuid>`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.at.timestamp_micros(), self.id.simple())
    }

    pub fn decode(raw: &str) -> Result<Self, RepoError> {
        let (micros, id) = raw.split_once('.').ok_or(RepoError::InvalidCursor)?;
        let micros: i64 = micros.parse().map_err(|_| RepoError::InvalidCursor)?;
        let at = DateTime::<Utc>::from_timestamp_micros(micros).ok_or(RepoError::InvalidCursor)?;
        let id = Uuid::parse_str(id).map_err(|_| RepoError::InvalidCursor)?;
        Ok(Self { at, id })
    }
}

/// Position after a row sorted by `(name, id)`, for lists of people by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameCursor {
    pub name: String,
    pub id: Uuid,
}

impl NameCursor {
    pub fn encode(&self) -> String {
        crate::catalogue::CatalogueCursor {
            name: Some(self.name.clone()),
            price: None,
            id: self.id,
        }
        .encode()
    }

    /// The cursor from its opaque form, as the `(name, id)` pair queries take.
    pub fn decode(raw: &str) -> Result<(String, Uuid), RepoError> {
        let c =
            crate::catalogue::CatalogueCursor::decode(raw, crate::catalogue::CatalogueSort::Name)?;
        Ok((c.name.ok_or(RepoError::InvalidCursor)?, c.id))
    }
}

/// A page size clamped to what one request may ask for.
pub fn page_size(requested: Option<u32>) -> i64 {
    i64::from(requested.unwrap_or(50).clamp(1, 200))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips() {
        let c = TimeCursor {
            at: DateTime::<Utc>::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(TimeCursor::decode(&c.encode()).unwrap(), c);
    }

    #[test]
    fn garbage_cursors_are_rejected() {
        for raw in [
            "",
            "abc",
            "1.2",
            "x.0192f5a0-0000-7000-8000-000000000000",
            "1",
        ] {
            assert!(TimeCursor::decode(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(page_size(None), 50);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(10_000)), 200);
    }
}

/// Turns `limit + 1` fetched rows into a page: keeps `limit` rows and, when there were more,
/// the cursor of the last row kept. Fetching one extra row answers "is there a next page?"
/// without a count query.
pub fn finish_page<T>(
    mut rows: Vec<T>,
    limit: i64,
    cursor_of: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(cursor_of);
        (rows, next)
    } else {
        (rows, None)
    }
}

#[cfg(test)]
mod page_tests {
    use super::finish_page;

    #[test]
    fn an_extra_row_means_a_next_page() {
        assert_eq!(
            finish_page(vec![1, 2, 3], 2, |n| n.to_string()),
            (vec![1, 2], Some("2".into()))
        );
        assert_eq!(
            finish_page(vec![1, 2], 2, |n| n.to_string()),
            (vec![1, 2], None)
        );
        assert_eq!(
            finish_page(Vec::<i32>::new(), 2, |n| n.to_string()),
            (vec![], None)
        );
    }
}

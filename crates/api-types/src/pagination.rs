//! Cursor pagination shared by every list endpoint.

use serde::{Deserialize, Deserializer, Serialize};

/// One page of a list. `next_cursor` is opaque; pass it back as `cursor` for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CursorPage<T> {
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Query parameters of every cursor-paginated list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default, deserialize_with = "limit")]
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
}

/// The smallest and largest page a list answers.
pub const LIMIT_RANGE: std::ops::RangeInclusive<u32> = 1..=200;

/// Reads a list's `limit`, refusing one outside [`LIMIT_RANGE`]: the query extractor answers
/// `400 INVALID_QUERY` naming it rather than quietly serving another page size. Use with
/// `#[serde(default, deserialize_with = "limit")]`.
pub fn limit<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    let value = Option::<u32>::deserialize(deserializer)?;
    match value {
        Some(n) if !LIMIT_RANGE.contains(&n) => Err(serde::de::Error::custom(format!(
            "limit must be {} to {}, not {n}",
            LIMIT_RANGE.start(),
            LIMIT_RANGE.end()
        ))),
        other => Ok(other),
    }
}

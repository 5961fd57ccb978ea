//! Keyset paging, the one way every list pages: `?limit=&cursor=` ([`PageQuery`]), one opaque
//! cursor codec for every kind of position ([`Position`]: an id, `(time, id)`, `(rank, time, id)`),
//! and [`cut`], which turns the `limit + 1` rows a query fetched into a page and its next cursor.
//!
//! A cursor is `TAG:n:n…` in URL-safe base64 without padding, its numbers the position's parts
//! (instants as microseconds). It is not a secret, only opaque: a forged one either names a
//! position (and pages from there, seeing nothing the caller may not see) or is refused with 400.
//! Instants outside the years the API accepts are refused, so a forged cursor cannot bring the
//! database an instant it cannot hold (PostgreSQL's start in 4713 BC, chrono's earlier).

use crate::error::{ApiError, ApiResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike, Utc};
use domain::api::Page;
use domain::problems::Problem;
use serde::Deserialize;

/// The page size when none is asked for.
pub const DEFAULT_LIMIT: u64 = 50;
/// The largest page.
pub const MAX_LIMIT: u64 = 500;

/// `?limit=&cursor=` of every list. Filters repeat these two fields rather than use
/// `#[serde(flatten)]`, which loses the types of query-string values.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size: 50 by default, at most 500.
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The two paging fields of a list's filter.
    pub fn of(limit: Option<u64>, cursor: Option<&String>) -> PageQuery {
        PageQuery { limit, cursor: cursor.cloned() }
    }

    /// The page size: [`DEFAULT_LIMIT`], at most [`MAX_LIMIT`].
    pub fn limit(&self) -> ApiResult<u64> {
        limit(self.limit)
    }

    /// The id (or sequence number) the cursor says the page starts after.
    pub fn after(&self) -> ApiResult<Option<i64>> {
        self.after_position()
    }

    /// The position the cursor says the page starts after.
    pub fn after_position<P: Position>(&self) -> ApiResult<Option<P>> {
        self.cursor.as_deref().map(decode).transpose()
    }
}

/// A page size asked for: [`DEFAULT_LIMIT`] when none, 1..=[`MAX_LIMIT`], else `out_of_range`.
pub fn limit(asked: Option<u64>) -> ApiResult<u64> {
    match asked {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field("limit", Problem::OutOfRange)),
    }
}

/// A keyset position a cursor can carry.
pub trait Position: Sized {
    /// Tells the kinds of position apart (a cursor of one list is no position of another kind).
    const TAG: &'static str;
    fn parts(&self) -> Vec<i64>;
    fn from_parts(parts: &[i64]) -> Option<Self>;
}

/// An id or sequence number.
impl Position for i64 {
    const TAG: &'static str = "k";
    fn parts(&self) -> Vec<i64> {
        vec![*self]
    }
    fn from_parts(parts: &[i64]) -> Option<i64> {
        match parts {
            [id] => Some(*id),
            _ => None,
        }
    }
}

/// A time and an id (cases by call time, sheets by call time).
impl Position for (DateTime<Utc>, i64) {
    const TAG: &'static str = "t";
    fn parts(&self) -> Vec<i64> {
        vec![self.0.timestamp_micros(), self.1]
    }
    fn from_parts(parts: &[i64]) -> Option<Self> {
        match parts {
            [micros, id] => Some((instant(*micros)?, *id)),
            _ => None,
        }
    }
}

/// A rank, a time and an id (follow-ups: overdue first, then by due time).
impl Position for (i64, DateTime<Utc>, i64) {
    const TAG: &'static str = "f";
    fn parts(&self) -> Vec<i64> {
        vec![self.0, self.1.timestamp_micros(), self.2]
    }
    fn from_parts(parts: &[i64]) -> Option<Self> {
        match parts {
            [rank, micros, id] => Some((*rank, instant(*micros)?, *id)),
            _ => None,
        }
    }
}

/// The instant of a cursor's microseconds, or `None` outside the years the API accepts
/// ([`domain::dates::MIN_YEAR`]..=[`domain::dates::MAX_YEAR`]).
fn instant(micros: i64) -> Option<DateTime<Utc>> {
    let at = DateTime::from_timestamp_micros(micros)?;
    (domain::dates::MIN_YEAR..=domain::dates::MAX_YEAR).contains(&at.year()).then_some(at)
}

/// The opaque cursor of a position.
pub fn encode<P: Position>(position: &P) -> String {
    let mut text = P::TAG.to_owned();
    for part in position.parts() {
        text.push(':');
        text.push_str(&part.to_string());
    }
    URL_SAFE_NO_PAD.encode(text)
}

/// The position of a cursor, or 400 `invalid cursor`.
pub fn decode<P: Position>(text: &str) -> ApiResult<P> {
    decoded(text).ok_or_else(|| ApiError::BadRequest("invalid cursor".into()))
}

fn decoded<P: Position>(text: &str) -> Option<P> {
    // The longest cursor is a tag and three 20-digit numbers; anything longer is not one.
    if text.len() > 128 {
        return None;
    }
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
    let rest = text.strip_prefix(P::TAG)?.strip_prefix(':')?;
    let parts = rest.split(':').map(|p| p.parse::<i64>().ok()).collect::<Option<Vec<i64>>>()?;
    P::from_parts(&parts)
}

/// The rows of one page (at most `limit`) and the cursor of the next, if there is one.
#[derive(Debug)]
pub struct Cut<R> {
    pub rows: Vec<R>,
    pub next_cursor: Option<String>,
}

impl<R> Cut<R> {
    /// The page, each row made an item.
    pub fn page<T>(self, item: impl FnMut(R) -> T) -> Page<T> {
        Page { items: self.rows.into_iter().map(item).collect(), next_cursor: self.next_cursor }
    }

    /// The page of the rows themselves.
    pub fn into_page(self) -> Page<R> {
        Page { items: self.rows, next_cursor: self.next_cursor }
    }
}

/// The `limit + 1` rows a query fetched as a page of at most `limit`: when there were more, the
/// next cursor is the position of the page's last row.
pub fn cut<R, P: Position>(mut rows: Vec<R>, limit: u64, position: impl FnOnce(&R) -> P) -> Cut<R> {
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more { rows.last().map(|last| encode(&position(last))) } else { None };
    Cut { rows, next_cursor }
}

/// [`cut`] where reading a row's position may fail (raw rows).
pub fn try_cut<R, P: Position>(
    mut rows: Vec<R>,
    limit: u64,
    position: impl FnOnce(&R) -> ApiResult<P>,
) -> ApiResult<Cut<R>> {
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = match rows.last() {
        Some(last) if more => Some(encode(&position(last)?)),
        _ => None,
    };
    Ok(Cut { rows, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_position_round_trips() {
        let at = DateTime::from_timestamp_micros(1_665_619_200_123_456).unwrap();
        assert_eq!(decode::<i64>(&encode(&42i64)).unwrap(), 42);
        assert_eq!(decode::<(DateTime<Utc>, i64)>(&encode(&(at, 7i64))).unwrap(), (at, 7));
        assert_eq!(decode::<(i64, DateTime<Utc>, i64)>(&encode(&(1i64, at, 9i64))).unwrap(), (1, at, 9));
    }

    #[test]
    fn garbage_and_other_kinds_are_refused() {
        assert!(decode::<i64>("not-a-cursor").is_err());
        assert!(decode::<i64>(&URL_SAFE_NO_PAD.encode("k:x")).is_err());
        assert!(decode::<i64>(&URL_SAFE_NO_PAD.encode("k:1:2")).is_err());
        assert!(decode::<i64>(&URL_SAFE_NO_PAD.encode("k:")).is_err());
        assert!(decode::<(DateTime<Utc>, i64)>(&encode(&5i64)).is_err());
        assert!(decode::<i64>(&"A".repeat(200)).is_err());
    }

    #[test]
    fn cursor_instants_keep_to_the_api_years() {
        assert!(instant(0).is_some());
        assert!(instant(Utc::now().timestamp_micros()).is_some());
        assert_eq!(instant(-377_705_116_800_000_000), None);
        assert_eq!(instant(i64::MIN), None);
        assert_eq!(instant(253_402_300_800_000_000), None); // 10000-01-01
        let forged = URL_SAFE_NO_PAD.encode("t:-377705116800000000:1");
        assert!(decode::<(DateTime<Utc>, i64)>(&forged).is_err());
    }

    #[test]
    fn limits_default_and_cap() {
        assert_eq!(PageQuery::default().limit().unwrap(), DEFAULT_LIMIT);
        assert!(limit(Some(MAX_LIMIT + 1)).is_err());
        assert!(limit(Some(0)).is_err());
    }

    #[test]
    fn a_cut_keeps_the_limit_and_points_past_its_last_row() {
        let page = cut(vec![1i64, 2, 3], 2, |r| *r).into_page();
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(decode::<i64>(page.next_cursor.as_deref().unwrap()).unwrap(), 2);
        let last = cut(vec![1i64, 2], 2, |r| *r);
        assert_eq!((last.rows.len(), last.next_cursor), (2, None));
    }
}

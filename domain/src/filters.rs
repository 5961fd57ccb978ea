//! What every list's filter shares: the `deserialize_with` helpers of its fields, so a filter
//! struct in `domain` (one per list, with `IntoParams` under `openapi`) reads the query string as
//! the API documents it. A value of the right kind but outside its range or its words is a field
//! problem (422 naming the parameter: `out_of_range`, `unknown_status`, …). An empty word
//! (`status=`) is no filter in the case lists (`opt_word`) and unknown in the others
//! (`opt_exact_word`), as each list has always read it.

use crate::problems::Problem;

/// A word a filter accepts, and the problem a word it does not know is.
pub trait FilterWord: Sized {
    /// The problem of a word that names none of the values.
    const UNKNOWN: Problem;
    /// The value a query-string word names.
    fn from_word(word: &str) -> Option<Self>;
}

/// The `deserialize_with` helpers (`#[serde(default, deserialize_with = "…")]`).
pub mod de {
    use super::FilterWord;
    use crate::problems::Problem;
    use crate::validation::field_problem;
    use serde::{Deserialize, Deserializer};

    /// An optional id: an integer that fits an `i32` key; a larger one is `out_of_range`.
    pub fn opt_id<'de, D: Deserializer<'de>>(de: D) -> Result<Option<i32>, D::Error> {
        match Option::<i64>::deserialize(de)? {
            Some(id) => i32::try_from(id)
                .map(Some)
                .map_err(|_| serde::de::Error::custom(field_problem(Problem::OutOfRange.as_str()))),
            None => Ok(None),
        }
    }

    /// An optional word of `T` (empty is none); one `T` does not know is `T::UNKNOWN`.
    pub fn opt_word<'de, D: Deserializer<'de>, T: FilterWord>(de: D) -> Result<Option<T>, D::Error> {
        match Option::<String>::deserialize(de)? {
            Some(word) if !word.is_empty() => known(&word).map(Some),
            _ => Ok(None),
        }
    }

    /// An optional word of `T` that, when given, must name a value (empty too is `T::UNKNOWN`).
    pub fn opt_exact_word<'de, D: Deserializer<'de>, T: FilterWord>(de: D) -> Result<Option<T>, D::Error> {
        Option::<String>::deserialize(de)?.map(|word| known(&word)).transpose()
    }

    fn known<T: FilterWord, E: serde::de::Error>(word: &str) -> Result<T, E> {
        T::from_word(word).ok_or_else(|| E::custom(field_problem(T::UNKNOWN.as_str())))
    }
}

/// Words read exactly as stored (`pending`, not `Pending`), and the problem an unknown one is.
macro_rules! stored_words {
    ($($problem:ident: $($ty:ty),+;)+) => {
        $($(impl FilterWord for $ty {
            const UNKNOWN: Problem = Problem::$problem;
            fn from_word(word: &str) -> Option<Self> {
                word.parse().ok()
            }
        })+)+
    };
}

stored_words! {
    UnknownStatus: crate::cases::CaseStatus, crate::cases::FollowupStatus, crate::scoring::EvaluationStatus,
        crate::scoring::FormStatus, crate::scoring::AssignmentStatus, crate::scoring::CalibrationStatus,
        crate::mail::MailStatus, crate::promises::PromiseStatus;
    UnknownKind: crate::mail::MailKind, crate::documents::DocKind;
    UnknownRole: crate::permissions::Role;
}

/// Services as people and exports write them (`CT0`, `CT-0`).
impl FilterWord for crate::cases::Service {
    const UNKNOWN: Problem = Problem::UnknownService;
    fn from_word(word: &str) -> Option<Self> {
        Self::parse(word)
    }
}

/// Buckets as people write them (`N1`, `N+1`).
impl FilterWord for crate::cases::Bucket {
    const UNKNOWN: Problem = Problem::UnknownBucket;
    fn from_word(word: &str) -> Option<Self> {
        Self::parse(word)
    }
}

#[cfg(test)]
mod tests {
    use crate::cases::{Bucket, CaseStatus};
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Filter {
        #[serde(default, deserialize_with = "super::de::opt_id")]
        agent_id: Option<i32>,
        #[serde(default, deserialize_with = "super::de::opt_word")]
        status: Option<CaseStatus>,
        #[serde(default, deserialize_with = "super::de::opt_word")]
        bucket: Option<Bucket>,
    }

    fn read(json: &str) -> Result<Filter, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn filters_read_ids_and_words_and_name_what_they_refuse() {
        let ok = read(r#"{"agent_id": 7, "status": "pending", "bucket": "N+1"}"#).unwrap();
        assert_eq!((ok.agent_id, ok.status, ok.bucket), (Some(7), Some(CaseStatus::Pending), Some(Bucket::N1)));
        let empty = read(r#"{"status": ""}"#).unwrap();
        assert_eq!((empty.agent_id, empty.status, empty.bucket), (None, None, None));
        assert!(read(r#"{"agent_id": 2147483648}"#).unwrap_err().contains("field_problem:out_of_range"));
        assert!(read(r#"{"status": "done"}"#).unwrap_err().contains("field_problem:unknown_status"));
        assert!(read(r#"{"bucket": "N9"}"#).unwrap_err().contains("field_problem:unknown_bucket"));
    }
}

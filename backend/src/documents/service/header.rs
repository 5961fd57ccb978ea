//! The header block a controlled form carries on paper, read from the register: the form's
//! title, its *Kode Dokumen* with the revision, the revision number and its *Tanggal Berlaku* —
//! of the revision in force at the instant the record was made, so a later revision of the form
//! never rewrites an earlier record's header.

use crate::error::ApiResult;
use chrono::{DateTime, Utc};
use domain::dates::Date;
use domain::documents::RevisionStatus;
use entity::{documents, revisions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder};

/// What the header block shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FormHeader {
    /// The register code without the revision (`OB.IN.QCC.TELK.F-18`).
    pub code: String,
    /// The revision's title, else the register's, else `fallback_title`.
    pub title: String,
    /// The revision in force, if one was.
    pub rev: Option<i32>,
    /// Its effective day (`YYYY-MM-DD`).
    pub effective_date: Option<String>,
}

impl FormHeader {
    /// `OB.IN.QCC.TELK.F-18.Rev.00`, or the bare code when no revision was in force.
    pub fn document_code(&self) -> String {
        match self.rev {
            Some(rev) => format!("{}.Rev.{rev:02}", self.code),
            None => self.code.clone(),
        }
    }

    /// `00`, or a dash.
    pub fn revision(&self) -> String {
        self.rev.map(|rev| format!("{rev:02}")).unwrap_or_else(|| "–".into())
    }

    /// `13 Oktober 2022`, as the paper forms write it, or a dash.
    pub fn effective_words(&self) -> String {
        match self.effective_date.as_deref().and_then(Date::parse) {
            Some(d) => format!("{} {} {}", d.day, domain::indonesian::MONTHS[d.month as usize - 1], d.year),
            None => "–".into(),
        }
    }

    /// The label / value rows of the block, in the order the SOP's headers print them.
    pub fn rows(&self) -> [(&'static str, String); 3] {
        [
            ("Kode Dokumen / Document code", self.document_code()),
            ("Revisi / Revision", self.revision()),
            ("Tanggal Berlaku / Effective date", self.effective_words()),
        ]
    }
}

/// The header of the form `code` as it stood at `at`: the published revision in force then
/// (effective from its instant until superseded).
pub async fn form_header(
    db: &impl ConnectionTrait,
    code: &str,
    at: DateTime<Utc>,
    fallback_title: &str,
) -> ApiResult<FormHeader> {
    let Some(document) = documents::Entity::find().filter(documents::Column::Code.eq(code)).one(db).await? else {
        return Ok(FormHeader { code: code.into(), title: fallback_title.into(), rev: None, effective_date: None });
    };
    let revision = revisions::Entity::find()
        .filter(revisions::Column::DocumentId.eq(document.id))
        .filter(revisions::Column::Status.is_in([RevisionStatus::Effective, RevisionStatus::Superseded]))
        .filter(revisions::Column::EffectiveAt.lte(at))
        .filter(revisions::Column::SupersededAt.is_null().or(revisions::Column::SupersededAt.gt(at)))
        .order_by_desc(revisions::Column::EffectiveAt)
        .order_by_desc(revisions::Column::Rev)
        .one(db)
        .await?;
    Ok(match revision {
        Some(r) => {
            FormHeader { code: document.code, title: r.title, rev: Some(r.rev), effective_date: r.effective_date }
        }
        None => FormHeader { code: document.code, title: document.title, rev: None, effective_date: None },
    })
}

/// Every published revision of a form, read once, to head many records made at different
/// instants (a period's sheets) without a query each.
pub struct FormHistory {
    document: Option<(String, String)>,
    fallback_title: String,
    code: String,
    revisions: Vec<revisions::Model>,
}

impl FormHistory {
    pub async fn read(db: &impl ConnectionTrait, code: &str, fallback_title: &str) -> ApiResult<FormHistory> {
        let document = documents::Entity::find().filter(documents::Column::Code.eq(code)).one(db).await?;
        let revisions = match &document {
            Some(d) => {
                revisions::Entity::find()
                    .filter(revisions::Column::DocumentId.eq(d.id))
                    .filter(revisions::Column::Status.is_in([RevisionStatus::Effective, RevisionStatus::Superseded]))
                    .order_by_desc(revisions::Column::EffectiveAt)
                    .order_by_desc(revisions::Column::Rev)
                    .all(db)
                    .await?
            }
            None => Vec::new(),
        };
        Ok(FormHistory {
            document: document.map(|d| (d.code, d.title)),
            fallback_title: fallback_title.into(),
            code: code.into(),
            revisions,
        })
    }

    /// The header as it stood at `at` (as [`form_header`] reads it).
    pub fn at(&self, at: DateTime<Utc>) -> FormHeader {
        let Some((code, title)) = &self.document else {
            return FormHeader {
                code: self.code.clone(),
                title: self.fallback_title.clone(),
                rev: None,
                effective_date: None,
            };
        };
        let in_force = self
            .revisions
            .iter()
            .find(|r| r.effective_at.is_some_and(|from| from <= at) && r.superseded_at.is_none_or(|until| until > at));
        match in_force {
            Some(r) => FormHeader {
                code: code.clone(),
                title: r.title.clone(),
                rev: Some(r.rev),
                effective_date: r.effective_date.clone(),
            },
            None => FormHeader { code: code.clone(), title: title.clone(), rev: None, effective_date: None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_reads_as_the_paper_form() {
        let header = FormHeader {
            code: "OB.IN.QCC.TELK.F-18".into(),
            title: "STANDAR PENILAIAN PARAMETER".into(),
            rev: Some(1),
            effective_date: Some("2022-10-13".into()),
        };
        assert_eq!(header.document_code(), "OB.IN.QCC.TELK.F-18.Rev.01");
        assert_eq!(header.revision(), "01");
        assert_eq!(header.effective_words(), "13 Oktober 2022");
        let none = FormHeader { rev: None, effective_date: None, ..header };
        assert_eq!(none.document_code(), "OB.IN.QCC.TELK.F-18");
        assert_eq!((none.revision().as_str(), none.effective_words().as_str()), ("–", "–"));
    }
}

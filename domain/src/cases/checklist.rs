//! The wording of the W-04 tapping checklist: its fixed items, their default labels in both
//! languages, the check of labels the QRD coordinator edits, and the wording's versions (W-04 is
//! a controlled document: its wording changes only by a new version the QC coordinator signs).

use crate::permissions::Role;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The keys of the W-04 checklist items, in the order they are shown.
pub const CHECKLIST_KEYS: [&str; 4] =
    ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"];

/// The longest label of a checklist item, in characters.
pub const CHECKLIST_LABEL_MAX: usize = 200;

/// The wording of one W-04 checklist item, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    /// One of [`CHECKLIST_KEYS`].
    pub key: String,
    pub label_id: String,
    pub label_en: String,
}

/// `GET`/`PUT /api/cases/checklist`: the wording of the W-04 checklist, edited by the QRD
/// coordinator. The items themselves (the keys) are fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistLabels {
    pub items: Vec<ChecklistItem>,
}

impl Default for ChecklistLabels {
    fn default() -> Self {
        let item =
            |key: &str, id: &str, en: &str| ChecklistItem { key: key.into(), label_id: id.into(), label_en: en.into() };
        ChecklistLabels {
            items: vec![
                item("identity_verified", "Identitas pelanggan diverifikasi", "Customer identity verified"),
                item(
                    "amount_and_date_correct",
                    "Nominal dan tanggal bayar disampaikan dengan benar",
                    "Amount and payment date stated correctly",
                ),
                item("explicit_agreement", "Pelanggan menyatakan setuju secara tegas", "Customer agreed explicitly"),
                item("reason_matches", "Reason yang diinput sesuai isi percakapan", "Reason entered matches the call"),
            ],
        }
    }
}

/// A version of the W-04 checklist wording: `GET /api/cases/checklist` answers the one in force
/// (the highest), `GET /api/cases/checklist/versions` all of them, newest first. Versions are
/// never changed once made; a validation names the version it was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistVersion {
    /// 1, 2, …
    pub version: i64,
    /// Every item's wording in both languages, in the order of [`CHECKLIST_KEYS`].
    pub items: Vec<ChecklistItem>,
    /// Who signed it: `None` for version 1 as it was carried over when wording versions began
    /// (the wording in use then, or the defaults), which nobody signed.
    pub signed_by: Option<i64>,
    /// The signer's name and role as they were when they signed.
    pub signer_name: Option<String>,
    pub signer_role: Option<Role>,
    /// When it was signed (for version 1: when versions began).
    pub signed_at: String,
    /// Why the wording changed.
    pub reason: String,
}

impl ChecklistVersion {
    pub fn labels(&self) -> ChecklistLabels {
        ChecklistLabels { items: self.items.clone() }
    }
}

/// `PUT /api/cases/checklist` (the QC coordinator): new wording, signed with the password, which
/// becomes the next version.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistChange {
    pub items: Vec<ChecklistItem>,
    /// Why the wording changes (required; kept with the version and in the audit entry).
    pub reason: String,
    /// The signer's password, entered again.
    pub password: String,
    /// The version the coordinator edited: when another one is in force by now, 409
    /// `checklist_changed` (nothing is saved).
    #[serde(default)]
    pub version: Option<i64>,
}

impl fmt::Debug for ChecklistChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChecklistChange")
            .field("items", &self.items)
            .field("reason", &self.reason)
            .field("password", &"[redacted]")
            .field("version", &self.version)
            .finish()
    }
}

/// Checks a change of wording (labels as [`check_checklist_labels`], a reason of at most
/// [`crate::limits::TEXT_MAX`] characters); returns the labels in the order of [`CHECKLIST_KEYS`].
pub fn check_checklist_change(change: &ChecklistChange) -> Result<ChecklistLabels, BTreeMap<String, String>> {
    let labels = check_checklist_labels(&ChecklistLabels { items: change.items.clone() });
    let rule = crate::validation::TextRule::free(crate::limits::TEXT_MAX).required();
    match (labels, crate::validation::text(&change.reason, rule)) {
        (Ok(labels), Ok(())) => Ok(labels),
        (labels, reason) => {
            let mut errors = labels.err().unwrap_or_default();
            if let Err(problem) = reason {
                errors.insert("reason".into(), problem.into());
            }
            Err(errors)
        }
    }
}

/// Checks edited labels: every key once, in any order; labels 1–200 characters, one line.
/// Returns them in the order of [`CHECKLIST_KEYS`].
pub fn check_checklist_labels(labels: &ChecklistLabels) -> Result<ChecklistLabels, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut items = Vec::new();
    for key in CHECKLIST_KEYS {
        let found: Vec<&ChecklistItem> = labels.items.iter().filter(|i| i.key == key).collect();
        let [item] = found.as_slice() else {
            errors.insert(
                format!("items.{key}"),
                if found.is_empty() {
                    crate::problems::Problem::Missing.into()
                } else {
                    crate::problems::Problem::Duplicate.into()
                },
            );
            continue;
        };
        for (field, text) in [("label_id", &item.label_id), ("label_en", &item.label_en)] {
            if let Err(problem) =
                crate::validation::text(text, crate::validation::TextRule::line(CHECKLIST_LABEL_MAX).no_brackets())
            {
                errors.insert(format!("items.{key}.{field}"), problem.into());
            }
        }
        items.push(ChecklistItem {
            key: key.into(),
            label_id: item.label_id.trim().into(),
            label_en: item.label_en.trim().into(),
        });
    }
    if labels.items.iter().any(|i| !CHECKLIST_KEYS.contains(&i.key.as_str())) {
        errors.insert("items".into(), crate::problems::Problem::UnknownItem.into());
    }
    if errors.is_empty() { Ok(ChecklistLabels { items }) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checklist_labels_need_every_item_once() {
        let ok = ChecklistLabels::default();
        assert_eq!(check_checklist_labels(&ok).unwrap(), ok);
        let mut reversed = ok.clone();
        reversed.items.reverse();
        assert_eq!(check_checklist_labels(&reversed).unwrap(), ok, "normalised to the fixed order");
        let mut short = ok.clone();
        short.items.pop();
        assert!(check_checklist_labels(&short).unwrap_err().contains_key("items.reason_matches"));
        let mut blank = ok.clone();
        blank.items[0].label_en = "  ".into();
        assert!(check_checklist_labels(&blank).unwrap_err().contains_key("items.identity_verified.label_en"));
        let mut extra = ok.clone();
        extra.items.push(ChecklistItem { key: "mood".into(), label_id: "x".into(), label_en: "x".into() });
        assert!(check_checklist_labels(&extra).unwrap_err().contains_key("items"));
    }

    #[test]
    fn a_change_needs_a_reason_and_never_shows_its_password() {
        let mut change = ChecklistChange {
            items: ChecklistLabels::default().items,
            reason: " ".into(),
            password: "rahasia-sekali-1".into(),
            version: Some(1),
        };
        assert_eq!(check_checklist_change(&change).unwrap_err()["reason"], "required");
        change.items.pop();
        let errors = check_checklist_change(&change).unwrap_err();
        assert!(errors.contains_key("reason") && errors.contains_key("items.reason_matches"));
        change.items = ChecklistLabels::default().items;
        change.items.reverse();
        change.reason = "Kalimat butir 1 diperjelas".into();
        assert_eq!(check_checklist_change(&change).unwrap(), ChecklistLabels::default());
        assert!(!format!("{change:?}").contains("rahasia"));
    }
}

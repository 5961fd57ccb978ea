//! The wording of the W-04 tapping checklist: its fixed items, their default labels in both
//! languages, and the check of labels the QRD coordinator edits.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
}

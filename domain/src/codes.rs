//! Typed codes: a status or kind that is stored in a TEXT column and sent on the wire as a
//! snake_case word is declared once with [`code_enum!`], which gives it the same derives everywhere:
//! serde and strum (`Display`, `FromStr`, `IntoStaticStr`, `VARIANTS`) agree on the word,
//! `as_str()` names it, the `openapi` feature documents it, and the `sea-orm` feature makes it a
//! column type (`DeriveValueType`, still TEXT: no migration), so the server reads and writes the
//! enum and a word outside it never gets in or out unnoticed.

/// Declares a typed code (see the module). Each variant's word is its snake_case name, or the
/// word given after `=` when the stored word is spelt otherwise (`AuthLogin = "auth.login"`);
/// one enum uses one form or the other.
macro_rules! code_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $word:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[derive(strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $word)] #[strum(serialize = $word)] $variant),+
        }

        $crate::codes::code_enum!(@common $name { $($variant),+ });
    };
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[derive(strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        $crate::codes::code_enum!(@common $name { $($variant),+ });
    };
    (@common $name:ident { $($variant:ident),+ }) => {
        impl $name {
            /// Every variant, in the order declared (the order lists and filters show them).
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The stored and wire word.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    };
}

pub(crate) use code_enum;

#[cfg(test)]
mod tests {
    use crate::api::ChainProblem;
    use crate::audit::{AuditAction, SessionEnd};
    use crate::cases::{Bucket, CaseStatus, FollowupStatus, FollowupStepKind, Service, ValidationResult};
    use crate::documents::{DocKind, RevisionStatus, SignatureMeaning, SignatureSource};
    use crate::permissions::Role;
    use crate::scoring::{
        AnswerValue, AssignmentStatus, CalibrationStatus, DisputeDecision, EvaluationStatus, FormStatus,
    };
    use strum::VariantArray;

    /// A code reads back as itself from the database (`FromStr`), the wire (serde) and `as_str`.
    fn one_word<T>(variants: &[T], words: &[&str])
    where
        T: Copy
            + PartialEq
            + std::fmt::Debug
            + std::str::FromStr
            + serde::Serialize
            + std::fmt::Display
            + Into<&'static str>,
        <T as std::str::FromStr>::Err: std::fmt::Debug,
    {
        let written: Vec<&str> = variants.iter().map(|v| (*v).into()).collect();
        assert_eq!(written, words);
        for variant in variants {
            let word: &str = (*variant).into();
            assert_eq!(word.parse::<T>().unwrap(), *variant);
            assert_eq!(serde_json::to_value(variant).unwrap(), word);
            assert_eq!(variant.to_string(), word);
        }
    }

    #[test]
    fn stored_and_wire_codes_are_one_word() {
        one_word(AssignmentStatus::VARIANTS, &["pending", "done"]);
        one_word(CalibrationStatus::VARIANTS, &["open", "closed"]);
        one_word(FormStatus::VARIANTS, &["draft", "published", "retired"]);
        one_word(EvaluationStatus::VARIANTS, &["draft", "submitted", "acknowledged", "disputed", "resolved"]);
        one_word(AnswerValue::VARIANTS, &["pass", "fail", "na"]);
        one_word(DisputeDecision::VARIANTS, &["uphold", "amend"]);
        one_word(CaseStatus::VARIANTS, &["pending", "approved", "returned"]);
        one_word(Service::VARIANTS, &["CT0", "PRANPC"]);
        one_word(Bucket::VARIANTS, &["N", "N1", "N2"]);
        one_word(ValidationResult::VARIANTS, &["approved", "returned"]);
        one_word(FollowupStatus::VARIANTS, &["open", "recared", "closed", "reopened"]);
        one_word(FollowupStepKind::VARIANTS, &["opened", "recared", "closed", "reopened"]);
        one_word(DocKind::VARIANTS, &["procedure", "work_instruction", "form"]);
        one_word(RevisionStatus::VARIANTS, &["draft", "in_review", "checked", "approved", "effective", "superseded"]);
        one_word(SignatureMeaning::VARIANTS, &["prepared", "checked", "approved"]);
        one_word(SignatureSource::VARIANTS, &["electronic", "paper"]);
        one_word(
            Role::VARIANTS,
            &["admin", "manager", "doc_controller", "qc_coordinator", "qco", "team_leader", "agent"],
        );
        one_word(
            SessionEnd::VARIANTS,
            &["logout", "refresh_reuse", "password_change", "deactivated", "password_reset"],
        );
        one_word(
            AuditAction::VARIANTS,
            &[
                "audit.chain_keyed",
                "audit.triggers_restored",
                "auth.lockout",
                "auth.login",
                "auth.login_failed",
                "auth.logout",
                "auth.reauth_failed",
                "auth.refresh_reuse",
                "backup.made",
                "backup.restored",
                "backup.verified",
                "calibration.closed",
                "calibration.created",
                "case.validated",
                "cases.import_discarded",
                "cases.imported",
                "checklist.version_signed",
                "demo.loaded",
                "disposition.approved",
                "disposition.confirmed",
                "disposition.finished",
                "document.created",
                "document.imported",
                "evaluation.acknowledged",
                "evaluation.disputed",
                "evaluation.drafted",
                "evaluation.edited",
                "evaluation.resolved",
                "evaluation.submitted",
                "followup.closed",
                "followup.recared",
                "followup.reopened",
                "hold.placed",
                "hold.released",
                "mail.failed",
                "mail.retried",
                "mail.sent",
                "payments.import_discarded",
                "payments.imported",
                "records.disposed",
                "revision.acknowledged",
                "revision.approved",
                "revision.attachment",
                "revision.checked",
                "revision.created",
                "revision.edited",
                "revision.effective",
                "revision.returned",
                "revision.submitted",
                "revision.superseded",
                "sampling.assigned",
                "scoring_form.created",
                "scoring_form.edited",
                "scoring_form.published",
                "team.created",
                "team.updated",
                "user.created",
                "user.digest_changed",
                "user.password_changed",
                "user.password_reset",
                "user.unlocked",
                "user.updated",
            ],
        );
        one_word(
            ChainProblem::VARIANTS,
            &[
                "entry_mismatch",
                "head_mismatch",
                "entries_missing",
                "chain_record_invalid",
                "anchor_past_head",
                "anchor_mismatch",
            ],
        );
        assert!("Pending".parse::<AssignmentStatus>().is_err());
        assert!("Auth.Login".parse::<AuditAction>().is_err());
        assert_eq!(Role::ALL.as_slice(), Role::VARIANTS);
    }
}

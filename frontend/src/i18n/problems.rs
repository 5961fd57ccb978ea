//! The one place where the problems the server (or a client-side check) names are put into words:
//! every `domain::problems::Problem` of a field and every `Conflict` of a 409, in both languages.
//! Both matches are exhaustive, so a code added in `domain` does not compile until it is worded
//! here. A problem's limit (too long, too short) is the named limit of the field it concerns.

use super::{K, Lang, t, tf};
use domain::problems::{Conflict, Problem};

/// This area's keys, added to the ones gathered so far; then the next area's macro.
macro_rules! problems_keys {
    ([$next:ident $($rest:ident)*] $($acc:tt)*) => {
        $next! { [$($rest)*] $($acc)*
        FieldInvalidDate => "Tulis tanggal yang valid (TTTT-BB-HH).", "Enter a valid date (YYYY-MM-DD).";
        FieldInvalidTimestamp => "Isi tanggal dan jam yang valid.", "Enter a valid date and time.";
        FieldPeriodTooLong => "Periode terlalu panjang untuk laporan ini; perpendek rentang tanggalnya.", "The period is too long for this report; shorten the date range.";
        FieldInTheFuture => "Waktu tidak boleh di masa depan.", "The time cannot be in the future.";
        FieldDuplicate => "Ada isian yang sama lebih dari sekali.", "The same value appears more than once.";
        FieldMissing => "Butir ini wajib ada.", "This item is required.";
        FieldUnknownChoice => "Pilih salah satu pilihan yang tersedia.", "Choose one of the options offered.";
        FieldNotAForm => "Dokumen ini bukan formulir (F-xx).", "This document is not a form (F-xx).";
        FieldInvalidEmail => "Tulis alamat email yang valid (nama@contoh.co.id).", "Enter a valid email address (name@example.com).";
        FieldNotPdfOrDocx => "Berkas harus PDF atau DOCX.", "The file must be a PDF or DOCX.";
        FieldPinned => "Formulir lembar ini tidak dapat diganti setelah disimpan.", "The form of this sheet cannot change once saved.";
        FieldCannotChange => "Nilai ini tidak dapat diubah lagi.", "This value cannot be changed any more.";
        FieldUnknownParameter => "Parameter ini tidak ada di formulir.", "This parameter is not on the form.";
        FieldAnsweredTwice => "Parameter ini dijawab dua kali.", "This parameter is answered twice.";
        PaidAtInFuture => "Waktu bayar tidak boleh lebih dari sehari di masa depan.", "The payment time cannot be more than a day in the future.";
        AmountNotANumber => "Tulis jumlah dalam rupiah (mis. 350000 atau Rp 350.000).", "Enter an amount in rupiah (e.g. 350000 or Rp 350.000).";
        AmountOutOfRange => "Jumlah pembayaran harus lebih dari 0 (hanya pembatalan yang boleh 0 atau negatif), paling banyak 13 digit.", "A payment's amount must be above 0 (only a reversal may be 0 or negative), at most 13 digits.";
        ConflictStale => "Data ini baru saja diubah orang lain. Muat ulang lalu coba lagi.", "Someone else changed this meanwhile. Reload and try again.";
        ConflictWrongState => "Langkah ini tidak berlaku lagi untuk status data saat ini. Muat ulang untuk melihat statusnya.", "This step no longer applies to the record's current status. Reload to see it.";
        ConflictAlreadyValidated => "Agree ini sudah divalidasi.", "This agree has already been validated.";
        ConflictAlreadyScored => "Call ini sudah punya lembar penilaian.", "This call already has a scoring sheet.";
        ConflictCalibrationClosed => "Sesi kalibrasi ini sudah ditutup.", "This calibration session is closed.";
        ConflictDraftExists => "Formulir ini sudah punya draf versi baru; ubah atau terbitkan draf itu.", "This form already has a draft version; edit or publish it.";
        ConflictVersionTaken => "Versi lain disimpan pada saat yang sama. Coba lagi.", "Another version was saved at the same moment. Try again.";
        ConflictRevisionInProgress => "Dokumen ini sudah punya revisi yang sedang berjalan.", "This document already has a revision in progress.";
        ConflictNotEffective => "Hanya revisi yang berlaku yang dapat dikonfirmasi telah dibaca.", "Only the revision in force can be confirmed as read.";
        ConflictCodeTaken => "Kode dokumen ini sudah terdaftar.", "A document with this code is already registered.";
        ConflictUsernameTaken => "Nama pengguna ini sudah dipakai.", "This username is already taken.";
        ConflictTeamNameTaken => "Nama tim ini sudah dipakai.", "A team with this name exists.";
        ConflictImportDiscarded => "Impor ini sudah dibatalkan atau selesai.", "This import was discarded or has finished.";
        ConflictRecordHeld => "Arsip ini ditahan oleh legal hold dan tidak boleh dimusnahkan.", "A legal hold keeps this record: it cannot be disposed.";
        ConflictRecordNotDue => "Arsip ini belum melewati masa simpannya.", "This record is not past its retention.";
        ConflictRecordDisposed => "Arsip ini sudah dimusnahkan.", "This record was disposed already.";
        }
    };
}

/// The limit a field's too-short problem refers to, if it has one.
fn min_of(field: &str) -> Option<usize> {
    use domain::validation::{PASSWORD_MIN, USERNAME_MIN};
    match last_segment(field) {
        "username" => Some(USERNAME_MIN),
        "password" | "new_password" => Some(PASSWORD_MIN),
        _ => None,
    }
}

/// The limit a field's too-long problem refers to, if it has one.
fn max_of(field: &str) -> Option<usize> {
    use domain::limits::TEXT_MAX;
    use domain::validation::{NAME_MAX, PASSWORD_MAX, USERNAME_MAX};
    match last_segment(field) {
        "username" => Some(USERNAME_MAX),
        "password" | "new_password" => Some(PASSWORD_MAX),
        "full_name" | "position" | "name" => Some(NAME_MAX),
        "label_id" | "label_en" => Some(domain::cases::CHECKLIST_LABEL_MAX),
        "comment" | "note" | "recommendation" | "reason" | "guidance" | "change_description" => Some(TEXT_MAX),
        "recare_call_ref" => Some(100),
        "customer_no" => Some(domain::promises::CUSTOMER_NO_MAX as usize),
        "payment_ref" => Some(domain::promises::PAYMENT_REF_MAX as usize),
        "channel" => Some(domain::promises::CHANNEL_MAX as usize),
        _ => None,
    }
}

/// `items.reason_matches.label_en` → `label_en`; `answers.empati` → `empati`.
fn last_segment(field: &str) -> &str {
    field.rsplit('.').next().unwrap_or(field)
}

/// A field's problem in words. `code` is a [`Problem`] code; a code this build does not know (a
/// newer server) is shown as "invalid value (code)", never as a sentence in another language.
pub fn field_error(lang: Lang, field: &str, code: &str) -> String {
    let Ok(problem) = code.parse::<Problem>() else {
        return tf(lang, K::FieldInvalid, &[code]);
    };
    use Problem as P;
    let key = match (problem, last_segment(field)) {
        (P::Required, _) => K::FieldRequired,
        (P::TooShort, _) => {
            return match min_of(field) {
                Some(n) => tf(lang, K::FieldTooShortMin, &[&n.to_string()]),
                None => t(lang, K::FieldTooShort).to_owned(),
            };
        }
        (P::TooLong, _) => {
            return match max_of(field) {
                Some(n) => tf(lang, K::FieldTooLongMax, &[&n.to_string()]),
                None => t(lang, K::FieldTooLong).to_owned(),
            };
        }
        (P::InvalidCharacters, _) => K::FieldInvalidChars,
        (P::InvalidDate, _) => K::FieldInvalidDate,
        (P::InvalidTimestamp, "recared_at") => K::RecaredAtInvalid,
        (P::InvalidTimestamp, _) => K::FieldInvalidTimestamp,
        (P::OutOfRange, "amount") => K::AmountOutOfRange,
        (P::OutOfRange, _) => K::FieldOutOfRange,
        (P::PeriodTooLong, _) => K::FieldPeriodTooLong,
        (P::InPast, _) => K::FieldInPast,
        (P::InFuture, "paid_at") => K::PaidAtInFuture,
        (P::InFuture, _) => K::ErrInFuture,
        (P::InTheFuture, "recared_at") => K::RecaredInFuture,
        (P::InTheFuture, _) => K::FieldInTheFuture,
        (P::BeforeFrom, _) => K::ErrBeforeFrom,
        (P::BeforeTheReturn, _) => K::RecaredBeforeReturn,
        (P::NotFound, "team_id") => K::FieldUnknownTeam,
        (P::NotFound, "leader_id" | "agent_id" | "qco_id") => K::FieldUnknownUser,
        (P::NotFound, "parent_code") => K::FieldParentNotFound,
        (P::NotFound, "evaluation_id") => K::EvaluationNotFound,
        (P::NotFound, _) => K::FieldNotFound,
        (P::Duplicate, _) => K::FieldDuplicate,
        (P::Missing, _) => K::FieldMissing,
        (P::Taken, _) => K::FieldTaken,
        (P::Mismatch, _) => K::FieldMismatch,
        (P::UnknownRole, _) => K::FieldUnknownRole,
        (
            P::UnknownStatus
            | P::UnknownDecision
            | P::UnknownKind
            | P::UnknownService
            | P::UnknownBucket
            | P::UnknownFormat
            | P::UnknownItem
            | P::UnknownGrouping,
            _,
        ) => K::FieldUnknownChoice,
        (P::InvalidCode, _) => K::FieldInvalidCode,
        (P::KindMismatch, _) => K::FieldKindMismatch,
        (P::CodeIncludesRevision, _) => K::FieldCodeHasRevision,
        (P::FormsOnly, _) => K::FieldFormsOnly,
        (P::NotAForm, _) => K::FieldNotAForm,
        (P::NotPdfOrDocx, _) => K::FieldNotPdfOrDocx,
        (P::InvalidEmail, _) => K::FieldInvalidEmail,
        (P::NotAnAgent, _) => K::ErrNotAgent,
        (P::NotAQco, _) => K::ErrNotQco,
        (P::NotTeamLeader, _) => K::FieldNotTeamLeader,
        (P::OtherAgent, _) => K::EvaluationOtherAgent,
        (P::NotPublished, _) => K::ErrNotPublished,
        (P::AtLeastTwo, _) => K::ErrAtLeastTwo,
        (P::Pinned, _) => K::FieldPinned,
        (P::CannotChange, _) => K::FieldCannotChange,
        (P::RecommendationRequired, _) => K::RecommendationRequired,
        (P::ChecklistIncomplete, _) => K::ChecklistIncomplete,
        (P::UnknownParameter, _) => K::FieldUnknownParameter,
        (P::AnsweredTwice, _) => K::FieldAnsweredTwice,
        (P::NotAnswered, _) => K::ErrNotAnswered,
        (P::NaNotAllowed, _) => K::ErrNaNotAllowed,
        (P::CommentRequired, _) => K::ErrCommentNeeded,
        (P::InvalidMoment, _) => K::ErrMoment,
        (P::InvalidKey, _) => K::ErrKey,
        (P::NotANumber, "amount") => K::AmountNotANumber,
        (P::NotANumber | P::WeightOutOfRange, _) => K::ErrWeight,
        (P::FatalWeight, _) => K::ErrFatalWeight,
        (P::NoParameters | P::NoWeightedParameter, _) => K::ErrNoParameters,
        (P::Unchanged, "new_password") => K::PasswordUnchanged,
        (P::Unchanged, _) => K::ChecklistUnchanged,
        (P::OwnAccount, _) => K::OwnAccountPassword,
    };
    t(lang, key).to_owned()
}

/// A 409 in words, by its code; `None` for a code this build does not know.
pub fn conflict_key(code: &str) -> Option<K> {
    Some(match code.parse::<Conflict>().ok()? {
        Conflict::StaleVersion => K::ConflictStale,
        Conflict::WrongState => K::ConflictWrongState,
        Conflict::AlreadyValidated => K::ConflictAlreadyValidated,
        Conflict::AlreadyScored => K::ConflictAlreadyScored,
        Conflict::CalibrationClosed => K::ConflictCalibrationClosed,
        Conflict::DraftExists => K::ConflictDraftExists,
        Conflict::VersionTaken => K::ConflictVersionTaken,
        Conflict::RevisionInProgress => K::ConflictRevisionInProgress,
        Conflict::NotEffective => K::ConflictNotEffective,
        Conflict::CodeTaken => K::ConflictCodeTaken,
        Conflict::UsernameTaken => K::ConflictUsernameTaken,
        Conflict::TeamNameTaken => K::ConflictTeamNameTaken,
        Conflict::OwnAccount => K::ErrOwnAccount,
        Conflict::ImportDiscarded => K::ConflictImportDiscarded,
        Conflict::ChecklistChanged => K::ChecklistChangedMeanwhile,
        Conflict::RecordHeld => K::ConflictRecordHeld,
        Conflict::RecordNotDue => K::ConflictRecordNotDue,
        Conflict::RecordDisposed => K::ConflictRecordDisposed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    /// Every problem and conflict the server can name reads as a sentence in both languages,
    /// never as its code or an English sentence in the Indonesian interface.
    #[test]
    fn every_problem_and_conflict_is_worded_in_both_languages() {
        for problem in Problem::VARIANTS {
            let (id, en) = (field_error(Lang::Id, "x", problem.as_str()), field_error(Lang::En, "x", problem.as_str()));
            let fallback = format!("({})", problem.as_str());
            assert!(!id.contains(&fallback) && !en.contains(&fallback), "{problem:?} is not worded: {id} / {en}");
            assert!(id.ends_with('.') && en.ends_with('.'), "{problem:?}: {id} / {en}");
        }
        for conflict in Conflict::VARIANTS {
            assert!(conflict_key(conflict.as_str()).is_some(), "{conflict:?}");
        }
        assert_eq!(field_error(Lang::Id, "answers.empati", "not_answered"), "Belum dijawab.");
        assert_eq!(
            field_error(Lang::En, "recommendation", "recommendation_required"),
            "A RETURN needs a recommendation for the agent."
        );
        assert_eq!(
            field_error(Lang::Id, "items.identity_verified.label_en", "too_long"),
            format!("Terlalu panjang: maksimal {} karakter.", domain::cases::CHECKLIST_LABEL_MAX)
        );
        assert_eq!(field_error(Lang::Id, "x", "from_a_newer_server"), "Isian tidak valid (from_a_newer_server).");
    }

    /// A refused payment row's faults are worded by its column's name, not as a call or a weight.
    #[test]
    fn payment_row_problems_are_worded_by_their_column() {
        use domain::promises::PaymentColumn as C;
        let en = |column: C, code: Problem| field_error(Lang::En, column.name(), code.as_str());
        assert_eq!(en(C::PaidAt, Problem::InFuture), "The payment time cannot be more than a day in the future.");
        assert!(en(C::Amount, Problem::NotANumber).starts_with("Enter an amount in rupiah"));
        assert!(en(C::Amount, Problem::OutOfRange).contains("only a reversal"));
        assert!(en(C::PaymentRef, Problem::TooLong).contains("100"));
        assert!(field_error(Lang::Id, C::PaidAt.name(), "in_future").starts_with("Waktu bayar"));
    }
}

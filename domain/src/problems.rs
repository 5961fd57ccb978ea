//! Every problem the server names in an answer, as typed codes: [`Problem`] for a field's problem
//! (the values of an error's `fields`) and [`Conflict`] for a 409's `error`. The server builds
//! them from these enums only, and the browser words each one in both languages in one place
//! (`frontend/src/i18n/problems.rs`, an exhaustive match: a new code does not compile until it is
//! worded). A problem's parameters (a length limit, a range) are the named limits of the field it
//! concerns (`crate::limits`, `crate::validation`), which the wording reads by the field's name.
//! Import rows have their own typed reasons, [`crate::cases::RowProblem`].

crate::codes::code_enum! {
    /// A field's problem: the value of `fields.<field>` in a 422 (or a client-side check).
    pub enum Problem {
        /// Empty where a value is needed.
        Required,
        /// Shorter than the field's minimum.
        TooShort,
        /// Longer than the field's maximum.
        TooLong,
        /// Control characters, brackets where they are not allowed, or NUL.
        InvalidCharacters,
        /// Not a `YYYY-MM-DD` day.
        InvalidDate,
        /// Not an RFC 3339 instant (or the site-local form the field accepts).
        InvalidTimestamp,
        /// A number or date outside what the field takes.
        OutOfRange,
        /// A period longer than a report takes.
        PeriodTooLong,
        /// A date that may not lie in the past.
        InPast,
        /// A date or instant that may not lie in the future.
        InFuture,
        /// An instant later than now (a re-care stamped ahead of the clock).
        InTheFuture,
        /// The end of a period before its start.
        BeforeFrom,
        /// A re-care stamped before the RETURN it answers.
        BeforeTheReturn,
        /// Nothing with that id or name exists (or the caller may not see it).
        NotFound,
        /// The same value twice where each must be unique.
        Duplicate,
        /// An item the request must carry is missing.
        Missing,
        /// Already taken by another record (a username in a client-side check).
        Taken,
        /// The two entries differ (a password and its confirmation).
        Mismatch,
        /// Not an email address (`name@example.co.id`).
        InvalidEmail,
        /// Not one of the roles.
        UnknownRole,
        /// Not one of the statuses.
        UnknownStatus,
        /// Not one of the decisions of this step.
        UnknownDecision,
        /// Not one of the document kinds.
        UnknownKind,
        /// Not one of the services (CT-0, PRANPC).
        UnknownService,
        /// Not one of the buckets (N, N+1, N+2).
        UnknownBucket,
        /// Not one of the export formats.
        UnknownFormat,
        /// Not one of the fixed checklist items.
        UnknownItem,
        /// Not one of the report's groupings.
        UnknownGrouping,
        /// A document code that is not of the register's form.
        InvalidCode,
        /// A document code whose prefix says another kind.
        KindMismatch,
        /// A document code that includes its revision (`….Rev.00`).
        CodeIncludesRevision,
        /// Only a form (F-xx) may have this.
        FormsOnly,
        /// The document is not a form.
        NotAForm,
        /// The file is neither PDF nor DOCX.
        NotPdfOrDocx,
        /// The user is not an (active) agent.
        NotAnAgent,
        /// The user is not an (active) QC officer.
        NotAQco,
        /// The user is not an (active) team leader.
        NotTeamLeader,
        /// The sheet names another agent than the case.
        OtherAgent,
        /// The scoring form is not published.
        NotPublished,
        /// A calibration needs at least two QC officers.
        AtLeastTwo,
        /// A pinned value that may not change.
        Pinned,
        /// A value that may not change once set.
        CannotChange,
        /// A RETURN needs a recommendation for the agent.
        RecommendationRequired,
        /// APPROVED needs every checklist item ticked.
        ChecklistIncomplete,
        /// A parameter the form does not have.
        UnknownParameter,
        /// A parameter answered twice.
        AnsweredTwice,
        /// A parameter left unanswered.
        NotAnswered,
        /// N/A chosen where the parameter does not allow it.
        NaNotAllowed,
        /// A failed parameter without the comment it needs.
        CommentRequired,
        /// A moment in the call that is not `mm:ss`.
        InvalidMoment,
        /// A key that is not unique lowercase letters, digits and `_`.
        InvalidKey,
        /// A weight that is not a number.
        NotANumber,
        /// A fatal parameter carries no weight (0).
        FatalWeight,
        /// A weight outside (0, 1000].
        WeightOutOfRange,
        /// A form without any parameter.
        NoParameters,
        /// A form without a weighted (non-fatal) parameter.
        NoWeightedParameter,
        /// The change would change nothing (the W-04 wording is the version in force already, a
        /// one-time password kept as the new one).
        Unchanged,
        /// Not for one's own account (the admin's own password is changed on their account page).
        OwnAccount,
    }
}

impl From<Problem> for String {
    fn from(problem: Problem) -> String {
        problem.as_str().to_owned()
    }
}

crate::codes::code_enum! {
    /// A 409's `error`: the state the request met is not the one it needs.
    pub enum Conflict {
        /// Someone else changed the record since it was read (`version`).
        StaleVersion,
        /// The record is not in a state where this step applies.
        WrongState,
        /// The case has been validated already.
        AlreadyValidated,
        /// This call already has a sheet (or the QCO's calibration sheet exists).
        AlreadyScored,
        /// The calibration session is closed.
        CalibrationClosed,
        /// The scoring form already has a draft version.
        DraftExists,
        /// Another version of the form was saved at the same moment.
        VersionTaken,
        /// The document already has a revision in progress.
        RevisionInProgress,
        /// Only the effective revision can be confirmed as read.
        NotEffective,
        /// A document with that code exists.
        CodeTaken,
        /// A user with that username exists.
        UsernameTaken,
        /// A team with that name exists.
        TeamNameTaken,
        /// One cannot deactivate one's own account or change one's own role.
        OwnAccount,
        /// The staged import was discarded (or finished) meanwhile.
        ImportDiscarded,
        /// Another W-04 checklist wording version is in force than the one the request was made
        /// against.
        ChecklistChanged,
        /// A legal hold covers the record: it cannot be disposed.
        RecordHeld,
        /// The record is not past its retention (or not closed yet).
        RecordNotDue,
        /// The record was disposed already.
        RecordDisposed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn codes_are_snake_case_words_read_back_as_themselves() {
        for problem in Problem::VARIANTS {
            let word = problem.as_str();
            assert!(word.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{word}");
            assert_eq!(word.parse::<Problem>().unwrap(), *problem);
            assert_eq!(serde_json::to_value(problem).unwrap(), word);
        }
        for conflict in Conflict::VARIANTS {
            assert_eq!(conflict.as_str().parse::<Conflict>().unwrap(), *conflict);
        }
        assert_eq!(Problem::NaNotAllowed.as_str(), "na_not_allowed");
        assert_eq!(Problem::NotAQco.as_str(), "not_a_qco");
        assert_eq!(String::from(Problem::TooLong), "too_long");
    }
}

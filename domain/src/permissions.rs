//! Roles and the one permission table (`can`) that the server enforces on every route and the
//! browser app uses to decide what to show.

crate::codes::code_enum! {
    /// A user's role. Every account has exactly one. Declared in the order the admin page lists
    /// them (`Role::ALL`); the wire and database spelling is `doc_controller`, ….
    pub enum Role {
        Admin,
        Manager,
        DocController,
        QcCoordinator,
        Qco,
        TeamLeader,
        Agent,
    }
}

/// Something a user may try to do. Routes name the action they need; pages hide what `can` refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read one's own account, change one's own password, log out.
    UseOwnAccount,
    /// Read the user list (QCOs must pick the agent they score).
    ListUsers,
    /// Create users and teams, change roles, teams, positions, deactivate accounts.
    ManageUsers,
    /// Read the team list.
    ListTeams,
    /// Read the audit trail and verify its chain.
    ViewAudit,
    /// Read the document register and effective revisions.
    ReadDocuments,
    /// Create documents and write draft revisions (the *prepared by* signature).
    PrepareRevision,
    /// Check a revision in review (the *checked by* signature).
    CheckRevision,
    /// Approve a checked revision and set its effective date (the *approved by* signature).
    ApproveRevision,
    /// See revisions that are not yet effective.
    SeeDraftRevisions,
    /// Build and publish scoring forms.
    ManageScoringForms,
    /// Score calls on F-18.
    ScoreCalls,
    /// Resolve disputed evaluations.
    ResolveDisputes,
    /// Import agree cases from MyCX/TAMARA exports.
    ImportCases,
    /// Import payments and reversals from the billing system's exports (issue 16).
    ImportPayments,
    /// Validate agree cases (W-04 tapping): APPROVED or RETURN.
    ValidateCases,
    /// Read the F-19 report and export it.
    ViewF19Report,
    /// Verify re-cared follow-ups (close or reopen).
    VerifyFollowups,
    /// See team-wide follow-ups, scores and inputs.
    ViewTeam,
    /// Place and lift legal holds on records.
    ManageHolds,
    /// Approve a batch of records past retention for disposal (the first signature).
    DisposeRecords,
    /// Confirm an approved disposal (the second signature; never the approver's).
    ConfirmDisposal,
    /// See the records due for disposal, the disposition batches, their certificates and the
    /// holds.
    ViewRecords,
    /// See agree cases and follow-ups (agents their own, team leaders their team's:
    /// `cases::visibility`).
    ViewCases,
    /// See F-18 sheets (with the same row visibility as cases).
    ViewEvaluations,
    /// See the backup register: the backups made and their verifications (issue 15).
    ViewBackups,
}

impl Action {
    /// Every action, for exhaustive tests and documentation.
    pub const ALL: [Action; 26] = [
        Action::UseOwnAccount,
        Action::ListUsers,
        Action::ManageUsers,
        Action::ListTeams,
        Action::ViewAudit,
        Action::ReadDocuments,
        Action::PrepareRevision,
        Action::CheckRevision,
        Action::ApproveRevision,
        Action::SeeDraftRevisions,
        Action::ManageScoringForms,
        Action::ScoreCalls,
        Action::ResolveDisputes,
        Action::ImportCases,
        Action::ImportPayments,
        Action::ValidateCases,
        Action::ViewF19Report,
        Action::VerifyFollowups,
        Action::ViewTeam,
        Action::ManageHolds,
        Action::DisposeRecords,
        Action::ConfirmDisposal,
        Action::ViewRecords,
        Action::ViewCases,
        Action::ViewEvaluations,
        Action::ViewBackups,
    ];
}

/// The permission table: may a user of `role` do `action`?
///
/// This is the only place roles are compared; the server calls it for every route and the
/// browser app for every navigation entry and button.
pub fn can(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        UseOwnAccount | ReadDocuments => true,
        ListUsers | ListTeams => role != Agent,
        ManageUsers => role == Admin,
        ViewAudit => matches!(role, Admin | QcCoordinator),
        PrepareRevision => matches!(role, Admin | DocController),
        CheckRevision => matches!(role, Admin | QcCoordinator),
        ApproveRevision => matches!(role, Admin | Manager),
        SeeDraftRevisions => matches!(role, Admin | Manager | DocController | QcCoordinator),
        ManageScoringForms => matches!(role, Admin | QcCoordinator),
        ScoreCalls => role == Qco,
        ResolveDisputes => role == QcCoordinator,
        ImportCases => matches!(role, Qco | QcCoordinator | TeamLeader),
        ImportPayments => matches!(role, Admin | QcCoordinator),
        ValidateCases => role == Qco,
        ViewF19Report => matches!(role, Qco | QcCoordinator | TeamLeader | Manager),
        VerifyFollowups => matches!(role, Qco | QcCoordinator),
        ViewTeam => matches!(role, TeamLeader | QcCoordinator | Manager | Admin),
        ManageHolds => matches!(role, Admin | QcCoordinator),
        DisposeRecords => role == QcCoordinator,
        ConfirmDisposal => matches!(role, Admin | Manager),
        ViewRecords => matches!(role, Admin | Manager | QcCoordinator),
        ViewCases | ViewEvaluations => role != DocController,
        ViewBackups => role == Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Role::*;

    /// The expected table written out in full, action by action (roles in `Role::ALL` order), so
    /// that a change to `can` must be matched here on purpose.
    fn expected(action: Action) -> &'static [Role] {
        match action {
            UseOwnAccount => &[Admin, Manager, DocController, QcCoordinator, Qco, TeamLeader, Agent],
            ListUsers => &[Admin, Manager, DocController, QcCoordinator, Qco, TeamLeader],
            ManageUsers => &[Admin],
            ListTeams => &[Admin, Manager, DocController, QcCoordinator, Qco, TeamLeader],
            ViewAudit => &[Admin, QcCoordinator],
            ReadDocuments => &[Admin, Manager, DocController, QcCoordinator, Qco, TeamLeader, Agent],
            PrepareRevision => &[Admin, DocController],
            CheckRevision => &[Admin, QcCoordinator],
            ApproveRevision => &[Admin, Manager],
            SeeDraftRevisions => &[Admin, Manager, DocController, QcCoordinator],
            ManageScoringForms => &[Admin, QcCoordinator],
            ScoreCalls => &[Qco],
            ResolveDisputes => &[QcCoordinator],
            ImportCases => &[QcCoordinator, Qco, TeamLeader],
            ImportPayments => &[Admin, QcCoordinator],
            ValidateCases => &[Qco],
            ViewF19Report => &[Manager, QcCoordinator, Qco, TeamLeader],
            VerifyFollowups => &[QcCoordinator, Qco],
            ViewTeam => &[Admin, Manager, QcCoordinator, TeamLeader],
            ManageHolds => &[Admin, QcCoordinator],
            DisposeRecords => &[QcCoordinator],
            ConfirmDisposal => &[Admin, Manager],
            ViewRecords => &[Admin, Manager, QcCoordinator],
            ViewCases => &[Admin, Manager, QcCoordinator, Qco, TeamLeader, Agent],
            ViewEvaluations => &[Admin, Manager, QcCoordinator, Qco, TeamLeader, Agent],
            ViewBackups => &[Admin],
        }
    }

    #[test]
    fn permission_table_matches_for_every_role_and_action() {
        for role in Role::ALL {
            for action in Action::ALL {
                assert_eq!(can(role, action), expected(action).contains(&role), "can({role:?}, {action:?})");
            }
        }
    }

    #[test]
    fn only_admin_manages_users() {
        let managers: Vec<Role> = Role::ALL.into_iter().filter(|r| can(*r, ManageUsers)).collect();
        assert_eq!(managers, vec![Admin]);
    }

    #[test]
    fn role_names_round_trip_and_unknown_is_rejected() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert!("root".parse::<Role>().is_err());
        assert!("Admin".parse::<Role>().is_err());
    }
}

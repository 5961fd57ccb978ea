//! A person's inbox ("Tugas saya"): what waits for them, counted by kind. The server counts
//! with the same visibility as the lists; the app shows each count as a link to the list
//! filtered to exactly what it counts ([`InboxKind::list`]).

use serde::{Deserialize, Serialize};

crate::codes::code_enum! {
    /// One kind of work waiting for someone.
    pub enum InboxKind {
        /// QC officer: sampled calls assigned to them, not yet scored.
        CallsToScore,
        /// QC officer: their own F-18 drafts.
        SheetDrafts,
        /// QC officer: agrees waiting in the validation queue.
        AgreesToValidate,
        /// QC coordinator: disputed sheets to resolve.
        DisputesToResolve,
        /// QC coordinator: re-cared RETURNs waiting for verification (`overdue`: past QC's deadline).
        ReturnsToVerify,
        /// Document controller: revision drafts to finish and submit.
        RevisionDrafts,
        /// QC coordinator: revisions in review to check.
        RevisionsToCheck,
        /// Manager: checked revisions to approve.
        RevisionsToApprove,
        /// Agent: their open or reopened RETURNs (`overdue`: past the due date).
        ReturnsOpen,
        /// Team leader: the team's RETURNs past their due date.
        ReturnsOverdue,
        /// Agent: their results waiting for acknowledgement; team leader: the team's.
        SheetsToAcknowledge,
        /// Everyone: effective revisions not yet confirmed read.
        DocumentsToRead,
    }
}

/// Where a kind's list lives in the app, and the filter that shows exactly what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxList {
    /// The app path (`/evaluations`, `/followups`, …).
    pub path: &'static str,
    /// The query the list page reads as its initial filter (empty when the page itself is it).
    pub query: &'static str,
}

impl InboxKind {
    /// The list a count opens.
    pub fn list(self) -> InboxList {
        let (path, query) = match self {
            InboxKind::CallsToScore => ("/evaluations", "tab=assigned"),
            InboxKind::SheetDrafts => ("/evaluations", "tab=drafts"),
            InboxKind::AgreesToValidate => ("/cases", "status=pending"),
            InboxKind::DisputesToResolve => ("/evaluations", "tab=disputes"),
            InboxKind::ReturnsToVerify => ("/followups", "status=recared"),
            InboxKind::RevisionDrafts | InboxKind::RevisionsToCheck | InboxKind::RevisionsToApprove => ("/tasks", ""),
            InboxKind::ReturnsOpen => ("/followups", "open=true"),
            InboxKind::ReturnsOverdue => ("/followups", "overdue=true"),
            InboxKind::SheetsToAcknowledge => ("/evaluations", "status=submitted"),
            InboxKind::DocumentsToRead => ("/tasks", ""),
        };
        InboxList { path, query }
    }
}

/// One count of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxItem {
    pub kind: InboxKind,
    pub count: u32,
    /// Of `count`, how many are past their deadline (RETURNs: the agent's due date; re-cared
    /// RETURNs: QC's verification deadline); 0 for kinds without one.
    pub overdue: u32,
}

/// `GET /api/me/inbox`: every kind of work the caller's role has, zero counts included, in a
/// fixed order; `total` is what the navigation's badge shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    pub total: u32,
}

impl Inbox {
    /// The inbox of these counts, totalled.
    pub fn of(items: Vec<InboxItem>) -> Inbox {
        let total = items.iter().map(|i| i.count).fold(0u32, u32::saturating_add);
        Inbox { items, total }
    }

    /// The count of one kind (0 when the role does not have it).
    pub fn count(&self, kind: InboxKind) -> u32 {
        self.items.iter().find(|i| i.kind == kind).map_or(0, |i| i.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_opens_a_list_of_the_app() {
        for kind in InboxKind::ALL {
            let list = kind.list();
            assert!(list.path.starts_with('/'), "{kind}");
            assert!(!list.query.contains('?') && !list.query.contains(' '), "{kind}");
        }
    }

    #[test]
    fn the_total_adds_the_counts_without_overflowing() {
        let item = |kind, count| InboxItem { kind, count, overdue: 0 };
        let inbox = Inbox::of(vec![item(InboxKind::ReturnsOpen, 3), item(InboxKind::DocumentsToRead, 2)]);
        assert_eq!(inbox.total, 5);
        assert_eq!(inbox.count(InboxKind::DocumentsToRead), 2);
        assert_eq!(inbox.count(InboxKind::CallsToScore), 0);
        assert_eq!(
            Inbox::of(vec![item(InboxKind::ReturnsOpen, u32::MAX), item(InboxKind::SheetDrafts, 1)]).total,
            u32::MAX
        );
    }
}

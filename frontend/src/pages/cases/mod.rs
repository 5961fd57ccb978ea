//! F-19 agree validation and W-03 follow-ups: the case queue, import (agrees and payments), a case,
//! follow-ups, the F-19 report, reconciliation, the keep-rate report — one file per page — and what they share: the calls to the API, labels of
//! services, buckets and states, money, and a silent poll for lists that update without reload.

mod case;
mod checklist;
mod followup;
mod followups;
mod import;
mod list;
mod promises;
mod reconciliation;
mod report;

pub use case::CasePage;
pub use checklist::ChecklistPage;
pub use followup::FollowupPage;
pub use followups::FollowupsPage;
pub use import::ImportPage;
pub use list::CasesPage;
pub use promises::promise_table;
pub use reconciliation::ReconciliationPage;
pub use report::ReportPage;

use crate::hooks::Keyed;
use domain::cases::{Case, ChecklistVersion, Followup};

impl Keyed for Case {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for Followup {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for ChecklistVersion {
    fn key(&self) -> i64 {
        self.version
    }
}

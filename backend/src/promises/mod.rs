//! Promises kept (issue 16): payments imported from the billing system, each agree's promise
//! evaluated against them (`docs/promises.md`), stored with its history, shown on the case page
//! and counted in the keep-rate report.
//!
//! - `import`: the payment import (`POST /api/payments/import`), on the machinery of
//!   [`crate::imports`]; `routes`: its routes and template;
//! - `store`: reading agrees and payments, evaluating, storing what changed;
//! - [`sweep`]: the background step that evaluates agrees not yet evaluated and re-evaluates
//!   pending promises once a day (their due day may have ended), on every server at once safely.

pub mod import;
pub mod report;
pub mod rollup;
pub mod routes;
pub mod seed;
pub mod store;
pub mod unmatched;

use crate::db::{now, timestamp};
use crate::error::ApiResult;
use crate::site_time;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::cases::Case;
use domain::promises::{CasePromise, SiteTime};

/// Customers evaluated per sweep at most (the rest wait for the next one, 30 s later).
const SWEEP_CUSTOMERS: u64 = 2_000;

/// Evaluates the agrees that have no promise yet and the pending promises last evaluated before
/// today (site day), a bounded number of customers at a time; returns how many promises it
/// evaluated.
pub async fn sweep(state: &AppState, at: DateTime<Utc>) -> ApiResult<store::Recomputed> {
    let today = site_time::site_date(state, at);
    let customers = store::stale_customers(&state.db.conn, today, SWEEP_CUSTOMERS).await?;
    if customers.is_empty() {
        return Ok(store::Recomputed::default());
    }
    let txn = state.db.write().await?;
    let done = store::recompute(state, &txn, &customers, today, "day_end", at).await?;
    txn.commit().await?;
    Ok(done)
}

/// [`sweep`] now, with a warning when it fails (it is tried again at the next tick).
pub async fn sweep_now(state: &AppState) {
    if let Err(err) = sweep(state, now()).await {
        tracing::warn!(error = ?err, "evaluating promises failed; will retry");
    }
}

/// A site wall time as the API writes instants (RFC 3339, UTC).
pub fn instant(state: &AppState, at: SiteTime) -> String {
    let local = chrono::NaiveDate::from_ymd_opt(at.day.year, at.day.month, at.day.day)
        .and_then(|day| day.and_hms_opt(at.second / 3600, at.second / 60 % 60, at.second % 60));
    local.map(|local| timestamp(site_time::local_to_utc(state, local))).unwrap_or_default()
}

/// `case`'s promise as of `at`: its customer's agrees and payments evaluated afresh (one
/// customer's rows; the stored status may lag by up to a sweep).
pub async fn case_promise(state: &AppState, case: &Case, at: DateTime<Utc>) -> ApiResult<Option<CasePromise>> {
    let today = site_time::site_date(state, at);
    let customers = [case.customer_no.clone()];
    let (outcomes, _) = store::evaluate_customers(state, &state.db.conn, &customers, today).await?;
    Ok(outcomes.iter().find(|o| o.case_id == case.id).map(|o| CasePromise::from_outcome(o, |t| instant(state, t))))
}

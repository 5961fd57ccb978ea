//! Disposition batches (issue 15 items 2 and 4): the QC coordinator approves a batch with their
//! password; a manager or admin who is not the approver confirms it with theirs; only then are
//! the records disposed (`dispose::run`) and the certificate issued.
use super::dispose;
use super::due::through_day;
use super::select::{self, RecordForm, active_holds, count};
use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::auth::service::reauthenticate;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::site_time::site_date;
use crate::state::AppState;
use domain::audit::AuditAction;
use domain::problems::{Conflict, Problem};
use domain::records::{Certificate, ConfirmRequest, Disposition, DispositionRequest, MAX_RECORD_IDS};
use entity::{disposed_records, dispositions};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use std::collections::BTreeSet;

/// Batches the list shows, newest first.
const LISTED: u64 = 100;

pub fn view(d: dispositions::Model) -> Disposition {
    let named =
        d.record_ids.as_deref().and_then(|ids| serde_json::from_str::<Vec<i64>>(ids).ok()).map(|v| v.len() as i64);
    Disposition {
        id: d.id.into(),
        form: d.form,
        form_title: d.form_title,
        retention_months: d.retention_months,
        through_month: d.through_month,
        named,
        status: d.status,
        due_count: d.due_count,
        approved_by: d.approved_by_name,
        approved_at: timestamp(d.approved_at),
        confirmed_by: d.confirmed_by_name,
        confirmed_at: d.confirmed_at.map(timestamp),
        disposed: d.disposed,
        withheld: d.withheld,
        merkle_root: d.merkle_root,
        finished_at: d.finished_at.map(timestamp),
    }
}

pub async fn list(state: &AppState) -> ApiResult<Vec<Disposition>> {
    let rows =
        dispositions::Entity::find().order_by_desc(dispositions::Column::Id).limit(LISTED).all(&state.db.conn).await?;
    Ok(rows.into_iter().map(view).collect())
}

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

/// The first of `ids` a disposal may not take, as the 409 that names it.
async fn refuse_named(state: &AppState, form: &RecordForm, ids: &[i64]) -> ApiResult<()> {
    let db = &state.db.conn;
    let today = site_date(state, now());
    let disposed: BTreeSet<i64> = disposed_records::Entity::find()
        .filter(disposed_records::Column::Form.eq(form.code.as_str()))
        .filter(disposed_records::Column::RecordId.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.record_id)
        .collect();
    if let Some(id) = disposed.iter().next() {
        return Err(ApiError::conflict(Conflict::RecordDisposed, format!("record {id} was disposed already")));
    }
    let ids_of = |cond| {
        let mut q = form.from();
        q.expr_as(form.id_column(), Alias::new("id")).cond_where(cond);
        q
    };
    let existing: BTreeSet<i64> = Id::find_by_statement(
        db.get_database_backend().build(&ids_of(sea_orm::sea_query::Cond::all().add(form.id().is_in(ids.to_vec())))),
    )
    .all(db)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    if ids.iter().any(|id| !existing.contains(id)) {
        return Err(ApiError::field("record_ids", Problem::NotFound));
    }
    let past: BTreeSet<i64> = Id::find_by_statement(
        db.get_database_backend().build(&ids_of(form.past_retention(today).add(form.id().is_in(ids.to_vec())))),
    )
    .all(db)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    if let Some(id) = ids.iter().find(|id| !past.contains(id)) {
        return Err(ApiError::conflict(Conflict::RecordNotDue, format!("record {id} is not past its retention")));
    }
    for hold in active_holds(db).await? {
        let Some(cond) = form.held_by(state, &hold) else { continue };
        let held =
            Id::find_by_statement(db.get_database_backend().build(&ids_of(cond.add(form.id().is_in(ids.to_vec())))))
                .one(db)
                .await?;
        if let Some(row) = held {
            return Err(ApiError::conflict(
                Conflict::RecordHeld,
                format!("record {} is held by hold {}: {}", row.id, hold.id, hold.reason),
            ));
        }
    }
    Ok(())
}

/// `POST /api/dispositions`.
pub async fn approve(state: &AppState, auth: &AuthUser, body: DispositionRequest) -> ApiResult<Disposition> {
    let db = &state.db.conn;
    let form = select::form(db, "form", &body.form).await?;
    let today = site_date(state, now());
    let through = body.through_month.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let (through, ids) = match (through, &body.record_ids) {
        (Some(_), Some(_)) => return Err(ApiError::field("record_ids", Problem::Unchanged)),
        (None, None) => return Err(ApiError::field("through_month", Problem::Required)),
        (Some(month), None) => {
            through_day("through_month", month, today)?;
            (Some(month.to_owned()), None)
        }
        (None, Some(ids)) => {
            if ids.is_empty() {
                return Err(ApiError::field("record_ids", Problem::Required));
            }
            if ids.len() > MAX_RECORD_IDS {
                return Err(ApiError::field("record_ids", Problem::TooLong));
            }
            let ids: Vec<i64> = ids.iter().copied().collect::<BTreeSet<i64>>().into_iter().collect();
            refuse_named(state, &form, &ids).await?;
            (None, Some(ids))
        }
    };
    // One batch of a form waits for confirmation at a time: two would count the same records.
    let waiting = dispositions::Entity::find()
        .filter(dispositions::Column::Form.eq(form.code.as_str()))
        .filter(dispositions::Column::Status.ne("disposed"))
        .one(db)
        .await?;
    if let Some(w) = waiting {
        return Err(ApiError::conflict(
            Conflict::WrongState,
            format!("batch {} of this form waits for confirmation; confirm it first", w.id),
        ));
    }
    reauthenticate(state, auth, body.password, "disposition.approve").await?;
    let at = now();
    let txn = state.db.write().await?;
    let holds = active_holds(&*txn).await?;
    let mut cond = dispose::covered(state, &form, at, through.as_deref(), ids.as_deref());
    if let Some(held) = form.held(state, &holds) {
        cond = cond.add(held.not());
    }
    let due_count = count(&*txn, form.from(), cond).await?;
    if due_count == 0 {
        return Err(ApiError::field("through_month", Problem::NotFound));
    }
    let row = dispositions::ActiveModel {
        form: Set(form.code.clone()),
        form_title: Set(form.title.clone()),
        retention_months: Set(form.months),
        through_month: Set(through.clone()),
        record_ids: Set(ids.as_ref().map(|ids| serde_json::to_string(ids).unwrap_or_default())),
        status: Set("approved".into()),
        due_count: Set(due_count),
        approved_by: Set(auth.id),
        approved_by_name: Set(auth.name().to_owned()),
        approved_at: Set(at),
        disposed: Set(0),
        withheld: Set(0),
        ..Default::default()
    };
    let id = dispositions::Entity::insert(row).exec(&*txn).await?.last_insert_id;
    let payload = json!({
        "form": form.code, "through_month": through, "records": ids.as_ref().map(Vec::len),
        "due_count": due_count, "retention_months": form.months, "signed_by": auth.name(),
        "meaning": "disposal approved",
    });
    auth.audit(&txn, Trail::EachStep, AuditAction::DispositionApproved, "disposition", id.to_string(), payload).await?;
    let d = dispositions::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    Ok(view(d))
}

/// `POST /api/dispositions/{id}/confirm`: the second signature, then the disposal itself, waited
/// for at most `disposal_wait`; answers whether it ended, and the batch.
pub async fn confirm(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    body: ConfirmRequest,
) -> ApiResult<(bool, Disposition)> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let db = &state.db.conn;
    let d = dispositions::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if d.approved_by == auth.id {
        return Err(ApiError::SegregationOfDuties);
    }
    if d.status != "approved" {
        return Err(ApiError::conflict(Conflict::WrongState, "this batch was confirmed already"));
    }
    let form = select::form(db, "form", &d.form).await?;
    reauthenticate(state, auth, body.password, "disposition.confirm").await?;
    let at = now();
    let txn = state.db.write().await?;
    let moved = dispositions::Entity::update_many()
        .col_expr(dispositions::Column::Status, Expr::value("disposing"))
        .col_expr(dispositions::Column::ConfirmedBy, Expr::value(auth.id))
        .col_expr(dispositions::Column::ConfirmedByName, Expr::value(auth.name()))
        .col_expr(dispositions::Column::ConfirmedAt, Expr::value(at))
        .filter(dispositions::Column::Id.eq(id))
        .filter(dispositions::Column::Status.eq("approved"))
        .exec(&*txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(ApiError::conflict(Conflict::WrongState, "this batch was confirmed already"));
    }
    let payload = json!({ "form": d.form, "signed_by": auth.name(), "meaning": "disposal confirmed" });
    auth.audit(&txn, Trail::EachStep, AuditAction::DispositionConfirmed, "disposition", id.to_string(), payload)
        .await?;
    txn.commit().await?;
    // The disposal runs to its end even if the client goes away, or the answer does not wait.
    let task_state = state.clone();
    let task = tokio::spawn(async move {
        let done = dispose::run(&task_state, &form, id).await;
        if let Err(err) = &done {
            tracing::error!(disposition = id, error = ?err, "the disposal stopped; it is taken up again at the next start");
        }
        done
    });
    match tokio::time::timeout(state.config.disposal_wait, task).await {
        Ok(joined) => {
            let done = joined.map_err(|e| ApiError::Internal(anyhow::anyhow!("the disposal task failed: {e}")))??;
            Ok((true, view(done)))
        }
        // Still disposing: the batch as it stands (its count so far), and the list shows it end.
        Err(_) => {
            let d = dispositions::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
            Ok((false, view(d)))
        }
    }
}

/// Batches confirmed but not finished (a server stopped in the middle) are finished at start.
pub async fn resume(state: &AppState) -> anyhow::Result<()> {
    let open =
        dispositions::Entity::find().filter(dispositions::Column::Status.eq("disposing")).all(&state.db.conn).await?;
    for d in open {
        let form = select::form(&state.db.conn, "form", &d.form).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        dispose::run(state, &form, d.id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

/// `GET /api/dispositions/{id}/certificate`: 404 until the batch is disposed.
pub async fn certificate(state: &AppState, id: i64) -> ApiResult<Certificate> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let d = dispositions::Entity::find_by_id(id).one(&state.db.conn).await?.ok_or(ApiError::NotFound)?;
    let text = d.certificate.ok_or(ApiError::NotFound)?;
    serde_json::from_str(&text).map_err(|e| ApiError::Internal(e.into()))
}

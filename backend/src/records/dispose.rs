//! Disposal (issue 15 item 4): a confirmed batch's records are hashed, deleted and replaced by a
//! tombstone, `DISPOSAL_CHUNK` records per transaction (each with its audit entry), so other
//! users keep working; every chunk checks the holds again inside its own transaction. The last
//! step computes the batch's Merkle root and issues the certificate.
use super::select::{Kind, RecordForm, active_holds};
use crate::audit::{Actor, Entry, append};
use crate::db::{WriteTx, now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::site_time::{site_date, site_day};
use crate::state::AppState;
use chrono::{DateTime, Datelike, Utc};
use domain::audit::AuditAction;
use domain::dates::Date;
use domain::records::{BackupHolding, Certificate, DISPOSAL_CHUNK, PeriodCount, month_end, parse_month};
use entity::{
    backups, case_promises, case_views, cases, disposed_records, dispositions, evaluation_amendments,
    evaluation_answers, evaluations, followup_steps, followups, promise_history, sampling_assignments, validations,
};
use sea_orm::ExprTrait;
use sea_orm::sea_query::{Alias, Cond, Condition, Expr, Order};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The records a batch covers, held or not: closed, past retention on the day it was approved,
/// and its month or its list.
pub fn batch(state: &AppState, form: &RecordForm, d: &dispositions::Model) -> Condition {
    let ids: Option<Vec<i64>> = d.record_ids.as_deref().map(|ids| serde_json::from_str(ids).unwrap_or_default());
    covered(state, form, d.approved_at, d.through_month.as_deref(), ids.as_deref())
}

/// The records a batch approved at `approved_at` for `through_month` or `ids` covers: what
/// [`batch`] reads of a stored batch, and what the approval counts before storing it.
pub fn covered(
    state: &AppState,
    form: &RecordForm,
    approved_at: DateTime<Utc>,
    through_month: Option<&str>,
    ids: Option<&[i64]>,
) -> Condition {
    let mut cond = form.past_retention(site_date(state, approved_at));
    if let Some((year, month)) = through_month.and_then(parse_month) {
        cond = cond.add(form.retain_until().lte(month_end(year, month).to_string()));
    }
    if let Some(ids) = ids {
        cond = cond.add(form.id().is_in(ids.to_vec()));
    }
    cond
}

#[derive(FromQueryResult)]
struct Next {
    id: i64,
    retain_until: String,
    row_id: i64,
}

/// Where the last chunk ended, in `(retain_until, row id)` order: the order of the
/// `(retain_until, id)` index, so each chunk starts where the last one stopped instead of
/// sorting the batch again.
type Cursor = Option<(String, i64)>;

/// The next chunk of a batch's records no hold covers, after `cursor`.
async fn next_chunk(
    txn: &WriteTx,
    state: &AppState,
    form: &RecordForm,
    d: &dispositions::Model,
    cursor: &mut Cursor,
) -> ApiResult<Vec<i64>> {
    let holds = active_holds(&**txn).await?;
    let mut cond = batch(state, form, d);
    if let Some(held) = form.held(state, &holds) {
        cond = cond.add(held.not());
    }
    let row_id = || Expr::col((Alias::new("r"), Alias::new("id")));
    if let Some((until, id)) = cursor.clone() {
        cond = cond.add(
            Cond::any()
                .add(form.retain_until().gt(until.clone()))
                .add(Cond::all().add(form.retain_until().eq(until)).add(row_id().gt(id))),
        );
    }
    let mut q = form.from();
    q.expr_as(form.id_column(), Alias::new("id"))
        .expr_as(form.retain_until(), Alias::new("retain_until"))
        .expr_as(Expr::cust("CAST(r.id AS BIGINT)"), Alias::new("row_id"))
        .cond_where(cond)
        .order_by_expr(form.retain_until(), Order::Asc)
        .order_by_expr(row_id(), Order::Asc)
        .limit(DISPOSAL_CHUNK as u64);
    let rows = Next::find_by_statement(txn.get_database_backend().build(&q)).all(&**txn).await?;
    if let Some(last) = rows.last() {
        *cursor = Some((last.retain_until.clone(), last.row_id));
    }
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// What a tombstone keeps of a record besides its hash: its `retain_until`, and what the F-19
/// report counts of it (so the report's counts stay after disposal).
#[derive(Default)]
struct Kept {
    retain_until: String,
    call_at: DateTime<Utc>,
    team_id: Option<i32>,
    agent_id: Option<i32>,
    service: Option<domain::cases::Service>,
    bucket: Option<domain::cases::Bucket>,
    approved: bool,
    returned: bool,
    closed_in_time: bool,
    recared_in_time: bool,
    verified_in_time: bool,
    /// The agree's promise status (the keep-rate roll-up keeps its count on a rebuild).
    promise_status: Option<domain::promises::PromiseStatus>,
}

type Tables = BTreeMap<&'static str, Vec<Value>>;

/// Rows of `table` grouped by the record they belong to (`key` reads the record's id of a row).
fn group(out: &mut BTreeMap<i64, Tables>, table: &'static str, rows: Vec<Value>, key: impl Fn(&Value) -> Option<i64>) {
    for tables in out.values_mut() {
        tables.entry(table).or_default();
    }
    for row in rows {
        if let Some(tables) = key(&row).and_then(|id| out.get_mut(&id)) {
            tables.entry(table).or_default().push(row);
        }
    }
}

fn field(row: &Value, name: &str) -> Option<i64> {
    row.get(name).and_then(Value::as_i64)
}

/// The rows of the records `ids`, table by table in a fixed order (one query per table), and
/// what each tombstone keeps.
async fn rows_of(txn: &WriteTx, kind: Kind, ids: &[i64]) -> ApiResult<BTreeMap<i64, (Tables, Kept)>> {
    let db = &**txn;
    let mut tables: BTreeMap<i64, Tables> = ids.iter().map(|id| (*id, Tables::new())).collect();
    let mut kept: BTreeMap<i64, Kept> = BTreeMap::new();
    match kind {
        Kind::Sheets => {
            for sheet in evaluations::Entity::find().filter(evaluations::Column::Id.is_in(ids.to_vec())).all(db).await?
            {
                kept.insert(
                    sheet.id,
                    Kept {
                        retain_until: sheet.retain_until.unwrap_or_default(),
                        call_at: sheet.call_at,
                        team_id: sheet.team_id,
                        agent_id: Some(sheet.agent_id),
                        service: Some(sheet.service),
                        bucket: Some(sheet.bucket),
                        ..Kept::default()
                    },
                );
            }
            let rows = evaluations::Entity::find()
                .filter(evaluations::Column::Id.is_in(ids.to_vec()))
                .into_json()
                .all(db)
                .await?;
            group(&mut tables, "evaluations", rows, |r| field(r, "id"));
            let rows = evaluation_answers::Entity::find()
                .filter(evaluation_answers::Column::EvaluationId.is_in(ids.to_vec()))
                .order_by_asc(evaluation_answers::Column::EvaluationId)
                .order_by_asc(evaluation_answers::Column::ParameterKey)
                .into_json()
                .all(db)
                .await?;
            group(&mut tables, "evaluation_answers", rows, |r| field(r, "evaluation_id"));
            let rows = evaluation_amendments::Entity::find()
                .filter(evaluation_amendments::Column::EvaluationId.is_in(ids.to_vec()))
                .order_by_asc(evaluation_amendments::Column::Id)
                .into_json()
                .all(db)
                .await?;
            group(&mut tables, "evaluation_amendments", rows, |r| field(r, "evaluation_id"));
        }
        Kind::Validations => {
            let case_ids: Vec<i32> = ids.iter().filter_map(|id| i32::try_from(*id).ok()).collect();
            let cases_of: BTreeMap<i32, cases::Model> = cases::Entity::find()
                .filter(cases::Column::Id.is_in(case_ids.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect();
            let followup_rows = followups::Entity::find()
                .filter(followups::Column::CaseId.is_in(case_ids.clone()))
                .order_by_asc(followups::Column::Id)
                .all(db)
                .await?;
            for validation in
                validations::Entity::find().filter(validations::Column::CaseId.is_in(case_ids.clone())).all(db).await?
            {
                let Some(case) = cases_of.get(&validation.case_id) else { continue };
                let closed: Vec<&followups::Model> = followup_rows
                    .iter()
                    .filter(|f| f.case_id == case.id && f.status == domain::cases::FollowupStatus::Closed)
                    .collect();
                kept.insert(
                    case.id.into(),
                    Kept {
                        retain_until: validation.retain_until.clone(),
                        call_at: case.call_at,
                        team_id: case.team_id,
                        agent_id: Some(case.agent_id),
                        service: Some(case.service),
                        bucket: Some(case.bucket),
                        approved: validation.result == domain::cases::ValidationResult::Approved,
                        returned: validation.result == domain::cases::ValidationResult::Returned,
                        closed_in_time: closed.iter().any(|f| f.late_recares == 0 && f.late_verifications == 0),
                        recared_in_time: closed.iter().any(|f| f.late_recares == 0),
                        verified_in_time: closed.iter().any(|f| f.late_verifications == 0),
                        promise_status: None,
                    },
                );
            }
            let case_of_followup: BTreeMap<i64, i64> =
                followup_rows.iter().map(|f| (i64::from(f.id), i64::from(f.case_id))).collect();
            let followup_ids: Vec<i32> = followup_rows.iter().map(|f| f.id).collect();
            let rows =
                cases::Entity::find().filter(cases::Column::Id.is_in(case_ids.clone())).into_json().all(db).await?;
            group(&mut tables, "cases", rows, |r| field(r, "id"));
            let rows = validations::Entity::find()
                .filter(validations::Column::CaseId.is_in(case_ids.clone()))
                .into_json()
                .all(db)
                .await?;
            group(&mut tables, "validations", rows, |r| field(r, "case_id"));
            let rows = followups::Entity::find()
                .filter(followups::Column::CaseId.is_in(case_ids.clone()))
                .order_by_asc(followups::Column::Id)
                .into_json()
                .all(db)
                .await?;
            group(&mut tables, "followups", rows, |r| field(r, "case_id"));
            let rows = followup_steps::Entity::find()
                .filter(followup_steps::Column::FollowupId.is_in(followup_ids))
                .order_by_asc(followup_steps::Column::Id)
                .into_json()
                .all(db)
                .await?;
            group(&mut tables, "followup_steps", rows, |r| {
                field(r, "followup_id").and_then(|f| case_of_followup.get(&f).copied())
            });
            let rows = case_promises::Entity::find()
                .filter(case_promises::Column::CaseId.is_in(case_ids.clone()))
                .into_json()
                .all(db)
                .await?;
            for row in &rows {
                let status = row.get("status").and_then(Value::as_str).and_then(|s| s.parse().ok());
                if let Some(k) = field(row, "case_id").and_then(|id| kept.get_mut(&id)) {
                    k.promise_status = status;
                }
            }
            group(&mut tables, "case_promises", rows, |r| field(r, "case_id"));
            let rows = promise_history::Entity::find()
                .filter(promise_history::Column::CaseId.is_in(case_ids))
                .order_by_asc(promise_history::Column::Id)
                .into_json()
                .all(db)
                .await?;
            group(&mut tables, "promise_history", rows, |r| field(r, "case_id"));
        }
    }
    Ok(tables.into_iter().filter_map(|(id, t)| kept.remove(&id).map(|k| (id, (t, k)))).collect())
}

/// SHA-256 (hex) of a record in canonical form: `{"form", "record_id", "tables": {table: rows}}`
/// with tables by name and rows in key order, as serde_json writes it.
pub fn record_hash(form: &str, id: i64, tables: &Tables) -> String {
    let doc = json!({ "form": form, "record_id": id, "tables": tables });
    hex::encode(Sha256::digest(serde_json::to_vec(&doc).unwrap_or_default()))
}

/// Deletes the records' rows (and clears references to them), one statement per table.
async fn delete(txn: &WriteTx, kind: Kind, ids: &[i64]) -> ApiResult<()> {
    let db = &**txn;
    match kind {
        Kind::Sheets => {
            evaluation_amendments::Entity::delete_many()
                .filter(evaluation_amendments::Column::EvaluationId.is_in(ids.to_vec()))
                .exec(db)
                .await?;
            evaluation_answers::Entity::delete_many()
                .filter(evaluation_answers::Column::EvaluationId.is_in(ids.to_vec()))
                .exec(db)
                .await?;
            validations::Entity::update_many()
                .col_expr(validations::Column::EvaluationId, Expr::value(Option::<i32>::None))
                .filter(validations::Column::EvaluationId.is_in(ids.to_vec()))
                .exec(db)
                .await?;
            sampling_assignments::Entity::update_many()
                .col_expr(sampling_assignments::Column::EvaluationId, Expr::value(Option::<i64>::None))
                .filter(sampling_assignments::Column::EvaluationId.is_in(ids.to_vec()))
                .exec(db)
                .await?;
            evaluations::Entity::delete_many().filter(evaluations::Column::Id.is_in(ids.to_vec())).exec(db).await?;
        }
        Kind::Validations => {
            let case_ids: Vec<i32> = ids.iter().filter_map(|id| i32::try_from(*id).ok()).collect();
            let followup_ids: Vec<i32> = followups::Entity::find()
                .filter(followups::Column::CaseId.is_in(case_ids.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|f| f.id)
                .collect();
            followup_steps::Entity::delete_many()
                .filter(followup_steps::Column::FollowupId.is_in(followup_ids))
                .exec(db)
                .await?;
            followups::Entity::delete_many().filter(followups::Column::CaseId.is_in(case_ids.clone())).exec(db).await?;
            validations::Entity::delete_many()
                .filter(validations::Column::CaseId.is_in(case_ids.clone()))
                .exec(db)
                .await?;
            case_promises::Entity::delete_many()
                .filter(case_promises::Column::CaseId.is_in(case_ids.clone()))
                .exec(db)
                .await?;
            promise_history::Entity::delete_many()
                .filter(promise_history::Column::CaseId.is_in(case_ids.clone()))
                .exec(db)
                .await?;
            case_views::Entity::delete_many()
                .filter(case_views::Column::CaseId.is_in(case_ids.clone()))
                .exec(db)
                .await?;
            sampling_assignments::Entity::update_many()
                .col_expr(sampling_assignments::Column::CaseId, Expr::value(Option::<i64>::None))
                .filter(sampling_assignments::Column::CaseId.is_in(ids.to_vec()))
                .exec(db)
                .await?;
            cases::Entity::delete_many().filter(cases::Column::Id.is_in(case_ids)).exec(db).await?;
        }
    }
    Ok(())
}

/// Disposes of one chunk in one transaction; returns how many records it disposed (0: done).
async fn chunk(state: &AppState, form: &RecordForm, d: &dispositions::Model, cursor: &mut Cursor) -> ApiResult<usize> {
    let txn = state.db.write().await?;
    let ids = next_chunk(&txn, state, form, d, cursor).await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let at = now();
    let records = rows_of(&txn, form.kind, &ids).await?;
    let mut tombstones = Vec::with_capacity(records.len());
    for (id, (tables, kept)) in records {
        let day = site_day(state, kept.call_at);
        tombstones.push(disposed_records::ActiveModel {
            disposition_id: Set(d.id),
            form: Set(form.code.clone()),
            record_id: Set(id),
            period: Set(format!("{:04}-{:02}", day.year(), day.month())),
            retain_until: Set(kept.retain_until),
            sha256: Set(record_hash(&form.code, id, &tables)),
            disposed_at: Set(at),
            team_id: Set(kept.team_id),
            agent_id: Set(kept.agent_id),
            service: Set(kept.service),
            bucket: Set(kept.bucket),
            call_at: Set(Some(kept.call_at)),
            approved: Set(kept.approved),
            returned: Set(kept.returned),
            closed_in_time: Set(kept.closed_in_time),
            recared_in_time: Set(kept.recared_in_time),
            verified_in_time: Set(kept.verified_in_time),
            promise_status: Set(kept.promise_status),
            ..Default::default()
        });
    }
    delete(&txn, form.kind, &ids).await?;
    let count = tombstones.len();
    // 20 values a row: well inside either engine's bound parameters per statement.
    for part in tombstones.chunks(100) {
        disposed_records::Entity::insert_many(part.to_vec()).exec_without_returning(&*txn).await?;
    }
    dispositions::Entity::update_many()
        .col_expr(dispositions::Column::Disposed, Expr::col(dispositions::Column::Disposed).add(count as i64))
        .filter(dispositions::Column::Id.eq(d.id))
        .exec(&*txn)
        .await?;
    let entry = Entry {
        actor: &Actor::system(),
        action: AuditAction::RecordsDisposed,
        entity: "disposition",
        entity_id: Some(d.id.to_string()),
        payload: json!({ "form": form.code, "count": count, "first_id": ids.first(), "last_id": ids.last() }),
    };
    append(&txn, entry).await?;
    txn.commit().await?;
    Ok(ids.len())
}

/// A binary SHA-256 tree over `leaves` (hex hashes) in order: a node is SHA-256(0x01 ‖ left ‖
/// right); the last node of an odd level is carried up as it is. Built as the leaves stream in,
/// holding one node per level.
#[derive(Default)]
pub struct Merkle {
    /// (level, node) from the left; levels strictly decreasing.
    stack: Vec<(u32, [u8; 32])>,
}

fn node(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

impl Merkle {
    pub fn push(&mut self, leaf_hex: &str) {
        let mut leaf = [0u8; 32];
        if let Ok(bytes) = hex::decode(leaf_hex)
            && bytes.len() == 32
        {
            leaf.copy_from_slice(&bytes);
        }
        let mut item = (0u32, leaf);
        while let Some(top) = self.stack.last()
            && top.0 == item.0
        {
            let (level, left) = self.stack.pop().expect("a top");
            item = (level + 1, node(&left, &item.1));
        }
        self.stack.push(item);
    }

    /// The root (hex); the empty tree's is SHA-256 of nothing.
    pub fn root(mut self) -> String {
        let Some(mut acc) = self.stack.pop().map(|(_, n)| n) else {
            return hex::encode(Sha256::digest(b""));
        };
        while let Some((_, left)) = self.stack.pop() {
            acc = node(&left, &acc);
        }
        hex::encode(acc)
    }
}

#[derive(FromQueryResult)]
struct PeriodRow {
    period: String,
    n: i64,
}

/// What the certificate says of a batch's tombstones: the Merkle root of their hashes in
/// record-id order, their count per call month, and how many there are.
struct Summary {
    root: String,
    periods: Vec<PeriodCount>,
    count: u64,
}

/// The [`Summary`] of batch `id`'s tombstones as they stand in `db`, read a page at a time in
/// the order of the `(disposition_id, record_id)` index.
async fn summarise(db: &impl ConnectionTrait, id: i32) -> ApiResult<Summary> {
    let mut merkle = Merkle::default();
    let mut after = 0i64;
    let mut count = 0u64;
    loop {
        let page: Vec<(i64, String)> = disposed_records::Entity::find()
            .select_only()
            .column(disposed_records::Column::RecordId)
            .column(disposed_records::Column::Sha256)
            .filter(disposed_records::Column::DispositionId.eq(id))
            .filter(disposed_records::Column::RecordId.gt(after))
            .order_by_asc(disposed_records::Column::RecordId)
            .limit(10_000)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.0;
        count += page.len() as u64;
        for (_, hash) in &page {
            merkle.push(hash);
        }
    }
    let mut q = sea_orm::sea_query::Query::select();
    q.expr_as(Expr::col(disposed_records::Column::Period), Alias::new("period"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(disposed_records::Entity)
        .and_where(Expr::col(disposed_records::Column::DispositionId).eq(id))
        .group_by_col(disposed_records::Column::Period)
        .order_by(disposed_records::Column::Period, Order::Asc);
    let periods: Vec<PeriodCount> = PeriodRow::find_by_statement(db.get_database_backend().build(&q))
        .all(db)
        .await?
        .into_iter()
        .map(|p| PeriodCount { period: p.period, count: p.n })
        .collect();
    Ok(Summary { root: merkle.root(), periods, count })
}

/// Runs a confirmed batch to its end: the chunks, then the Merkle root, the certificate and its
/// audit entry. Safe to call again after a crash (it picks up the records left).
pub async fn run(state: &AppState, form: &RecordForm, id: i32) -> ApiResult<dispositions::Model> {
    let db = &state.db.conn;
    let d = dispositions::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if d.status == "disposed" {
        return Ok(d);
    }
    let mut cursor = None;
    while chunk(state, form, &d, &mut cursor).await? > 0 {
        // A breath between chunks, so the requests that waited for the writer go first.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    // The root and the counts are read before the last transaction (at a million tombstones they
    // take seconds; other writers must not wait for them), and that transaction checks that no
    // chunk landed since (another server running the same batch) — else they are read again.
    let mut tries = 0;
    let (txn, d, Summary { root, periods, .. }) = loop {
        tries += 1;
        let summary = summarise(db, id).await?;
        let txn = state.db.write().await?;
        let d = dispositions::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
        if d.status == "disposed" {
            return Ok(d);
        }
        let now_count = disposed_records::Entity::find()
            .filter(disposed_records::Column::DispositionId.eq(id))
            .count(&*txn)
            .await?;
        if now_count == summary.count {
            break (txn, d, summary);
        }
        if tries >= 3 {
            let summary = summarise(&*txn, id).await?;
            break (txn, d, summary);
        }
    };
    // The batch's records a hold placed since the approval kept (those held at the approval were
    // never in its count).
    let withheld = Ord::max(d.due_count - d.disposed, 0);
    let at = now();
    let earliest =
        periods.first().and_then(|p| parse_month(&p.period)).map(|(year, month)| Date { year, month, day: 1 });
    let mut held_backups = backups::Entity::find().filter(backups::Column::MadeAt.lt(d.confirmed_at.unwrap_or(at)));
    if let Some(first) = earliest {
        held_backups = held_backups.filter(backups::Column::MadeAt.gte(crate::site_time::day_start(state, first)));
    }
    let backups: Vec<BackupHolding> = held_backups
        .order_by_asc(backups::Column::MadeAt)
        .all(&*txn)
        .await?
        .into_iter()
        .map(|b| BackupHolding { archive_id: b.archive_id, file_name: b.file_name, made_at: timestamp(b.made_at) })
        .collect();
    let disposed: i64 = periods.iter().map(|p| p.count).sum();
    let mut certificate = Certificate {
        number: format!("SP-{}-{:04}", site_date(state, at).year, d.id),
        disposition_id: d.id.into(),
        form: d.form.clone(),
        form_title: d.form_title.clone(),
        retention_months: d.retention_months,
        counts_from: match form.kind {
            Kind::Sheets => "acknowledged_or_resolved".to_owned(),
            Kind::Validations => "validated_or_followup_closed".to_owned(),
        },
        through_month: d.through_month.clone(),
        approved_by: d.approved_by_name.clone(),
        approved_at: timestamp(d.approved_at),
        confirmed_by: d.confirmed_by_name.clone().unwrap_or_default(),
        confirmed_at: d.confirmed_at.map(timestamp).unwrap_or_default(),
        disposed_at: timestamp(at),
        periods,
        disposed,
        withheld,
        hash_method: "sha256-merkle".to_owned(),
        merkle_root: root.clone(),
        audit_seq: 0,
        backups,
    };
    let entry = Entry {
        actor: &Actor::system(),
        action: AuditAction::DispositionFinished,
        entity: "disposition",
        entity_id: Some(d.id.to_string()),
        payload: json!({
            "number": certificate.number, "form": d.form, "disposed": disposed, "withheld": withheld,
            "merkle_root": root, "periods": certificate.periods, "backups": certificate.backups.len(),
        }),
    };
    certificate.audit_seq = append(&txn, entry).await?;
    dispositions::Entity::update_many()
        .col_expr(dispositions::Column::Status, Expr::value("disposed"))
        .col_expr(dispositions::Column::Withheld, Expr::value(withheld))
        .col_expr(dispositions::Column::MerkleRoot, Expr::value(root))
        .col_expr(dispositions::Column::FinishedAt, Expr::value(at))
        .col_expr(
            dispositions::Column::Certificate,
            Expr::value(serde_json::to_string(&certificate).map_err(anyhow::Error::from)?),
        )
        .filter(dispositions::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    let d = dispositions::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree level by level, as the certificate describes it.
    fn by_levels(leaves: &[String]) -> String {
        let mut level: Vec<[u8; 32]> = leaves
            .iter()
            .map(|h| {
                let mut a = [0u8; 32];
                a.copy_from_slice(&hex::decode(h).unwrap());
                a
            })
            .collect();
        if level.is_empty() {
            return hex::encode(Sha256::digest(b""));
        }
        while level.len() > 1 {
            level = level.chunks(2).map(|p| if p.len() == 2 { node(&p[0], &p[1]) } else { p[0] }).collect();
        }
        hex::encode(level[0])
    }

    #[test]
    fn the_streamed_tree_equals_the_tree_by_levels() {
        for n in 0..40 {
            let leaves: Vec<String> = (0..n).map(|i: u32| hex::encode(Sha256::digest(i.to_le_bytes()))).collect();
            let mut m = Merkle::default();
            for l in &leaves {
                m.push(l);
            }
            assert_eq!(m.root(), by_levels(&leaves), "{n} leaves");
        }
    }
}

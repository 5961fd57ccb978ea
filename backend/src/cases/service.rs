//! Queries and transactions of agree cases, validations and W-03 follow-ups. Every step is a
//! conditional update (on the case's status, on the follow-up's status and version) committed
//! with its audit entry; the unique `validations.case_id` settles any race between QCOs.
//!
//! Overdue is computed when read: a follow-up is overdue while it waits for the agent (open or
//! reopened) past `due_at`. Nothing needs to run in the background.

use crate::audit::{self, Actor, Entry};
use crate::auth::AuthUser;
use crate::db::{WriteTx, now, timestamp};
use crate::error::{ApiError, ApiResult, is_unique_violation};
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use domain::Role;
use domain::api::Page;
use domain::cases::{
    self as rules, AgentFollowupCounts, Bucket, Case, CaseStatus, CaseSummary, Checklist, ChecklistLabels, Followup,
    FollowupAction, FollowupStatus, FollowupStep, FollowupSummary, NewValidation, RecareRequest, Service, Validation,
    ValidationResult, VerifyRequest, Visibility,
};
use domain::dates::Date;
use domain::documents::{Actor as RuleActor, Refusal};
use entity::{followup_steps, followups, validations};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryResult, Statement, Value};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

/// Who acts: the caller, or a demo user when the demo data is loaded.
#[derive(Debug, Clone)]
pub struct Who {
    pub id: i32,
    pub username: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<i32>,
    /// Loading the demo data: its steps are not audited one by one (the demo's own
    /// `demo.loaded` entry covers them). Always false for requests.
    pub demo: bool,
}

impl From<&AuthUser> for Who {
    fn from(auth: &AuthUser) -> Who {
        Who {
            id: auth.id,
            username: auth.username.clone(),
            name: auth.profile.full_name.clone(),
            role: auth.role,
            team_id: auth.team_id,
            demo: false,
        }
    }
}

impl Who {
    pub fn actor(&self) -> Actor {
        Actor::user(self.id, &self.username)
    }

    /// Appends the audit entry of a step (inside its transaction), unless loading the demo.
    pub async fn audit(
        &self,
        txn: &WriteTx,
        action: &str,
        entity: &str,
        entity_id: String,
        payload: serde_json::Value,
    ) -> ApiResult<()> {
        if !self.demo {
            audit::append(txn, Entry { actor: &self.actor(), action, entity, entity_id: Some(entity_id), payload })
                .await?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Small SQL helpers: raw statements that run on SQLite and PostgreSQL alike.
// ---------------------------------------------------------------------------------------------

/// A statement being built, with `$n` placeholders (both databases accept them).
pub struct Sql {
    pub text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_owned(), values: Vec::new() }
    }
    /// Binds a value and returns its placeholder.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }
    pub fn statement(&self, db: &impl ConnectionTrait) -> Statement {
        Statement::from_sql_and_values(db.get_database_backend(), self.text.clone(), self.values.clone())
    }
    pub async fn all(&self, db: &impl ConnectionTrait) -> ApiResult<Vec<QueryResult>> {
        Ok(db.query_all_raw(self.statement(db)).await?)
    }
    pub async fn one(&self, db: &impl ConnectionTrait) -> ApiResult<Option<QueryResult>> {
        Ok(db.query_one_raw(self.statement(db)).await?)
    }
    pub async fn exec(&self, db: &impl ConnectionTrait) -> ApiResult<u64> {
        Ok(db.execute_raw(self.statement(db)).await?.rows_affected())
    }
}

pub fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> ApiResult<T> {
    row.try_get::<T>("", column).map_err(ApiError::from)
}

/// Counts come back as BIGINT (or INTEGER) and NULL for an empty SUM.
pub fn count(row: &QueryResult, column: &str) -> ApiResult<u64> {
    Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0).max(0) as u64)
}

// ---------------------------------------------------------------------------------------------
// Site time
// ---------------------------------------------------------------------------------------------

/// A site-local wall time as an instant.
pub fn local_to_utc(state: &AppState, local: NaiveDateTime) -> DateTime<Utc> {
    let offset = state.config.offset();
    offset
        .from_local_datetime(&local)
        .single()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The site's calendar day of an instant.
pub fn site_date(state: &AppState, at: DateTime<Utc>) -> Date {
    let day = at.with_timezone(&state.config.offset()).date_naive();
    Date::parse(&day.format("%Y-%m-%d").to_string()).expect("a valid date")
}

fn naive(date: Date) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year, date.month, date.day).expect("a valid date")
}

/// 00:00 of a site day.
pub fn day_start(state: &AppState, date: Date) -> DateTime<Utc> {
    local_to_utc(state, naive(date).and_hms_opt(0, 0, 0).expect("midnight"))
}

/// The last second of a site day.
pub fn day_end(state: &AppState, date: Date) -> DateTime<Utc> {
    local_to_utc(state, naive(date).and_hms_opt(23, 59, 59).expect("a valid time"))
}

/// The due time of a follow-up opened at `opened`: the end of the site day
/// `config.followup_days` working days later.
pub fn due_at(state: &AppState, opened: DateTime<Utc>) -> DateTime<Utc> {
    day_end(state, site_date(state, opened).add_working_days(state.config.followup_days))
}

/// The site zone's usual abbreviation.
pub fn zone_label(state: &AppState) -> &'static str {
    match state.config.offset().local_minus_utc() {
        25200 => "WIB",
        28800 => "WITA",
        32400 => "WIT",
        _ => "UTC",
    }
}

/// An instant range; either end may be open.
pub type Period = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// `from`/`to` query dates (calendar days of the call, inclusive) as an instant range.
pub fn period(state: &AppState, from: Option<&str>, to: Option<&str>) -> ApiResult<Period> {
    let from = match from.filter(|f| !f.is_empty()) {
        Some(text) => Some(Date::parse(text).ok_or_else(|| ApiError::field("from", "invalid_date"))?),
        None => None,
    };
    let to = match to.filter(|t| !t.is_empty()) {
        Some(text) => Some(Date::parse(text).ok_or_else(|| ApiError::field("to", "invalid_date"))?),
        None => None,
    };
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(ApiError::field("to", "before_from"));
    }
    Ok((from.map(|d| day_start(state, d)), to.map(|d| day_start(state, d.add_days(1)))))
}

// ---------------------------------------------------------------------------------------------
// Cursors of (time, id) keysets
// ---------------------------------------------------------------------------------------------

fn encode_pair(at: DateTime<Utc>, id: i32) -> String {
    URL_SAFE_NO_PAD.encode(format!("t:{}:{id}", at.timestamp_micros()))
}

fn decode_pair(text: &str) -> ApiResult<(DateTime<Utc>, i32)> {
    let bad = || ApiError::BadRequest("invalid cursor".into());
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let rest = text.strip_prefix("t:").ok_or_else(bad)?;
    let (micros, id) = rest.split_once(':').ok_or_else(bad)?;
    let at = crate::db::cursor_instant(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((at, id.parse().map_err(|_| bad())?))
}

fn page_limit(limit: Option<u64>) -> ApiResult<u64> {
    crate::db::PageQuery { limit, cursor: None }.limit()
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

/// Filters of `GET /api/cases`.
#[derive(Debug, Default, Deserialize)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    pub service: Option<String>,
    pub bucket: Option<String>,
    /// Calendar days of the call (site zone), inclusive.
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "domain::dates::de::opt_day")]
    pub to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

pub const CASE_SELECT: &str = "SELECT c.id, c.customer_no, c.customer_name, c.service, c.bucket, c.bill_amount, c.agent_id, \
    u.username AS agent_username, u.full_name AS agent_name, c.team_id, c.call_at, c.reason, c.promise_date, c.recording_ref, \
    c.status, c.imported_at, v.id AS v_id, v.result AS v_result, v.identity_verified, v.amount_and_date_correct, \
    v.explicit_agreement, v.reason_matches, v.recommendation, v.qco_id, q.full_name AS qco_name, v.validated_at, \
    v.retain_until, v.evaluation_id, f.id AS f_id \
    FROM cases c JOIN users u ON u.id = c.agent_id \
    LEFT JOIN validations v ON v.case_id = c.id LEFT JOIN users q ON q.id = v.qco_id \
    LEFT JOIN followups f ON f.case_id = c.id";

pub fn case_from_row(row: &QueryResult) -> ApiResult<Case> {
    let validation = match get::<Option<i32>>(row, "v_id")? {
        Some(id) => Some(Validation {
            id: id.into(),
            result: if get::<String>(row, "v_result")? == "approved" {
                ValidationResult::Approved
            } else {
                ValidationResult::Returned
            },
            checklist: Checklist {
                identity_verified: get(row, "identity_verified")?,
                amount_and_date_correct: get(row, "amount_and_date_correct")?,
                explicit_agreement: get(row, "explicit_agreement")?,
                reason_matches: get(row, "reason_matches")?,
            },
            recommendation: get(row, "recommendation")?,
            qco_id: get::<i32>(row, "qco_id")?.into(),
            qco_name: get(row, "qco_name")?,
            validated_at: timestamp(get(row, "validated_at")?),
            retain_until: get(row, "retain_until")?,
            evaluation_id: get::<Option<i32>>(row, "evaluation_id")?.map(i64::from),
            followup_id: get::<Option<i32>>(row, "f_id")?.map(i64::from),
        }),
        None => None,
    };
    let service: String = get(row, "service")?;
    let bucket: String = get(row, "bucket")?;
    let status: String = get(row, "status")?;
    Ok(Case {
        id: get::<i32>(row, "id")?.into(),
        customer_no: get(row, "customer_no")?,
        customer_name: get(row, "customer_name")?,
        service: Service::parse(&service).unwrap_or(Service::Ct0),
        bucket: Bucket::parse(&bucket).unwrap_or(Bucket::N),
        bill_amount: get(row, "bill_amount")?,
        agent_id: get::<i32>(row, "agent_id")?.into(),
        agent_username: get(row, "agent_username")?,
        agent_name: get(row, "agent_name")?,
        team_id: get::<Option<i32>>(row, "team_id")?.map(i64::from),
        call_at: timestamp(get(row, "call_at")?),
        reason: get(row, "reason")?,
        promise_date: get(row, "promise_date")?,
        recording_ref: get(row, "recording_ref")?,
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Pending),
        imported_at: timestamp(get(row, "imported_at")?),
        validation,
    })
}

/// Adds the caller's row visibility on `alias` (a table with `agent_id` and `team_id`).
/// `None` when the role sees nothing at all.
fn visible(sql: &mut Sql, who: &Who, alias: &str) -> Option<()> {
    match rules::visibility(who.role) {
        Visibility::All => {}
        Visibility::Own => {
            let p = sql.bind(who.id);
            sql.push(&format!(" AND {alias}.agent_id = {p}"));
        }
        Visibility::Team => match who.team_id {
            Some(team) => {
                let p = sql.bind(team);
                sql.push(&format!(" AND {alias}.team_id = {p}"));
            }
            None => {
                sql.push(" AND 1 = 0");
            }
        },
        Visibility::None => return None,
    }
    Some(())
}

pub async fn list_cases(state: &AppState, who: &Who, filter: &CaseFilter) -> ApiResult<Page<Case>> {
    let limit = page_limit(filter.limit)?;
    let mut sql = Sql::new(CASE_SELECT);
    sql.push(" WHERE 1 = 1");
    visible(&mut sql, who, "c").ok_or(ApiError::Forbidden)?;
    let status = match filter.status.as_deref().filter(|s| !s.is_empty()) {
        Some(text) => Some(CaseStatus::parse(text).ok_or_else(|| ApiError::field("status", "unknown_status"))?),
        None => None,
    };
    if let Some(status) = status {
        let p = sql.bind(status.as_str());
        sql.push(&format!(" AND c.status = {p}"));
    }
    if let Some(agent) = filter.agent_id {
        let agent = i32::try_from(agent).map_err(|_| ApiError::field("agent_id", "out_of_range"))?;
        let p = sql.bind(agent);
        sql.push(&format!(" AND c.agent_id = {p}"));
    }
    if let Some(team) = filter.team_id {
        let team = i32::try_from(team).map_err(|_| ApiError::field("team_id", "out_of_range"))?;
        let p = sql.bind(team);
        sql.push(&format!(" AND c.team_id = {p}"));
    }
    if let Some(text) = filter.service.as_deref().filter(|s| !s.is_empty()) {
        let service = Service::parse(text).ok_or_else(|| ApiError::field("service", "unknown_service"))?;
        let p = sql.bind(service.as_str());
        sql.push(&format!(" AND c.service = {p}"));
    }
    if let Some(text) = filter.bucket.as_deref().filter(|s| !s.is_empty()) {
        let bucket = Bucket::parse(text).ok_or_else(|| ApiError::field("bucket", "unknown_bucket"))?;
        let p = sql.bind(bucket.as_str());
        sql.push(&format!(" AND c.bucket = {p}"));
    }
    let (from, to) = period(state, filter.from.as_deref(), filter.to.as_deref())?;
    if let Some(from) = from {
        let p = sql.bind(from);
        sql.push(&format!(" AND c.call_at >= {p}"));
    }
    if let Some(to) = to {
        let p = sql.bind(to);
        sql.push(&format!(" AND c.call_at < {p}"));
    }
    // The queue (pending) is worked oldest call first; everything else shows the latest first.
    let ascending = status == Some(CaseStatus::Pending);
    if let Some(cursor) = &filter.cursor {
        let (at, id) = decode_pair(cursor)?;
        let (pa, pa2, pi) = (sql.bind(at), sql.bind(at), sql.bind(id));
        let op = if ascending { ">" } else { "<" };
        sql.push(&format!(" AND (c.call_at {op} {pa} OR (c.call_at = {pa2} AND c.id {op} {pi}))"));
    }
    let dir = if ascending { "ASC" } else { "DESC" };
    sql.push(&format!(" ORDER BY c.call_at {dir}, c.id {dir} LIMIT {}", limit + 1));
    let rows = sql.all(&state.db.conn).await?;
    let more = rows.len() as u64 > limit;
    let mut items = Vec::with_capacity(rows.len());
    let mut last = None;
    for row in rows.iter().take(limit as usize) {
        last = Some((get::<DateTime<Utc>>(row, "call_at")?, get::<i32>(row, "id")?));
        items.push(case_from_row(row)?);
    }
    let next_cursor = if more { last.map(|(at, id)| encode_pair(at, id)) } else { None };
    Ok(Page { items, next_cursor })
}

/// One case the caller may see (others: 404).
pub async fn case_in(db: &impl ConnectionTrait, who: &Who, id: i64) -> ApiResult<Case> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let mut sql = Sql::new(CASE_SELECT);
    let p = sql.bind(id);
    sql.push(&format!(" WHERE c.id = {p}"));
    visible(&mut sql, who, "c").ok_or(ApiError::NotFound)?;
    let row = sql.one(db).await?.ok_or(ApiError::NotFound)?;
    case_from_row(&row)
}

pub async fn case(state: &AppState, who: &Who, id: i64) -> ApiResult<Case> {
    case_in(&state.db.conn, who, id).await
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

fn already_validated() -> ApiError {
    ApiError::conflict(
        "already_validated",
        "this case has already been validated by another QCO; open the next case in the queue",
    )
}

/// Months a validation (an F-19 record) is kept: the F-19 register entry's retention, else 24.
async fn f19_retention(db: &impl ConnectionTrait) -> ApiResult<u32> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let doc =
        entity::documents::Entity::find().filter(entity::documents::Column::Code.eq(rules::F19_CODE)).one(db).await?;
    Ok(doc.and_then(|d| d.retention_months).and_then(|m| u32::try_from(m).ok()).filter(|m| *m > 0).unwrap_or(24))
}

/// `POST /api/cases/{id}/validation`.
pub async fn validate(state: &AppState, who: &Who, case_id: i64, body: NewValidation) -> ApiResult<Case> {
    validate_at(state, who, case_id, body, now()).await
}

/// A validation at `at` (the demo data back-dates its validations).
pub async fn validate_at(
    state: &AppState,
    who: &Who,
    case_id: i64,
    body: NewValidation,
    at: DateTime<Utc>,
) -> ApiResult<Case> {
    if !domain::can(who.role, domain::Action::ValidateCases) {
        return Err(ApiError::Forbidden);
    }
    rules::check_validation(&body).map_err(ApiError::Validation)?;
    if let Some(evaluation) = body.evaluation_id
        && (i32::try_from(evaluation).is_err() || evaluation <= 0)
    {
        return Err(ApiError::field("evaluation_id", "not_found"));
    }
    let recommendation = body.recommendation.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if recommendation
        .as_deref()
        .is_some_and(|r| r.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t'))
    {
        return Err(ApiError::field("recommendation", "invalid_characters"));
    }
    let txn = state.db.write().await?;
    let case = case_in(&*txn, who, case_id).await?;
    // Refuse before writing anything: a transaction that wrote and then fails keeps SQLite's
    // write lock until its rollback runs, after the writer gate is already released.
    if case.status != CaseStatus::Pending {
        return Err(already_validated());
    }
    let id = case.id as i32;
    let new_status = match body.result {
        ValidationResult::Approved => CaseStatus::Approved,
        ValidationResult::Returned => CaseStatus::Returned,
    };
    // The conditional update: only a pending case can be validated. On PostgreSQL (no writer
    // gate) a concurrent validation waits on the row lock and then finds the case no longer
    // pending; and the unique case_id of validations below settles anything else.
    let mut update = Sql::new("UPDATE cases SET status = ");
    let p1 = update.bind(new_status.as_str());
    let p2 = update.bind(id);
    update.push(&format!("{p1} WHERE id = {p2} AND status = 'pending'"));
    match update.exec(&*txn).await {
        Ok(0) => return Err(already_validated()),
        Ok(_) => {}
        Err(err) => return Err(err),
    }
    let retention = f19_retention(&*txn).await?;
    let validated_on = site_date(state, at);
    let retain_until = domain::dates::retain_until(validated_on, retention).to_string();
    let inserted = validations::Entity::insert(validations::ActiveModel {
        case_id: Set(id),
        result: Set(match body.result {
            ValidationResult::Approved => "approved".into(),
            ValidationResult::Returned => "returned".into(),
        }),
        identity_verified: Set(body.checklist.identity_verified),
        amount_and_date_correct: Set(body.checklist.amount_and_date_correct),
        explicit_agreement: Set(body.checklist.explicit_agreement),
        reason_matches: Set(body.checklist.reason_matches),
        recommendation: Set(recommendation.clone()),
        qco_id: Set(who.id),
        validated_at: Set(at),
        retain_until: Set(retain_until.clone()),
        evaluation_id: Set(body.evaluation_id.map(|e| e as i32)),
        ..Default::default()
    })
    .exec(&*txn)
    .await;
    // The unique case_id is the guarantee: whatever got past the update loses here.
    let validation_id = match inserted {
        Ok(result) => result.last_insert_id,
        Err(err) if is_unique_violation(&err) => return Err(already_validated()),
        Err(err) => return Err(err.into()),
    };
    let mut followup_id = None;
    if body.result == ValidationResult::Returned {
        let due = due_at(state, at);
        let inserted = followups::Entity::insert(followups::ActiveModel {
            case_id: Set(id),
            validation_id: Set(validation_id),
            agent_id: Set(case.agent_id as i32),
            team_id: Set(case.team_id.map(|t| t as i32)),
            recommendation: Set(recommendation.clone().unwrap_or_default()),
            status: Set(FollowupStatus::Open.as_str().into()),
            opened_at: Set(at),
            due_at: Set(due),
            closed_at: Set(None),
            version: Set(1),
            last_comment: Set(None),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec(&*txn)
        .await;
        let fid = match inserted {
            Ok(result) => result.last_insert_id,
            Err(err) if is_unique_violation(&err) => return Err(already_validated()),
            Err(err) => return Err(err.into()),
        };
        add_step(&txn, fid, "opened", who, at, recommendation.clone(), None, None).await?;
        followup_id = Some(fid);
    }
    who.audit(
        &txn,
        "case.validated",
        "case",
        id.to_string(),
        json!({
            "result": body.result,
            "checklist": body.checklist,
            "recommendation": recommendation,
            "evaluation_id": body.evaluation_id,
            "validation_id": validation_id,
            "retain_until": retain_until,
            "followup_id": followup_id,
        }),
    )
    .await?;
    let all = Who { role: Role::Qco, ..who.clone() };
    let case = case_in(&*txn, &all, case_id).await?;
    txn.commit().await?;
    Ok(case)
}

#[allow(clippy::too_many_arguments)]
async fn add_step(
    txn: &WriteTx,
    followup_id: i32,
    step: &str,
    who: &Who,
    at: DateTime<Utc>,
    note: Option<String>,
    recare_call_ref: Option<String>,
    recared_at: Option<DateTime<Utc>>,
) -> ApiResult<()> {
    followup_steps::Entity::insert(followup_steps::ActiveModel {
        followup_id: Set(followup_id),
        step: Set(step.into()),
        actor_id: Set(Some(who.id)),
        actor_name: Set(who.name.clone()),
        at: Set(at),
        note: Set(note),
        recare_call_ref: Set(recare_call_ref),
        recared_at: Set(recared_at),
        ..Default::default()
    })
    .exec_without_returning(&**txn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Follow-ups
// ---------------------------------------------------------------------------------------------

/// Filters of `GET /api/followups`.
#[derive(Debug, Default, Deserialize)]
pub struct FollowupFilter {
    pub status: Option<String>,
    pub overdue: Option<bool>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

const FOLLOWUP_COLUMNS: &str = "SELECT f.id, f.case_id, f.agent_id, u.username AS agent_username, u.full_name AS agent_name, \
    f.team_id, c.customer_no, c.customer_name, f.recommendation, f.status, f.opened_at, f.due_at, f.closed_at, f.last_comment, f.version \
    FROM followups f JOIN users u ON u.id = f.agent_id JOIN cases c ON c.id = f.case_id";

/// The SQL of "waiting for the agent past due" with `now` bound.
fn overdue_expr(sql: &mut Sql, at: DateTime<Utc>) -> String {
    let p = sql.bind(at);
    format!("(f.status IN ('open', 'reopened') AND f.due_at < {p})")
}

fn followup_from_row(row: &QueryResult, at: DateTime<Utc>) -> ApiResult<Followup> {
    let status = FollowupStatus::parse(&get::<String>(row, "status")?).unwrap_or(FollowupStatus::Open);
    let due: DateTime<Utc> = get(row, "due_at")?;
    let closed: Option<DateTime<Utc>> = get(row, "closed_at")?;
    Ok(Followup {
        id: get::<i32>(row, "id")?.into(),
        case_id: get::<i32>(row, "case_id")?.into(),
        agent_id: get::<i32>(row, "agent_id")?.into(),
        agent_username: get(row, "agent_username")?,
        agent_name: get(row, "agent_name")?,
        team_id: get::<Option<i32>>(row, "team_id")?.map(i64::from),
        customer_no: get(row, "customer_no")?,
        customer_name: get(row, "customer_name")?,
        recommendation: get(row, "recommendation")?,
        status,
        opened_at: timestamp(get(row, "opened_at")?),
        due_at: timestamp(due),
        overdue: status.awaits_agent() && due < at,
        last_comment: get(row, "last_comment")?,
        closed_at: closed.map(timestamp),
        closed_in_time: if status == FollowupStatus::Closed { closed.map(|c| c <= due) } else { None },
        history: Vec::new(),
        version: get::<i32>(row, "version")?.into(),
    })
}

pub async fn list_followups(state: &AppState, who: &Who, filter: &FollowupFilter) -> ApiResult<Page<Followup>> {
    let limit = page_limit(filter.limit)?;
    let at = now();
    let mut sql = Sql::new(FOLLOWUP_COLUMNS);
    let overdue = overdue_expr(&mut sql, at);
    // Overdue first, then by due time: the rank leads the keyset.
    sql.text =
        sql.text.replacen("SELECT f.id,", &format!("SELECT CASE WHEN {overdue} THEN 0 ELSE 1 END AS rank, f.id,"), 1);
    sql.push(" WHERE 1 = 1");
    visible(&mut sql, who, "f").ok_or(ApiError::Forbidden)?;
    if let Some(text) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        let status = FollowupStatus::parse(text).ok_or_else(|| ApiError::field("status", "unknown_status"))?;
        let p = sql.bind(status.as_str());
        sql.push(&format!(" AND f.status = {p}"));
    }
    if filter.overdue == Some(true) {
        let expr = overdue_expr(&mut sql, at);
        sql.push(&format!(" AND {expr}"));
    }
    if let Some(agent) = filter.agent_id {
        let agent = i32::try_from(agent).map_err(|_| ApiError::field("agent_id", "out_of_range"))?;
        let p = sql.bind(agent);
        sql.push(&format!(" AND f.agent_id = {p}"));
    }
    if let Some(team) = filter.team_id {
        let team = i32::try_from(team).map_err(|_| ApiError::field("team_id", "out_of_range"))?;
        let p = sql.bind(team);
        sql.push(&format!(" AND f.team_id = {p}"));
    }
    if let Some(cursor) = &filter.cursor {
        let (rank, due, id) = decode_followup_cursor(cursor)?;
        let expr = overdue_expr(&mut sql, at);
        let rank_sql = format!("(CASE WHEN {expr} THEN 0 ELSE 1 END)");
        let (r1, r2, d1, d2, i) = (sql.bind(rank), sql.bind(rank), sql.bind(due), sql.bind(due), sql.bind(id));
        sql.push(&format!(
            " AND ({rank_sql} > {r1} OR ({rank_sql} = {r2} AND (f.due_at > {d1} OR (f.due_at = {d2} AND f.id > {i}))))"
        ));
    }
    sql.push(&format!(" ORDER BY rank, f.due_at, f.id LIMIT {}", limit + 1));
    let rows = sql.all(&state.db.conn).await?;
    let more = rows.len() as u64 > limit;
    let mut items = Vec::new();
    let mut last = None;
    for row in rows.iter().take(limit as usize) {
        last = Some((get::<i32>(row, "rank")?, get::<DateTime<Utc>>(row, "due_at")?, get::<i32>(row, "id")?));
        items.push(followup_from_row(row, at)?);
    }
    let next_cursor = if more {
        last.map(|(r, d, i)| URL_SAFE_NO_PAD.encode(format!("f:{r}:{}:{i}", d.timestamp_micros())))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

fn decode_followup_cursor(text: &str) -> ApiResult<(i32, DateTime<Utc>, i32)> {
    let bad = || ApiError::BadRequest("invalid cursor".into());
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let parts: Vec<&str> = text.strip_prefix("f:").ok_or_else(bad)?.split(':').collect();
    let [rank, micros, id] = parts.as_slice() else { return Err(bad()) };
    let due = crate::db::cursor_instant(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((rank.parse().map_err(|_| bad())?, due, id.parse().map_err(|_| bad())?))
}

/// One follow-up the caller may see, with its history (others: 404).
pub async fn followup_in(db: &impl ConnectionTrait, who: &Who, id: i64) -> ApiResult<Followup> {
    let id = i32::try_from(id).map_err(|_| ApiError::NotFound)?;
    let mut sql = Sql::new(FOLLOWUP_COLUMNS);
    let p = sql.bind(id);
    sql.push(&format!(" WHERE f.id = {p}"));
    visible(&mut sql, who, "f").ok_or(ApiError::NotFound)?;
    let row = sql.one(db).await?.ok_or(ApiError::NotFound)?;
    let mut followup = followup_from_row(&row, now())?;
    let mut steps = Sql::new(
        "SELECT step, actor_name, at, note, recare_call_ref, recared_at FROM followup_steps WHERE followup_id = ",
    );
    let p = steps.bind(id);
    steps.push(&format!("{p} ORDER BY id"));
    for row in steps.all(db).await? {
        followup.history.push(FollowupStep {
            step: get(&row, "step")?,
            by: get(&row, "actor_name")?,
            at: timestamp(get(&row, "at")?),
            note: get(&row, "note")?,
            recare_call_ref: get(&row, "recare_call_ref")?,
            recared_at: get::<Option<DateTime<Utc>>>(&row, "recared_at")?.map(timestamp),
        });
    }
    Ok(followup)
}

pub async fn followup(state: &AppState, who: &Who, id: i64) -> ApiResult<Followup> {
    followup_in(&state.db.conn, who, id).await
}

fn followup_refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed => ApiError::Forbidden,
        Refusal::WrongState => {
            ApiError::conflict("wrong_state", "the follow-up is not in a state where this step applies")
        }
    }
}

fn check_note(field: &str, value: &str, max: usize, required: bool) -> ApiResult<String> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(ApiError::field(field, "required"));
    }
    if v.chars().count() > max {
        return Err(ApiError::field(field, "too_long"));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ApiError::field(field, "invalid_characters"));
    }
    Ok(v.to_owned())
}

/// Moves a follow-up from `from` (at `version`) to `to`; 409 when someone else moved it first.
#[allow(clippy::too_many_arguments)]
async fn move_followup(
    txn: &WriteTx,
    id: i32,
    from: FollowupStatus,
    version: i64,
    to: FollowupStatus,
    at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    comment: Option<String>,
) -> ApiResult<()> {
    let mut sql = Sql::new("UPDATE followups SET status = ");
    let p_to = sql.bind(to.as_str());
    let p_at = sql.bind(at);
    let mut set = format!("{p_to}, version = version + 1, updated_at = {p_at}");
    if let Some(closed) = closed_at {
        let p = sql.bind(closed);
        set.push_str(&format!(", closed_at = {p}"));
    }
    if let Some(comment) = comment {
        let p = sql.bind(comment);
        set.push_str(&format!(", last_comment = {p}"));
    }
    let (p_id, p_from, p_version) = (sql.bind(id), sql.bind(from.as_str()), sql.bind(version as i32));
    sql.push(&format!("{set} WHERE id = {p_id} AND status = {p_from} AND version = {p_version}"));
    if sql.exec(&**txn).await? == 0 {
        return Err(ApiError::conflict("stale_version", "the follow-up changed meanwhile; reload it"));
    }
    Ok(())
}

/// `POST /api/followups/{id}/recare`: the follow-up's own agent records the re-care.
pub async fn recare(state: &AppState, who: &Who, id: i64, body: RecareRequest) -> ApiResult<Followup> {
    recare_at(state, who, id, body, now()).await
}

pub async fn recare_at(
    state: &AppState,
    who: &Who,
    id: i64,
    body: RecareRequest,
    at: DateTime<Utc>,
) -> ApiResult<Followup> {
    let note = check_note("note", &body.note, 2000, true)?;
    let call_ref = check_note("recare_call_ref", &body.recare_call_ref, 100, true)?;
    let recared_at = DateTime::parse_from_rfc3339(body.recared_at.trim())
        .map_err(|_| ApiError::field("recared_at", "invalid_timestamp"))?
        .with_timezone(&Utc);
    if recared_at > at + chrono::Duration::minutes(5) {
        return Err(ApiError::field("recared_at", "in_the_future"));
    }
    let txn = state.db.write().await?;
    let current = followup_in(&*txn, who, id).await?;
    // Only the follow-up's own agent re-cares; to anyone else who sees it, it is not theirs.
    if who.role == Role::Agent && current.agent_id != i64::from(who.id) {
        return Err(ApiError::NotFound);
    }
    let next = rules::followup_transition(current.status, FollowupAction::Recare, RuleActor::User(who.role))
        .map_err(followup_refusal)?;
    if recared_at
        < DateTime::parse_from_rfc3339(&current.opened_at).map(|d| d.with_timezone(&Utc)).unwrap_or(recared_at)
    {
        return Err(ApiError::field("recared_at", "before_the_return"));
    }
    move_followup(&txn, id as i32, current.status, current.version, next, at, None, None).await?;
    add_step(&txn, id as i32, next.as_str(), who, at, Some(note.clone()), Some(call_ref.clone()), Some(recared_at))
        .await?;
    who.audit(&txn, "followup.recared", "followup", id.to_string(), json!({ "case_id": current.case_id, "note": note, "recare_call_ref": call_ref, "recared_at": timestamp(recared_at) })).await?;
    let view = followup_in(&*txn, who, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// `POST /api/followups/{id}/verify`: QC closes, or reopens with a comment.
pub async fn verify(state: &AppState, who: &Who, id: i64, body: VerifyRequest) -> ApiResult<Followup> {
    verify_at(state, who, id, body, now()).await
}

pub async fn verify_at(
    state: &AppState,
    who: &Who,
    id: i64,
    body: VerifyRequest,
    at: DateTime<Utc>,
) -> ApiResult<Followup> {
    if !domain::can(who.role, domain::Action::VerifyFollowups) {
        return Err(ApiError::Forbidden);
    }
    let action = match body.decision.as_str() {
        "close" => FollowupAction::Close,
        "reopen" => FollowupAction::Reopen,
        _ => return Err(ApiError::field("decision", "unknown_decision")),
    };
    let comment = check_note("comment", &body.comment, 2000, action == FollowupAction::Reopen)?;
    let txn = state.db.write().await?;
    let current = followup_in(&*txn, who, id).await?;
    let next =
        rules::followup_transition(current.status, action, RuleActor::User(who.role)).map_err(followup_refusal)?;
    let comment = (!comment.is_empty()).then_some(comment);
    let closed_at = (next == FollowupStatus::Closed).then_some(at);
    let last_comment = if next == FollowupStatus::Reopened { comment.clone() } else { None };
    move_followup(&txn, id as i32, current.status, current.version, next, at, closed_at, last_comment).await?;
    add_step(&txn, id as i32, next.as_str(), who, at, comment.clone(), None, None).await?;
    who.audit(
        &txn,
        if next == FollowupStatus::Closed { "followup.closed" } else { "followup.reopened" },
        "followup",
        id.to_string(),
        json!({ "case_id": current.case_id, "comment": comment }),
    )
    .await?;
    let view = followup_in(&*txn, who, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// `GET /api/followups/summary`: counts for the caller's badge, and per agent for team leaders
/// and QC. Cheap enough to poll: one grouped query over the caller's follow-ups that are not
/// closed, plus the latest change.
/// The pending cases the caller sees: how many, and the oldest call (the queue index's range).
pub async fn case_summary(state: &AppState, who: &Who) -> ApiResult<CaseSummary> {
    let mut sql =
        Sql::new("SELECT COUNT(*) AS pending, MIN(c.call_at) AS oldest FROM cases c WHERE c.status = 'pending'");
    visible(&mut sql, who, "c").ok_or(ApiError::Forbidden)?;
    let Some(row) = sql.one(&state.db.conn).await? else {
        return Ok(CaseSummary::default());
    };
    Ok(CaseSummary {
        pending: count(&row, "pending")?,
        oldest_pending_call_at: get::<Option<DateTime<Utc>>>(&row, "oldest")?.map(timestamp),
    })
}

pub async fn summary(state: &AppState, who: &Who) -> ApiResult<FollowupSummary> {
    let at = now();
    let db = &state.db.conn;
    let mut sql = Sql::new("SELECT f.agent_id, u.username, u.full_name, f.team_id, ");
    let overdue = overdue_expr(&mut sql, at);
    sql.push(&format!(
        "SUM(CASE WHEN f.status IN ('open', 'reopened') THEN 1 ELSE 0 END) AS open, \
         SUM(CASE WHEN f.status = 'recared' THEN 1 ELSE 0 END) AS recared, \
         SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END) AS overdue, \
         MIN(CASE WHEN f.status IN ('open', 'reopened') THEN f.opened_at END) AS oldest \
         FROM followups f JOIN users u ON u.id = f.agent_id WHERE f.status <> 'closed'"
    ));
    visible(&mut sql, who, "f").ok_or(ApiError::Forbidden)?;
    sql.push(" GROUP BY f.agent_id, u.username, u.full_name, f.team_id ORDER BY u.username");
    let mut result = FollowupSummary::default();
    for row in sql.all(db).await? {
        let counts = AgentFollowupCounts {
            agent_id: get::<i32>(&row, "agent_id")?.into(),
            agent_username: get(&row, "username")?,
            agent_name: get(&row, "full_name")?,
            team_id: get::<Option<i32>>(&row, "team_id")?.map(i64::from),
            open: count(&row, "open")?,
            recared: count(&row, "recared")?,
            overdue: count(&row, "overdue")?,
            oldest_open_at: get::<Option<DateTime<Utc>>>(&row, "oldest")?.map(timestamp),
        };
        result.open += counts.open;
        result.recared += counts.recared;
        result.overdue += counts.overdue;
        if who.role != Role::Agent {
            result.per_agent.push(counts);
        }
    }
    let mut latest = Sql::new("SELECT MAX(f.updated_at) AS changed FROM followups f WHERE 1 = 1");
    visible(&mut latest, who, "f");
    if let Some(row) = latest.one(db).await? {
        result.changed_at = get::<Option<DateTime<Utc>>>(&row, "changed")?.map(timestamp);
    }
    Ok(result)
}

/// The names of users and teams by id, for reports.
pub async fn names(db: &impl ConnectionTrait) -> ApiResult<(HashMap<i32, (String, String)>, HashMap<i32, String>)> {
    let users = Sql::new("SELECT id, username, full_name FROM users").all(db).await?;
    let mut by_id = HashMap::new();
    for row in users {
        by_id.insert(get::<i32>(&row, "id")?, (get::<String>(&row, "username")?, get::<String>(&row, "full_name")?));
    }
    let teams = Sql::new("SELECT id, name FROM teams").all(db).await?;
    let mut team_names = HashMap::new();
    for row in teams {
        team_names.insert(get::<i32>(&row, "id")?, get::<String>(&row, "name")?);
    }
    Ok((by_id, team_names))
}

// ---------------------------------------------------------------------------------------------
// The W-04 checklist wording (a settings row)
// ---------------------------------------------------------------------------------------------

const CHECKLIST_SETTING: &str = "w04_checklist";

/// The wording of the W-04 checklist: as the QRD coordinator last saved it, else the default.
pub async fn checklist(db: &impl ConnectionTrait) -> ApiResult<ChecklistLabels> {
    let stored = entity::settings::Entity::find_by_id(CHECKLIST_SETTING.to_owned()).one(db).await?;
    Ok(stored.and_then(|s| serde_json::from_str(&s.value).ok()).unwrap_or_default())
}

/// `PUT /api/cases/checklist` (qc_coordinator only).
pub async fn set_checklist(state: &AppState, who: &Who, body: ChecklistLabels) -> ApiResult<ChecklistLabels> {
    if who.role != Role::QcCoordinator {
        return Err(ApiError::Forbidden);
    }
    let labels = rules::check_checklist_labels(&body).map_err(ApiError::Validation)?;
    let value = serde_json::to_string(&labels).map_err(|e| ApiError::Internal(e.into()))?;
    let txn = state.db.write().await?;
    let before = checklist(&*txn).await?;
    entity::settings::Entity::insert(entity::settings::ActiveModel {
        key: Set(CHECKLIST_SETTING.into()),
        value: Set(value),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(entity::settings::Column::Key)
            .update_column(entity::settings::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    who.audit(&txn, "checklist.updated", "setting", CHECKLIST_SETTING.into(), json!({ "from": before, "to": labels }))
        .await?;
    txn.commit().await?;
    Ok(labels)
}

//! Sampling: N random calls per agent for a period, assigned evenly (round-robin) to QCOs.
//! The calls come from the request (`calls`, any imported call list) or from the imported agree
//! cases (`cases` table, when that part is installed). The draw is repeatable with `seed`.

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::{now, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::paging::{Cut, PageQuery, cut};
use crate::scoring::shared::{active_with_role, check_line, user_names};
use crate::site_time::{self, parse_instant, required_day};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::api::Page;
use domain::audit::AuditAction;
use domain::cases::{Bucket, Service};
use domain::problems::Problem;
use domain::scoring::AssignmentFilter;
use domain::scoring::{AssignmentStatus, SamplingAssignment, SamplingRequest, SamplingResult};
use domain::{Action, Role};
use entity::{sampling_assignments, teams, users};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// A call that may be drawn.
#[derive(Debug, Clone)]
struct Candidate {
    agent_id: i32,
    case_id: Option<i64>,
    call_ref: String,
    call_at: DateTime<Utc>,
    service: Option<Service>,
    bucket: Option<Bucket>,
    recording_ref: Option<String>,
}

/// SplitMix64: a small, portable generator, so a seed draws the same calls on every build.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Draws up to `per_agent` calls of each agent (agents in id order, calls in time order before
/// the draw), then deals them to `qcos` in turn. Returns the assignments `(qco, call)` and the
/// agents that had fewer calls than asked for.
/// The drawn calls with their QCO, and the agents short of calls (id, how many they had).
type Draw = (Vec<(i32, Candidate)>, Vec<(i64, u32)>);

fn draw(candidates: Vec<Candidate>, per_agent: usize, qcos: &[i32], seed: u64) -> Draw {
    let mut by_agent: BTreeMap<i32, Vec<Candidate>> = BTreeMap::new();
    for c in candidates {
        by_agent.entry(c.agent_id).or_default().push(c);
    }
    let mut rng = SplitMix(seed);
    let mut out = Vec::new();
    let mut short = Vec::new();
    let mut turn = 0usize;
    for (agent, mut calls) in by_agent {
        calls.sort_by(|a, b| (a.call_at, &a.call_ref, a.case_id).cmp(&(b.call_at, &b.call_ref, b.case_id)));
        if calls.len() < per_agent {
            short.push((i64::from(agent), calls.len() as u32));
        }
        let k = per_agent.min(calls.len());
        // A partial Fisher–Yates shuffle: the first k are a uniform sample.
        for i in 0..k {
            let j = i + rng.below(calls.len() - i);
            calls.swap(i, j);
        }
        let mut chosen: Vec<Candidate> = calls.into_iter().take(k).collect();
        chosen.sort_by(|a, b| (a.call_at, &a.call_ref).cmp(&(b.call_at, &b.call_ref)));
        for call in chosen {
            out.push((qcos[turn % qcos.len()], call));
            turn += 1;
        }
    }
    (out, short)
}

/// Agree cases of the period not sampled before:
/// `cases(id, agent_id, team_id, call_at, service, bucket, customer_no, recording_ref)`.
async fn cases_in(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<i32>,
) -> ApiResult<Vec<Candidate>> {
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![from.into(), to.into()];
    let team_clause = match team {
        Some(team) => {
            values.push(team.into());
            "AND c.team_id = $3"
        }
        None => "",
    };
    let sql = format!(
        "SELECT CAST(c.id AS BIGINT) AS id, CAST(c.agent_id AS BIGINT) AS agent_id, c.call_at AS call_at, \
           CAST(c.service AS TEXT) AS service, CAST(c.bucket AS TEXT) AS bucket, CAST(c.customer_no AS TEXT) AS customer_no, \
           CAST(c.recording_ref AS TEXT) AS recording_ref \
         FROM cases c WHERE c.call_at >= $1 AND c.call_at < $2 AND c.agent_id IS NOT NULL {team_clause} \
           AND NOT EXISTS (SELECT 1 FROM sampling_assignments s WHERE s.case_id = c.id) \
         ORDER BY c.agent_id, c.call_at, c.id"
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let call_at = match row.try_get::<DateTime<Utc>>("", "call_at") {
            Ok(at) => at,
            Err(_) => {
                match row.try_get::<String>("", "call_at").ok().and_then(|t| DateTime::parse_from_rfc3339(&t).ok()) {
                    Some(at) => at.with_timezone(&Utc),
                    None => continue,
                }
            }
        };
        // Every agent id is an `INTEGER` key; a value beyond one names nobody.
        let Ok(agent_id) = i32::try_from(row.try_get::<i64>("", "agent_id")?) else { continue };
        let id: i64 = row.try_get("", "id")?;
        out.push(Candidate {
            agent_id,
            case_id: Some(id),
            call_ref: row.try_get::<Option<String>>("", "customer_no")?.unwrap_or_else(|| format!("case-{id}")),
            call_at,
            service: row.try_get::<Option<String>>("", "service")?.and_then(|s| Service::parse(&s)),
            bucket: row.try_get::<Option<String>>("", "bucket")?.and_then(|b| Bucket::parse(&b)),
            recording_ref: row.try_get("", "recording_ref")?,
        });
    }
    Ok(out)
}

/// `POST /api/sampling` (QC coordinator).
pub async fn sample(state: &AppState, auth: &AuthUser, body: SamplingRequest) -> ApiResult<SamplingResult> {
    auth.require(Action::ManageScoringForms)?;
    let (from, to) = site_time::days(state, required_day("from", &body.from)?, required_day("to", &body.to)?)?;
    if !(1..=100).contains(&body.per_agent) {
        return Err(ApiError::field("per_agent", Problem::OutOfRange));
    }
    let mut qcos: Vec<i32> = Vec::new();
    for id in &body.qco_ids {
        let qco = active_with_role(&state.db.conn, *id, Role::Qco)
            .await?
            .ok_or_else(|| ApiError::field("qco_ids", Problem::NotAQco))?;
        if !qcos.contains(&qco.id) {
            qcos.push(qco.id);
        }
    }
    if qcos.is_empty() {
        return Err(ApiError::field("qco_ids", Problem::Required));
    }
    let db = &state.db.conn;
    // A team that does not exist (or an id no team can have) is the caller's mistake, not an
    // empty draw.
    let team = match body.team_id {
        Some(id) => {
            let team = i32::try_from(id).ok().ok_or_else(|| ApiError::field("team_id", Problem::NotFound))?;
            teams::Entity::find_by_id(team)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::field("team_id", Problem::NotFound))?;
            Some(team)
        }
        None => None,
    };
    // Agents (active, role agent) and their teams, to check calls and filter by team.
    let agents: HashMap<i32, Option<i32>> = users::Entity::find()
        .select_only()
        .columns([users::Column::Id, users::Column::TeamId])
        .filter(users::Column::Role.eq(Role::Agent))
        .filter(users::Column::Active.eq(true))
        .into_tuple::<(i32, Option<i32>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let (source, candidates) = match &body.calls {
        Some(calls) => {
            let mut out = Vec::new();
            for (i, call) in calls.iter().enumerate() {
                let agent = i32::try_from(call.agent_id).ok().filter(|a| agents.contains_key(a));
                let agent =
                    agent.ok_or_else(|| ApiError::field(&format!("calls[{i}].agent_id"), Problem::NotAnAgent))?;
                check_line(&format!("calls[{i}].call_ref"), &call.call_ref, 100)?;
                let call_at = parse_instant(&format!("calls[{i}].call_at"), &call.call_at)?;
                if call_at < from || call_at >= to || team.is_some_and(|t| agents.get(&agent) != Some(&Some(t))) {
                    continue;
                }
                out.push(Candidate {
                    agent_id: agent,
                    case_id: None,
                    call_ref: call.call_ref.trim().to_owned(),
                    call_at,
                    service: call.service,
                    bucket: call.bucket,
                    recording_ref: call.recording_ref.clone().filter(|r| !r.trim().is_empty()),
                });
            }
            ("calls", out)
        }
        None => {
            let cases = cases_in(db, from, to, team).await?;
            ("cases", cases.into_iter().filter(|c| agents.contains_key(&c.agent_id)).collect())
        }
    };
    let seed = body.seed.unwrap_or_else(rand::random);
    let (drawn, short) = draw(candidates, body.per_agent as usize, &qcos, seed);
    let batch_id = uuid::Uuid::new_v4().to_string();
    let at = now();
    let txn = state.db.write().await?;
    if !drawn.is_empty() {
        sampling_assignments::Entity::insert_many(drawn.iter().map(|(qco, c)| sampling_assignments::ActiveModel {
            batch_id: Set(batch_id.clone()),
            qco_id: Set(*qco),
            agent_id: Set(c.agent_id),
            case_id: Set(c.case_id),
            call_ref: Set(c.call_ref.clone()),
            call_at: Set(c.call_at),
            service: Set(c.service),
            bucket: Set(c.bucket),
            recording_ref: Set(c.recording_ref.clone()),
            period_from: Set(body.from.clone()),
            period_to: Set(body.to.clone()),
            status: Set(AssignmentStatus::Pending),
            evaluation_id: Set(None),
            created_by: Set(auth.id),
            created_at: Set(at),
            ..Default::default()
        }))
        .exec_without_returning(&*txn)
        .await?;
    }
    let mut per_qco: BTreeMap<i32, u32> = qcos.iter().map(|q| (*q, 0)).collect();
    for (q, _) in &drawn {
        *per_qco.entry(*q).or_default() += 1;
    }
    audit::append(
        &txn,
        Entry {
            actor: &auth.actor(),
            action: AuditAction::SamplingAssigned,
            entity: "sampling",
            entity_id: Some(batch_id.clone()),
            payload: json!({
                "source": source, "from": body.from, "to": body.to, "per_agent": body.per_agent, "team_id": body.team_id,
                "seed": seed, "assigned": drawn.len(), "per_qco": per_qco,
            }),
        },
    )
    .await?;
    let rows = sampling_assignments::Entity::find()
        .filter(sampling_assignments::Column::BatchId.eq(batch_id.as_str()))
        .order_by_asc(sampling_assignments::Column::Id)
        .all(&*txn)
        .await?;
    let assignments = views(&*txn, rows).await?;
    txn.commit().await?;
    Ok(SamplingResult { batch_id, source: source.into(), assignments, short })
}

async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<sampling_assignments::Model>,
) -> ApiResult<Vec<SamplingAssignment>> {
    let ids: Vec<i32> = rows.iter().flat_map(|r| [r.qco_id, r.agent_id]).collect();
    let people = user_names(db, ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| SamplingAssignment {
            id: r.id,
            batch_id: r.batch_id,
            qco_id: r.qco_id.into(),
            qco_name: people.get(&r.qco_id).map(|p| p.1.clone()).unwrap_or_default(),
            agent_id: r.agent_id.into(),
            agent_username: people.get(&r.agent_id).map(|p| p.0.clone()).unwrap_or_default(),
            agent_name: people.get(&r.agent_id).map(|p| p.1.clone()).unwrap_or_default(),
            case_id: r.case_id,
            call_ref: r.call_ref,
            call_at: timestamp(r.call_at),
            service: r.service,
            bucket: r.bucket,
            recording_ref: r.recording_ref,
            period_from: r.period_from,
            period_to: r.period_to,
            status: r.status,
            evaluation_id: r.evaluation_id,
        })
        .collect())
}

/// A QCO's own queue; the coordinator sees every assignment (filter `qco_id`).
pub async fn assignments(
    state: &AppState,
    auth: &AuthUser,
    filter: &AssignmentFilter,
) -> ApiResult<Page<SamplingAssignment>> {
    let coordinator = auth.may(Action::ManageScoringForms);
    if !coordinator && !auth.may(Action::ScoreCalls) {
        return Err(ApiError::Forbidden);
    }
    let page = PageQuery::of(filter.limit, filter.cursor.as_ref());
    let limit = page.limit()?;
    let mut query = sampling_assignments::Entity::find().order_by_asc(sampling_assignments::Column::Id);
    if let Some(after) = page.after()? {
        query = query.filter(sampling_assignments::Column::Id.gt(after));
    }
    if !coordinator {
        query = query.filter(sampling_assignments::Column::QcoId.eq(auth.id));
    } else if let Some(qco) = filter.qco_id {
        query = query.filter(sampling_assignments::Column::QcoId.eq(qco));
    }
    if let Some(status) = filter.status {
        query = query.filter(sampling_assignments::Column::Status.eq(status));
    }
    if let Some(batch) = &filter.batch_id {
        query = query.filter(sampling_assignments::Column::BatchId.eq(batch.as_str()));
    }
    let db = &state.db.conn;
    let Cut { rows, next_cursor } = cut(query.limit(limit + 1).all(db).await?, limit, |r| r.id);
    Ok(Page { items: views(db, rows).await?, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(agent: i32, n: i64) -> Candidate {
        Candidate {
            agent_id: agent,
            case_id: None,
            call_ref: format!("c{agent}-{n}"),
            call_at: DateTime::from_timestamp(1_700_000_000 + n * 60, 0).unwrap(),
            service: None,
            bucket: None,
            recording_ref: None,
        }
    }

    #[test]
    fn the_draw_is_repeatable_even_and_without_repeats() {
        let calls: Vec<Candidate> = (1..=3).flat_map(|a| (0..10).map(move |n| call(a, n))).collect();
        let (a, short) = draw(calls.clone(), 4, &[7, 8, 9], 42);
        let (b, _) = draw(calls.clone(), 4, &[7, 8, 9], 42);
        assert!(short.is_empty());
        assert_eq!(a.len(), 12);
        let refs = |d: &[(i32, Candidate)]| d.iter().map(|(q, c)| (*q, c.call_ref.clone())).collect::<Vec<_>>();
        assert_eq!(refs(&a), refs(&b), "same seed, same draw");
        let (c, _) = draw(calls, 4, &[7, 8, 9], 43);
        assert_ne!(refs(&a), refs(&c), "another seed draws differently");
        for q in [7, 8, 9] {
            assert_eq!(a.iter().filter(|(x, _)| *x == q).count(), 4);
        }
        let mut seen: Vec<String> = a.iter().map(|(_, c)| c.call_ref.clone()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 12);
        let (_, short) = draw(vec![call(5, 1)], 3, &[1], 1);
        assert_eq!(short, vec![(5, 1)]);
    }
}

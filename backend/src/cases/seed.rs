//! Demo data of this part for `mutu serve --demo` (idempotent): 60 agree cases of the last three
//! weeks for agent1, agent2 and agent3 (imported by the QRD coordinator through the real import),
//! most validated by qco1/qco2, with RETURN follow-ups in every state (one overdue) and a few
//! cases for the reconciliation lists; and before those weeks a year of validated agrees
//! written in bulk, with a few past retention ([`history`]). Pseudo-random but fixed: the same
//! data every time, relative to today.

mod history;

use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::cases::import;
use crate::cases::service;
use crate::db::{now, timestamp};
use crate::site_time::{day_start, site_date};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::cases::{Checklist, NewValidation, RecareRequest, ValidationResult, VerifyRequest};
use entity::users;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const CUSTOMERS: &[&str] = &[
    "Budi Santoso",
    "Sri Wahyuni",
    "Ahmad Fauzi",
    "Nur Aisyah",
    "Hendra Gunawan",
    "Rini Susanti",
    "Joko Prasetyo",
    "Yuliana Sari",
    "Agus Salim",
    "Wati Handayani",
    "Slamet Riyadi",
    "Fitri Rahmawati",
    "Bambang Sutrisno",
    "Lestari Ningsih",
    "Dimas Saputra",
    "Kartika Dewi",
    "Imam Syafii",
    "Ratna Sari",
    "Eko Purnomo",
    "Siti Aminah",
    "Taufik Hidayat",
    "Maya Puspita",
    "Andi Wijaya",
    "Endang Kurniasih",
    "Rudi Hartono",
    "Ayu Lestari",
    "Hadi Susilo",
    "Novi Anggraini",
    "Yusuf Maulana",
    "Indah Permata",
];

const REASONS: &[&str] = &[
    "Janji bayar setelah gajian",
    "Bayar lewat transfer bank",
    "Bayar di kantor pos terdekat",
    "Minta waktu, bayar lewat aplikasi MyIndiHome",
    "Pelanggan sanggup bayar sebelum isolir",
    "Bayar lewat minimarket",
];

const RECOMMENDATIONS: &[&str] = &[
    "Verifikasi identitas pelanggan belum dilakukan; lakukan caring ulang dan konfirmasi nama pemilik.",
    "Nominal tagihan yang disebutkan tidak sesuai; sampaikan ulang jumlah dan tanggal bayar.",
    "Pelanggan belum menyatakan setuju secara tegas; minta konfirmasi janji bayar.",
    "Reason di TAMARA tidak sesuai isi percakapan; perbaiki input setelah caring ulang.",
];

/// A fixed linear congruential generator: the same demo data on every load.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A demo account, acting as it would through the API.
async fn who(state: &AppState, username: &str) -> anyhow::Result<AuthUser> {
    let user = users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(&state.db.conn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo user {username} missing"))?;
    AuthUser::account(&state.db.conn, user.id).await.map_err(|e| anyhow::anyhow!("demo user {username}: {e}"))
}

pub async fn load(state: &AppState) -> anyhow::Result<()> {
    if entity::cases::Entity::find().count(&state.db.conn).await? > 0 {
        return Ok(());
    }
    let err = |e: crate::error::ApiError| anyhow::anyhow!("loading the demo cases failed: {e}");
    let qrd = who(state, "qrd").await?;
    let qcos = [who(state, "qco1").await?, who(state, "qco2").await?];
    let agents = [who(state, "agent1").await?, who(state, "agent2").await?, who(state, "agent3").await?];
    let today = site_date(state, now());
    let mut rng = Lcg(20_261_129);

    // 60 calls on the working days of the last three weeks, oldest first.
    let mut csv = import::template();
    let days: Vec<_> = (1..=21).rev().map(|back| today.add_days(-back)).filter(|d| d.is_working_day()).collect();
    for i in 0..60usize {
        let day = days[i * days.len() / 60];
        let agent = &agents[i % 3];
        let service = if agent.username == "agent1" { "CT-0" } else { "PRANPC" };
        let bucket = if service == "CT-0" {
            "N+2"
        } else if rng.next(2) == 0 {
            "N"
        } else {
            "N+1"
        };
        // Customer 7 agrees twice (reconciliation: the same customer more than once).
        let c = if i == 40 { 7 } else { i % CUSTOMERS.len() };
        let customer_no =
            format!("13{:010}", 1_520_000_000u64 + (c as u64) * 7919 + if i >= 30 && i != 40 { 1 } else { 0 });
        let amount = (70 + rng.next(230)) * 5_000;
        let (h, m) = (8 + rng.next(9), rng.next(60));
        // Promises within the bucket's limit, but one too late (reconciliation).
        let promise = if i == 13 { day.add_days(12) } else { day.add_days(1 + rng.next(3) as i64) };
        let promise =
            if bucket == "N" { promise.min(domain::cases::Bucket::N.latest_promise(day)).max(day) } else { promise };
        let promise = if i == 13 { day.add_days(12) } else { promise };
        csv.push_str(&format!(
            "{customer_no},{},{service},{bucket},\"{}\",{},{day} {h:02}:{m:02},\"{}\",{promise},EB-{}-{:04}\r\n",
            CUSTOMERS[c],
            domain::indonesian::thousands(amount as i64),
            agent.username,
            REASONS[rng.next(REASONS.len() as u64) as usize],
            day.to_string().replace('-', ""),
            i + 1,
        ));
    }
    let result = import::run(state, &qrd, Trail::Demo, "agree-demo.csv", csv.into_bytes()).await.map_err(err)?;
    anyhow::ensure!(result.rejected.is_empty(), "demo rows rejected: {:?}", result.rejected);

    // Validate the older calls; leave the last days (and a few older ones) in the queue.
    let cases =
        entity::cases::Entity::find().filter(entity::cases::Column::ImportId.is_not_null()).all(&state.db.conn).await?;
    let mut cases = cases;
    cases.sort_by_key(|c| (c.call_at, c.id));
    let recent = day_start(state, today.add_days(-4));
    let current = now();
    let mut returned = 0usize;
    for (i, case) in cases.iter().enumerate() {
        if case.call_at >= recent || i % 11 == 5 {
            continue;
        }
        let qco = &qcos[i % 2];
        let is_return = i % 4 == 1;
        let kind = returned % 5;
        // One open return validated just now (but on today's site day, whatever the hour: its due
        // day counts from it), so it is not yet due; the others a day after the call.
        let just_now = (current - Duration::hours(2)).max(day_start(state, today));
        let at: DateTime<Utc> = if is_return && kind == 4 { just_now } else { case.call_at + Duration::hours(20) };
        let all = Checklist {
            identity_verified: true,
            amount_and_date_correct: true,
            explicit_agreement: true,
            reason_matches: true,
        };
        let body = if is_return {
            let mut checklist = all.clone();
            match returned % 4 {
                0 => checklist.identity_verified = false,
                1 => checklist.amount_and_date_correct = false,
                2 => checklist.explicit_agreement = false,
                _ => checklist.reason_matches = false,
            }
            NewValidation {
                result: ValidationResult::Returned,
                checklist,
                recommendation: Some(RECOMMENDATIONS[returned % RECOMMENDATIONS.len()].into()),
                evaluation_id: None,
                checklist_version: None,
            }
        } else {
            NewValidation {
                result: ValidationResult::Approved,
                checklist: all,
                recommendation: None,
                evaluation_id: None,
                checklist_version: None,
            }
        };
        let validated = service::validate_at(state, qco, case.id.into(), body, at, Trail::Demo).await.map_err(err)?;
        if !is_return {
            continue;
        }
        returned += 1;
        let followup_id = validated
            .validation
            .and_then(|v| v.followup_id)
            .ok_or_else(|| anyhow::anyhow!("a RETURN without follow-up"))?;
        let agent = agents.iter().find(|a| i64::from(a.id) == validated.agent_id).expect("a demo agent");
        let recare = |t: DateTime<Utc>, n: usize| RecareRequest {
            note: format!(
                "Sudah caring ulang pelanggan; {}",
                ["identitas dikonfirmasi", "nominal dan tanggal bayar disampaikan ulang", "pelanggan setuju bayar"]
                    [n % 3]
            ),
            recare_call_ref: format!("EB-RC-{:04}", followup_id * 10 + n as i64),
            recared_at: timestamp(t - Duration::minutes(20)),
            promise_date: None,
        };
        // 0: closed in time; 1: re-cared, waiting for QC; 2: reopened with a comment, back with
        // the agent; 3: open and overdue; 4: open, validated just now, not yet due. The hours
        // after validation at which the agent re-cared, and QC's decision.
        let (recared_after, verdict) = match kind {
            0 => (Some(22), Some(("close", "Caring ulang sesuai, ditutup.", 26))),
            1 => (Some(23), None),
            2 => {
                (Some(21), Some(("reopen", "Rekaman caring ulang belum menyebutkan tanggal janji bayar; ulangi.", 25)))
            }
            _ => (None, None),
        };
        if let Some(hours) = recared_after {
            let t = at + Duration::hours(hours);
            service::recare_at(state, agent, followup_id, recare(t, kind), t, Trail::Demo).await.map_err(err)?;
        }
        if let Some((decision, comment, hours)) = verdict {
            let verify = VerifyRequest { decision: decision.into(), comment: comment.into() };
            service::verify_at(state, qco, followup_id, verify, at + Duration::hours(hours), Trail::Demo)
                .await
                .map_err(err)?;
        }
    }
    // The year before the three weeks, after them so that the recent cases keep their ids.
    history::insert(state, today.add_days(-21)).await?;
    Ok(())
}

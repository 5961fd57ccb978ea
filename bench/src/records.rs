//! Measurement R (issue 15): disposing of a tenth of the generated validations (with their cases
//! and follow-ups) once they are past retention, through the real approval and confirmation:
//! the time, the longest disposal transaction (the gaps between the chunks' audit entries), a
//! case page's p99 before and while it runs, and the SQLite file's size before and after.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use domain::records::DispositionRequest;
use mutu_backend::App;
use mutu_backend::auth::AuthUser;
use sea_orm::{ConnectionTrait, Statement};

use crate::f19::Size;
use crate::load::{self, Stats, Target};

pub struct ResultR {
    pub database: &'static str,
    pub cases: i64,
    pub disposed: i64,
    pub took: Duration,
    pub longest: Duration,
    pub before: Stats,
    pub during: Stats,
    pub file_before: Option<u64>,
    pub file_after: Option<u64>,
}

impl ResultR {
    /// The targets: the longest transaction ≤ 1 s, other requests' p99 within 2×.
    pub fn pass(&self) -> bool {
        self.longest <= Duration::from_secs(1) && self.during.p99() <= self.before.p99() * 2
    }
}

async fn number(app: &App, sql: &str) -> Result<i64> {
    let conn = &app.state.db.conn;
    let row =
        conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await?.context(sql.to_owned())?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

async fn account(app: &App, username: &str) -> Result<AuthUser> {
    let id = number(app, &format!("SELECT CAST(id AS BIGINT) FROM users WHERE username = '{username}'")).await?;
    AuthUser::account(&app.state.db.conn, id as i32).await.map_err(|e| anyhow::anyhow!("{username}: {e}"))
}

pub async fn measure(
    database: &'static str,
    app: &App,
    mutu: SocketAddr,
    file: Option<&Path>,
    size: Size,
    measure: Duration,
) -> Result<ResultR> {
    // A tenth of the closed validations fell due in January 2000.
    app.state
        .db
        .conn
        .execute_unprepared(
            "UPDATE validations SET retain_until = '2000-01-15' WHERE retention_from IS NOT NULL AND id % 10 = 0",
        )
        .await?;
    let due = number(app, "SELECT COUNT(*) FROM validations WHERE retain_until = '2000-01-15'").await?;
    ensure!(due > 0, "no closed validation to dispose of");
    let file_before = file.and_then(|f| std::fs::metadata(f).ok()).map(|m| m.len());

    // Other people's requests: case pages of the generated agrees, rotating.
    let token = crate::documents::token(mutu, "qco1").await?;
    let first = number(app, "SELECT CAST(MIN(id) AS BIGINT) FROM cases WHERE customer_no LIKE 'B%'").await?;
    let cases: Vec<Target> = (0..1_000)
        .map(|k| {
            Target::get(&format!("http://{mutu}/api/cases/{}", first + (k * 7_919) % size.cases.max(1)), Some(&token))
        })
        .collect::<Result<_>>()?;
    let before = load::closed_loop_rotating(&cases, 2, Duration::from_secs(1), measure).await?;

    let (qrd, manager) = (account(app, "qrd").await?, account(app, "manager").await?);
    let request = DispositionRequest {
        form: domain::cases::F19_CODE.to_owned(),
        through_month: Some("2000-01".to_owned()),
        record_ids: None,
        password: crate::DEMO_PASSWORD.to_owned(),
    };
    let batch = mutu_backend::records::dispositions::approve(&app.state, &qrd, request)
        .await
        .map_err(|e| anyhow::anyhow!("approval: {e}"))?;
    println!("  R ({database}): {} validations approved for disposal; confirming …", batch.due_count);
    let state = app.state.clone();
    let id = batch.id;
    let started = Instant::now();
    let disposal = tokio::spawn(async move {
        let confirm = domain::records::ConfirmRequest { password: crate::DEMO_PASSWORD.to_owned() };
        let (_, mut d) = mutu_backend::records::dispositions::confirm(&state, &manager, id, confirm).await?;
        // A large batch is answered while it is still disposing (202): wait for its end.
        while d.status != "disposed" {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let list = mutu_backend::records::dispositions::list(&state).await?;
            d = list.into_iter().find(|b| b.id == d.id).ok_or(mutu_backend::error::ApiError::NotFound)?;
        }
        Ok::<_, mutu_backend::error::ApiError>(d)
    });
    let mut during: Option<Stats> = None;
    while !disposal.is_finished() {
        let slice = load::closed_loop_rotating(&cases, 2, Duration::ZERO, Duration::from_secs(1)).await?;
        match &mut during {
            Some(all) => all.absorb(slice),
            None => during = Some(slice),
        }
    }
    let done = disposal.await?.map_err(|e| anyhow::anyhow!("confirmation: {e}"))?;
    let took = started.elapsed();
    let during = match during {
        Some(stats) => stats,
        None => load::closed_loop_rotating(&cases, 2, Duration::ZERO, Duration::from_millis(200)).await?,
    };

    // The chunks commit one after another, each with its audit entry: the gaps between the
    // entries bound each chunk's transaction.
    let conn = &app.state.db.conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            format!(
                "SELECT at FROM audit_log WHERE entity = 'disposition' AND entity_id = '{id}' AND action IN \
                 ('disposition.confirmed', 'records.disposed', 'disposition.finished') ORDER BY seq"
            ),
        ))
        .await?;
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .filter_map(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .collect();
    let longest = times.windows(2).filter_map(|w| (w[1] - w[0]).to_std().ok()).max().unwrap_or_default();
    let file_after = file.and_then(|f| std::fs::metadata(f).ok()).map(|m| m.len());
    println!(
        "  R ({database}): {} disposed in {:.1} s, longest transaction {}, case page p99 {} before / {} during",
        done.disposed,
        took.as_secs_f64(),
        load::ms(longest),
        load::ms(before.p99()),
        load::ms(during.p99())
    );
    Ok(ResultR {
        database,
        cases: size.cases,
        disposed: done.disposed,
        took,
        longest,
        before,
        during,
        file_before,
        file_after,
    })
}

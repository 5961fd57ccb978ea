//! The effective instant of a revision is the later of its effective date's 00:00 (site zone)
//! and its approval: a revision approved at 14:45 for that same day is in force from 14:45, not
//! from 00:00. Revisions approved before this rule carry `effective_at` = the day's 00:00; this
//! moves each one whose approval signature is later up to that signature's time, and the
//! `superseded_at` of the revision it replaced with it (that was set to the same instant).
//! Data only and idempotent: running it again changes nothing.

use chrono::{DateTime, Utc};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use std::collections::HashMap;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000002_effective_instant"
    }
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Id,
    EffectiveAt,
    SupersededAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        // The approval of each revision: its latest approval signature that is not void.
        let signatures = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT revision_id, signed_at, void FROM signatures WHERE meaning = 'approved'",
            ))
            .await?;
        let mut approved_at: HashMap<i32, DateTime<Utc>> = HashMap::new();
        for row in signatures {
            if row.try_get::<bool>("", "void")? {
                continue;
            }
            let revision: i32 = row.try_get("", "revision_id")?;
            let at: DateTime<Utc> = row.try_get("", "signed_at")?;
            let entry = approved_at.entry(revision).or_insert(at);
            *entry = Ord::max(*entry, at);
        }
        let revisions = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, document_id, effective_at, superseded_at FROM revisions WHERE effective_at IS NOT NULL",
            ))
            .await?;
        let mut rows = Vec::new();
        for row in revisions {
            let id: i32 = row.try_get("", "id")?;
            let document: i32 = row.try_get("", "document_id")?;
            let effective_at: DateTime<Utc> = row.try_get("", "effective_at")?;
            let superseded_at: Option<DateTime<Utc>> = row.try_get("", "superseded_at")?;
            rows.push((id, document, effective_at, superseded_at));
        }
        // (document, old instant) → new instant, for the predecessors' `superseded_at`.
        let mut moved: HashMap<(i32, DateTime<Utc>), DateTime<Utc>> = HashMap::new();
        for (id, document, effective_at, _) in &rows {
            let Some(approval) = approved_at.get(id) else { continue };
            if *approval > *effective_at {
                moved.insert((*document, *effective_at), *approval);
                let update = Query::update()
                    .table(Revisions::Table)
                    .value(Revisions::EffectiveAt, *approval)
                    .and_where(Expr::col(Revisions::Id).eq(*id))
                    .to_owned();
                manager.exec_stmt(update).await?;
            }
        }
        for (id, document, _, superseded_at) in &rows {
            let Some(new) = superseded_at.and_then(|at| moved.get(&(*document, at))) else { continue };
            let update = Query::update()
                .table(Revisions::Table)
                .value(Revisions::SupersededAt, *new)
                .and_where(Expr::col(Revisions::Id).eq(*id))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        Ok(())
    }
}

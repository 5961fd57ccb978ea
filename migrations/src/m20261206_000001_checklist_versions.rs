//! The W-04 checklist wording becomes versioned: `checklist_versions` holds every version (never
//! changed once made; the highest is in force), each but the first signed by the QC coordinator
//! with a reason, and `validations.checklist_version` names the version a validation was made
//! with.
//!
//! Version 1 is the wording in use now: the `w04_checklist` setting the coordinator last saved,
//! else the defaults (the same texts as `domain::cases::ChecklistLabels::default()` today, copied
//! here so that this migration does not change when the defaults do). Nobody signed it, so it has
//! no signer. Validations made before this migration keep `checklist_version` NULL: the wording
//! may have been changed after them, so calling them version 1 would not be honest.

use chrono::Utc;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000001_checklist_versions"
    }
}

#[derive(DeriveIden)]
enum ChecklistVersions {
    Table,
    Id,
    Version,
    Items,
    SignedBy,
    SignerName,
    SignerRole,
    SignedAt,
    Reason,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

/// The item keys, in order (`domain::cases::CHECKLIST_KEYS`).
const KEYS: [&str; 4] = ["identity_verified", "amount_and_date_correct", "explicit_agreement", "reason_matches"];

/// The default wording as it is when this migration is written.
const DEFAULTS: [(&str, &str, &str); 4] = [
    ("identity_verified", "Identitas pelanggan diverifikasi", "Customer identity verified"),
    (
        "amount_and_date_correct",
        "Nominal dan tanggal bayar disampaikan dengan benar",
        "Amount and payment date stated correctly",
    ),
    ("explicit_agreement", "Pelanggan menyatakan setuju secara tegas", "Customer agreed explicitly"),
    ("reason_matches", "Reason yang diinput sesuai isi percakapan", "Reason entered matches the call"),
];

/// The saved setting's wording, in key order, when it names every item once with both labels.
fn saved_wording(text: &str) -> Option<Value> {
    let value: Value = serde_json::from_str(text).ok()?;
    let items = value.get("items")?.as_array()?;
    let mut out = Vec::new();
    for key in KEYS {
        let found: Vec<&Value> = items.iter().filter(|i| i.get("key").and_then(Value::as_str) == Some(key)).collect();
        let [item] = found.as_slice() else { return None };
        let label = |name: &str| item.get(name).and_then(Value::as_str).map(str::trim).filter(|l| !l.is_empty());
        out.push(json!({ "key": key, "label_id": label("label_id")?, "label_en": label("label_en")? }));
    }
    Some(json!({ "items": out }))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChecklistVersions::Table)
                    .col(pk_auto(ChecklistVersions::Id))
                    .col(integer_uniq(ChecklistVersions::Version))
                    .col(text(ChecklistVersions::Items))
                    .col(integer_null(ChecklistVersions::SignedBy))
                    .col(string_len_null(ChecklistVersions::SignerName, 120))
                    .col(string_len_null(ChecklistVersions::SignerRole, 32))
                    .col(timestamp_with_time_zone(ChecklistVersions::SignedAt))
                    .col(text(ChecklistVersions::Reason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChecklistVersions::Table, ChecklistVersions::SignedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let setting = db
            .query_one_raw(Statement::from_string(
                backend,
                r#"SELECT "value" FROM "settings" WHERE "key" = 'w04_checklist'"#,
            ))
            .await?
            .map(|row| row.try_get::<String>("", "value"))
            .transpose()?;
        let (items, reason) = match setting.as_deref().and_then(saved_wording) {
            Some(items) => (
                items,
                "Teks yang dipakai saat versi teks W-04 dimulai, dibawa dari pengaturan tersimpan; tidak ditandatangani. / \
                 The wording in use when W-04 wording versions began, carried over from the saved setting; not signed.",
            ),
            None => (
                json!({ "items": DEFAULTS.map(|(key, id, en)| json!({ "key": key, "label_id": id, "label_en": en })) }),
                "Teks bawaan, yang dipakai saat versi teks W-04 dimulai; tidak ditandatangani. / \
                 The default wording, in use when W-04 wording versions began; not signed.",
            ),
        };
        let insert = Query::insert()
            .into_table(ChecklistVersions::Table)
            .columns([
                ChecklistVersions::Version,
                ChecklistVersions::Items,
                ChecklistVersions::SignedAt,
                ChecklistVersions::Reason,
            ])
            .values_panic([1.into(), items.to_string().into(), Utc::now().into(), reason.into()])
            .to_owned();
        manager.exec_stmt(insert).await?;

        // Raw, because both databases take this one statement as it is, where the builder
        // cannot add a column with a foreign key on SQLite.
        db.execute_unprepared(
            "ALTER TABLE validations ADD COLUMN checklist_version INTEGER REFERENCES checklist_versions (version)",
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_complete_saved_wording_is_carried_over() {
        let item =
            |key: &str| json!({ "key": key, "label_id": format!(" {key} id "), "label_en": format!("{key} en") });
        let mut items: Vec<Value> = KEYS.iter().map(|k| item(k)).collect();
        items.reverse();
        let saved = saved_wording(&json!({ "items": items }).to_string()).expect("complete");
        let keys: Vec<&str> = saved["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
        assert_eq!(keys, KEYS, "in the items' order");
        assert_eq!(saved["items"][0]["label_id"], "identity_verified id", "trimmed");
        // Anything less is not the wording QCOs saw: the defaults are used instead.
        assert_eq!(saved_wording("not json"), None);
        assert_eq!(saved_wording(&json!({ "items": items[..3] }).to_string()), None);
        let mut blank = items.clone();
        blank[0]["label_en"] = json!("  ");
        assert_eq!(saved_wording(&json!({ "items": blank }).to_string()), None);
        let mut twice = items.clone();
        twice.push(item("reason_matches"));
        assert_eq!(saved_wording(&json!({ "items": twice }).to_string()), None);
    }
}

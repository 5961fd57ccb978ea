//! What a backup holds and how each table is read and written: the tables in foreign-key order
//! ([`TABLES`]), which ones are left out and why ([`EXCLUDED`]), and one generic reader and
//! writer over the SeaORM entities, so that both engines read and write their own types and the
//! archive holds engine-neutral JSON.
//!
//! A row is one line: a JSON array of its values in the order of the part's columns (the
//! manifest lists them). Integers and booleans are JSON numbers and booleans, text is a string,
//! timestamps RFC 3339 in UTC with their stored precision, binary data base64, NULL `null`.

use anyhow::{Context, bail};
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::sea_query::{ColumnType, Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IdenStatic, Iterable, ModelTrait,
    PrimaryKeyToColumn, QueryFilter, QueryOrder, QuerySelect, Value,
};
use serde_json::Value as Json;

/// Tables left out of every backup, with the reason the docs give.
pub const EXCLUDED: &[(&str, &str)] = &[
    ("sessions", "live logins: a restore must not bring them back"),
    ("refresh_tokens", "live login tokens: a restore must not bring them back"),
    ("login_failures", "lock-out counters of the last minutes, with attempts in flight"),
];

/// The `settings` rows left out: the generated JWT secret (a restored database makes a new one
/// on its first start, so no token signed before the backup is accepted by it).
pub const EXCLUDED_SETTINGS: &[&str] = &["jwt_secret"];

/// Columns that point at their own table or at one loaded after it: loaded as NULL and set once
/// every table is in (PostgreSQL checks each statement's foreign keys at once).
pub const DEFERRED: &[(&str, &str)] = &[("teams", "leader_id"), ("documents", "parent_id")];

/// Rows read per query: attachments hold files of up to 50 MiB each.
pub fn page_rows(table: &str) -> u64 {
    if table == "attachments" { 2 } else { 1000 }
}

/// Rows inserted per statement at most (SQLite allows 32,766 bound values, PostgreSQL 65,535;
/// the widest table has under 30 columns).
pub const INSERT_ROWS: usize = 500;
/// Bytes of row text gathered before an insert at most (attachments again).
pub const INSERT_BYTES: usize = 16 * 1024 * 1024;

/// Every table of a backup, in an order in which each foreign key points at a table before it
/// (or is [`DEFERRED`]), with the part name each is written to.
macro_rules! tables {
    ($($name:ident),* $(,)?) => {
        /// The tables of a backup, in foreign-key order.
        pub const TABLES: &[&str] = &[$(stringify!($name)),*];

        /// The column names of `table`, in the order a part's rows hold them.
        pub fn columns(table: &str) -> Option<Vec<&'static str>> {
            match table {
                $(stringify!($name) => Some(column_names::<entity::$name::Entity>()),)*
                _ => None,
            }
        }

        /// Writes every row of `table`, read by primary key in pages, to `out` (one line each).
        pub async fn dump(table: &str, conn: &impl ConnectionTrait, out: &mut impl RowSink) -> anyhow::Result<()> {
            match table {
                $(stringify!($name) => dump_entity::<entity::$name::Entity>(table, conn, out).await,)*
                _ => bail!("no such table: {table}"),
            }
        }

        /// Inserts `rows` (parsed lines of `table`'s part) in one statement.
        pub async fn insert(table: &str, conn: &impl ConnectionTrait, rows: Vec<Vec<Json>>) -> anyhow::Result<()> {
            match table {
                $(stringify!($name) => insert_entity::<entity::$name::Entity>(table, conn, rows).await,)*
                _ => bail!("no such table: {table}"),
            }
        }

        /// Sets `only` columns (every column outside the primary key when `None`) of the row
        /// `row` (a parsed line) of `table` to the row's values: the [`DEFERRED`] columns, and the
        /// one `audit_head` row the migrations make.
        pub async fn update(table: &str, only: Option<&[&str]>, conn: &impl ConnectionTrait, row: &[Json]) -> anyhow::Result<()> {
            match table {
                $(stringify!($name) => update_entity::<entity::$name::Entity>(table, only, conn, row).await,)*
                _ => bail!("no such table: {table}"),
            }
        }

        /// The single integer primary key column of `table` (for PostgreSQL's sequences), if any.
        pub fn serial_column(table: &str) -> Option<&'static str> {
            match table {
                $(stringify!($name) => serial_of::<entity::$name::Entity>(),)*
                _ => None,
            }
        }
    };
}

tables!(
    settings,
    teams,
    users,
    documents,
    revisions,
    acknowledgements,
    attachments,
    signatures,
    checklist_versions,
    imports,
    cases,
    case_promises,
    case_views,
    validations,
    followups,
    followup_steps,
    scoring_forms,
    calibration_sessions,
    calibration_participants,
    sampling_assignments,
    evaluations,
    evaluation_answers,
    evaluation_amendments,
    evaluation_day_stats,
    dashboard_day_stats,
    dashboard_team_day_stats,
    officer_day_stats,
    parameter_day_stats,
    promise_day_stats,
    promise_team_day_stats,
    import_rows,
    import_rejections,
    payment_import_rows,
    payments,
    promise_history,
    mail_outbox,
    backups,
    backup_checks,
    legal_holds,
    dispositions,
    disposed_records,
    audit_log,
    audit_head,
);

/// Where [`dump`] writes rows.
pub trait RowSink {
    /// One row's line, without its newline.
    fn row(&mut self, line: &[u8]) -> anyhow::Result<()>;
}

fn column_names<E: EntityTrait>() -> Vec<&'static str> {
    E::Column::iter().map(|c| c.as_str()).collect()
}

fn primary_key<E: EntityTrait>() -> Vec<E::Column> {
    E::PrimaryKey::iter().map(|k| k.into_column()).collect()
}

fn serial_of<E: EntityTrait>() -> Option<&'static str> {
    let key = primary_key::<E>();
    match key.as_slice() {
        [only] if matches!(only.def().get_column_type(), ColumnType::Integer | ColumnType::BigInteger) => {
            Some(only.as_str())
        }
        _ => None,
    }
}

/// Rows after `last` in primary-key order: `(a, b) > (x, y)`, which both engines answer from
/// the key's index.
fn after<E: EntityTrait>(key: &[E::Column], last: Vec<Value>) -> SimpleExpr {
    let columns = key.iter().map(|c| Expr::col(*c));
    let values = last.into_iter().map(Expr::val);
    Expr::tuple(columns).gt(Expr::tuple(values))
}

async fn dump_entity<E: EntityTrait>(
    table: &str,
    conn: &impl ConnectionTrait,
    out: &mut impl RowSink,
) -> anyhow::Result<()> {
    let key = primary_key::<E>();
    let columns: Vec<E::Column> = E::Column::iter().collect();
    let page = page_rows(table);
    let mut last: Option<Vec<Value>> = None;
    let mut line = Vec::new();
    loop {
        let mut query = E::find();
        if let Some(last) = last.take() {
            query = query.filter(after::<E>(&key, last));
        }
        if table == "settings" {
            query = query.filter(Expr::col(entity::settings::Column::Key).is_not_in(EXCLUDED_SETTINGS.iter().copied()));
        }
        for column in &key {
            query = query.order_by_asc(*column);
        }
        let rows = query.limit(page).all(conn).await.with_context(|| format!("reading {table}"))?;
        let full = rows.len() as u64 == page;
        for row in &rows {
            let values = columns
                .iter()
                .map(|c| encode(row.get(*c)).with_context(|| format!("{table}.{}", c.as_str())))
                .collect::<anyhow::Result<Vec<Json>>>()?;
            line.clear();
            serde_json::to_writer(&mut line, &values)?;
            out.row(&line)?;
        }
        if !full {
            return Ok(());
        }
        let Some(end) = rows.last() else { return Ok(()) };
        last = Some(key.iter().map(|c| end.get(*c)).collect());
    }
}

/// A stored value as JSON.
fn encode(value: Value) -> anyhow::Result<Json> {
    Ok(match value {
        Value::Bool(v) => v.map_or(Json::Null, Json::Bool),
        Value::TinyInt(v) => v.map_or(Json::Null, Json::from),
        Value::SmallInt(v) => v.map_or(Json::Null, Json::from),
        Value::Int(v) => v.map_or(Json::Null, Json::from),
        Value::BigInt(v) => v.map_or(Json::Null, Json::from),
        Value::Float(v) => v.map_or(Ok(Json::Null), |f| finite(f64::from(f)))?,
        Value::Double(v) => v.map_or(Ok(Json::Null), finite)?,
        Value::String(v) => v.map_or(Json::Null, Json::String),
        Value::Bytes(v) => v.map_or(Json::Null, |b| Json::String(base64::engine::general_purpose::STANDARD.encode(b))),
        Value::ChronoDateTimeUtc(v) => {
            v.map_or(Json::Null, |t| Json::String(t.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
        }
        Value::Json(v) => v.map_or(Json::Null, |j| Json::String(j.to_string())),
        other => bail!("a value of a kind backups do not hold: {other:?}"),
    })
}

fn finite(f: f64) -> anyhow::Result<Json> {
    serde_json::Number::from_f64(f).map(Json::Number).context("a number that is not finite")
}

/// A JSON value as the stored value of a column of type `kind`.
fn decode(kind: &ColumnType, json: &Json) -> anyhow::Result<Value> {
    let null = json.is_null();
    let int = || json.as_i64().context("not an integer");
    Ok(match kind {
        ColumnType::Boolean => Value::Bool(if null { None } else { Some(json.as_bool().context("not a boolean")?) }),
        ColumnType::TinyInteger => Value::TinyInt(if null { None } else { Some(i8::try_from(int()?)?) }),
        ColumnType::SmallInteger => Value::SmallInt(if null { None } else { Some(i16::try_from(int()?)?) }),
        ColumnType::Integer => Value::Int(if null { None } else { Some(i32::try_from(int()?)?) }),
        ColumnType::BigInteger => Value::BigInt(if null { None } else { Some(int()?) }),
        ColumnType::Float => {
            Value::Float(if null { None } else { Some(json.as_f64().context("not a number")? as f32) })
        }
        ColumnType::Double => Value::Double(if null { None } else { Some(json.as_f64().context("not a number")?) }),
        ColumnType::Char(_) | ColumnType::String(_) | ColumnType::Text => {
            Value::String(if null { None } else { Some(json.as_str().context("not a string")?.to_owned()) })
        }
        ColumnType::Binary(_) | ColumnType::VarBinary(_) | ColumnType::Blob => Value::Bytes(if null {
            None
        } else {
            Some(base64::engine::general_purpose::STANDARD.decode(json.as_str().context("not a string")?)?)
        }),
        ColumnType::TimestampWithTimeZone => Value::ChronoDateTimeUtc(if null {
            None
        } else {
            let text = json.as_str().context("not a string")?;
            Some(DateTime::parse_from_rfc3339(text).context("not an RFC 3339 time")?.with_timezone(&Utc))
        }),
        ColumnType::Json | ColumnType::JsonBinary => {
            Value::Json(if null { None } else { Some(serde_json::from_str(json.as_str().context("not a string")?)?) })
        }
        other => bail!("a column type backups do not hold: {other:?}"),
    })
}

async fn insert_entity<E: EntityTrait>(
    table: &str,
    conn: &impl ConnectionTrait,
    rows: Vec<Vec<Json>>,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let columns: Vec<E::Column> = E::Column::iter().collect();
    let deferred: Vec<&str> = DEFERRED.iter().filter(|(t, _)| *t == table).map(|(_, c)| *c).collect();
    let mut models = Vec::with_capacity(rows.len());
    for row in rows {
        if row.len() != columns.len() {
            bail!("a row of {table} has {} values, not {}", row.len(), columns.len());
        }
        let mut model = <E::ActiveModel as ActiveModelTrait>::default();
        for (column, json) in columns.iter().zip(&row) {
            let kind = column.def().get_column_type().clone();
            let json = if deferred.contains(&column.as_str()) { &Json::Null } else { json };
            let value = decode(&kind, json).with_context(|| format!("{table}.{}", column.as_str()))?;
            model.try_set(*column, value).with_context(|| format!("{table}.{}", column.as_str()))?;
        }
        models.push(model);
    }
    E::insert_many(models).exec_without_returning(conn).await.with_context(|| format!("inserting into {table}"))?;
    Ok(())
}

async fn update_entity<E: EntityTrait>(
    table: &str,
    only: Option<&[&str]>,
    conn: &impl ConnectionTrait,
    row: &[Json],
) -> anyhow::Result<()> {
    let columns: Vec<E::Column> = E::Column::iter().collect();
    if row.len() != columns.len() {
        bail!("a row of {table} has {} values, not {}", row.len(), columns.len());
    }
    let key = primary_key::<E>();
    let value_of = |i: usize| -> anyhow::Result<Value> {
        let column = columns[i];
        decode(column.def().get_column_type(), &row[i]).with_context(|| format!("{table}.{}", column.as_str()))
    };
    let mut update = E::update_many();
    let mut filter = Condition::all();
    for (i, column) in columns.iter().enumerate() {
        let keyed = key.iter().any(|k| k.as_str() == column.as_str());
        if keyed {
            filter = filter.add(column.eq(value_of(i)?));
        } else if only.is_none_or(|only| only.contains(&column.as_str())) {
            update = update.col_expr(*column, Expr::val(value_of(i)?));
        }
    }
    update.filter(filter).exec(conn).await.with_context(|| format!("updating {table}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_json() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T10:11:12.123456Z").unwrap().with_timezone(&Utc);
        for (kind, value) in [
            (ColumnType::Boolean, Value::Bool(Some(true))),
            (ColumnType::Integer, Value::Int(Some(-7))),
            (ColumnType::BigInteger, Value::BigInt(Some(1 << 40))),
            (ColumnType::Double, Value::Double(Some(0.1))),
            (ColumnType::Text, Value::String(Some("Rp 350.000 \"é\"\n".into()))),
            (ColumnType::Blob, Value::Bytes(Some(vec![0, 255, 10, 13]))),
            (ColumnType::TimestampWithTimeZone, Value::ChronoDateTimeUtc(Some(at))),
            (ColumnType::Integer, Value::Int(None)),
            (ColumnType::TimestampWithTimeZone, Value::ChronoDateTimeUtc(None)),
        ] {
            let json = encode(value.clone()).unwrap();
            assert_eq!(decode(&kind, &json).unwrap(), value, "{json}");
        }
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_refused() {
        assert!(decode(&ColumnType::Integer, &Json::String("1".into())).is_err());
        assert!(decode(&ColumnType::Integer, &Json::from(1_i64 << 40)).is_err());
        assert!(decode(&ColumnType::Boolean, &Json::from(1)).is_err());
        assert!(decode(&ColumnType::TimestampWithTimeZone, &Json::String("yesterday".into())).is_err());
    }

    #[test]
    fn every_table_has_its_columns_and_no_table_is_both_kept_and_left_out() {
        for table in TABLES {
            assert!(columns(table).is_some_and(|c| !c.is_empty()), "{table}");
            assert!(!EXCLUDED.iter().any(|(t, _)| t == table), "{table}");
        }
        for (table, column) in DEFERRED {
            assert!(columns(table).unwrap().contains(column), "{table}.{column}");
        }
    }
}

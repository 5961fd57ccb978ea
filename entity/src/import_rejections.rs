//! A row an import refused: its spreadsheet row number (the header is row 1) and the reason, in
//! English words and as typed codes.
//! `seq` numbers the refusals of the import in file order. The answer of the import lists the
//! first ones; `GET /api/imports/{id}/rejections` (pages) and `…/rejections.csv` read them all.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_rejections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub row_no: i64,
    pub error: String,
    /// The faults as `domain::cases::RowProblem` codes, JSON (NULL for rows refused before
    /// they were stored).
    pub problems: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

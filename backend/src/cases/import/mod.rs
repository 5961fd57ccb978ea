//! `POST /api/cases/import`: the day's agree export (CSV or XLSX, told apart by content) into
//! cases, streamed and all or nothing, by the machinery of [`crate::imports`] (its module doc
//! says how: sniffing, bounds, the parsing thread, staging, clean-up).
//!
//! What is the agree import's own: its [`Agrees`] layout (the export's ten columns, English or
//! Indonesian, read by [`domain::cases::map_agree_header`]; one row by
//! [`domain::cases::parse_row`]); `stage`, which resolves each batch's agents (through a cache,
//! with whom the importer may import: `agents`) and brings call times from site time to UTC
//! into `import_rows`, and its last transaction, which moves the staged rows into `cases`
//! (`INSERT … SELECT … ON CONFLICT (customer_no, call_at, agent_id) DO NOTHING`, so duplicates
//! of earlier imports or within the file are counted), completes the `imports` record and
//! writes the audit entry.

mod agents;
mod stage;

pub use crate::imports::{discard_unfinished, discard_unfinished_imports, limits};

use crate::audit::Trail;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::imports::{ColumnAt, Layout, Upload, Whole, receive};
use crate::state::AppState;
use axum::body::Bytes;
use domain::cases::{
    FileProblem, IMPORT_COLUMNS, ImportColumn, ImportResult, ImportRow, RowFaults, RowProblem, map_agree_header,
    parse_row,
};

/// Largest upload of this route (the body limit is set on the route alone).
pub const UPLOAD_LIMIT: usize = crate::imports::UPLOAD_LIMIT;

/// The agree export's layout: its ten columns and one row's rules, at the site's offset (call
/// times written with an offset are brought to the site's zone).
pub(crate) struct Agrees {
    site_offset: i32,
}

impl Layout for Agrees {
    type Row = ImportRow;
    type Faults = RowFaults;

    fn map_header(&self, header: &[String]) -> Result<Vec<ColumnAt>, FileProblem> {
        let at = map_agree_header(header)?;
        let column = |c: ImportColumn| ColumnAt {
            index: at[c.index()],
            required: c.required(),
            timed: c == ImportColumn::CallAt,
        };
        Ok(ImportColumn::ALL.map(column).to_vec())
    }

    fn check(&self, cells: &[String]) -> Result<ImportRow, RowFaults> {
        match <&[String; 10]>::try_from(cells) {
            Ok(cells) => parse_row(cells, self.site_offset),
            Err(_) => Err(RowFaults::whole(RowProblem::CellCount {
                cells: cells.len() as u64,
                columns: IMPORT_COLUMNS.len() as u64,
            })),
        }
    }

    fn whole(&self, problem: RowProblem) -> RowFaults {
        RowFaults::whole(problem)
    }

    fn misaligned(&self, checked: Result<ImportRow, RowFaults>, problem: RowProblem, lacking: &[usize]) -> RowFaults {
        let mut faults = RowFaults::add(checked, problem);
        faults.problems.retain(|p| !matches!(p, RowProblem::Empty { column } if lacking.contains(&column.index())));
        faults
    }
}

/// Imports a file already in memory (the demo data, audited as a whole: `trail`).
pub async fn run(
    state: &AppState,
    who: &AuthUser,
    trail: Trail,
    filename: &str,
    bytes: Vec<u8>,
) -> ApiResult<ImportResult> {
    import(state, who, trail, filename, Whole(Some(Bytes::from(bytes)))).await
}

/// Imports an upload as it arrives.
pub async fn run_upload(
    state: &AppState,
    who: &AuthUser,
    filename: &str,
    upload: impl Upload,
) -> ApiResult<ImportResult> {
    import(state, who, Trail::EachStep, filename, upload).await
}

async fn import(
    state: &AppState,
    who: &AuthUser,
    trail: Trail,
    filename: &str,
    upload: impl Upload,
) -> ApiResult<ImportResult> {
    let layout = Agrees { site_offset: crate::imports::site_offset(state) };
    let mut agents = stage::AgreeStage::default();
    let received = receive(state, who, filename, upload, layout, &mut agents).await?;
    let result = stage::finish(state, who, trail, filename, &received).await?;
    received.done();
    Ok(result)
}

/// The header line of the import template.
pub fn template() -> String {
    format!("{}\r\n", IMPORT_COLUMNS.join(","))
}

//! What one import's files are ([`Layout`]: columns, header, one row's check, on the parsing
//! thread) and what its checked rows become ([`Stage`]: a batch checked further, with the
//! database if need be, into staged values and refusals). The agree import and the payment
//! import are the two of each.

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::state::AppState;
use domain::cases::{FileProblem, RowProblem};
use sea_orm::Value;

/// A checked row: its spreadsheet row number, and the row or every fault it has.
pub type Checked<L> = (u64, Result<<L as Layout>::Row, <L as Layout>::Faults>);

/// Where the header puts one of a layout's columns, and how it is read.
#[derive(Debug, Clone, Copy)]
pub struct ColumnAt {
    /// Its index in the file's rows (`usize::MAX`: an optional column the file does not have).
    pub index: usize,
    /// Whether a row must fill it: a CSV record that ends before it is refused for its cell
    /// count (without calling each missing cell empty).
    pub required: bool,
    /// Whether its date-typed XLSX cells keep their time even at midnight (a call time, a
    /// payment time), where a day alone is not enough.
    pub timed: bool,
}

/// The columns of an import's file and the rules of one row, pure (no database): it runs on the
/// parsing thread, which owns it.
pub trait Layout: Send + 'static {
    /// A good row.
    type Row: Send + 'static;
    /// Every fault of a refused row.
    type Faults: Send + 'static;

    /// For each of the layout's columns, where the file's header puts it and how it is read; or
    /// why the header is refused (a file of the other import is named as such).
    fn map_header(&self, header: &[String]) -> Result<Vec<ColumnAt>, FileProblem>;

    /// Checks one row, its cells in the layout's column order.
    fn check(&self, cells: &[String]) -> Result<Self::Row, Self::Faults>;

    /// A row refused for one fault of the whole row (it could not be read cell by cell).
    fn whole(&self, problem: RowProblem) -> Self::Faults;

    /// A checked row whose cells do not line up with the header (`problem`), and that lacks
    /// the cells of the `lacking` columns (which are then not also called empty).
    fn misaligned(
        &self,
        checked: Result<Self::Row, Self::Faults>,
        problem: RowProblem,
        lacking: &[usize],
    ) -> Self::Faults;
}

/// A refused row as the import stores and lists it.
pub trait Refusal: Send + Sync + 'static {
    /// A row refused for one fault of the whole row (a workbook damaged from it on).
    fn whole(problem: RowProblem) -> Self;
    /// Every fault in English words (`import_rejections.error`, the CSV download).
    fn text(&self) -> String;
    /// Every fault as codes, JSON (`import_rejections.problems`).
    fn codes(&self) -> Option<String>;
}

/// What a batch of checked rows becomes: staged values and refusals.
pub struct Batch<R> {
    import_id: i32,
    pub(super) values: Vec<Value>,
    pub(super) rows: u64,
    pub(super) refused: Vec<(u64, R)>,
}

impl<R> Batch<R> {
    pub(super) fn new(import_id: i32, capacity: usize) -> Batch<R> {
        Batch { import_id, values: Vec::with_capacity(capacity), rows: 0, refused: Vec::new() }
    }

    /// Stages a good row: the import's id and the row's number (its `seq`: unique and in file
    /// order) first, then `values` in the order of the staging table's columns.
    pub fn stage(&mut self, row: u64, values: impl IntoIterator<Item = Value>) {
        self.values.push(Value::Int(Some(self.import_id)));
        self.values.push(Value::BigInt(Some(row.min(i64::MAX as u64) as i64)));
        self.values.extend(values);
        self.rows += 1;
    }

    /// Refuses a row.
    pub fn refuse(&mut self, row: u64, refusal: R) {
        self.refused.push((row, refusal));
    }
}

/// One import's staging: its table, and its check of a batch of rows from the parser.
pub trait Stage<L: Layout>: Send {
    /// The staged rows' refusal.
    type Refused: Refusal;
    /// `imports.kind`.
    const KIND: &'static str;
    /// The staging table and its columns: `import_id` and `seq` first.
    const TABLE: &'static str;
    /// Bound values of a staged row (with `import_id` and `seq`).
    const VALUES: usize;

    /// Checks a batch further (agents, times) into `batch`, every row staged or refused.
    fn check(
        &mut self,
        state: &AppState,
        who: &AuthUser,
        rows: Vec<Checked<L>>,
        batch: &mut Batch<Self::Refused>,
    ) -> impl Future<Output = ApiResult<()>> + Send;
}

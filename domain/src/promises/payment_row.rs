//! One row of the payment import (`customer_no, paid_at, amount, payment_ref`, optional `kind`
//! and `channel`): its cells checked and normalised, and every fault of it listed, each as the
//! column it is in and a field [`Problem`] code, which the browser words like any field's.

use super::{Payment, PaymentKind, SiteTime};
use crate::cases::{FileProblem, HeaderFault, map_columns, map_header, parse_amount};
use crate::dates::Date;
use crate::problems::Problem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Characters a customer number may have (as the agree import).
pub const CUSTOMER_NO_MAX: u32 = 40;
/// Characters a payment reference may have.
pub const PAYMENT_REF_MAX: u32 = 100;
/// Characters a channel may have.
pub const CHANNEL_MAX: u32 = 60;

/// A column of the payment import, in file order when the file has them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PaymentColumn {
    CustomerNo,
    PaidAt,
    Amount,
    PaymentRef,
    /// Optional: `payment` (when empty or absent) or `reversal`.
    Kind,
    /// Optional.
    Channel,
}

impl PaymentColumn {
    pub const ALL: [PaymentColumn; 6] = [
        PaymentColumn::CustomerNo,
        PaymentColumn::PaidAt,
        PaymentColumn::Amount,
        PaymentColumn::PaymentRef,
        PaymentColumn::Kind,
        PaymentColumn::Channel,
    ];

    /// Its place in [`PaymentColumn::ALL`] (and in [`check_payment_row`]'s cells).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its English header name (`paid_at`), also its field name in a problem's wording.
    pub fn name(self) -> &'static str {
        ["customer_no", "paid_at", "amount", "payment_ref", "kind", "channel"][self.index()]
    }

    /// Its Indonesian header name (`waktu_bayar`), accepted as well.
    pub fn name_id(self) -> &'static str {
        ["nomor_pelanggan", "waktu_bayar", "jumlah", "referensi_pembayaran", "jenis", "kanal"][self.index()]
    }

    /// Whether a file must have this column (`kind` and `channel` may be left out).
    pub fn required(self) -> bool {
        !matches!(self, PaymentColumn::Kind | PaymentColumn::Channel)
    }
}

/// One fault of a refused payment row: `{"column": "amount", "code": "out_of_range"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRowProblem {
    pub column: PaymentColumn,
    pub code: Problem,
    /// With `amount` `mismatch`: the amount stored for this customer, kind and `payment_ref`
    /// (by an earlier import, or an earlier row of the same file), which the row contradicts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_amount: Option<i64>,
}

impl PaymentRowProblem {
    /// A fault of a cell, with no value.
    pub fn new(column: PaymentColumn, code: Problem) -> PaymentRowProblem {
        PaymentRowProblem { column, code, stored_amount: None }
    }

    /// A row whose customer, kind and reference are stored with another amount: the same
    /// payment cannot have two amounts, so the row is refused rather than counted a duplicate.
    pub fn conflict(stored_amount: i64) -> PaymentRowProblem {
        PaymentRowProblem { column: PaymentColumn::Amount, code: Problem::Mismatch, stored_amount: Some(stored_amount) }
    }
}

/// The English words of a fault (the API's `error` text and the refused-rows download).
impl fmt::Display for PaymentRowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PaymentColumn as C;
        use Problem as P;
        let column = self.column.name();
        match (self.column, self.code) {
            (_, P::Required) => write!(f, "{column} is empty"),
            (_, P::InvalidCharacters) => write!(f, "{column} contains control characters"),
            (C::CustomerNo, P::TooLong) => write!(f, "{column} is longer than {CUSTOMER_NO_MAX} characters"),
            (C::PaymentRef, P::TooLong) => write!(f, "{column} is longer than {PAYMENT_REF_MAX} characters"),
            (C::Channel, P::TooLong) => write!(f, "{column} is longer than {CHANNEL_MAX} characters"),
            (C::PaidAt, P::InvalidTimestamp) => {
                write!(f, "bad {column} (YYYY-MM-DD HH:MM, or ISO 8601 with Z or an offset)")
            }
            (C::PaidAt, P::OutOfRange) => write!(f, "{column} is outside the years 1900 to 9999"),
            (C::PaidAt, P::InFuture) => write!(f, "{column} is more than a day in the future"),
            (C::Amount, P::NotANumber) => write!(f, "{column} is not an amount"),
            (C::Amount, P::OutOfRange) => {
                write!(f, "{column} must be above 0 (only a reversal may be 0 or negative) and at most 13 digits")
            }
            (C::Kind, P::UnknownKind) => write!(f, "unknown {column} (payment or reversal)"),
            (C::Amount, P::Mismatch) => write!(
                f,
                "this payment_ref is already imported for this customer with the {column} {}",
                crate::indonesian::grouped(self.stored_amount.unwrap_or_default(), ',')
            ),
            (_, code) => write!(f, "{column}: {code}"),
        }
    }
}

/// A refused row: every fault found, in the order of the columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRowFaults {
    pub problems: Vec<PaymentRowProblem>,
}

impl PaymentRowFaults {
    /// Every fault in English words, `; ` between them.
    pub fn text(&self) -> String {
        self.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

/// Reads a header row of the payment import: the columns of [`PaymentColumn::ALL`] by their
/// English or Indonesian names, in any order and case (as the agree import reads its own,
/// [`crate::cases::map_columns`]); `kind` and `channel` may be absent (their index is then
/// `usize::MAX`, read as empty cells).
pub fn map_payment_columns(header: &[String]) -> Result<[usize; 6], FileProblem> {
    let names = |c: PaymentColumn| [c.name(), c.name_id()];
    map_columns(header, PaymentColumn::ALL, names, PaymentColumn::required).map_err(|fault| match fault {
        HeaderFault::Twice(column) => FileProblem::PaymentColumnTwice { column },
        HeaderFault::Columns { missing, unknown, more } => FileProblem::PaymentColumns { missing, unknown, more },
    })
}

/// The payment import's header check: [`map_payment_columns`], except that the agree export's
/// header is refused as such ([`FileProblem::LooksLikeAgrees`]), which says more than its list
/// of missing and unexpected columns.
pub fn map_payment_header(header: &[String]) -> Result<[usize; 6], FileProblem> {
    map_payment_columns(header)
        .map_err(|problem| if map_header(header).is_ok() { FileProblem::LooksLikeAgrees } else { problem })
}

/// A text cell trimmed, or the fault: control characters, empty when required, too long.
fn text_cell(value: &str, max: u32, required: bool) -> Result<String, Problem> {
    let v = value.trim();
    if v.chars().any(char::is_control) {
        Err(Problem::InvalidCharacters)
    } else if required && v.is_empty() {
        Err(Problem::Required)
    } else if v.chars().count() > max as usize {
        Err(Problem::TooLong)
    } else {
        Ok(v.to_owned())
    }
}

/// Rupiah as exports write them (`350000`, `Rp 350.000`, `350.000,00`…), with a sign when
/// negative (`-350.000`, `Rp -350.000`): reversals are often written so.
pub fn parse_signed_amount(text: &str) -> Result<i64, Problem> {
    let t = text.trim();
    let (negative, rest) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let magnitude = match parse_amount(rest) {
        Err(crate::cases::RowProblem::AmountNegative) if !negative => {
            // The sign after the currency: `Rp -350.000`.
            return parse_amount(&rest.replacen('-', "", 1)).map(|v| -v).map_err(|_| Problem::NotANumber);
        }
        Err(crate::cases::RowProblem::AmountTooLarge) => return Err(Problem::OutOfRange),
        Err(_) => return Err(Problem::NotANumber),
        Ok(v) => v,
    };
    Ok(if negative { -magnitude } else { magnitude })
}

/// The kind a cell names: empty is a payment; `payment` or `reversal` (any case), or their
/// Indonesian names `pembayaran` and `pembatalan`.
pub fn parse_kind(text: &str) -> Option<PaymentKind> {
    match text.trim().to_lowercase().as_str() {
        "" | "payment" | "pembayaran" => Some(PaymentKind::Payment),
        "reversal" | "pembatalan" => Some(PaymentKind::Reversal),
        _ => None,
    }
}

/// Checks one data row, cells in the order of [`PaymentColumn::ALL`] (an empty text for an
/// optional column the file does not have). `site_offset` is the site zone's offset from UTC in
/// seconds, for times written with one; `today` is the site day of the import. Refused, each
/// fault listed in column order:
/// - `customer_no`, `payment_ref`: empty (`required`), control characters
///   (`invalid_characters`), too long (`too_long`); `channel` may be empty;
/// - `paid_at`: not a date and time (`invalid_timestamp`), a year outside 1900–9999
///   (`out_of_range`), a day after tomorrow (`in_future`: a file dated in another zone may run
///   a day ahead, no more);
/// - `amount`: not an amount (`not_a_number`), over 13 digits, or 0 or less for a payment
///   (`out_of_range`); a reversal's may be 0 or negative;
/// - `kind`: other than payment or reversal (`unknown_kind`).
pub fn check_payment_row(cells: &[String; 6], site_offset: i32, today: Date) -> Result<Payment, PaymentRowFaults> {
    use PaymentColumn as C;
    let customer_no = text_cell(&cells[0], CUSTOMER_NO_MAX, true);
    let paid_at = match cells[1].trim() {
        "" => Err(Problem::Required),
        text => match SiteTime::parse(text, site_offset) {
            Some(at) if at.day > today.add_days(1) => Err(Problem::InFuture),
            Some(at) => Ok(at),
            None if call_at_year_outside(text, site_offset) => Err(Problem::OutOfRange),
            None => Err(Problem::InvalidTimestamp),
        },
    };
    let kind = parse_kind(&cells[4]).ok_or(Problem::UnknownKind);
    let amount = match cells[2].trim() {
        "" => Err(Problem::Required),
        // A payment of nothing is refused; a reversal's amount is not used (see `Payment`), and a
        // row of unknown kind is refused for its kind alone.
        text => parse_signed_amount(text)
            .and_then(|v| if v <= 0 && kind == Ok(PaymentKind::Payment) { Err(Problem::OutOfRange) } else { Ok(v) }),
    };
    let payment_ref = text_cell(&cells[3], PAYMENT_REF_MAX, true);
    let channel = text_cell(&cells[5], CHANNEL_MAX, false);

    match (customer_no, paid_at, amount, payment_ref, kind, channel) {
        (Ok(customer_no), Ok(paid_at), Ok(amount), Ok(payment_ref), Ok(kind), Ok(channel)) => Ok(Payment {
            customer_no,
            payment_ref,
            paid_at,
            amount,
            kind,
            channel: (!channel.is_empty()).then_some(channel),
        }),
        (customer_no, paid_at, amount, payment_ref, kind, channel) => {
            // In the order of the columns.
            let problems = [
                (C::CustomerNo, customer_no.err()),
                (C::PaidAt, paid_at.err()),
                (C::Amount, amount.err()),
                (C::PaymentRef, payment_ref.err()),
                (C::Kind, kind.err()),
                (C::Channel, channel.err()),
            ]
            .into_iter()
            .filter_map(|(column, code)| code.map(|code| PaymentRowProblem::new(column, code)))
            .collect();
            Err(PaymentRowFaults { problems })
        }
    }
}

/// Whether a time the import could not read is one whose year is outside the API's (so the row
/// says `out_of_range`, not that it is no time at all).
fn call_at_year_outside(text: &str, site_offset: i32) -> bool {
    crate::cases::call_at_in_site(text, site_offset).is_some()
}

//! How the centre writes numbers and dates in Bahasa Indonesia, for everything that writes them
//! outside the browser's word lists (mails, demo data, tests): thousands grouped with a dot
//! (`1.250.000`), and the names of the days and months.

/// Monday first, as [`crate::dates::Date::iso_weekday`] counts (1 = Senin).
pub const DAYS: [&str; 7] = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"];

/// January first (1 = Januari).
pub const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// `n` with its thousands grouped by `sep` (`-1.250.000` with `.`; English pages use `,`).
pub fn grouped(n: i64, sep: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `n` as Indonesian pages write it: `1.250.000`.
pub fn thousands(n: i64) -> String {
    grouped(n, '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_from_the_right() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1.000");
        assert_eq!(thousands(1_250_000), "1.250.000");
        assert_eq!(thousands(-350_000), "-350.000");
        assert_eq!(grouped(12_345, ','), "12,345");
        assert_eq!(thousands(i64::MIN), "-9.223.372.036.854.775.808");
    }
}

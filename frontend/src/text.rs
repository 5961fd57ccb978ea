//! Case mapping and number reading done by the browser's own engine where Rust's would bring its
//! tables into the bundle: the Unicode case tables (13 KB) and the decimal-to-float tables (21 KB)
//! cost some 20 KB of the brotli budget for a handful of form fields. The answers are the same:
//! ASCII text never leaves Rust; other text goes to `String.prototype.toUpperCase` /
//! `toLowerCase`, which apply the same Unicode default case mapping (special casing and the final
//! sigma included) as `str::to_uppercase` / `to_lowercase`; a number in Rust's grammar goes to
//! JavaScript's correctly rounded reader. On the host (unit tests) Rust's own functions answer.

/// `text.to_uppercase()`.
pub fn upper(text: &str) -> String {
    if text.is_ascii() { text.to_ascii_uppercase() } else { engine::upper(text) }
}

/// `text.to_lowercase()`.
pub fn lower(text: &str) -> String {
    if text.is_ascii() { text.to_ascii_lowercase() } else { engine::lower(text) }
}

/// `text.parse::<f64>().ok()`: the same grammar (an optional sign, then `inf`, `infinity` or
/// `nan` in any case, or digits with an optional point and exponent), the same correctly rounded
/// value.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let signed = |value: f64| if negative { -value } else { value };
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(signed(f64::INFINITY));
    }
    if unsigned.eq_ignore_ascii_case("nan") {
        return Some(signed(f64::NAN));
    }
    is_decimal(unsigned).then(|| engine::parse_decimal(text))
}

/// Digits with an optional `.` and more digits (at least one digit in all), then an optional
/// exponent: `e` or `E`, an optional sign, at least one digit.
fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits_from = |at: usize| bytes[at.min(bytes.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = digits_from(0);
    let mut at = whole;
    let mut fraction = 0;
    if bytes.get(at) == Some(&b'.') {
        fraction = digits_from(at + 1);
        at += 1 + fraction;
    }
    if whole + fraction == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits_from(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

#[cfg(target_arch = "wasm32")]
mod engine {
    use js_sys::JsString;

    pub fn upper(text: &str) -> String {
        JsString::from(text).to_upper_case().into()
    }

    pub fn lower(text: &str) -> String {
        JsString::from(text).to_lower_case().into()
    }

    /// A text that [`super::is_decimal`] accepted (with its sign): JavaScript reads it whole.
    pub fn parse_decimal(text: &str) -> f64 {
        js_sys::Number::parse_float(text)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod engine {
    pub fn upper(text: &str) -> String {
        text.to_uppercase()
    }

    pub fn lower(text: &str) -> String {
        text.to_lowercase()
    }

    pub fn parse_decimal(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_rust_reads_them() {
        // Separated by `|`; the first is the empty text.
        let samples = "|+|-|.|e|e5|1e|1e+|1.e5|.5|5.|+.5|-5.|1.5e-3|1E3|2,5|0x10|1_0| 1|1 |١|inf|-INF|+Infinity\
            |infinit|NaN|-nan|nan1|10|7.5|00.25|1e400|-1e-400|..5|1.2.3|--1|+-1|1e5.5|12345678901234567890.5";
        for sample in samples.split('|') {
            let ours = parse_f64(sample);
            let rust = sample.parse::<f64>().ok();
            assert_eq!(ours.map(f64::to_bits), rust.map(f64::to_bits), "{sample:?}");
        }
    }

    #[test]
    fn case_mapping_matches_rust() {
        for sample in ["abc-01", "ÄÖü ß", "ΟΔΟΣ", "İstanbul", "ǅ", ""] {
            assert_eq!(upper(sample), sample.to_uppercase(), "{sample:?}");
            assert_eq!(lower(sample), sample.to_lowercase(), "{sample:?}");
        }
    }
}

//! A rate as its two counts, and the one rounding of every metric: figures are kept as whole
//! counts (and scores as whole hundredths of a point) so that sums over days and teams are exact,
//! and are divided and rounded only when shown, in integers, half away from zero.

use serde::{Deserialize, Serialize};

/// `num` out of `den`: failed answers out of answered ones, approvals out of validations…
/// Kept as counts so rates over several days or teams are the sum of their counts, never an
/// average of percentages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rate {
    /// The items that have the property (failed, approved, disputed…).
    pub num: u64,
    /// The items counted.
    pub den: u64,
}

impl Rate {
    pub const fn new(num: u64, den: u64) -> Rate {
        Rate { num, den }
    }

    /// `num / den` as a fraction (0.25 for 1 of 4), unrounded; `None` when nothing was counted,
    /// which a dashboard shows as "–", never as 0 %.
    pub fn value(self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 / self.den as f64)
    }

    /// `num / den × 100`, rounded to two decimals (half away from zero); `None` when nothing
    /// was counted. The percentage every report and dashboard shows.
    pub fn percent(self) -> Option<f64> {
        (self.den > 0).then(|| hundredths(i128::from(self.num) * 10_000, i128::from(self.den)))
    }
}

impl std::ops::Add for Rate {
    type Output = Rate;
    fn add(self, other: Rate) -> Rate {
        Rate { num: self.num + other.num, den: self.den + other.den }
    }
}

impl std::ops::AddAssign for Rate {
    fn add_assign(&mut self, other: Rate) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Rate {
    fn sum<I: Iterator<Item = Rate>>(iter: I) -> Rate {
        iter.fold(Rate::default(), std::ops::Add::add)
    }
}

/// `num / den` rounded to a whole number, half away from zero, without floating point (so 0.125
/// and 0.135 round the same way on every machine). `den` is positive.
pub(super) fn round_ratio(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0);
    let half_up = (2 * num.abs() + den) / (2 * den);
    if num < 0 { -half_up } else { half_up }
}

/// A figure counted in hundredths, `num / den` of them, as the number shown with two decimals.
pub(super) fn hundredths(num: i128, den: i128) -> f64 {
    round_ratio(num, den) as f64 / 100.0
}

/// Field-by-field `+`, `+=` and `Sum` for a roll-up counter: a day's counts plus another day's
/// (or team's) are the counts of both.
macro_rules! additive {
    ($name:ident { $($field:ident),+ $(,)? }) => {
        impl std::ops::Add for $name {
            type Output = $name;
            fn add(self, other: $name) -> $name {
                $name { $($field: self.$field + other.$field),+ }
            }
        }

        impl std::ops::AddAssign for $name {
            fn add_assign(&mut self, other: $name) {
                *self = *self + other;
            }
        }

        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                iter.fold($name::default(), std::ops::Add::add)
            }
        }
    };
}

pub(super) use additive;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_rate_has_no_value_rather_than_zero() {
        assert_eq!(Rate::new(0, 0).value(), None);
        assert_eq!(Rate::new(0, 0).percent(), None);
        assert_eq!(Rate::default(), Rate::new(0, 0));
        assert_eq!(Rate::new(0, 5).percent(), Some(0.0));
        assert_eq!(Rate::new(5, 5).percent(), Some(100.0));
        assert_eq!(Rate::new(1, 4).value(), Some(0.25));
    }

    #[test]
    fn percentages_round_to_two_decimals_half_away_from_zero() {
        assert_eq!(Rate::new(1, 3).percent(), Some(33.33));
        assert_eq!(Rate::new(2, 3).percent(), Some(66.67));
        // 1 / 20,000 is 0.005 % exactly: a half, rounded up (a float product may land either side).
        assert_eq!(Rate::new(1, 20_000).percent(), Some(0.01));
        assert_eq!(Rate::new(1, 40_000).percent(), Some(0.0));
        assert_eq!(Rate::new(1, 8).percent(), Some(12.5));
        assert_eq!(Rate::new(u64::MAX, u64::MAX).percent(), Some(100.0), "no overflow");
    }

    #[test]
    fn rates_add_as_counts_not_as_percentages() {
        let monday = Rate::new(1, 1); // 100 %
        let tuesday = Rate::new(0, 3); // 0 %
        assert_eq!((monday + tuesday).percent(), Some(25.0), "not the 50 % of the two percentages");
        assert_eq!([monday, tuesday, Rate::default()].into_iter().sum::<Rate>(), Rate::new(1, 4));
        let mut week = monday;
        week += tuesday;
        assert_eq!(week, Rate::new(1, 4));
    }

    #[test]
    fn whole_number_rounding_is_symmetric() {
        assert_eq!(round_ratio(5, 2), 3);
        assert_eq!(round_ratio(-5, 2), -3);
        assert_eq!(round_ratio(7, 3), 2);
        assert_eq!(round_ratio(-7, 3), -2);
        assert_eq!(round_ratio(0, 9), 0);
        assert_eq!(hundredths(1, 3), 0.0);
        assert_eq!(hundredths(11_333, 3), 37.78);
    }
}

//! Typed codes: a status or kind that is stored in a TEXT column and sent on the wire as a
//! snake_case word is declared once with [`code_enum!`], which gives it the same derives everywhere:
//! serde and strum (`Display`, `FromStr`, `IntoStaticStr`, `VARIANTS`) agree on the word,
//! `as_str()` names it, the `openapi` feature documents it, and the `sea-orm` feature makes it a
//! column type (`DeriveValueType`, still TEXT: no migration), so the server reads and writes the
//! enum and a word outside it never gets in or out unnoticed.

/// Declares a typed code (see the module).
macro_rules! code_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[derive(strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// The stored and wire word.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    };
}

pub(crate) use code_enum;

#[cfg(test)]
mod tests {
    use crate::scoring::{AssignmentStatus, CalibrationStatus};
    use strum::VariantArray;

    /// A code reads back as itself from the database (`FromStr`), the wire (serde) and `as_str`.
    fn one_word<T>(variants: &[T], words: &[&str])
    where
        T: Copy
            + PartialEq
            + std::fmt::Debug
            + std::str::FromStr
            + serde::Serialize
            + std::fmt::Display
            + Into<&'static str>,
        <T as std::str::FromStr>::Err: std::fmt::Debug,
    {
        let written: Vec<&str> = variants.iter().map(|v| (*v).into()).collect();
        assert_eq!(written, words);
        for variant in variants {
            let word: &str = (*variant).into();
            assert_eq!(word.parse::<T>().unwrap(), *variant);
            assert_eq!(serde_json::to_value(variant).unwrap(), word);
            assert_eq!(variant.to_string(), word);
        }
    }

    #[test]
    fn stored_and_wire_codes_are_one_word() {
        one_word(AssignmentStatus::VARIANTS, &["pending", "done"]);
        one_word(CalibrationStatus::VARIANTS, &["open", "closed"]);
        assert!("Pending".parse::<AssignmentStatus>().is_err());
    }
}

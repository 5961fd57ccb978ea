//! Pieces the pages are built from: the shell with its navigation, form fields that show their
//! error text, loading and error states, a dialog, the language switch and the profile card.

pub mod account_help;
pub mod badges;
pub mod breakdown;
pub mod cases;
pub mod chain;
pub mod dialog;
pub mod doc_parts;
pub mod fields;
pub mod home_cards;
pub mod lang_switch;
pub mod overview;
pub mod paged;
pub mod parts;
pub mod profile;
pub mod promises;
pub mod score_editor;
pub mod score_sheet;
pub mod scoring;
pub mod scoring_badge;
pub mod shell;
pub mod status;
pub mod user_picker;
pub mod workload;

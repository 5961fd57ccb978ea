//! F-18 sheets (evaluations): who sees them and their API view ([`view`]), the QCO's writes
//! ([`write`]), lists and badge counts ([`list`]), and the answer rows all of them share
//! ([`answers`]). [`export`] writes them as XLSX in the form's layout. The agent's answer and the coordinator's resolution are [`super::disputes`].

pub mod answers;
pub mod export;
pub mod list;
pub mod view;
pub mod write;

pub use list::{counts, list_evaluations};
pub use view::get_evaluation;
pub use write::{create_evaluation, update_evaluation};

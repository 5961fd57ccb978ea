//! Demo data of this part for `mutu serve --demo` (idempotent).

use crate::state::AppState;

pub async fn load(_state: &AppState) -> anyhow::Result<()> {
    Ok(())
}

//! The parts every cursor-paged list page shares: the list body (loading, empty, or the table)
//! the "load more" button, and the opening and closing of a row's edit dialog.

use crate::app::I18n;
use crate::components::status::Loading;
use crate::hooks::PagedState;
use crate::i18n::K;
use yew::prelude::*;

/// The first page loading, the `empty` text when nothing came back (and no error did), or the
/// table that `table` draws.
pub fn list_body<T>(list: &PagedState<T>, empty: &str, table: impl FnOnce() -> Html) -> Html {
    if list.loading {
        html! { <Loading /> }
    } else if list.items.is_empty() && list.error.is_none() {
        html! { <p class="empty">{ empty.to_owned() }</p> }
    } else {
        table()
    }
}

/// "Showing N" (or "N, more to load") under a list, once the first page is in; `shown` is the
/// count already formatted for the language.
pub fn shown_count<T>(list: &PagedState<T>, i18n: &I18n, shown: &str) -> Html {
    if list.loading {
        return Html::default();
    }
    let key = if list.next_cursor.is_some() { K::ShowingCountMore } else { K::ShowingCount };
    html! { <span class="muted small">{ i18n.tf(key, &[shown]) }</span> }
}

/// `#load-more`, shown while further pages exist and the first page is not loading.
pub fn load_more_button<T>(list: &PagedState<T>, i18n: &I18n, load_more: &Callback<()>) -> Html {
    if list.next_cursor.is_none() || list.loading {
        return Html::default();
    }
    let more = load_more.clone();
    html! {
        <button id="load-more" type="button" class="btn btn-secondary" disabled={list.loading_more}
            onclick={move |_| more.emit(())}>
            { if list.loading_more { i18n.t(K::Loading) } else { i18n.t(K::LoadMore) } }
        </button>
    }
}

/// A row's "Edit" press: opens the page's dialog on `row`.
pub fn open_editor<T: Clone + 'static>(editing: &UseStateHandle<Option<T>>, row: &T) -> Callback<MouseEvent> {
    let (editing, row) = (editing.clone(), row.clone());
    Callback::from(move |_: MouseEvent| editing.set(Some(row.clone())))
}

/// Closing the page's edit dialog.
pub fn close_editor<T: 'static>(editing: &UseStateHandle<Option<T>>) -> Callback<()> {
    let editing = editing.clone();
    Callback::from(move |()| editing.set(None))
}

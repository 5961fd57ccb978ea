//! The app's shared hooks: `use_fetch` (load something from the API when a page opens or its
//! inputs change, with a loading state, the error, and a way to load again), `use_quiet_fetch`
//! (the same without a spinner on every repeat), `use_poll` and `use_teams`.

use crate::api::{Api, ApiError, ApiResult};
use crate::app::use_api;
use crate::components::status::Tone;
use crate::i18n::K;
use domain::validation::FieldErrors;
use std::future::Future;
use yew::prelude::*;

/// Where a load stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

/// What a load hook runs: `fetch(api, deps)`, the future of the answer.
pub trait Request<D, T>: FnOnce(Api, D) -> Self::Answer + 'static {
    type Answer: Future<Output = ApiResult<T>> + 'static;
}

impl<D, T, F, Fut> Request<D, T> for F
where
    F: FnOnce(Api, D) -> Fut + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    type Answer = Fut;
}

/// A load's state and a callback that loads again ([`use_fetch`], [`use_quiet_fetch`]).
pub struct Fetch<S> {
    pub state: UseStateHandle<S>,
    pub reload: Callback<()>,
}

/// Runs `fetch(api, deps)` on mount and whenever `deps` change or `reload` is called. An answer
/// that arrives after a newer request was started is dropped, so a slow page never overwrites a
/// quick one.
#[hook]
pub fn use_fetch<T: 'static, D: PartialEq + Clone + 'static>(deps: D, fetch: impl Request<D, T>) -> Fetch<Load<T>> {
    use_latest(
        deps,
        fetch,
        || Load::Loading,
        true,
        |_, result| {
            Some(match result {
                Ok(value) => Load::Ready(value),
                Err(error) => Load::Failed(error),
            })
        },
    )
}

/// What [`use_fetch`] and [`use_quiet_fetch`] share: the state starts as `first()` (and is again
/// while a request is out, when `restart`); `answer(shown, result)` is the state an answer makes
/// of the one shown, `None` to keep it. Answers to requests older than the latest are dropped.
#[hook]
fn use_latest<S: 'static, T: 'static, D: PartialEq + Clone + 'static>(
    deps: D,
    fetch: impl Request<D, T>,
    first: fn() -> S,
    restart: bool,
    answer: fn(&S, ApiResult<T>) -> Option<S>,
) -> Fetch<S> {
    let api = use_api();
    let state = use_state(first);
    let generation = use_mut_ref(|| 0u64);
    let tick = use_reducer(Tick::default);
    {
        let state = state.clone();
        use_effect_with((deps, tick.0), move |(deps, _)| {
            let current = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            if restart {
                state.set(first());
            }
            let future = fetch(api, deps.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = future.await;
                if *generation.borrow() == current
                    && let Some(next) = answer(&state, result)
                {
                    state.set(next);
                }
            });
        });
    }
    let reload = {
        let dispatcher = tick.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(()))
    };
    Fetch { state, reload }
}

/// A counter whose every increment means "load again".
#[derive(Default, PartialEq)]
pub struct Tick(pub u64);

impl Reducible for Tick {
    type Action = ();
    fn reduce(self: std::rc::Rc<Self>, _: ()) -> std::rc::Rc<Self> {
        std::rc::Rc::new(Tick(self.0 + 1))
    }
}

/// Something listed in pages that can be told apart from its siblings.
pub trait Keyed {
    fn key(&self) -> i64;
}

impl Keyed for domain::api::User {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for domain::mail::OutboxMessage {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for domain::api::Team {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for domain::api::DocumentSummary {
    /// Codes are unique: a hash of the code tells documents apart.
    fn key(&self) -> i64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.code.hash(&mut hasher);
        hasher.finish() as i64
    }
}

impl Keyed for domain::api::AuditEntry {
    fn key(&self) -> i64 {
        self.seq
    }
}

/// A cursor-paged list as loaded so far (`{items, next_cursor}` pages appended).
#[derive(Debug, Clone, PartialEq)]
pub struct PagedState<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    /// The first page is loading (the list is being replaced).
    pub loading: bool,
    /// A further page is loading.
    pub loading_more: bool,
    pub error: Option<ApiError>,
    /// The request whose answer is awaited; older answers are dropped.
    generation: u64,
}

impl<T> Default for PagedState<T> {
    fn default() -> Self {
        PagedState {
            items: Vec::new(),
            next_cursor: None,
            loading: true,
            loading_more: false,
            error: None,
            generation: 0,
        }
    }
}

/// What happens to a paged list.
#[derive(Debug, Clone, PartialEq)]
pub enum PagedAction<T> {
    /// A request started: the first page (`more: false`) or the next one.
    Start {
        generation: u64,
        more: bool,
    },
    Loaded {
        generation: u64,
        page: domain::api::Page<T>,
        more: bool,
    },
    Failed {
        generation: u64,
        error: ApiError,
    },
    /// An item changed here (an edit): replace it where it is.
    Replace(T),
}

impl<T: Keyed + Clone> PagedState<T> {
    /// The pure transition function.
    pub fn next(&self, action: PagedAction<T>) -> PagedState<T> {
        let mut next = self.clone();
        match action {
            PagedAction::Start { generation, more } => {
                next.generation = generation;
                next.error = None;
                if more { next.loading_more = true } else { next.loading = true }
            }
            PagedAction::Loaded { generation, page, more } if generation == self.generation => {
                if more {
                    let known: std::collections::HashSet<i64> = next.items.iter().map(Keyed::key).collect();
                    next.items.extend(page.items.into_iter().filter(|i| !known.contains(&i.key())));
                } else {
                    next.items = page.items;
                }
                next.next_cursor = page.next_cursor;
                next.loading = false;
                next.loading_more = false;
            }
            PagedAction::Failed { generation, error } if generation == self.generation => {
                next.error = Some(error);
                next.loading = false;
                next.loading_more = false;
            }
            PagedAction::Loaded { .. } | PagedAction::Failed { .. } => {}
            PagedAction::Replace(item) => {
                if let Some(slot) = next.items.iter_mut().find(|i| i.key() == item.key()) {
                    *slot = item;
                }
            }
        }
        next
    }
}

impl<T: Keyed + Clone + 'static> Reducible for PagedState<T> {
    type Action = PagedAction<T>;
    fn reduce(self: std::rc::Rc<Self>, action: Self::Action) -> std::rc::Rc<Self> {
        std::rc::Rc::new(self.next(action))
    }
}

/// A paged list, and how to page on, reload, and replace an edited row.
pub struct Paged<T: Keyed + Clone + 'static> {
    pub state: UseReducerHandle<PagedState<T>>,
    pub load_more: Callback<()>,
    pub reload: Callback<()>,
    pub replace: Callback<T>,
}

/// Loads the first page with `fetch(api, deps, None)` on mount and when `deps` change; `load_more`
/// appends `fetch(api, deps, next_cursor)`.
#[hook]
pub fn use_paged<T, D, F, Fut>(deps: D, fetch: F) -> Paged<T>
where
    T: Keyed + Clone + 'static,
    D: PartialEq + Clone + 'static,
    F: Fn(Api, D, Option<String>) -> Fut + 'static,
    Fut: Future<Output = ApiResult<domain::api::Page<T>>> + 'static,
{
    let api = use_api();
    let state = use_reducer(PagedState::<T>::default);
    let counter = use_mut_ref(|| 0u64);
    let tick = use_reducer(Tick::default);
    let fetch = std::rc::Rc::new(fetch);

    let run = {
        let (api, state, fetch) = (api.clone(), state.dispatcher(), fetch.clone());
        move |deps: D, cursor: Option<String>| {
            let more = cursor.is_some();
            let generation = {
                let mut c = counter.borrow_mut();
                *c += 1;
                *c
            };
            state.dispatch(PagedAction::Start { generation, more });
            let future = fetch(api.clone(), deps, cursor);
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                state.dispatch(match future.await {
                    Ok(page) => PagedAction::Loaded { generation, page, more },
                    Err(error) => PagedAction::Failed { generation, error },
                });
            });
        }
    };
    {
        let run = run.clone();
        use_effect_with((deps.clone(), tick.0), move |(deps, _)| run(deps.clone(), None));
    }
    let load_more = {
        let cursor = state.next_cursor.clone();
        Callback::from(move |()| {
            if let Some(cursor) = cursor.clone() {
                run(deps.clone(), Some(cursor));
            }
        })
    };
    let reload = {
        let dispatcher = tick.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(()))
    };
    let replace = {
        let dispatcher = state.dispatcher();
        Callback::from(move |item: T| dispatcher.dispatch(PagedAction::Replace(item)))
    };
    Paged { state, load_more, reload, replace }
}

/// The W-04 checklist wording in force (its version), and a way to load it again.
pub struct Wording {
    /// `None` while the first answer is on its way.
    pub current: Option<ApiResult<domain::cases::ChecklistVersion>>,
    pub reload: Callback<()>,
}

#[hook]
pub fn use_checklist() -> Wording {
    let fetch = use_quiet_fetch((), |api, ()| async move { api.get_checklist().await });
    Wording { current: (*fetch.state).clone(), reload: fetch.reload }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::api::{AuditEntry, Page};

    fn entry(seq: i64) -> AuditEntry {
        AuditEntry {
            seq,
            at: "2024-01-01T00:00:00Z".into(),
            actor_id: None,
            actor: None,
            action: "login".into(),
            entity: "user".into(),
            entity_id: None,
            payload: serde_json::Value::Null,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn page(seqs: &[i64], next: Option<&str>) -> Page<AuditEntry> {
        Page { items: seqs.iter().copied().map(entry).collect(), next_cursor: next.map(str::to_owned) }
    }

    fn seqs(state: &PagedState<AuditEntry>) -> Vec<i64> {
        state.items.iter().map(|e| e.seq).collect()
    }

    #[test]
    fn pages_append_and_the_cursor_moves_on() {
        let s = PagedState::default()
            .next(PagedAction::Start { generation: 1, more: false })
            .next(PagedAction::Loaded { generation: 1, page: page(&[3, 2], Some("c1")), more: false });
        assert_eq!((seqs(&s), s.next_cursor.as_deref(), s.loading), (vec![3, 2], Some("c1"), false));
        let s = s.next(PagedAction::Start { generation: 2, more: true }).next(PagedAction::Loaded {
            generation: 2,
            page: page(&[2, 1], None),
            more: true,
        });
        assert_eq!((seqs(&s), s.next_cursor, s.loading_more), (vec![3, 2, 1], None, false));
    }

    #[test]
    fn a_late_answer_to_an_old_request_is_dropped() {
        let s = PagedState::default()
            .next(PagedAction::Start { generation: 1, more: false })
            .next(PagedAction::Start { generation: 2, more: false })
            .next(PagedAction::Loaded { generation: 2, page: page(&[9], None), more: false })
            .next(PagedAction::Loaded { generation: 1, page: page(&[1], None), more: false });
        assert_eq!(seqs(&s), vec![9]);
        let failed_late = s.next(PagedAction::Failed { generation: 1, error: ApiError::Network });
        assert_eq!(failed_late.error, None);
    }

    #[test]
    fn a_failure_is_kept_until_the_next_start() {
        let s = PagedState::<AuditEntry>::default()
            .next(PagedAction::Start { generation: 1, more: false })
            .next(PagedAction::Failed { generation: 1, error: ApiError::Network });
        assert_eq!((s.error.clone(), s.loading), (Some(ApiError::Network), false));
        let s = s.next(PagedAction::Start { generation: 2, more: false });
        assert_eq!((s.error, s.loading), (None, true));
    }

    #[test]
    fn replace_swaps_the_row_in_place() {
        let s = PagedState::default()
            .next(PagedAction::Start { generation: 1, more: false })
            .next(PagedAction::Loaded { generation: 1, page: page(&[3, 2, 1], None), more: false });
        let mut changed = entry(2);
        changed.action = "edited".into();
        let s = s.next(PagedAction::Replace(changed));
        assert_eq!(seqs(&s), vec![3, 2, 1]);
        assert_eq!(s.items[1].action, "edited");
        assert_eq!(s.next(PagedAction::Replace(entry(7))).items.len(), 3);
    }
}

/// A counter that goes up every `period_ms` while the component is mounted: put it in the
/// dependencies of a load to repeat it.
/// How often lists that must stay current (returns, the badge) ask again, in milliseconds.
pub const POLL_MS: u32 = 20_000;

#[hook]
pub fn use_poll(period_ms: u32) -> u64 {
    let tick = use_reducer(Tick::default);
    {
        let dispatcher = tick.dispatcher();
        use_effect_with(period_ms, move |period| {
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            let (flag, period) = (alive.clone(), *period);
            wasm_bindgen_futures::spawn_local(async move {
                loop {
                    gloo_timers::future::TimeoutFuture::new(period).await;
                    if !flag.get() {
                        break;
                    }
                    dispatcher.dispatch(());
                }
            });
            move || alive.set(false)
        });
    }
    tick.0
}

/// A load that keeps showing the last answer while it asks again (no spinner on every poll):
/// `None` until the first answer. A failed repeat does not hide what was shown; a first failure is
/// shown.
#[hook]
pub fn use_quiet_fetch<T: 'static, D: PartialEq + Clone + 'static>(
    deps: D,
    fetch: impl Request<D, T>,
) -> Fetch<Option<ApiResult<T>>> {
    use_latest(
        deps,
        fetch,
        || None,
        false,
        |shown, result| (result.is_ok() || !matches!(shown, Some(Ok(_)))).then_some(Some(result)),
    )
}

/// The teams for a filter, when `wanted` (one hook for every page that offers a team filter).
#[hook]
pub fn use_teams(wanted: bool) -> Vec<domain::api::Team> {
    let teams = use_quiet_fetch(wanted, |api, wanted| async move {
        if wanted { api.list_teams(Some(crate::api::MAX_LIMIT), None).await.map(|p| p.items) } else { Ok(Vec::new()) }
    });
    match &*teams.state {
        Some(Ok(list)) => list.clone(),
        _ => Vec::new(),
    }
}

/// What an edit dialog says above its form: a tone and a text.
pub type Notice = Option<(Tone, K)>;

/// What a form shows of its sending: the fields' problems, the failure of the last try, and
/// whether a try is on its way. Cloned whole into the form's callbacks.
#[derive(Clone, PartialEq)]
pub struct Sending {
    pub errors: UseStateHandle<FieldErrors>,
    pub failure: UseStateHandle<Option<ApiError>>,
    pub busy: UseStateHandle<bool>,
}

#[hook]
pub fn use_sending() -> Sending {
    Sending { errors: use_state(FieldErrors::new), failure: use_state(|| None), busy: use_state(|| false) }
}

impl Sending {
    /// The form's own check before a try: the last failure goes, and the `problems` it found are
    /// shown by their fields instead of sending. Whether to send.
    pub fn checked(&self, problems: Option<FieldErrors>) -> bool {
        self.failure.set(None);
        match problems {
            None => true,
            Some(problems) => {
                self.errors.set(problems);
                false
            }
        }
    }

    /// An edit's check before a try: as [`Sending::checked`], and an `empty` edit is not sent
    /// either, the `notice` saying there are no changes (cleared when the edit is sent).
    pub fn edit_checked(&self, problems: Option<FieldErrors>, empty: bool, notice: &UseStateHandle<Notice>) -> bool {
        if !self.checked(problems) {
            return false;
        }
        notice.set(empty.then_some((Tone::Info, K::NoChanges)));
        !empty
    }

    /// A try starts: the problems shown go, and the form is busy until the answer.
    pub fn start(&self) {
        self.errors.set(FieldErrors::new());
        self.busy.set(true);
    }

    /// The server refused: its problems with fields are shown by them, a 409 whose code is
    /// `taken.0` as the field `taken.1` being taken, anything else as the failure. The form is
    /// free again.
    pub fn refused(&self, error: ApiError, taken: Option<(&str, &str)>) {
        self.busy.set(false);
        match (error.fields(), taken) {
            (Some(fields), _) if !fields.is_empty() => self.errors.set(fields.clone()),
            (_, Some((code, field))) if error.code() == Some(code) => {
                self.errors.set(FieldErrors::from([(field.to_owned(), "taken".to_owned())]));
            }
            _ => self.failure.set(Some(error)),
        }
    }
}

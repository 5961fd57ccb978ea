//! `/tasks` ("Tugas saya"): the signed-in user's inbox — every kind of work their role has,
//! counted, each count a link to its list already filtered (`GET /api/me/inbox`) — then the
//! revisions themselves: drafts to finish (returned ones flagged), to check, to approve, to read,
//! and for document roles the child documents whose parent changed after them.

use crate::app::{Route, use_auth, use_i18n, use_tasks, use_title};
use crate::components::doc_parts::{RouteLink, date_or_dash, revision_status_badge};
use crate::components::status::{ErrorBanner, Loading};
use crate::hooks::{Load, use_fetch};
use crate::i18n::K;
use domain::api::RevisionTask;
use domain::inbox::{Inbox, InboxKind};
use domain::{Action, Role, can};
use yew::prelude::*;
use yew_router::Routable;

fn task_list(lang_t: &crate::app::I18n, id: &'static str, title: K, items: &[RevisionTask]) -> Html {
    let i18n = lang_t;
    html! {
        <section class="card" id={id} data-count={items.len().to_string()}>
            <h2 class="card-title">{ i18n.t(title) }<span class="count-pill">{ items.len() }</span></h2>
            if items.is_empty() {
                <p class="muted">{ i18n.t(K::TasksNone) }</p>
            } else {
                <ul class="task-list">
                    { for items.iter().map(|task| html! {
                        <li data-code={task.code.clone()} data-rev={task.rev.to_string()}>
                            <div class="task-main">
                                <RouteLink to={Route::Revision { code: task.code.clone(), rev: task.rev }} class="mono">
                                    { format!("{}.{}", task.code, task.label) }
                                </RouteLink>
                                <span class="task-title">{ task.title.clone() }</span>
                            </div>
                            <div class="task-meta">
                                { revision_status_badge(i18n, task.status) }
                                if task.return_comment.is_some() {
                                    <span class="badge badge-warn" data-returned="true">{ i18n.t(K::TaskReturned) }</span>
                                }
                                if let Some(date) = &task.effective_date {
                                    <span class="muted small">{ date_or_dash(i18n.lang, Some(date)) }</span>
                                } else if let Some(date) = &task.planned_effective_date {
                                    <span class="muted small" data-field="planned">
                                        { i18n.tf(K::TaskPlanned, &[&date_or_dash(i18n.lang, Some(date))]) }
                                    </span>
                                }
                            </div>
                            if let Some(comment) = &task.return_comment {
                                <p class="task-comment">{ comment.clone() }</p>
                            }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// The label of a kind of work (a team leader's results are the team's).
fn kind_label(kind: InboxKind, role: Role) -> K {
    match kind {
        InboxKind::CallsToScore => K::InboxCallsToScore,
        InboxKind::SheetDrafts => K::InboxSheetDrafts,
        InboxKind::AgreesToValidate => K::InboxAgreesToValidate,
        InboxKind::DisputesToResolve => K::InboxDisputes,
        InboxKind::ReturnsToVerify => K::InboxReturnsToVerify,
        InboxKind::RevisionDrafts => K::InboxRevisionDrafts,
        InboxKind::RevisionsToCheck => K::InboxRevisionsToCheck,
        InboxKind::RevisionsToApprove => K::InboxRevisionsToApprove,
        InboxKind::ReturnsOpen => K::InboxReturnsOpen,
        InboxKind::ReturnsOverdue => K::InboxReturnsOverdue,
        InboxKind::SheetsToAcknowledge if role == Role::TeamLeader => K::InboxTeamSheets,
        InboxKind::SheetsToAcknowledge => K::InboxSheetsToAcknowledge,
        InboxKind::DocumentsToRead => K::InboxDocumentsToRead,
    }
}

/// The section of this page a kind's revisions are listed in (`None`: another page's list).
fn section_of(kind: InboxKind) -> Option<&'static str> {
    match kind {
        InboxKind::RevisionDrafts => Some("tasks-drafts"),
        InboxKind::RevisionsToCheck => Some("tasks-to-check"),
        InboxKind::RevisionsToApprove => Some("tasks-to-approve"),
        InboxKind::DocumentsToRead => Some("tasks-to-read"),
        _ => None,
    }
}

/// Each count with its label and a link to the list it counts, filtered.
fn inbox_card(i18n: &crate::app::I18n, inbox: &Inbox, role: Role) -> Html {
    html! {
        <section class="card" id="inbox" data-total={inbox.total.to_string()}>
            <h2 class="card-title">{ i18n.t(K::InboxTitle) }<span class="count-pill">{ inbox.total }</span></h2>
            if inbox.total == 0 {
                <p class="muted">{ i18n.t(K::InboxNothing) }</p>
            }
            <ul class="inbox-list">
                { for inbox.items.iter().map(|item| {
                    let list = item.kind.list();
                    let open = i18n.t(K::InboxOpen);
                    let link = match (section_of(item.kind), Route::recognize(list.path)) {
                        (Some(section), _) => html! { <a class="btn btn-secondary btn-small" href={format!("#{section}")}>{ open }</a> },
                        (None, Some(to)) => html! {
                            <RouteLink {to} query={list.query} class="btn btn-secondary btn-small">{ open }</RouteLink>
                        },
                        (None, None) => Html::default(),
                    };
                    html! {
                        <li data-kind={item.kind.as_str()} data-count={item.count.to_string()}
                            class={classes!((item.count == 0).then_some("is-empty"))}>
                            <span class="inbox-count">{ item.count }</span>
                            <span class="inbox-text">
                                <span class="inbox-label">{ i18n.t(kind_label(item.kind, role)) }</span>
                                if item.overdue > 0 {
                                    <span class="badge badge-overdue" data-overdue={item.overdue.to_string()}>
                                        { i18n.tf(K::InboxOverdue, &[&item.overdue.to_string()]) }
                                    </span>
                                }
                            </span>
                            { link }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[component]
pub fn TasksPage() -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::NavTasks));
    let shared = use_tasks();
    let tasks = use_fetch((), |api, ()| async move { api.my_tasks().await });
    let role = auth.user().map_or(Role::Agent, |u| u.role);
    let doc_role = can(role, Action::SeeDraftRevisions);
    let flags =
        use_fetch(
            doc_role,
            |api, doc_role| async move { if doc_role { api.review_flags().await } else { Ok(Vec::new()) } },
        );
    // Keep the navigation badge in step with what this page shows.
    {
        let refresh = shared.refresh.clone();
        use_effect_with((), move |_| refresh.emit(()));
    }
    let inbox = shared.inbox.as_ref().map(|inbox| inbox_card(&i18n, inbox, role)).unwrap_or_default();
    // The revision lists of the kinds this role has (everyone reads; only document roles sign).
    let has = |kind| shared.inbox.as_ref().is_some_and(|i| i.items.iter().any(|item| item.kind == kind));
    let content = match &*tasks.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={tasks.reload.clone()} /> },
        Load::Ready(mine) => html! {
            <div class="grid grid-2">
                if has(InboxKind::RevisionDrafts) || !mine.drafts.is_empty() {
                    { task_list(&i18n, "tasks-drafts", K::TasksDrafts, &mine.drafts) }
                }
                if has(InboxKind::RevisionsToCheck) || !mine.to_check.is_empty() {
                    { task_list(&i18n, "tasks-to-check", K::TasksToCheck, &mine.to_check) }
                }
                if has(InboxKind::RevisionsToApprove) || !mine.to_approve.is_empty() {
                    { task_list(&i18n, "tasks-to-approve", K::TasksToApprove, &mine.to_approve) }
                }
                { task_list(&i18n, "tasks-to-read", K::TasksToRead, &mine.to_read) }
            </div>
        },
    };
    let flag_list = match (&*flags.state, doc_role) {
        (_, false) => Html::default(),
        (Load::Ready(list), true) => html! {
            <section class="card" id="review-flags">
                <h2 class="card-title">{ i18n.t(K::ReviewFlagsTitle) }<span class="count-pill">{ list.len() }</span></h2>
                if list.is_empty() {
                    <p class="muted">{ i18n.t(K::TasksNone) }</p>
                } else {
                    <ul class="task-list">
                        { for list.iter().map(|f| html! {
                            <li data-code={f.code.clone()}>
                                <div class="task-main">
                                    <RouteLink to={Route::Document { code: f.code.clone() }} class="mono">{ f.code.clone() }</RouteLink>
                                    <span class="task-title">{ f.title.clone() }</span>
                                </div>
                                <p class="muted small">{ i18n.tf(K::ReviewFlagText, &[
                                    &f.parent_code,
                                    &date_or_dash(i18n.lang, f.parent_effective_date.as_deref()),
                                    &date_or_dash(i18n.lang, f.own_effective_date.as_deref()),
                                ]) }</p>
                            </li>
                        }) }
                    </ul>
                }
            </section>
        },
        (Load::Failed(error), true) => html! { <ErrorBanner error={error.clone()} /> },
        (Load::Loading, true) => Html::default(),
    };
    html! {
        <section class="page" data-page="tasks">
            <header class="page-head">
                <h1>{ i18n.t(K::NavTasks) }</h1>
                <p class="muted">{ i18n.t(K::TasksIntro) }</p>
            </header>
            { inbox }
            { content }
            { flag_list }
        </section>
    }
}

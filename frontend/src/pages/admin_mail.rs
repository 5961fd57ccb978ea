//! `/admin/mail` (admin): the email outbox. Whether mail is on, the messages counted by status,
//! and each message newest first: what it was (digest, due reminder, escalation), to whom, what
//! became of it and why; a failed one can be sent again.

use crate::app::{I18n, use_api, use_i18n, use_title};
use crate::components::fields::SelectField;
use crate::components::paged::{list_body, load_more_button, shown_count};
use crate::components::status::{ErrorBanner, Tone, tone_banner};
use crate::datetime::{count, long_datetime, short_datetime};
use crate::hooks::{Load, use_fetch, use_paged};
use crate::i18n::K;
use domain::mail::{MailKind, MailStatus, OutboxMessage, OutboxSummary};
use yew::prelude::*;

fn kind_key(kind: MailKind) -> K {
    match kind {
        MailKind::Digest => K::MailDigest,
        MailKind::DueReminder => K::MailDueReminder,
        MailKind::Escalation => K::MailEscalation,
    }
}

fn status_key(status: MailStatus) -> K {
    match status {
        MailStatus::Pending => K::MailPending,
        MailStatus::Sent => K::MailSent,
        MailStatus::Failed => K::MailFailed,
        MailStatus::Skipped => K::MailSkipped,
    }
}

/// Why a message was skipped, in words; an SMTP server's own answer is shown as it came.
fn reason(i18n: &I18n, text: &str) -> String {
    let key = match text {
        "recipient_inactive" => K::MailWhyInactive,
        "no_address" => K::MailWhyNoAddress,
        "digest_off" => K::MailWhyDigestOff,
        "nothing_waiting" => K::MailWhyNothing,
        "return_not_waiting" => K::MailWhyNotWaiting,
        "no_team_leader" => K::MailWhyNoLeader,
        other => return other.to_owned(),
    };
    i18n.t(key).to_owned()
}

fn summary_line(i18n: &I18n, s: &OutboxSummary) -> Html {
    let n = |v: u64| count(i18n.lang, v as i64);
    html! {
        <div id="mail-summary" data-enabled={s.enabled.to_string()}>
            if !s.enabled {
                { tone_banner(Tone::Info, i18n.t(K::MailOff)) }
            }
            <p class="muted">{ i18n.tf(K::MailCounts, &[&n(s.pending), &n(s.sent), &n(s.failed), &n(s.skipped)]) }</p>
        </div>
    }
}

fn row(i18n: &I18n, m: &OutboxMessage, on_retry: &Callback<i64>) -> Html {
    let dash = i18n.t(K::NoneDash);
    let status_class = match m.status {
        MailStatus::Sent => "badge badge-ok",
        MailStatus::Failed => "badge badge-overdue",
        MailStatus::Pending => "badge badge-warn",
        MailStatus::Skipped => "badge badge-muted",
    };
    let who = if m.recipient.full_name.is_empty() { dash.to_owned() } else { m.recipient.full_name.clone() };
    let retry = {
        let (on_retry, id) = (on_retry.clone(), m.id);
        Callback::from(move |_: MouseEvent| on_retry.emit(id))
    };
    let when = m.sent_at.as_deref().unwrap_or(&m.created_at);
    html! {
        <tr key={m.id} data-id={m.id.to_string()} data-status={m.status.to_string()} data-kind={m.kind.to_string()}>
            <td title={long_datetime(i18n.lang, when)}>{ short_datetime(i18n.lang, when) }</td>
            <td>{ i18n.t(kind_key(m.kind)) }</td>
            <td>
                <div>{ who }</div>
                <div class="muted">{ m.to_address.clone().unwrap_or_default() }</div>
            </td>
            <td class="mail-subject">{ m.subject.clone().unwrap_or_else(|| dash.to_owned()) }</td>
            <td>
                <span class={status_class}>{ i18n.t(status_key(m.status)) }</span>
                if m.attempts > 1 {
                    <div class="muted">{ i18n.tf(K::MailAttempts, &[&m.attempts.to_string()]) }</div>
                }
                if let Some(next) = &m.next_attempt_at {
                    if m.attempts > 0 {
                        <div class="muted">{ i18n.tf(K::MailNextTry, &[&short_datetime(i18n.lang, next)]) }</div>
                    }
                }
            </td>
            <td class="mail-reason">{ m.last_error.as_deref().map(|e| reason(i18n, e)).unwrap_or_else(|| dash.to_owned()) }</td>
            <td>
                if m.status == MailStatus::Failed {
                    <button type="button" class="btn btn-small" data-retry={m.id.to_string()} onclick={retry}>{ i18n.t(K::MailRetry) }</button>
                }
            </td>
        </tr>
    }
}

#[component]
pub fn AdminMailPage() -> Html {
    let i18n = use_i18n();
    let api = use_api();
    use_title(i18n.t(K::MailTitle));
    let status = use_state(String::new);
    let messages = use_paged((*status).clone(), |api, status: String, cursor| async move {
        api.mail_outbox(Some(status).filter(|s| !s.is_empty()), cursor).await
    });
    let summary = use_fetch((), |api, ()| async move { api.mail_summary().await });
    let notice = use_state(|| None::<Result<(), crate::api::ApiError>>);

    let on_retry = {
        let (reload, reload_summary, notice) = (messages.reload.clone(), summary.reload.clone(), notice.clone());
        Callback::from(move |id: i64| {
            let (api, reload, reload_summary, notice) =
                (api.clone(), reload.clone(), reload_summary.clone(), notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                notice.set(Some(api.retry_mail(id).await.map(|_| ())));
                reload.emit(());
                reload_summary.emit(());
            });
        })
    };
    let on_status = {
        let status = status.clone();
        Callback::from(move |value: String| status.set(value))
    };
    let list = &*messages.state;
    let table = list_body(list, i18n.t(K::MailEmpty), || {
        html! {
            <div class="table-wrap scroll-x">
                <table class="table" id="mail-table">
                    <thead>
                        <tr>
                            <th scope="col">{ i18n.t(K::Time) }</th>
                            <th scope="col">{ i18n.t(K::MailKindHead) }</th>
                            <th scope="col">{ i18n.t(K::MailTo) }</th>
                            <th scope="col">{ i18n.t(K::MailSubject) }</th>
                            <th scope="col">{ i18n.t(K::Status) }</th>
                            <th scope="col">{ i18n.t(K::MailReason) }</th>
                            <th scope="col"><span class="sr-only">{ i18n.t(K::Actions) }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for list.items.iter().map(|m| row(&i18n, m, &on_retry)) }</tbody>
                </table>
            </div>
        }
    });
    let shown = count(i18n.lang, list.items.len() as i64);
    let options = [
        ("", K::MailAll),
        ("pending", K::MailPending),
        ("sent", K::MailSent),
        ("failed", K::MailFailed),
        ("skipped", K::MailSkipped),
    ];
    html! {
        <section class="page" data-page="mail">
            <header class="page-head">
                <h1>{ i18n.t(K::MailTitle) }</h1>
                <p class="muted">{ i18n.t(K::MailIntro) }</p>
            </header>
            { match &*summary.state {
                Load::Ready(s) => summary_line(&i18n, s),
                Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={summary.reload.clone()} /> },
                Load::Loading => Html::default(),
            } }
            { match (*notice).clone() {
                Some(Ok(())) => tone_banner(Tone::Success, i18n.t(K::MailRetried)),
                Some(Err(error)) => html! { <ErrorBanner {error} /> },
                None => Html::default(),
            } }
            <section class="card" aria-labelledby="mail-list-title">
                <div class="card-head">
                    <h2 id="mail-list-title" class="card-title">{ i18n.t(K::MailListTitle) }</h2>
                    <div class="toolbar">
                        <SelectField id="mail-status" label={i18n.t(K::Status)} value={(*status).clone()}
                            options={options.iter().map(|(v, k)| (AttrValue::from(*v), AttrValue::from(i18n.t(*k)))).collect::<Vec<_>>()}
                            on_change={on_status} />
                    </div>
                </div>
                if let Some(error) = list.error.clone() {
                    <ErrorBanner {error} on_retry={messages.reload.clone()} />
                }
                { table }
                <div class="list-foot">
                    { shown_count(list, &i18n, &shown) }
                    { load_more_button(list, &i18n, &messages.load_more) }
                </div>
            </section>
        </section>
    }
}

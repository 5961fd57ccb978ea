//! `/reports/f19`: *Form Pelaporan Hasil Validasi Agree* (OB.IN.QCC.TELK.F-19) for a period (this
//! month unless chosen) and a team: by team, agent, service and bucket, with the totals, and the
//! same as an XLSX workbook or CSV file. `/reports/promises` is the same page around the keep-rate
//! report (`super::promises`), with a grouping beside the period and team.

use crate::api::cases::PromiseQuery;
use crate::app::{Route, use_auth, use_i18n, use_title};
use crate::components::cases::month_start;
use crate::components::doc_parts::RouteLink;
use crate::components::fields::SelectField;
use crate::components::parts::{DownloadButton, date_input, options, rate};
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::{count, long_date, long_datetime, today_plus};
use crate::hooks::use_teams;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, Lang, t};
use domain::cases::{F19Counts, F19Report};
use domain::html::escape as esc;
use domain::promises::{PromiseGroup, PromiseReport};
use domain::{Action, Role, can};
use std::fmt::Write;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the page shows: the F-19 form or the keep-rate report (one fetch for either).
#[derive(Debug, Clone, PartialEq)]
enum Sheet {
    F19(F19Report),
    Promises(PromiseReport),
}

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    /// The keep-rate report (`/reports/promises`) rather than the F-19 form.
    #[prop_or_default]
    pub promises: bool,
}

/// `/reports/f19` and `/reports/promises`: the period, team (and grouping) bar, the downloads, and
/// the report under them.
#[component]
pub fn ReportPage(props: &ReportProps) -> Html {
    let promises = props.promises;
    let i18n = use_i18n();
    let auth = use_auth();
    let (title, intro) =
        if promises { (K::PromiseReportTitle, K::PromiseReportIntro) } else { (K::ReportTitle, K::ReportIntro) };
    use_title(i18n.t(title));
    let role = auth.user().map(|u| u.role).unwrap_or(Role::TeamLeader);
    let pick_team = can(role, Action::ListTeams) && role != Role::TeamLeader;
    let draft = use_state(|| PromiseQuery {
        from: month_start(),
        to: today_plus(0),
        team_id: None,
        group_by: PromiseGroup::Agent,
        service: None,
        bucket: None,
    });
    let query = use_state(|| (*draft).clone());
    let report = use_fetch(((*query).clone(), promises), |api, (q, promises)| async move {
        if promises {
            api.promise_report(&q).await.map(Sheet::Promises)
        } else {
            api.f19_report(&q.from, &q.to, q.team_id).await.map(Sheet::F19)
        }
    });
    let teams = use_teams(pick_team);

    let on_date = |apply: fn(&mut PromiseQuery, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            apply(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            draft.set(next);
        })
    };
    let on_team = {
        let draft = draft.clone();
        Callback::from(move |v: String| draft.set(PromiseQuery { team_id: v.parse().ok(), ..(*draft).clone() }))
    };
    // A grouping shows at once: it asks nothing the period has not asked.
    let on_group = {
        let (draft, query) = (draft.clone(), query.clone());
        Callback::from(move |v: String| {
            let group_by = v.parse().unwrap_or(PromiseGroup::Agent);
            draft.set(PromiseQuery { group_by, ..(*draft).clone() });
            query.set(PromiseQuery { group_by, ..(*query).clone() });
        })
    };
    let onsubmit = {
        let (draft, query) = (draft.clone(), query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            query.set((*draft).clone());
        })
    };
    // The file of what the page shows: the period, team and grouping asked for.
    let file = |format: &'static str| -> (AttrValue, AttrValue) {
        let q = &*query;
        if promises {
            let name = format!("janji-bayar_{}_{}_{}.{format}", q.group_by.as_str(), q.from, q.to);
            (crate::api::cases::promise_path(q, Some(format)).into(), name.into())
        } else {
            let name = format!("F-19_{}_{}.{format}", q.from, q.to);
            (crate::api::cases::report_path(&q.from, &q.to, q.team_id, Some(format)).into(), name.into())
        }
    };
    let (xlsx_path, xlsx_name) = file("xlsx");
    let (csv_path, csv_name) = file("csv");

    let lang = i18n.lang;
    let team_options = options(i18n.t(K::AllTeams), teams.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let body = match &*report.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={report.reload.clone()} /> },
        Load::Ready(Sheet::F19(r)) => report_table(lang, r),
        Load::Ready(Sheet::Promises(r)) => super::promises::promise_table(lang, &query, r),
    };

    html! {
        <section class="page" data-page={if promises { "report-promises" } else { "report-f19" }}>
            <header class="page-head page-head-row">
                <div>
                    <h1>{ i18n.t(title) }</h1>
                    <p class="muted">{ i18n.t(intro) }</p>
                </div>
                <div class="head-actions">
                    if promises {
                        <RouteLink to={Route::ReportF19} class="btn btn-secondary">{ i18n.t(K::NavReportF19) }</RouteLink>
                        if can(role, Action::ImportPayments) {
                            <RouteLink to={Route::PaymentImport} class="btn btn-primary" id={AttrValue::Static("open-payment-import")}>{ i18n.t(K::PaymentImportTitle) }</RouteLink>
                        }
                    } else {
                        <RouteLink to={Route::Reconciliation} class="btn btn-secondary" id={AttrValue::Static("open-reconciliation")}>{ i18n.t(K::ReconciliationTitle) }</RouteLink>
                        <RouteLink to={Route::ReportPromises} class="btn btn-secondary" id={AttrValue::Static("open-promise-report")}>{ i18n.t(K::PromiseReportTitle) }</RouteLink>
                    }
                </div>
            </header>
            <section class="card">
                <form class="toolbar report-toolbar" {onsubmit}>
                    { date_input("report-from", i18n.t(K::PeriodFrom), draft.from.clone(), on_date(|q, v| q.from = v)) }
                    { date_input("report-to", i18n.t(K::PeriodTo), draft.to.clone(), on_date(|q, v| q.to = v)) }
                    if pick_team {
                        <SelectField id="report-team" label={i18n.t(K::TeamName)} value={draft.team_id.map(|v| v.to_string()).unwrap_or_default()}
                            options={team_options} on_change={on_team} />
                    }
                    if promises {
                        <SelectField id="report-group" label={i18n.t(K::GroupBy)} value={AttrValue::Static(draft.group_by.as_str())}
                            options={super::promises::group_options(lang, pick_team)} on_change={on_group} />
                    }
                    <button type="submit" id="report-show" class="btn btn-secondary">{ i18n.t(K::ShowReport) }</button>
                    <span class="toolbar-spacer"></span>
                    <DownloadButton id="download-xlsx" class="btn btn-primary" path={xlsx_path} name={xlsx_name} label={K::DownloadXlsx} />
                    <DownloadButton id="download-csv" path={csv_path} name={csv_name} label={K::DownloadCsv} />
                </form>
            </section>
            { body }
        </section>
    }
}

/// The counts of a row (or the totals), one cell each. The RETURNs closed in time (every deadline
/// kept) are followed by the agent's and QC's punctuality side by side, so QC's delay is never
/// read as the agent's; then what is still open, and what is overdue, the agent's and QC's.
/// Markup text, as the table's rows are: a table of 6,000 rows as Yew elements would cost the
/// bundle more and the page's rendering much more.
fn count_cells(out: &mut String, lang: Lang, c: &F19Counts) {
    let n = |out: &mut String, col: &str, v: u64| {
        let _ = write!(out, r#"<td class="num" data-col="{col}">{}</td>"#, count(lang, v as i64));
    };
    n(out, "imported", c.imported);
    n(out, "validated", c.validated);
    n(out, "approved", c.approved);
    n(out, "returned", c.returned);
    let _ = write!(out, r#"<td class="num" data-col="approval-rate">{}</td>"#, rate(lang, c.approval_rate));
    n(out, "closed-in-time", c.returns_closed_in_time);
    pair(
        out,
        lang,
        ("recared-in-time", K::ColRecaredInTime, c.returns_recared_in_time),
        ("verified-in-time", K::ColVerifiedInTime, c.returns_verified_in_time),
    );
    n(out, "open", c.returns_open);
    pair(
        out,
        lang,
        ("overdue", K::ColOverdue, c.returns_overdue),
        ("verify-overdue", K::ColVerifyOverdue, c.returns_verify_overdue),
    );
}

/// Two counts in one cell, the agent's then QC's (`1 / 0`), each named by its title; an overdue
/// count above zero is marked.
fn pair(out: &mut String, lang: Lang, agent: (&str, K, u64), qc: (&str, K, u64)) {
    out.push_str(r#"<td class="num nowrap">"#);
    for (i, (col, key, value)) in [agent, qc].into_iter().enumerate() {
        let class = if col.ends_with("overdue") && value > 0 { "is-overdue" } else { "" };
        let _ = write!(
            out,
            r#"{}<span data-col="{col}" class="{class}" title="{}">{}</span>"#,
            if i == 0 { "" } else { " / " },
            esc(t(lang, key)),
            count(lang, value as i64)
        );
    }
    out.push_str("</td>");
}

/// The table: its head, rows and totals (whole: the browser parses table rows only inside one).
fn table_markup(lang: Lang, r: &F19Report, cols: &[(K, bool)]) -> String {
    let mut out = String::from(r#"<div class="table-wrap"><table class="table f19-table" id="f19-table"><thead><tr>"#);
    for (key, num) in cols {
        let _ = write!(out, r#"<th scope="col" class="{}">{}</th>"#, if *num { "num" } else { "" }, esc(t(lang, *key)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &r.rows {
        let _ = write!(
            out,
            r#"<tr data-agent="{user}" data-service="{}" data-bucket="{}"><td>{}</td><td>{}<span class="cell-sub mono">{user}</span></td><td class="nowrap">{}</td><td class="nowrap">{}</td>"#,
            row.service.as_str(),
            row.bucket.as_str(),
            esc(row.team_name.as_deref().unwrap_or(t(lang, K::NoneDash))),
            esc(&row.agent_name),
            esc(row.service.label()),
            esc(row.bucket.label()),
            user = esc(&row.agent_username),
        );
        count_cells(&mut out, lang, &row.counts);
        out.push_str("</tr>");
    }
    let _ = write!(
        out,
        r#"</tbody><tfoot><tr id="f19-totals"><th scope="row" colspan="4">{}</th>"#,
        esc(t(lang, K::Totals))
    );
    count_cells(&mut out, lang, &r.totals);
    out.push_str("</tr></tfoot></table></div>");
    out
}

/// The report as the form: its header block, then the table with the totals.
fn report_table(lang: Lang, r: &F19Report) -> Html {
    let cols = [
        (K::TeamName, false),
        (K::AgentLabel, false),
        (K::ServiceLabel, false),
        (K::BucketLabel, false),
        (K::ColImported, true),
        (K::ColValidated, true),
        (K::ColApproved, true),
        (K::ColReturned, true),
        (K::ColApprovalRate, true),
        (K::ColClosedInTime, true),
        (K::ColInTimeAgentQc, true),
        (K::ColOpen, true),
        (K::ColOverdueAgentQc, true),
    ];
    html! {
        <section class="card report-sheet" aria-labelledby="report-form-title" id="f19-report">
            <table class="doc-header report-header">
                <tbody>
                    <tr>
                        <th scope="row">{ t(lang, K::FormCode) }</th>
                        <td class="mono" id="report-form-code">{ r.form_code.clone() }</td>
                        <th scope="row">{ t(lang, K::Period) }</th>
                        <td id="report-period">{ format!("{} – {}", long_date(lang, &r.from), long_date(lang, &r.to)) }</td>
                    </tr>
                    <tr>
                        <td colspan="2" class="doc-header-title"><span id="report-form-title" class="doc-header-kind">{ t(lang, K::ReportFormName) }</span></td>
                        <th scope="row">{ t(lang, K::GeneratedAt) }</th>
                        <td>{ long_datetime(lang, &r.generated_at) }</td>
                    </tr>
                </tbody>
            </table>
            if r.rows.is_empty() {
                <p class="empty" id="report-empty">{ t(lang, K::ReportEmpty) }</p>
            }
            if r.disposed > 0 {
                <p class="muted" id="report-disposed">{ crate::i18n::tf(lang, K::ReportDisposed, &[&r.disposed.to_string()]) }</p>
            }
            { Html::from_html_unchecked(table_markup(lang, r, &cols).into()) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_use_the_local_decimal_mark() {
        assert_eq!(rate(Lang::Id, Some(66.67)), "66,67%");
        assert_eq!(rate(Lang::En, Some(100.0)), "100.00%");
        assert_eq!(rate(Lang::Id, None), "—");
    }
}

//! `/cases/import`: the day's agree export from MyCX/TAMARA (CSV or XLSX) goes in; `/payments/import`:
//! the billing system's payments, the same way. A progress bar shows the upload, then the
//! processing; the result counts what was imported and what was a duplicate (for payments also
//! the reversals and the payments no agree takes), and lists the refused rows with their
//! spreadsheet row numbers and every fault of each, in the user's language: the first 1,000, with
//! every one of them downloadable as CSV. The side card lists the columns by their English and
//! Indonesian names.

use crate::app::{Route, use_api, use_auth, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::{error_line, head};
use crate::components::status::error_text;
use crate::datetime::count;
use crate::files::{UPLOAD_LIMIT, save_file};
use crate::i18n::{K, Lang, field_error, file_problem, import_column_key, row_problem, t};
use domain::Role;
use domain::cases::{IMPORT_MAX_ROWS, ImportColumn, ImportResult, RejectedRow};
use domain::promises::{PaymentColumn, PaymentImportResult};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Call times as the import reads them: site time, and ISO 8601 with `Z` or an offset.
const CALL_AT_EXAMPLES: [&str; 4] =
    ["2026-11-29 09:15", "29/11/2026 09:15", "2026-11-29T02:15:00Z", "2026-11-29T09:15:00+07:00"];

/// Where an import stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Idle,
    /// Sending: the share sent so far (0.0–1.0).
    Uploading(f64),
    /// Sent; the server reads and stores the rows.
    Processing,
    /// Done; for payments also the reversals and the payments no agree takes.
    Done(ImportResult, Option<[u64; 2]>),
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    /// The billing system's payments rather than the agree export.
    #[prop_or_default]
    pub payments: bool,
}

/// A payment import's answer as the page shows an import, with the reversal and unmatched counts
/// beside.
fn as_import(p: PaymentImportResult) -> (ImportResult, Option<[u64; 2]>) {
    let result = ImportResult {
        import_id: p.import_id,
        imported: p.imported,
        duplicates: p.duplicates,
        rejected: p.rejected,
        rejected_total: p.rejected_total,
    };
    (result, Some([p.reversed, p.unmatched]))
}

#[component]
pub fn ImportPage(props: &ImportProps) -> Html {
    let payments = props.payments;
    let i18n = use_i18n();
    let api = use_api();
    let auth = use_auth();
    let team_leader = auth.user().is_some_and(|u| u.role == Role::TeamLeader);
    use_title(i18n.t(if payments { K::PaymentImportTitle } else { K::ImportTitle }));
    let input = use_node_ref();
    let stage = use_state(|| Stage::Idle);
    let chosen = use_state(|| None::<String>);

    let on_choose = {
        let (chosen, stage) = (chosen.clone(), stage.clone());
        Callback::from(move |e: Event| {
            let element = e.target_unchecked_into::<HtmlInputElement>();
            chosen.set(element.files().and_then(|f| f.get(0)).map(|f| f.name()));
            if matches!(*stage, Stage::Done(..) | Stage::Failed(_)) {
                stage.set(Stage::Idle);
            }
        })
    };
    let on_upload = {
        let (input, stage, lang, api) = (input.clone(), stage.clone(), i18n.lang, api.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if matches!(*stage, Stage::Uploading(_) | Stage::Processing) {
                return;
            }
            let Some(element) = input.cast::<HtmlInputElement>() else { return };
            let Some(file) = element.files().and_then(|files| files.get(0)) else {
                stage.set(Stage::Failed(i18n_text(lang, K::ImportNoFile)));
                return;
            };
            if file.size() > UPLOAD_LIMIT {
                stage.set(Stage::Failed(i18n_text(lang, K::ImportTooLarge)));
                return;
            }
            stage.set(Stage::Uploading(0.0));
            let progress = {
                let stage = stage.clone();
                Callback::from(move |share: f64| {
                    stage.set(if share >= 1.0 { Stage::Processing } else { Stage::Uploading(share) });
                })
            };
            let (api, stage) = (api.clone(), stage.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = if payments {
                    api.import_payments(&file, progress).await.map(as_import)
                } else {
                    api.import_cases(&file, progress).await.map(|r| (r, None))
                };
                match answer {
                    Ok((result, extra)) => {
                        element.set_value("");
                        stage.set(Stage::Done(result, extra));
                    }
                    Err(error) => {
                        let text = match (error.status(), error.file_problem()) {
                            (Some(413), _) => i18n_text(lang, K::ImportTooLarge),
                            (Some(422), Some(problem)) => {
                                format!("{} {}", i18n_text(lang, K::ImportFileRefused), file_problem(lang, problem))
                            }
                            _ => error_text(lang, &error),
                        };
                        stage.set(Stage::Failed(text));
                    }
                }
            });
        })
    };
    let on_template = {
        let api = api.clone();
        Callback::from(move |_: MouseEvent| {
            let api = api.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(file) = api.import_template(payments).await {
                    let name = if payments { "template-impor-pembayaran.csv" } else { "template-impor-agree.csv" };
                    let _ = save_file(&file.bytes, &file.content_type, name);
                }
            });
        })
    };

    let busy = matches!(*stage, Stage::Uploading(_) | Stage::Processing);
    let progress = match &*stage {
        Stage::Uploading(share) => {
            let percent = (share * 100.0).round() as u32;
            html! {
                <div class="import-progress" id="import-progress" data-stage="uploading" role="status" aria-live="polite">
                    <progress max="100" value={percent.to_string()} aria-label={i18n.t(K::ImportUploading)}></progress>
                    <span>{ i18n.tf(K::ImportUploadingPercent, &[&percent.to_string()]) }</span>
                </div>
            }
        }
        Stage::Processing => html! {
            <div class="import-progress" id="import-progress" data-stage="processing" role="status" aria-live="polite">
                <progress aria-label={i18n.t(K::ImportProcessing)}></progress>
                <span>{ i18n.t(K::ImportProcessing) }</span>
            </div>
        },
        _ => Html::default(),
    };
    // Every refused row, in the chosen language: the pages of `GET /api/imports/{id}/rejections`
    // worded here, put together by the browser as one CSV.
    let downloading = use_state(|| false);
    let on_download = {
        let (api, downloading, lang) = (api.clone(), downloading.clone(), i18n.lang);
        Callback::from(move |import_id: i64| {
            if *downloading {
                return;
            }
            downloading.set(true);
            let (api, downloading) = (api.clone(), downloading.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let parts = js_sys::Array::new();
                parts.push(&js_sys::Uint8Array::from(&b"\xEF\xBB\xBF"[..]));
                parts.push(&wasm_bindgen::JsValue::from_str(&rejections_csv_header(lang)));
                let mut cursor = None;
                let complete = loop {
                    match api.import_rejections(import_id, cursor.take()).await {
                        Ok(page) => {
                            parts.push(&wasm_bindgen::JsValue::from_str(&rejections_csv_rows(lang, &page.items)));
                            match page.next_cursor {
                                Some(next) => cursor = Some(next),
                                None => break true,
                            }
                        }
                        Err(_) => break false,
                    }
                };
                if complete {
                    let name = format!("impor-{import_id}-baris-ditolak.csv");
                    let _ = crate::files::save_parts(&parts, "text/csv; charset=utf-8", &name);
                }
                downloading.set(false);
            });
        })
    };
    let outcome = match &*stage {
        Stage::Failed(text) => error_line("import-error", text.clone()),
        Stage::Done(result, extra) => import_outcome(i18n.lang, result, *extra, on_download, *downloading),
        _ => Html::default(),
    };

    html! {
        <section class="page" data-page={if payments { "payment-import" } else { "case-import" }}>
            <header class="page-head">
                if payments {
                    <p class="eyebrow"><RouteLink to={Route::ReportPromises}>{ i18n.t(K::PromiseReportTitle) }</RouteLink>{ " / " }{ i18n.t(K::PaymentImportTitle) }</p>
                    <h1>{ i18n.t(K::PaymentImportTitle) }</h1>
                    <p class="muted">{ i18n.t(K::PaymentImportIntro) }</p>
                } else {
                    <p class="eyebrow"><RouteLink to={Route::Cases}>{ i18n.t(K::CasesTitle) }</RouteLink>{ " / " }{ i18n.t(K::ImportCases) }</p>
                    <h1>{ i18n.t(K::ImportTitle) }</h1>
                    <p class="muted">{ i18n.t(K::ImportIntro) }</p>
                }
            </header>
            <div class="grid grid-main-side">
                <section class="card" aria-labelledby="import-form-title">
                    <h2 id="import-form-title" class="card-title">{ i18n.t(K::ImportChoose) }</h2>
                    <form class="form-stack" onsubmit={on_upload}>
                        <div class="field">
                            <label for="import-file">{ i18n.t(K::ImportFileLabel) }</label>
                            <input id="import-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                ref={input} onchange={on_choose} disabled={busy} />
                            <p class="field-hint">{ i18n.t(K::ImportFileHint) }{ " " }{ i18n.tf(K::ImportRowLimitHint, &[&count(i18n.lang, IMPORT_MAX_ROWS as i64)]) }</p>
                        </div>
                        <div class="import-actions">
                            <button type="submit" id="import-submit" class="btn btn-primary" disabled={busy || chosen.is_none()}>
                                { if busy { i18n.t(K::ImportUploading) } else { i18n.t(K::ImportSubmit) } }
                            </button>
                            { progress }
                        </div>
                    </form>
                    { outcome }
                </section>
                <section class="card" aria-labelledby="import-columns-title">
                    <h2 id="import-columns-title" class="card-title">{ i18n.t(K::ImportColumnsTitle) }</h2>
                    <p class="muted small">{ i18n.t(K::ImportColumnsIntro) }</p>
                    <ol class="column-list" id="import-columns" aria-label={i18n.t(K::ImportColumnNames)}>
                        if payments {
                            { for PaymentColumn::ALL.into_iter().map(|c| column_item(i18n.lang, c.name(), c.name_id(), payment_column_key(c))) }
                        } else {
                            { for ImportColumn::ALL.into_iter().map(|c| column_item(i18n.lang, c.name(), c.name_id(), import_column_key(c))) }
                        }
                    </ol>
                    if payments {
                        <p class="muted small" id="import-pairs-hint">{ i18n.t(K::PaymentImportHint) }</p>
                    } else {
                    <div class="muted small" id="import-call-at-hint">
                        <p>{ i18n.t(K::ImportCallAtHint) }</p>
                        <ul class="example-list">
                            { for CALL_AT_EXAMPLES.iter().map(|e| html! { <li><code>{ *e }</code></li> }) }
                        </ul>
                    </div>
                    <p class="muted small" id="import-pairs-hint">{ i18n.t(K::ImportPairsHint) }</p>
                    if team_leader {
                        <p class="muted small" id="import-team-hint">{ i18n.t(K::ImportTeamHint) }</p>
                    }
                    }
                    <button type="button" id="import-template" class="btn btn-secondary" onclick={on_template}>{ i18n.t(K::ImportTemplate) }</button>
                </section>
            </div>
        </section>
    }
}

fn i18n_text(lang: Lang, key: K) -> String {
    t(lang, key).to_owned()
}

/// A column of the side card: its English and Indonesian header names and what it holds.
fn column_item(lang: Lang, name: &'static str, name_id: &'static str, meaning: K) -> Html {
    html! {
        <li data-column={name}>
            <code class="column-en" lang="en">{ name }</code>
            if name_id != name {
                <span class="muted">{ " / " }</span><code class="column-id" lang="id">{ name_id }</code>
            }
            <span class="column-meaning muted small">{ t(lang, meaning) }</span>
        </li>
    }
}

/// What a payment file's column holds.
fn payment_column_key(column: PaymentColumn) -> K {
    match column {
        PaymentColumn::CustomerNo => K::PayColCustomer,
        PaymentColumn::PaidAt => K::PayColPaidAt,
        PaymentColumn::Amount => K::PayColAmount,
        PaymentColumn::PaymentRef => K::PayColRef,
        PaymentColumn::Kind => K::PayColKind,
        PaymentColumn::Channel => K::PayColChannel,
    }
}

/// What the import did: counts, and the refused rows listed with their numbers and reasons (the
/// first 1,000; all of them in the CSV `on_download` fetches).
fn import_outcome(
    lang: Lang,
    r: &ImportResult,
    extra: Option<[u64; 2]>,
    on_download: Callback<i64>,
    downloading: bool,
) -> Html {
    let n = |id: &'static str, stat: &'static str, v: u64, label: K, bad: bool| {
        html! {
            <div class={if bad { "stat stat-bad" } else { "stat" }} data-stat={stat}>
                <span class="stat-value" {id}>{ count(lang, v as i64) }</span><span class="stat-label">{ t(lang, label) }</span>
            </div>
        }
    };
    let import_id = r.import_id;
    let download = Callback::from(move |_: MouseEvent| on_download.emit(import_id));
    let shown = r.rejected.len() as u64;
    html! {
        <div class="import-result" id="import-result">
            <div class={if extra.is_some() { "stats stats-5" } else { "stats stats-3" }}>
                { n("import-imported", "imported", r.imported, K::ImportedRows, false) }
                { n("import-duplicates", "duplicates", r.duplicates, K::DuplicateRows, false) }
                if let Some([reversed, unmatched]) = extra {
                    { n("import-reversed", "reversed", reversed, K::ReversedRows, false) }
                    { n("import-unmatched", "unmatched", unmatched, K::UnmatchedRows, false) }
                }
                { n("import-rejected", "rejected", r.rejected_total, K::RejectedRows, r.rejected_total > 0) }
            </div>
            if r.rejected_total == 0 {
                <p class="muted" id="import-all-good">{ t(lang, K::ImportAllGood) }</p>
            } else {
                <div class="import-actions">
                    if shown < r.rejected_total {
                        <p class="muted" id="import-rejected-shown">
                            { crate::i18n::tf(lang, K::ImportRejectedShown, &[&count(lang, shown as i64), &count(lang, r.rejected_total as i64)]) }
                        </p>
                    }
                    <button type="button" id="import-rejected-download" class="btn btn-secondary" onclick={download}
                        disabled={downloading} aria-busy={downloading.to_string()}>
                        { t(lang, if downloading { K::ImportRejectedPreparing } else { K::ImportRejectedDownload }) }
                    </button>
                </div>
                <div class="table-wrap rejected-wrap">
                    <table class="table" id="rejected-table">
                        <caption class="sr-only">{ t(lang, K::RejectedRows) }</caption>
                        { head(lang, &[(K::RowNumber, true), (K::RejectReason, false)]) }
                        <tbody>
                            { for r.rejected.iter().map(|row| html! {
                                <tr data-row={row.row.to_string()}>
                                    <td class="num">{ row.row }</td>
                                    <td>{ faults(lang, row) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            <RouteLink to={Route::Cases} class="btn btn-secondary" id={AttrValue::Static("import-to-queue")}>{ t(lang, K::OpenQueue) }</RouteLink>
        </div>
    }
}

/// The first line of the refused rows' CSV, in `lang`.
fn rejections_csv_header(lang: Lang) -> String {
    format!("{},{}\r\n", csv_cell(t(lang, K::RowNumber)), csv_cell(t(lang, K::RejectReason)))
}

/// Refused rows as lines of their CSV: the row number, and every fault in `lang` (`; ` between
/// them), each cell safe to open in a spreadsheet.
fn rejections_csv_rows(lang: Lang, rows: &[RejectedRow]) -> String {
    let mut out = String::with_capacity(rows.len() * 64);
    for row in rows {
        let words = match fault_words(lang, row).as_slice() {
            [] => row.error.clone(),
            faults => faults.iter().map(|(_, words)| words.as_str()).collect::<Vec<_>>().join("; "),
        };
        out.push_str(&format!("{},{}\r\n", row.row, csv_cell(&domain::cases::spreadsheet_safe(&words))));
    }
    out
}

/// A CSV cell: quoted, its quotes doubled.
fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Every fault of a refused row in `lang`, with its code: a payment's cells (named by their
/// column), then the row's own.
fn fault_words(lang: Lang, row: &RejectedRow) -> Vec<(&'static str, String)> {
    let cells = row.payment_problems.iter().map(|p| {
        let column = p.column.name();
        (p.code.as_str(), format!("{column}: {}", field_error(lang, column, p.code.as_str())))
    });
    cells.chain(row.problems.iter().map(|p| (p.code(), row_problem(lang, p)))).collect()
}

/// Every fault of a refused row in `lang`: one line, or a list when there are several.
fn faults(lang: Lang, row: &RejectedRow) -> Html {
    match fault_words(lang, row).as_slice() {
        // The server names every fault by its code; an answer without any has only its words.
        [] => html! { row.error.clone() },
        [(_, one)] => html! { one.clone() },
        many => html! {
            <ul class="fault-list">
                { for many.iter().map(|(code, words)| html! { <li data-code={*code}>{ words.clone() }</li> }) }
            </ul>
        },
    }
}

//! The parts of a controlled document as the paper form lays them out, generated from the record
//! (never typed): the header block, the signature block (*Dibuat / Diperiksa / Disetujui oleh*)
//! and the revision history (*Catatan Perubahan Dokumen*); also the status badge and links.

use crate::app::{I18n, Route};
use crate::datetime::{long_date, long_datetime, parse_rfc3339, site_date_plus, to_site};
use crate::i18n::{K, Lang, kind_head_key, status_key, t, tf};
use domain::api::{HistoryRow, Signature};
use domain::documents::{DocKind, RevisionStatus, SignatureMeaning, SignatureSource};
use yew::prelude::*;
use yew_router::prelude::*;

/// `2022-10-13` → `13 Oktober 2022`, or a dash.
pub fn date_or_dash(lang: Lang, date: Option<&str>) -> String {
    date.map_or_else(|| t(lang, K::NoneDash).to_owned(), |d| long_date(lang, d))
}

/// The site calendar day of an RFC 3339 instant, written out (`12 Agustus 2022`).
pub fn instant_date(lang: Lang, timestamp: &str) -> String {
    match parse_rfc3339(timestamp) {
        Some(epoch) => long_date(lang, &site_date_plus(epoch, 0)),
        None => timestamp.to_owned(),
    }
}

/// A revision's status. This badge and the blocks below are plain functions, not components: a
/// component type costs the bundle some 400 bytes of Yew's machinery.
pub fn revision_status_badge(i18n: &I18n, status: RevisionStatus) -> Html {
    html! {
        <span class="status-badge" data-status={status.as_str()}>{ i18n.t(status_key(status)) }</span>
    }
}

/// What [`header_block`] shows.
pub struct HeaderBlockProps {
    pub kind: DocKind,
    pub title: AttrValue,
    pub effective_date: Option<String>,
    pub reference: AttrValue,
    pub rev: i32,
}

/// The bordered header block of every page of the paper form.
pub fn header_block(i18n: &I18n, props: &HeaderBlockProps) -> Html {
    // Titles often begin with the kind's own heading ("Prosedur Operasi Standar …"): say it once.
    let head = t(Lang::Id, kind_head_key(props.kind));
    let title = props
        .title
        .strip_prefix(head)
        .map(str::trim_start)
        .filter(|t| !t.is_empty())
        .unwrap_or(&props.title)
        .to_owned();
    html! {
        <table class="doc-header" data-part="header">
            <tbody>
                <tr>
                    <td class="doc-header-title" rowspan="3">
                        <div class="doc-header-kind">{ i18n.t(kind_head_key(props.kind)) }</div>
                        <div class="doc-header-name" data-field="title">{ title }</div>
                    </td>
                    <th scope="row">{ i18n.t(K::EffectiveDateLabel) }</th>
                    <td data-field="effective-date">{ date_or_dash(i18n.lang, props.effective_date.as_deref()) }</td>
                </tr>
                <tr>
                    <th scope="row">{ i18n.t(K::DocumentCodeLabel) }</th>
                    <td class="mono" data-field="reference">{ props.reference.clone() }</td>
                </tr>
                <tr>
                    <th scope="row">{ i18n.t(K::RevisionLabel) }</th>
                    <td data-field="rev">{ format!("{:02}", props.rev) }</td>
                </tr>
            </tbody>
        </table>
    }
}

fn meaning_key(meaning: SignatureMeaning) -> K {
    match meaning {
        SignatureMeaning::Prepared => K::PreparedBy,
        SignatureMeaning::Checked => K::CheckedBy,
        SignatureMeaning::Approved => K::ApprovedBy,
    }
}

fn signature_cell(lang: Lang, sig: &Signature) -> Html {
    let source = match sig.source {
        SignatureSource::Paper => K::SigPaper,
        SignatureSource::Electronic => K::SigElectronic,
    };
    let hash: String = sig.content_sha256.chars().take(12).collect();
    html! {
        <div class={classes!("sig", sig.void.then_some("sig-void"))} data-source={sig.source.as_str()}>
            <dl class="sig-facts">
                <div><dt>{ t(lang, K::SigName) }</dt><dd data-field="name">{ sig.name.clone() }</dd></div>
                <div><dt>{ t(lang, K::SigPosition) }</dt><dd data-field="position">{ sig.position.clone() }</dd></div>
                <div><dt>{ t(lang, K::SigDate) }</dt><dd data-field="date">{ instant_date(lang, &sig.signed_at) }</dd></div>
            </dl>
            <p class="sig-note">
                { t(lang, source) }
                if !hash.is_empty() {
                    { " · " }<span class="mono" title={sig.content_sha256.clone()}>{ tf(lang, K::SigHash, &[&hash]) }</span>
                }
            </p>
            if sig.void {
                <p class="sig-note sig-void-note">{ t(lang, K::SigVoid) }</p>
            }
        </div>
    }
}

/// *Dibuat oleh, Diperiksa oleh, Disetujui oleh* with the signatures as recorded.
pub fn signature_block(i18n: &I18n, signatures: &[Signature]) -> Html {
    let lang = i18n.lang;
    let column = |meaning: SignatureMeaning| {
        let valid: Vec<&Signature> = signatures.iter().filter(|s| s.meaning == meaning && !s.void).collect();
        let void: Vec<&Signature> = signatures.iter().filter(|s| s.meaning == meaning && s.void).collect();
        html! {
            <td data-meaning={meaning.as_str()}>
                <div class="sig-head">{ format!("{},", t(lang, meaning_key(meaning))) }</div>
                if valid.is_empty() {
                    <p class="sig-pending muted">{ t(lang, K::SigPending) }</p>
                }
                { for valid.iter().map(|s| signature_cell(lang, s)) }
                { for void.iter().map(|s| signature_cell(lang, s)) }
            </td>
        }
    };
    html! {
        <table class="sig-block" data-part="signatures">
            <tbody>
                <tr>
                    { column(SignatureMeaning::Prepared) }
                    { column(SignatureMeaning::Checked) }
                    { column(SignatureMeaning::Approved) }
                </tr>
            </tbody>
        </table>
    }
}

/// When a history row took (or takes) effect: the day, with the time when the revision took
/// effect later than the day's start (approved during the day it takes effect).
fn history_when(lang: Lang, row: &HistoryRow) -> String {
    let at = row.effective_at.as_deref().and_then(|at| parse_rfc3339(at).map(|epoch| (at, epoch)));
    match at {
        Some((at, epoch)) if to_site(epoch).hour != 0 || to_site(epoch).minute != 0 => long_datetime(lang, at),
        _ => date_or_dash(lang, row.effective_date.as_deref()),
    }
}

/// *Catatan Perubahan Dokumen*. Rows not in force yet (only document roles get them) carry their
/// status. `issued_only`: only the revisions issued (effective or superseded), as the printed
/// copy lists them.
pub fn history_table(i18n: &I18n, history: &[HistoryRow], issued_only: bool) -> Html {
    let rows = history.iter().filter(|h| !issued_only || h.status.is_published());
    html! {
        <section class="doc-history" data-part="history">
            <h2 class="doc-section-title">{ i18n.t(K::HistoryTitle) }</h2>
            <div class="scroll-x">
                <table class="table table-bordered">
                    <thead>
                        <tr>
                            <th scope="col">{ i18n.t(K::HistoryRev) }</th>
                            <th scope="col">{ i18n.t(K::EffectiveDateLabel) }</th>
                            <th scope="col">{ i18n.t(K::HistoryDescription) }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.map(|h| html! {
                            <tr data-rev={h.rev.to_string()} data-status={h.status.as_str()}>
                                <td class="nowrap">{ format!("{:02}", h.rev) }</td>
                                <td class="nowrap" data-field="effective">
                                    { history_when(i18n.lang, h) }
                                    if !h.status.is_published() {
                                        { revision_status_badge(i18n, h.status) }
                                    }
                                </td>
                                <td>{ h.change_description.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct RouteLinkProps {
    pub to: Route,
    /// A filter for the page (`status=submitted&team=1`), read by the list it opens.
    #[prop_or_default]
    pub query: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

/// An in-app link (a real `href`, so "open in a new tab" works).
#[component]
pub fn RouteLink(props: &RouteLinkProps) -> Html {
    let navigator = use_navigator();
    let (to, query) = (props.to.clone(), props.query.clone());
    let onclick = Callback::from(move |e: MouseEvent| {
        if e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
            return;
        }
        e.prevent_default();
        if let Some(navigator) = &navigator {
            if query.is_empty() {
                navigator.push(&to);
            } else {
                let pairs: Vec<(&str, &str)> = crate::api::query_pairs(&query).collect();
                let _ = navigator.push_with_query(&to, &pairs);
            }
        }
    });
    let href = match props.query.as_str() {
        "" => props.to.to_path(),
        query => format!("{}?{query}", props.to.to_path()),
    };
    html! {
        <a {href} class={props.class.clone()} id={props.id.clone()} {onclick}>{ props.children.clone() }</a>
    }
}

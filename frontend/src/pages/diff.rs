//! `/documents/{code}/revisions/{rev}/diff?against={rev2}`: what changed between two revisions,
//! line by line, with a picker for the other revision.

use crate::app::AgainstQuery;
use crate::app::{Route, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::status::{ErrorBanner, Loading};
use crate::hooks::{Load, use_fetch};
use crate::i18n::K;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiffPageProps {
    pub code: String,
    pub rev: i32,
}

#[component]
pub fn DiffPage(props: &DiffPageProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::DiffTitle));
    let navigator = use_navigator();
    let location = use_location();
    let against = location.and_then(|l| crate::api::query_value(l.query_str(), "against")?.parse::<i32>().ok());
    let doc = use_fetch(props.code.clone(), |api, code| async move { api.get_document(&code).await });
    let diff = use_fetch((props.code.clone(), props.rev, against), |api, (code, rev, against)| async move {
        match against {
            Some(other) => api.revision_diff(&code, rev, other).await.map(Some),
            None => Ok(None),
        }
    });

    let others: Vec<_> = match &*doc.state {
        Load::Ready(d) => d.revisions.iter().filter(|r| r.rev != props.rev).cloned().collect(),
        _ => Vec::new(),
    };
    let label = |rev: i32| domain::documents::rev_label(rev);
    let onchange = {
        let (navigator, code, rev) = (navigator.clone(), props.code.clone(), props.rev);
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let (Ok(against), Some(navigator)) = (value.parse::<i32>(), &navigator) {
                let _ =
                    navigator.replace_with_query(&Route::Diff { code: code.clone(), rev }, &AgainstQuery { against });
            }
        })
    };
    let picker = html! {
        <div class="field field-inline">
            <label for="diff-against">{ i18n.t(K::DiffAgainst) }</label>
            <select id="diff-against" {onchange}>
                <option value="" selected={against.is_none()}>{ i18n.t(K::NoneDash) }</option>
                { for others.iter().map(|o| html! {
                    <option value={o.rev.to_string()} selected={against == Some(o.rev)}>{ format!("{} · {}", o.label, o.title) }</option>
                }) }
            </select>
        </div>
    };

    let content = match &*diff.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} /> },
        Load::Ready(None) => html! {
            <p class="empty">{ if others.is_empty() { i18n.t(K::DiffNoOther) } else { i18n.t(K::CompareWith) } }</p>
        },
        Load::Ready(Some(d)) => html! {
            <>
                <p class="diff-counts" id="diff-counts" data-inserted={d.inserted.to_string()} data-deleted={d.deleted.to_string()}>
                    <span class="diff-legend diff-legend-old">{ label(d.from_rev) }</span>{ " → " }
                    <span class="diff-legend diff-legend-new">{ label(d.to_rev) }</span>{ " · " }
                    <span class="ins-count">{ format!("+{}", d.inserted) }</span>{ " " }
                    <span class="del-count">{ format!("−{}", d.deleted) }</span>{ " · " }
                    { i18n.tf(K::DiffCounts, &[&d.inserted.to_string(), &d.deleted.to_string()]) }
                    if d.title_changed { { " · " }{ i18n.t(K::DiffTitleChanged) } }
                </p>
                if d.inserted == 0 && d.deleted == 0 {
                    <p class="muted">{ i18n.t(K::DiffSame) }</p>
                }
                <div class="table-wrap">
                    <table class="diff" id="diff-table">
                        <tbody>
                            { for d.lines.iter().map(|l| {
                                let sign = match l.tag.as_str() { "insert" => "+", "delete" => "−", _ => " " };
                                html! {
                                    <tr class={format!("diff-{}", l.tag)} data-tag={l.tag.clone()}>
                                        <td class="diff-no">{ l.old_line.map(|n| n.to_string()).unwrap_or_default() }</td>
                                        <td class="diff-no">{ l.new_line.map(|n| n.to_string()).unwrap_or_default() }</td>
                                        <td class="diff-sign" aria-hidden="true">{ sign }</td>
                                        <td class="diff-text">{ l.text.clone() }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            </>
        },
    };

    html! {
        <section class="page" data-page="diff">
            <header class="page-head page-head-row">
                <div>
                    <p class="eyebrow">
                        <RouteLink to={Route::Document { code: props.code.clone() }} class="mono">{ props.code.clone() }</RouteLink>
                        { " / " }
                        <RouteLink to={Route::Revision { code: props.code.clone(), rev: props.rev }}>{ label(props.rev) }</RouteLink>
                    </p>
                    <h1>{ i18n.t(K::DiffTitle) }</h1>
                </div>
                { picker }
            </header>
            <section class="card">{ content }</section>
        </section>
    }
}

//! `/scoring-forms`: the F-18 scoring forms and every version of each (a published version is never
//! edited; changes make the next version), with "new form" for the QC coordinator.

use crate::app::{Route, use_i18n, use_title};
use crate::components::doc_parts::RouteLink;
use crate::components::parts::head;
use crate::components::score_sheet::format_weight;
use crate::components::scoring::weight_total;
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::long_datetime;
use crate::hooks::{Load, use_fetch};
use crate::i18n::{K, form_status_key};
use domain::scoring::parameters;
use yew::prelude::*;

#[component]
pub fn ScoringFormsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(K::ScoringFormsTitle));
    let lang = i18n.lang;
    let data = use_fetch((), |api, ()| async move { api.list_scoring_forms().await });
    let body = match &*data.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} on_retry={data.reload.clone()} /> },
        Load::Ready(page) if page.items.is_empty() => html! { <p class="empty">{ i18n.t(K::EmptyList) }</p> },
        Load::Ready(page) => {
            // Newest version first (the server lists them oldest first).
            let forms = page.items.iter().rev();
            html! {
                <div class="table-wrap">
                    <table class="table" id="forms-table">
                        { head(i18n.lang, &[(K::FormCode, false), (K::FormVersion, true), (K::FormTitleLabel, false), (K::Status, false), (K::ParameterCount, true), (K::WeightTotal, true), (K::PublishedAt, false)]) }
                        <tbody>
                            { for forms.map(|f| html! {
                                <tr key={f.id} data-form={f.id.to_string()} data-code={f.code.clone()} data-status={f.status.as_str()}>
                                    <td class="mono nowrap"><RouteLink to={Route::ScoringForm { id: f.id }}>{ f.code.clone() }</RouteLink></td>
                                    <td class="num">{ format!("v{}", f.version) }</td>
                                    <td>{ f.title.clone() }</td>
                                    <td><span class="status-badge" data-status={f.status.as_str()}>{ i18n.t(form_status_key(f.status)) }</span></td>
                                    <td class="num">{ parameters(&f.sections).count() }</td>
                                    <td class="num">{ format_weight(lang, weight_total(f)) }</td>
                                    <td class="nowrap">{ f.published_at.as_deref().map_or_else(|| i18n.t(K::NoneDash).to_owned(), |t| long_datetime(lang, t)) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        }
    };
    html! {
        <section class="page" data-page="scoring-forms">
            <header class="page-head page-head-row">
                <div>
                    <h1>{ i18n.t(K::ScoringFormsTitle) }</h1>
                    <p class="muted">{ i18n.t(K::ScoringFormsIntro) }</p>
                </div>
                <RouteLink to={Route::NewScoringForm} class="btn btn-primary" id={AttrValue::Static("new-form")}>{ i18n.t(K::NewForm) }</RouteLink>
            </header>
            <section class="card">{ body }</section>
        </section>
    }
}

//! `/documents/{code}/revisions/{rev}/print`: the A4 controlled copy. The header block repeats at
//! the top of every printed page (a table whose `<thead>` is a table-header-group), then the body,
//! the signature block and the history; marked *SALINAN TERKENDALI* and who printed it when.

use crate::app::{use_auth, use_i18n, use_title};
use crate::components::doc_parts::{HeaderBlockProps, header_block, history_table, signature_block};
use crate::components::profile::display_name;
use crate::components::status::{ErrorBanner, Loading};
use crate::datetime::long_datetime;
use crate::hooks::{Load, use_fetch};
use crate::i18n::K;
use crate::markdown;
use domain::documents::RevisionStatus;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PrintPageProps {
    pub code: String,
    pub rev: i32,
}

#[component]
pub fn PrintPage(props: &PrintPageProps) -> Html {
    let i18n = use_i18n();
    let auth = use_auth();
    use_title(i18n.t(K::PrintCopy));
    let revision =
        use_fetch(
            (props.code.clone(), props.rev),
            |api, (code, rev)| async move { api.get_revision(&code, rev).await },
        );
    let printed_at = use_state(|| String::from(js_sys::Date::new_0().to_iso_string()));
    let who = auth.user().map(display_name).unwrap_or_default();
    let content = match &*revision.state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(error) => html! { <ErrorBanner error={error.clone()} /> },
        Load::Ready(r) => {
            let controlled = r.status == RevisionStatus::Effective;
            let mark = if controlled { i18n.t(K::ControlledCopy) } else { i18n.t(K::UncontrolledCopy) };
            let stamp = i18n.tf(K::PrintedBy, &[&who, &long_datetime(i18n.lang, &printed_at)]);
            html! {
                <table class="print-sheet">
                    <thead>
                        <tr><td>
                            { header_block(&i18n, &HeaderBlockProps { kind: r.kind, title: r.title.clone().into(),
                                effective_date: r.effective_date.clone(), reference: r.reference.clone().into(), rev: r.rev }) }
                        </td></tr>
                    </thead>
                    <tfoot>
                        <tr><td>
                            <div class="print-foot">
                                <span class={classes!("controlled-mark", (!controlled).then_some("uncontrolled"))} id="controlled-mark">{ mark }</span>
                                <span class="printed-by" id="printed-by">{ stamp }</span>
                            </div>
                        </td></tr>
                    </tfoot>
                    <tbody>
                        <tr><td>
                            <div class="doc-body">{ markdown::render(&r.body) }</div>
                            { signature_block(&i18n, &r.signatures) }
                            { history_table(&i18n, &r.history, true) }
                        </td></tr>
                    </tbody>
                </table>
            }
        }
    };
    let on_print = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    html! {
        <section class="page print-page" data-page="print">
            <div class="print-toolbar no-print">
                <button id="print-now" type="button" class="btn btn-primary" onclick={on_print}>{ i18n.t(K::PrintButton) }</button>
            </div>
            <div class="print-paper">{ content }</div>
        </section>
    }
}

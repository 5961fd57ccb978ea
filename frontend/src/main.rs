//! Mutu's browser app: mounts the Yew root into `#app` of `static/index.html`.

mod api;
mod app;
mod components;
mod datetime;
mod files;
mod hooks;
mod i18n;
mod json;
mod markdown;
mod pages;
mod state;
mod storage;
#[cfg(test)]
mod testing;
mod text;

fn main() {
    // Times are shown and read in the site's zone: ask the server which it is before the first
    // render (WIB if it cannot say; the next page load asks again).
    wasm_bindgen_futures::spawn_local(async {
        if let Ok(site) = api::site().await {
            datetime::set_site_zone(i64::from(site.utc_offset_seconds));
            components::parts::set_recording_url(site.recording_url);
        }
        render();
    });
}

fn render() {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            // Replace the static "loading" text the page shows until the bundle runs.
            root.set_inner_html("");
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}

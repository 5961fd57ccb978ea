//! Files in the browser: the upload size limit, sizes and kinds in words, and handing bytes to the
//! browser as a download.

use crate::datetime::count;
use crate::i18n::Lang;
use wasm_bindgen::JsCast;

/// The most the server takes for an original file (50 MiB); larger files are refused before sending.
pub const UPLOAD_LIMIT: f64 = domain::limits::UPLOAD_MAX_BYTES as f64;

/// A file size as `13 KB` / `1.024 KB` (whole KB, rounded up, below 1 MiB) or `12,5 MB`.
pub fn file_size(lang: Lang, bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    let bytes = bytes.max(0);
    if bytes < MB {
        return format!("{} KB", count(lang, ((bytes + KB - 1) / KB).max(1)));
    }
    let tenths = (bytes * 10 + MB / 2) / MB;
    let decimal = if lang == Lang::Id { ',' } else { '.' };
    format!("{}{decimal}{} MB", count(lang, tenths / 10), tenths % 10)
}

/// `PDF` or `DOCX` for the content types the server recognises; anything else as it is.
pub fn file_kind(content_type: &str) -> &str {
    match content_type {
        "application/pdf" => "PDF",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "DOCX",
        other => other,
    }
}

/// Hands `bytes` to the browser as a download named `filename`: a Blob, an object URL, a
/// temporary `<a download>` clicked once; the URL is revoked shortly after.
pub fn save_file(bytes: &[u8], content_type: &str, filename: &str) -> Option<()> {
    save_parts(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)), content_type, filename)
}

/// [`save_file`] of a file made of `parts` (strings or byte arrays, held by the browser rather
/// than in the app's memory while a long file is put together).
pub fn save_parts(parts: &js_sys::Array, content_type: &str, filename: &str) -> Option<()> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(filename);
    document.body()?.append_child(&link).ok()?;
    link.click();
    link.remove();
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(10_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_read_the_local_way() {
        assert_eq!(file_size(Lang::Id, 0), "1 KB");
        assert_eq!(file_size(Lang::Id, 1536), "2 KB");
        assert_eq!(file_size(Lang::Id, 1_048_575), "1.024 KB");
        assert_eq!(file_size(Lang::En, 1_048_575), "1,024 KB");
        assert_eq!(file_size(Lang::Id, 13 * 1024 * 1024 + 512 * 1024), "13,5 MB");
        assert_eq!(file_size(Lang::En, 50 * 1024 * 1024), "50.0 MB");
        assert_eq!(file_size(Lang::Id, 1200 * 1024 * 1024), "1.200,0 MB");
    }

    #[test]
    fn the_two_original_file_kinds_have_short_names() {
        assert_eq!(file_kind("application/pdf"), "PDF");
        assert_eq!(file_kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), "DOCX");
        assert_eq!(file_kind("text/plain"), "text/plain");
    }
}

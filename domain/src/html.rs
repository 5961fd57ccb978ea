//! Text for HTML markup that is written as a string (the server's certificate page, the
//! browser's charts).

/// `text` safe inside an element or a quoted attribute: the five characters that could end an
/// attribute or start a tag or an entity, as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            super::escape(r#"<a href="x">Tim & 'B'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tim &amp; &#39;B&#39;&lt;/a&gt;"
        );
        assert_eq!(super::escape("Dedi Kurniawan — 87,5 %"), "Dedi Kurniawan — 87,5 %");
    }
}

//! A small, inert Markdown renderer for revision bodies: headings (`##`, `###`), paragraphs,
//! `*em*`, `**strong**`, `-` and numbered lists (the number is kept as written: `6.10.`), `|`
//! tables and `>` quotes. Everything else is text: the output is built from Yew text nodes only,
//! so HTML in a body (`<script>`, `<p align=…>`) shows as the characters it is and never runs.
//!
//! Parsing is pure (a small tree) and tested on the host; [`render`] turns the tree into `Html`.

use yew::prelude::*;

/// Text with emphasis.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Em(Vec<Inline>),
    Strong(Vec<Inline>),
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2–4 (`#` is shown as level 2: the page title is the document's).
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    /// Bulleted list.
    Bullets(Vec<Vec<Inline>>),
    /// Numbered list: each item keeps its number as written.
    Numbered(Vec<(String, Vec<Inline>)>),
    Table {
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Quote(Vec<Block>),
}

/// `1.`, `1.1.`, `6.10.` or `2)` at the start of a line, and the rest.
fn numbered(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut groups = 0;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 3 {
            return None;
        }
        groups += 1;
        match bytes.get(i) {
            Some(b'.') | Some(b')') => i += 1,
            _ => return None,
        }
        if bytes.get(i) == Some(&b' ') {
            break;
        }
        if bytes.get(i - 1) == Some(&b')') || groups > 5 {
            return None;
        }
    }
    Some((&line[..i], line[i..].trim_start()))
}

fn bullet(line: &str) -> Option<&str> {
    line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")).or_else(|| line.strip_prefix("+ "))
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        Some(((hashes as u8).clamp(2, 4), line[hashes..].trim()))
    } else {
        None
    }
}

fn table_cells(line: &str) -> Vec<&str> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(str::trim).collect()
}

fn is_separator(line: &str) -> bool {
    let cells = table_cells(line);
    !cells.is_empty()
        && cells.iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')) && c.contains('-'))
}

/// Parses a body into blocks.
pub fn parse(source: &str) -> Vec<Block> {
    let lines: Vec<&str> = source.lines().collect();
    parse_lines(&lines)
}

fn parse_lines(lines: &[&str]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        if let Some((level, text)) = heading(trimmed) {
            blocks.push(Block::Heading(level, inline(text)));
            i += 1;
        } else if trimmed.starts_with('>') {
            let mut quoted = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('>') {
                let q = lines[i].trim_start().trim_start_matches('>');
                quoted.push(q.strip_prefix(' ').unwrap_or(q));
                i += 1;
            }
            blocks.push(Block::Quote(parse_lines(&quoted)));
        } else if trimmed.starts_with('|') {
            let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
            let mut head = Vec::new();
            let first = i;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                let row = lines[i].trim();
                if i == first + 1 && is_separator(row) {
                    head = rows.pop().unwrap_or_default();
                } else {
                    rows.push(table_cells(row).into_iter().map(inline).collect());
                }
                i += 1;
            }
            blocks.push(Block::Table { head, rows });
        } else if bullet(trimmed).is_some() {
            let mut items = Vec::new();
            while i < lines.len() {
                let l = lines[i].trim();
                if let Some(item) = bullet(l) {
                    items.push(inline(item));
                } else if !l.is_empty() || lines.get(i + 1).is_none_or(|n| bullet(n.trim()).is_none()) {
                    break;
                }
                i += 1;
            }
            blocks.push(Block::Bullets(items));
        } else if numbered(trimmed).is_some() {
            let mut items = Vec::new();
            while i < lines.len() {
                let l = lines[i].trim();
                if let Some((number, text)) = numbered(l) {
                    items.push((number.to_owned(), inline(text)));
                } else if l.is_empty() {
                    if lines.get(i + 1).is_none_or(|n| numbered(n.trim()).is_none()) {
                        break;
                    }
                } else if starts_block(l) {
                    break;
                } else if let Some((_, last)) = items.last_mut() {
                    // A continuation line of the item.
                    last.push(Inline::Text(" ".into()));
                    last.extend(inline(l));
                }
                i += 1;
            }
            blocks.push(Block::Numbered(items));
        } else {
            let mut text = Vec::new();
            while i < lines.len() {
                let l = lines[i].trim();
                if l.is_empty() || (!text.is_empty() && starts_block(l)) {
                    break;
                }
                text.push(l);
                i += 1;
            }
            blocks.push(Block::Paragraph(inline(&text.join(" "))));
        }
    }
    blocks
}

fn starts_block(line: &str) -> bool {
    heading(line).is_some()
        || line.starts_with('>')
        || line.starts_with('|')
        || bullet(line).is_some()
        || numbered(line).is_some()
}

/// Parses `*em*` and `**strong**`; a marker without its partner is plain text.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (marker, closes) = if let Some(after) = rest.strip_prefix("**") {
            ("**", find_close(after, "**"))
        } else if let Some(after) = rest.strip_prefix('*') {
            ("*", find_close(after, "*"))
        } else {
            ("", None)
        };
        match closes {
            Some(end) if !marker.is_empty() => {
                let inner = &rest[marker.len()..marker.len() + end];
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                let children = inline(inner);
                out.push(if marker == "**" { Inline::Strong(children) } else { Inline::Em(children) });
                rest = &rest[marker.len() * 2 + end..];
            }
            _ => {
                let ch = rest.chars().next().unwrap_or(' ');
                let step = if marker == "**" { 2 } else { ch.len_utf8() };
                plain.push_str(&rest[..step]);
                rest = &rest[step..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// Where `marker` closes a span in `text`: not right at the start, not after a space.
fn find_close(text: &str, marker: &str) -> Option<usize> {
    if text.starts_with(' ') || text.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find(marker) {
        let at = from + pos;
        // `**` inside an `*em*` search is not its end.
        let doubled = marker == "*" && text[at + 1..].starts_with('*');
        if at > 0 && !text[..at].ends_with(' ') && !doubled {
            return Some(at);
        }
        from = at + marker.len() + usize::from(doubled);
        if from >= text.len() {
            break;
        }
    }
    None
}

fn inlines_html(items: &[Inline]) -> Html {
    items
        .iter()
        .map(|item| match item {
            // A text node: the browser never parses it as markup.
            Inline::Text(text) => html! { { text.clone() } },
            Inline::Em(children) => html! { <em>{ inlines_html(children) }</em> },
            Inline::Strong(children) => html! { <strong>{ inlines_html(children) }</strong> },
        })
        .collect()
}

fn block_html(block: &Block) -> Html {
    match block {
        Block::Heading(2, text) => html! { <h2>{ inlines_html(text) }</h2> },
        Block::Heading(3, text) => html! { <h3>{ inlines_html(text) }</h3> },
        Block::Heading(_, text) => html! { <h4>{ inlines_html(text) }</h4> },
        Block::Paragraph(text) => html! { <p>{ inlines_html(text) }</p> },
        Block::Bullets(items) => html! {
            <ul>{ for items.iter().map(|i| html! { <li>{ inlines_html(i) }</li> }) }</ul>
        },
        Block::Numbered(items) => html! {
            <ol class="md-numbered">
                { for items.iter().map(|(n, i)| html! {
                    <li><span class="md-num">{ n.clone() }</span><span>{ inlines_html(i) }</span></li>
                }) }
            </ol>
        },
        Block::Table { head, rows } => html! {
            <div class="table-wrap">
                <table class="md-table">
                    if !head.is_empty() {
                        <thead><tr>{ for head.iter().map(|c| html! { <th scope="col">{ inlines_html(c) }</th> }) }</tr></thead>
                    }
                    <tbody>
                        { for rows.iter().map(|r| html! {
                            <tr>{ for r.iter().map(|c| html! { <td>{ inlines_html(c) }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Block::Quote(children) => html! { <blockquote>{ for children.iter().map(block_html) }</blockquote> },
    }
}

/// The body as `Html` (text nodes and a fixed set of elements only).
pub fn render(source: &str) -> Html {
    html! { <div class="md">{ for parse(source).iter().map(block_html) }</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    /// Every string in the tree, to check nothing was lost or invented.
    fn all_text(blocks: &[Block]) -> String {
        fn inl(items: &[Inline], out: &mut String) {
            for i in items {
                match i {
                    Inline::Text(t) => out.push_str(t),
                    Inline::Em(c) | Inline::Strong(c) => inl(c, out),
                }
            }
        }
        let mut out = String::new();
        for b in blocks {
            match b {
                Block::Heading(_, t) | Block::Paragraph(t) => inl(t, &mut out),
                Block::Bullets(items) => items.iter().for_each(|i| inl(i, &mut out)),
                Block::Numbered(items) => items.iter().for_each(|(n, i)| {
                    out.push_str(n);
                    inl(i, &mut out)
                }),
                Block::Table { head, rows } => {
                    head.iter().for_each(|c| inl(c, &mut out));
                    rows.iter().flatten().for_each(|c| inl(c, &mut out));
                }
                Block::Quote(children) => out.push_str(&all_text(children)),
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn headings_paragraphs_and_emphasis() {
        let blocks = parse("## 1. Rujukan\n\nRuang *lingkup* dan **tegas**\nlanjut.\n\n### 8.1. Diagram");
        assert_eq!(
            blocks,
            vec![
                Block::Heading(2, vec![text("1. Rujukan")]),
                Block::Paragraph(vec![
                    text("Ruang "),
                    Inline::Em(vec![text("lingkup")]),
                    text(" dan "),
                    Inline::Strong(vec![text("tegas")]),
                    text(" lanjut."),
                ]),
                Block::Heading(3, vec![text("8.1. Diagram")]),
            ]
        );
    }

    #[test]
    fn numbered_items_keep_their_numbers_across_blank_lines() {
        let blocks = parse("2.1. Memastikan agent.\n\n2.2. Meningkatkan agree.\n\n6.10. Nonatero\n");
        let Block::Numbered(items) = &blocks[0] else { panic!("{blocks:?}") };
        let numbers: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(numbers, ["2.1.", "2.2.", "6.10."]);
        assert_eq!(blocks.len(), 1);
        // A year or a price is not a list.
        assert!(matches!(parse("2022 adalah tahun")[0], Block::Paragraph(_)));
        assert!(matches!(parse("1.000 pelanggan")[0], Block::Paragraph(_)));
    }

    #[test]
    fn bullets_tables_and_quotes() {
        let blocks = parse("- a\n- b\n\n| No. | Nama |\n|---|---|\n| 1 | F-19 |\n\n> dikutip\n> *lagi*");
        assert_eq!(blocks[0], Block::Bullets(vec![vec![text("a")], vec![text("b")]]));
        assert_eq!(
            blocks[1],
            Block::Table {
                head: vec![vec![text("No.")], vec![text("Nama")]],
                rows: vec![vec![vec![text("1")], vec![text("F-19")]]]
            }
        );
        assert_eq!(
            blocks[2],
            Block::Quote(vec![Block::Paragraph(vec![text("dikutip "), Inline::Em(vec![text("lagi")])])])
        );
    }

    #[test]
    fn unmatched_markers_stay_as_text() {
        assert_eq!(
            parse("## 10. Dokumen / Rekaman Pendukung **"),
            vec![Block::Heading(2, vec![text("10. Dokumen / Rekaman Pendukung **")])]
        );
        assert_eq!(inline("N * 2 dan 3 * 4"), vec![text("N * 2 dan 3 * 4")]);
        assert_eq!(inline("**) catatan"), vec![text("**) catatan")]);
    }

    #[test]
    fn html_is_kept_as_text_never_as_markup() {
        let source = "<script>alert('x')</script>\n\n## <img src=x onerror=alert(1)>\n\n- <b>tebal</b>\n\n| <iframe> | *<script>* |\n|---|---|";
        let blocks = parse(source);
        let shown = all_text(&blocks);
        assert!(shown.contains("<script>alert('x')</script>"));
        assert!(shown.contains("<img src=x onerror=alert(1)>"));
        assert!(shown.contains("<b>tebal</b>"));
        assert!(shown.contains("<iframe>"));
        assert_eq!(blocks[0], Block::Paragraph(vec![text("<script>alert('x')</script>")]));
    }

    #[test]
    fn seed_html_fragments_are_shown_not_interpreted() {
        let blocks = parse(r#"<p align="center">Prosedur <i>CT-0</i></p>"#);
        assert_eq!(blocks, vec![Block::Paragraph(vec![text(r#"<p align="center">Prosedur <i>CT-0</i></p>"#)])]);
    }

    #[test]
    fn non_ascii_text_survives() {
        assert_eq!(
            inline("Catatan *perubahan* — é ✓"),
            vec![text("Catatan "), Inline::Em(vec![text("perubahan")]), text(" — é ✓")]
        );
        assert_eq!(parse(""), vec![]);
    }
}

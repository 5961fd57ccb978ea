//! The shared strings part: every string in one text with an offset each, bounded in count,
//! total bytes and length of one string, whatever the part declares.

use super::xml::{Xml, XmlError, attribute, push_reference};
use super::{Limits, WorkbookBound, XlsxError};
use quick_xml::events::Event;
use std::io::Read;

/// All shared strings in one text, each ending at its offset.
#[derive(Default)]
pub(super) struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    pub(super) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        self.text.get(start..end)
    }
}

/// Reads `<si>` items: the text of `<t>` elements, directly or in rich-text runs `<r>`; the
/// phonetic runs `<rPh>` are not text of the cell. `count` and `uniqueCount` reserve nothing;
/// declaring more strings than the bound refuses the file at once.
pub(super) fn read_shared_strings<R: Read>(mut xml: Xml<R>, limits: &Limits) -> Result<SharedStrings, XlsxError> {
    let too_many = || XlsxError::TooLarge(WorkbookBound::SharedStrings, limits.shared_strings as u64);
    let too_long =
        || XlsxError::TooLarge(WorkbookBound::SharedStringsMib, (limits.shared_string_bytes / (1024 * 1024)) as u64);
    let too_long_cell = || XlsxError::TooLarge(WorkbookBound::TextChars, (limits.cell_bytes / 4) as u64);
    let mut shared = SharedStrings::default();
    let (mut start, mut in_t, mut phonetic) = (0usize, false, 0u32);
    let push_end = |shared: &mut SharedStrings| -> Result<(), XlsxError> {
        if shared.ends.len() >= limits.shared_strings {
            return Err(too_many());
        }
        shared.ends.push(shared.text.len() as u32);
        Ok(())
    };
    loop {
        let event = match xml.next() {
            Ok(event) => event,
            Err(XmlError::Bound(e)) => return Err(e),
            Err(XmlError::Syntax) => return Err(XlsxError::Unreadable),
        };
        let add = |text: &str, shared: &mut SharedStrings| -> Result<(), XlsxError> {
            if shared.text.len() - start + text.len() > limits.cell_bytes {
                return Err(too_long_cell());
            }
            if shared.text.len() + text.len() > limits.shared_string_bytes {
                return Err(too_long());
            }
            shared.text.push_str(text);
            Ok(())
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                // The declared counts are never used to reserve memory, but one past the
                // bound refuses the file before any string is read.
                "sst"
                    if ["count", "uniqueCount"].iter().any(|a| {
                        attribute(&e, a)
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .is_some_and(|n| n > limits.shared_strings as u64)
                    }) =>
                {
                    return Err(too_many());
                }
                "si" => start = shared.text.len(),
                "rPh" => phonetic += 1,
                "t" if phonetic == 0 => in_t = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => push_end(&mut shared)?,
            Event::End(e) => match e.local_name().as_ref() {
                "si" => push_end(&mut shared)?,
                "rPh" => phonetic = phonetic.saturating_sub(1),
                "t" => in_t = false,
                _ => {}
            },
            Event::Text(t) if in_t => add(&t.xml10_content(), &mut shared)?,
            Event::CData(t) if in_t => add(&t, &mut shared)?,
            Event::GeneralRef(r) if in_t => {
                let mut one = String::new();
                push_reference(&mut one, &r);
                add(&one, &mut shared)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if shared.text.len() > u32::MAX as usize {
        return Err(too_long());
    }
    shared.text.shrink_to_fit();
    shared.ends.shrink_to_fit();
    Ok(shared)
}

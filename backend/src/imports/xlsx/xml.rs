//! Bounded reading of a part's XML: [`Bounded`] counts the decompressed bytes of the part and
//! what one XML token buffers, [`Xml`] yields events and says which bound was hit, and the
//! attribute and entity helpers every part's reader uses.

use super::{WorkbookBound, XlsxError};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::io::{self, BufRead, Read};

/// Which bound a [`Bounded`] reader hit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hit {
    Part(u64),
    Token(usize),
}

/// A buffered reader that fails once more than `max` bytes came out of `inner` (the
/// decompressor), and once more than `max_token` bytes were consumed since the last
/// [`Bounded::mark`]: the XML reader consumes exactly one event between marks, so that is what
/// it may buffer for one event.
pub(super) struct Bounded<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    pulled: u64,
    max: u64,
    token: usize,
    max_token: usize,
    hit: Option<Hit>,
}

impl<R: Read> Bounded<R> {
    pub(super) fn new(inner: R, max: u64, max_token: usize) -> Self {
        Bounded {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            end: 0,
            pulled: 0,
            max,
            token: 0,
            max_token,
            hit: None,
        }
    }

    fn mark(&mut self) {
        self.token = 0;
    }
}

impl<R: Read> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.token > self.max_token {
            self.hit = Some(Hit::Token(self.max_token));
            return Err(io::Error::other("an XML token is too long"));
        }
        if self.pos == self.end {
            let n = self.inner.read(&mut self.buf)?;
            self.pulled += n as u64;
            if self.pulled > self.max {
                self.hit = Some(Hit::Part(self.max));
                return Err(io::Error::other("a part is too large"));
            }
            (self.pos, self.end) = (0, n);
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.pos);
        self.pos += n;
        self.token += n;
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// A part's XML, one event at a time.
pub(super) struct Xml<R: Read> {
    pub(super) reader: quick_xml::Reader<Bounded<R>>,
    pub(super) buf: Vec<u8>,
}

/// Why reading XML stopped.
pub(super) enum XmlError {
    /// A bound was hit: the file is refused.
    Bound(XlsxError),
    /// Not well-formed (or not readable at all).
    Syntax,
}

impl<R: Read> Xml<R> {
    pub(super) fn next(&mut self) -> Result<Event<'_>, XmlError> {
        self.buf.clear();
        self.reader.get_mut().mark();
        let hit = &mut None;
        let event = self.reader.read_event_into(&mut self.buf);
        if event.is_err() {
            *hit = self.reader.get_ref().hit;
        }
        event.map_err(|_| match hit {
            Some(Hit::Part(max)) => XmlError::Bound(XlsxError::TooLarge(WorkbookBound::PartMib, *max / (1024 * 1024))),
            Some(Hit::Token(max)) => {
                XmlError::Bound(XlsxError::TooLarge(WorkbookBound::TokenKib, (*max / 1024) as u64))
            }
            None => XmlError::Syntax,
        })
    }
}

/// The value of the attribute `name` (its local name, whatever the prefix), unescaped.
pub(super) fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The raw value of the attribute `name` (for values that are never escaped: `r`, `t`, `s`).
pub(super) fn raw_attribute<'e>(e: &'e BytesStart<'_>, name: &str) -> Option<std::borrow::Cow<'e, str>> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value)
}

/// Appends the text of a general reference (`&amp;`, `&#233;`) to `out`.
pub(super) fn push_reference(out: &mut String, reference: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        out.push(c);
        return;
    }
    match reference.as_ref() {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        // Entities a DTD would define are not expanded (there is no DTD in a workbook).
        other => {
            out.push('&');
            out.push_str(other);
            out.push(';');
        }
    }
}

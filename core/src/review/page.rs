//! Review pages: each item's rendered value cut into screen-width pieces.

use core::fmt::{self, Write};
use core::ops::ControlFlow;

use super::render::{render, render_ascii, rendered_len, text_len, AsciiSink};
use super::Review;
use crate::error::Error;
use crate::field::{ShowVisitor, Shown};

/// Characters on one screen line of the reference device (and the
/// firmware).
pub const DEFAULT_PAGE_WIDTH: usize = 20;
/// Widest page the core cuts.
pub const MAX_PAGE_WIDTH: usize = 64;

/// Bytes of a page's line before its text: the label, a list position and
/// the page counter, `: ` (the longest label and counters take 34).
pub const MAX_LINE_HEAD: usize = 48;

/// One screen page: an item's label and up to `width` characters of its
/// rendered value (always printable ASCII), and the line a screen shows
/// for it (`Label 3 (1/2): text`), written as the page was cut.
#[derive(Clone, Copy)]
pub struct Page {
    /// The item's label.
    pub label: &'static str,
    /// The item's list position (from 0), for a list element.
    pub index: Option<u16>,
    /// Which page of this item, from 1.
    pub part: usize,
    /// How many pages this item has (at least 1).
    pub parts: usize,
    /// The line: the label and list position (`head` bytes), the counter
    /// and `: ` (up to `text_at`), the text (up to `len`).
    line: [u8; MAX_LINE_HEAD + MAX_PAGE_WIDTH],
    head: usize,
    text_at: usize,
    len: usize,
}

/// Pages are equal when what they show is: the bytes of the buffer after
/// the line are not part of a page (a device's pager writes each page
/// over the last one without clearing it).
impl PartialEq for Page {
    fn eq(&self, other: &Self) -> bool {
        (self.label, self.index, self.part, self.parts, self.line())
            == (
                other.label,
                other.index,
                other.part,
                other.parts,
                other.line(),
            )
    }
}

impl Eq for Page {}

impl fmt::Debug for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("label", &self.label)
            .field("index", &self.index)
            .field("part", &self.part)
            .field("parts", &self.parts)
            .field("text", &self.text())
            .finish()
    }
}

impl Page {
    /// The first page of an item, its text empty.
    fn first(label: &'static str, index: Option<u16>, parts: usize) -> Page {
        let mut page = Page {
            label,
            index,
            part: 1,
            parts,
            line: [0u8; MAX_LINE_HEAD + MAX_PAGE_WIDTH],
            head: 0,
            text_at: 0,
            len: 0,
        };
        page.start_item(label, index, parts);
        page
    }

    /// Makes this page the first of an item, its text empty (the buffer
    /// is written over, not cleared).
    fn start_item(&mut self, label: &'static str, index: Option<u16>, parts: usize) {
        self.label = label;
        self.index = index;
        self.part = 1;
        self.parts = parts;
        self.len = 0;
        self.put(label.as_bytes());
        if let Some(i) = index {
            self.put_byte(b' ');
            self.put_number(u32::from(i) + 1);
        }
        self.head = self.len;
        self.start_part();
    }

    /// Writes the counter of `part` after the label: the line's text
    /// starts empty. A byte at a time: a `memcpy` call per piece cost more
    /// than the pieces.
    fn start_part(&mut self) {
        self.len = self.head;
        if self.parts > 1 {
            self.put_byte(b' ');
            self.put_byte(b'(');
            self.put_number(u32::try_from(self.part).unwrap_or(u32::MAX));
            self.put_byte(b'/');
            self.put_number(u32::try_from(self.parts).unwrap_or(u32::MAX));
            self.put_byte(b')');
        }
        self.put_byte(b':');
        self.put_byte(b' ');
        self.text_at = self.len;
    }

    /// Appends `bytes` to the line (cut at its end: never reached, the
    /// head is at most [`MAX_LINE_HEAD`] bytes and the text at most
    /// [`MAX_PAGE_WIDTH`]).
    fn put(&mut self, bytes: &[u8]) {
        let end = (self.len + bytes.len()).min(self.line.len());
        if let (Some(dst), Some(src)) = (
            self.line.get_mut(self.len..end),
            bytes.get(..end - self.len),
        ) {
            if src.len() <= 32 {
                // A `memcpy` call costs more than a few bytes.
                for (d, &b) in dst.iter_mut().zip(src) {
                    *d = b;
                }
            } else {
                dst.copy_from_slice(src);
            }
        }
        self.len = end;
    }

    /// Appends one byte (as [`Page::put`]).
    fn put_byte(&mut self, b: u8) {
        if let Some(slot) = self.line.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// Appends `n` in decimal (as [`Page::put`]).
    fn put_number(&mut self, n: u32) {
        if n < 10 {
            // Most counters and positions.
            return self.put_byte(b'0' + n as u8);
        }
        let mut digits = 1;
        let mut bound = 10u32;
        while digits < 10 && n >= bound {
            digits += 1;
            bound = bound.saturating_mul(10);
        }
        let end = (self.len + digits).min(self.line.len());
        let mut rest = n;
        for slot in self
            .line
            .get_mut(self.len..end)
            .unwrap_or(&mut [])
            .iter_mut()
            .rev()
        {
            // rest % 10 < 10
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        self.len = end;
    }

    /// This page's part of the value.
    pub fn text(&self) -> &str {
        crate::hex::ascii_str(self.line.get(self.text_at..self.len).unwrap_or(&[]))
    }

    /// The page's text form (its `Display`) as bytes: what a screen shows
    /// and a device sends, without a copy.
    pub fn line(&self) -> &[u8] {
        self.line.get(..self.len).unwrap_or(&[])
    }

    /// Copies the page's text form (its `Display`, [`Page::line`]) into
    /// `out`, returning the length; [`Error::BufferTooSmall`] if it does
    /// not fit. A buffer of `48 + width` bytes always suffices.
    pub fn write_to(&self, out: &mut [u8]) -> Result<usize, Error> {
        let line = self.line();
        out.get_mut(..line.len())
            .ok_or(Error::BufferTooSmall)?
            .copy_from_slice(line);
        Ok(line.len())
    }
}

impl fmt::Display for Page {
    /// `Label: text`, `Label 3: text` for the third element of a list, and
    /// ` (part/parts)` after the label for a value on several pages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label)?;
        if let Some(i) = self.index {
            write!(f, " {}", u32::from(i) + 1)?;
        }
        if self.parts > 1 {
            write!(f, " ({}/{})", self.part, self.parts)?;
        }
        write!(f, ": {}", self.text())
    }
}

/// Counts a rendering's length, or copies the window `[start, start +
/// width)` of it.
struct Window<'b> {
    start: usize,
    pos: usize,
    out: &'b mut [u8],
    len: usize,
}

impl Write for Window<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.pos >= self.start {
                if let Some(slot) = self.out.get_mut(self.len) {
                    *slot = b;
                    self.len += 1;
                }
            }
            self.pos += 1;
        }
        Ok(())
    }
}

/// Cuts each item of one walk into pages as it is rendered, handing each
/// page to `f` (see [`Review::for_each_page`]).
struct Pager<F> {
    width: usize,
    f: F,
    /// The page being written, reused for every item (not cleared).
    page: Page,
    /// An item's rendering, when it is rendered before it is cut.
    short: Short,
}

/// Renders an item's pages one after another into one page buffer.
struct PageWriter<'p, F> {
    page: &'p mut Page,
    width: usize,
    f: &'p mut F,
    stopped: bool,
}

impl<F: FnMut(&Page) -> ControlFlow<()>> PageWriter<'_, F> {
    fn emit(&mut self) -> fmt::Result {
        if (self.f)(self.page).is_break() {
            self.stopped = true;
            return Err(fmt::Error);
        }
        // The next page is written over this one: only its length counts.
        self.page.part += 1;
        self.page.start_part();
        Ok(())
    }

    /// Appends `bytes`, a page's worth at a time.
    fn write_bytes(&mut self, mut bytes: &[u8]) -> fmt::Result {
        while !bytes.is_empty() {
            let filled = self.page.len - self.page.text_at;
            if filled == self.width {
                self.emit()?;
                continue;
            }
            let (now, rest) = bytes.split_at(self.width.saturating_sub(filled).min(bytes.len()));
            self.page.put(now);
            bytes = rest;
        }
        Ok(())
    }
}

impl<F: FnMut(&Page) -> ControlFlow<()>> AsciiSink for PageWriter<'_, F> {
    fn ascii(&mut self, bytes: &[u8]) -> fmt::Result {
        self.write_bytes(bytes)
    }
}

/// Counts a rendering's bytes.
struct Count(usize);

impl AsciiSink for Count {
    fn ascii(&mut self, bytes: &[u8]) -> fmt::Result {
        self.0 += bytes.len();
        Ok(())
    }
}

/// A rendering kept whole, when it fits (see [`SHORT_RENDERING`]).
struct Short {
    bytes: [u8; SHORT_RENDERING],
    len: usize,
}

impl AsciiSink for Short {
    fn ascii(&mut self, bytes: &[u8]) -> fmt::Result {
        let end = self.len + bytes.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }
}

/// The longest rendering a [`Pager`] renders once into a buffer before
/// cutting it into pages: every value but texts and bytes (whose length
/// is counted without rendering them) fits (a token amount with a
/// server's unit is at most 113 bytes); a longer one is rendered twice,
/// as texts are.
const SHORT_RENDERING: usize = 128;

impl<'a, F: FnMut(&Page) -> ControlFlow<()>> ShowVisitor<'a> for Pager<F> {
    fn item(
        &mut self,
        label: &'static str,
        index: Option<u16>,
        value: Shown<'a>,
    ) -> ControlFlow<()> {
        // A page needs its item's page count first. A text or bytes
        // value's length is counted without rendering it; any other value
        // is rendered once here (an address's checksum is a keccak, an
        // amount's digits are divisions), then cut. (Every such value
        // fits [`SHORT_RENDERING`]; one that did not would be counted by
        // a rendering, then rendered again.)
        self.short.len = 0;
        let mut once = false;
        let len = match value {
            Shown::Text(text) => text_len(text),
            Shown::Hex(bytes) => 2 + 2 * bytes.len(),
            _ if render_ascii(&value, &mut self.short).is_ok() => {
                once = true;
                self.short.len
            }
            _ => {
                let mut count = Count(0);
                let _ = render_ascii(&value, &mut count);
                count.0
            }
        };
        self.page
            .start_item(label, index, len.div_ceil(self.width).max(1));
        let mut w = PageWriter {
            page: &mut self.page,
            width: self.width,
            f: &mut self.f,
            stopped: false,
        };
        let _ = if once {
            w.write_bytes(self.short.bytes.get(..len).unwrap_or(&[]))
        } else {
            render_ascii(&value, &mut w)
        };
        if w.stopped {
            return ControlFlow::Break(());
        }
        // The last page (or the only, empty one), never emitted by the
        // writer.
        if w.emit().is_err() {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

impl<'a, const B: usize, const M: usize> Review<'a, B, M> {
    /// Hands the review's pages of at most `width` characters of value
    /// (clamped to 1..=[`MAX_PAGE_WIDTH`]) to `f` in order, the same pages
    /// as [`Review::pages`]; `Break` from `f` stops. One walk of the items
    /// and one rendering of each (a text's length is counted first,
    /// without rendering it), where [`Review::pages`], an iterator, walks
    /// the items and renders the item again for every page: a device
    /// shows pages this way (docs/embedded.md, "How instructions per
    /// function add up").
    pub fn for_each_page<F: FnMut(&Page) -> ControlFlow<()>>(
        &self,
        width: usize,
        f: F,
    ) -> ControlFlow<()> {
        let mut pager = Pager {
            width: width.clamp(1, MAX_PAGE_WIDTH),
            f,
            page: Page::first("", None, 1),
            short: Short {
                bytes: [0u8; SHORT_RENDERING],
                len: 0,
            },
        };
        self.walk(&mut pager)
    }
}

/// Iterator over a review's pages.
#[derive(Debug)]
pub struct Pages<'r, 'a, const B: usize, const M: usize> {
    review: &'r Review<'a, B, M>,
    width: usize,
    item: usize,
    part: usize,
}

impl<'r, 'a, const B: usize, const M: usize> Pages<'r, 'a, B, M> {
    pub(super) fn new(review: &'r Review<'a, B, M>, width: usize) -> Self {
        Pages {
            review,
            width: width.clamp(1, MAX_PAGE_WIDTH),
            item: 0,
            part: 0,
        }
    }
}

impl<const B: usize, const M: usize> Iterator for Pages<'_, '_, B, M> {
    type Item = Page;

    fn next(&mut self) -> Option<Page> {
        let item = self.review.item(self.item)?;
        let total = rendered_len(&item.value);
        let parts = total.div_ceil(self.width).max(1);
        let mut text = [0u8; MAX_PAGE_WIDTH];
        let mut w = Window {
            start: self.part * self.width,
            pos: 0,
            out: text.get_mut(..self.width).unwrap_or(&mut []),
            len: 0,
        };
        let _ = render(&item.value, &mut w);
        let len = w.len;
        let mut page = Page::first(item.label, item.index, parts);
        page.part = self.part + 1;
        page.start_part();
        page.put(text.get(..len).unwrap_or(&[]));
        self.part += 1;
        if self.part >= parts {
            self.item += 1;
            self.part = 0;
        }
        Some(page)
    }
}

/// A `fmt::Write` into a byte slice that fails instead of truncating.
#[derive(Debug)]
pub struct SliceWriter<'b> {
    out: &'b mut [u8],
    len: usize,
}

impl<'b> SliceWriter<'b> {
    /// A writer over `out`.
    pub fn new(out: &'b mut [u8]) -> Self {
        SliceWriter { out, len: 0 }
    }
    /// Bytes written.
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.out.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

//! Review pages: each item's rendered value cut into screen-width pieces.

use core::fmt::{self, Write};
use core::ops::ControlFlow;

use super::render::render;
use super::{Item, Review};
use crate::error::Error;
use crate::field::{ShowVisitor, Shown};

/// Characters on one screen line of the reference device (and the
/// firmware).
pub const DEFAULT_PAGE_WIDTH: usize = 20;
/// Widest page the core cuts.
pub const MAX_PAGE_WIDTH: usize = 64;

/// One screen page: an item's label and up to `width` characters of its
/// rendered value (always printable ASCII).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// The item's label.
    pub label: &'static str,
    /// The item's list position (from 0), for a list element.
    pub index: Option<u16>,
    /// Which page of this item, from 1.
    pub part: usize,
    /// How many pages this item has (at least 1).
    pub parts: usize,
    text: [u8; MAX_PAGE_WIDTH],
    len: usize,
}

impl Page {
    /// This page's part of the value.
    pub fn text(&self) -> &str {
        crate::hex::ascii_str(self.text.get(..self.len).unwrap_or(&[]))
    }

    /// Writes the page's text form (its `Display`) into `out`, returning
    /// the length; [`Error::BufferTooSmall`] if it does not fit. A buffer of
    /// `48 + width` bytes always suffices.
    pub fn write_to(&self, out: &mut [u8]) -> Result<usize, Error> {
        // By hand rather than through `Display`: a device writes every
        // page, and `core::fmt` made that a sizeable share of a sign
        // request's instructions (docs/embedded.md, "Instructions"); the
        // tests check both forms agree.
        let mut w = SliceWriter::new(out);
        let mut put = |s: &str| w.write_str(s).map_err(|_| Error::BufferTooSmall);
        let mut digits = [0u8; 10];
        put(self.label)?;
        if let Some(i) = self.index {
            put(" ")?;
            put(decimal(u32::from(i) + 1, &mut digits))?;
        }
        if self.parts > 1 {
            put(" (")?;
            put(decimal(
                u32::try_from(self.part).unwrap_or(u32::MAX),
                &mut digits,
            ))?;
            put("/")?;
            put(decimal(
                u32::try_from(self.parts).unwrap_or(u32::MAX),
                &mut digits,
            ))?;
            put(")")?;
        }
        put(": ")?;
        put(self.text())?;
        Ok(w.len())
    }
}

/// `n` in decimal, written at the end of `buf`.
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut start = buf.len();
    loop {
        start -= 1;
        if let Some(slot) = buf.get_mut(start) {
            // n % 10 < 10
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    crate::hex::ascii_str(buf.get(start..).unwrap_or(&[]))
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

fn rendered_len(item: &Item<'_>) -> usize {
    super::render::rendered_len(&item.value)
}

/// Cuts each item of one walk into pages as it is rendered, handing each
/// page to `f` (see [`Review::for_each_page`]).
struct Pager<F> {
    width: usize,
    f: F,
}

/// Renders an item's pages one after another into one page buffer.
struct PageWriter<'p, F> {
    page: Page,
    width: usize,
    f: &'p mut F,
    stopped: bool,
}

impl<F: FnMut(&Page) -> ControlFlow<()>> PageWriter<'_, F> {
    fn emit(&mut self) -> fmt::Result {
        if (self.f)(&self.page).is_break() {
            self.stopped = true;
            return Err(fmt::Error);
        }
        self.page.part += 1;
        self.page.len = 0;
        // As `Pages` makes them: nothing after the text (pages compare by
        // their whole buffer).
        self.page.text = [0u8; MAX_PAGE_WIDTH];
        Ok(())
    }
}

impl<F: FnMut(&Page) -> ControlFlow<()>> Write for PageWriter<'_, F> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.page.len == self.width {
                self.emit()?;
            }
            if let Some(slot) = self.page.text.get_mut(self.page.len) {
                *slot = b;
                self.page.len += 1;
            }
        }
        Ok(())
    }
}

impl<'a, F: FnMut(&Page) -> ControlFlow<()>> ShowVisitor<'a> for Pager<F> {
    fn item(
        &mut self,
        label: &'static str,
        index: Option<u16>,
        value: Shown<'a>,
    ) -> ControlFlow<()> {
        let item = Item {
            label,
            index,
            value,
        };
        let parts = rendered_len(&item).div_ceil(self.width).max(1);
        let mut w = PageWriter {
            page: Page {
                label,
                index,
                part: 1,
                parts,
                text: [0u8; MAX_PAGE_WIDTH],
                len: 0,
            },
            width: self.width,
            f: &mut self.f,
            stopped: false,
        };
        let _ = render(&item.value, &mut w);
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
    /// and two renderings of each (its length, then its pages), where
    /// [`Review::pages`], an iterator, walks the items and renders the
    /// item again for every page: a device shows pages this way
    /// (docs/embedded.md, "Instructions").
    pub fn for_each_page<F: FnMut(&Page) -> ControlFlow<()>>(
        &self,
        width: usize,
        f: F,
    ) -> ControlFlow<()> {
        let mut pager = Pager {
            width: width.clamp(1, MAX_PAGE_WIDTH),
            f,
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
        let total = rendered_len(&item);
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
        let page = Page {
            label: item.label,
            index: item.index,
            part: self.part + 1,
            parts,
            text,
            len,
        };
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

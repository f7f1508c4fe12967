//! Review pages: each item's rendered value cut into screen-width pieces.

use core::fmt::{self, Write};

use super::render::render;
use super::{Item, Review};
use crate::error::Error;

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
        let mut w = SliceWriter::new(out);
        write!(w, "{self}").map_err(|_| Error::BufferTooSmall)?;
        Ok(w.len())
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

fn rendered_len(item: &Item<'_>) -> usize {
    let mut w = Window {
        start: usize::MAX,
        pos: 0,
        out: &mut [],
        len: 0,
    };
    let _ = render(&item.value, &mut w);
    w.pos
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

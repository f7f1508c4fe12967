//! What a device asks the person during set-up, each one page of text, the
//! same on every device (the host gets it as a display frame, like review
//! pages), and the recovery words, shown one page each and never sent.

use crate::address::Address;
use crate::hd::Mnemonic;

/// Most bytes of a prompt's text.
pub const MAX_PROMPT_LEN: usize = 96;

/// A question the device asks before it changes its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// Before generating a new seed of this many words.
    Generate {
        /// 12 or 24.
        words: u8,
    },
    /// After the words were shown: were they written down?
    WordsWrittenDown {
        /// 12 or 24.
        words: u8,
    },
    /// Before restoring from words the host sent (emulated and QEMU
    /// devices only: a real device takes them on its own keys).
    RestoreFromHost,
    /// Before changing the PIN.
    ChangePin,
    /// Before wiping the device.
    Wipe,
    /// Before trusting token definitions signed by this key.
    Trust(Address),
}

/// Text written piece by piece into a byte buffer, cut at its end. Not
/// `core::fmt`: the firmware's flash budget (docs/embedded.md, "Flash").
struct Text<'b> {
    out: &'b mut [u8],
    len: usize,
}

impl Text<'_> {
    fn push(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            if let Some(slot) = self.out.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        self
    }

    /// A number below 100, in decimal.
    fn number(&mut self, n: usize) -> &mut Self {
        let n = n.min(99);
        if n >= 10 {
            self.push(&[b'0' + (n / 10) as u8]);
        }
        self.push(&[b'0' + (n % 10) as u8])
    }
}

impl Prompt {
    /// Writes the page's text into `out` (cut at its end;
    /// [`MAX_PROMPT_LEN`] always suffices); returns its length.
    pub fn write_to(&self, out: &mut [u8]) -> usize {
        let mut t = Text { out, len: 0 };
        match self {
            Prompt::Generate { words } => t
                .push(b"Create a new wallet of ")
                .number(usize::from(*words))
                .push(b" words?"),
            Prompt::WordsWrittenDown { words } => t
                .push(b"Wrote down all ")
                .number(usize::from(*words))
                .push(b" words, in order?"),
            Prompt::RestoreFromHost => t.push(
                b"Warning: words typed on a computer are not secret. Restore from them anyway?",
            ),
            Prompt::ChangePin => t.push(b"Change the PIN?"),
            Prompt::Wipe => t.push(b"Wipe the device? Its seed is erased."),
            Prompt::Trust(signer) => t
                .push(b"Trust token definitions from ")
                .push(&signer.to_checksum())
                .push(b"?"),
        };
        t.len
    }
}

/// The words of a new seed, for the device's own screen: page `i` is
/// `Word i/n: word`. An approver shows them and never sends them anywhere.
pub struct WordPages<'a> {
    mnemonic: &'a Mnemonic,
}

impl core::fmt::Debug for WordPages<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("WordPages(..)")
    }
}

impl<'a> WordPages<'a> {
    /// The pages of `mnemonic`.
    pub fn new(mnemonic: &'a Mnemonic) -> Self {
        WordPages { mnemonic }
    }

    /// The number of words (and pages).
    pub fn count(&self) -> usize {
        self.mnemonic.word_count()
    }

    /// Calls `show` with each page's text, in order, until it returns
    /// `false`. The text lives in a buffer zeroized afterwards.
    pub fn for_each_page(&self, mut show: impl FnMut(&str) -> bool) {
        let phrase = self.mnemonic.phrase();
        let count = self.count();
        let mut page = crate::hd::Zeroizing::new([0u8; 32]);
        for (i, word) in phrase.as_str().split(' ').enumerate() {
            let mut t = Text {
                out: page.as_mut(),
                len: 0,
            };
            t.push(b"Word ")
                .number(i + 1)
                .push(b"/")
                .number(count)
                .push(b": ")
                .push(word.as_bytes());
            let n = t.len;
            let text = page
                .get(..n)
                .and_then(|b| core::str::from_utf8(b).ok())
                .unwrap_or("");
            if !show(text) {
                return;
            }
        }
    }
}

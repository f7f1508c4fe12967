//! What a device asks the person during set-up, each one page of text, the
//! same on every device (the host gets it as a display frame, like review
//! pages), and the recovery words, shown one page each and never sent.

use crate::address::Address;
use crate::hd::Mnemonic;
use crate::review::SliceWriter;

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

impl Prompt {
    /// Writes the page's text into `out`; returns its length.
    pub fn write_to(&self, out: &mut [u8]) -> usize {
        use core::fmt::Write;
        let mut w = SliceWriter::new(out);
        let _ = match self {
            Prompt::Generate { words } => write!(w, "Create a new wallet of {words} words?"),
            Prompt::WordsWrittenDown { words } => {
                write!(w, "Wrote down all {words} words, in order?")
            }
            Prompt::RestoreFromHost => w.write_str(
                "Warning: words typed on a computer are not secret. Restore from them anyway?",
            ),
            Prompt::ChangePin => w.write_str("Change the PIN?"),
            Prompt::Wipe => w.write_str("Wipe the device? Its seed is erased."),
            Prompt::Trust(signer) => write!(w, "Trust token definitions from {signer}?"),
        };
        w.len()
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
        use core::fmt::Write;
        let phrase = self.mnemonic.phrase();
        let count = self.count();
        let mut page = crate::hd::Zeroizing::new([0u8; 32]);
        for (i, word) in phrase.as_str().split(' ').enumerate() {
            let mut w = SliceWriter::new(page.as_mut());
            if write!(w, "Word {}/{count}: {word}", i + 1).is_err() {
                return;
            }
            let n = w.len();
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

//! A board's [`Approver`]: each page it shows goes to its own screen and to
//! the host as a display frame (so the host can print "the device's
//! screen"), then the person decides on the board's buttons. The words of a
//! new seed go to the screen only, never to the link.

use tokensign_core::device::{
    Approval, Approver, Prompt, WordPages, FRAME_DISPLAY, MAX_PROMPT_LEN,
};
use tokensign_core::hd::{DerivationPath, HARDENED};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::Address;

use crate::link::{send_frame, Link};

/// The board's own screen: lines of text (a display; on a development
/// board, the debug probe's console).
pub trait Screen {
    /// Shows one line made of `parts`.
    fn line(&mut self, parts: &[&[u8]]);
}

/// The board's buttons: how the person says yes or no.
pub trait Buttons {
    /// Waits for the person's decision about what the screen shows.
    fn decide(&mut self) -> Approval;
}

/// Shows every page, then asks the buttons.
pub struct PageApprover<L, S, B> {
    /// The link the pages also go to, as display frames.
    pub link: L,
    /// The board's screen.
    pub screen: S,
    /// The board's buttons.
    pub buttons: B,
    /// Render a transaction's review pages but neither show nor send them
    /// (a benchmark of a sign request's work; the buttons still decide,
    /// and set-up prompts are shown as always).
    pub quiet: bool,
}

impl<L, S, B> PageApprover<L, S, B> {
    /// An approver that shows every page on `screen` and sends it over
    /// `link`, and asks `buttons`.
    pub const fn new(link: L, screen: S, buttons: B) -> Self {
        PageApprover {
            link,
            screen,
            buttons,
            quiet: false,
        }
    }
}

impl<L: Link, S: Screen, B: Buttons> PageApprover<L, S, B> {
    /// Shows one page: on the screen and to the host.
    fn page(&mut self, text: &[u8]) {
        self.screen.line(&[text]);
        send_frame(&self.link, FRAME_DISPLAY, text);
    }
}

impl<L: Link, S: Screen, B: Buttons> Approver for PageApprover<L, S, B> {
    fn approve<const BATCH: usize, const META: usize>(
        &mut self,
        review: &Review<'_, BATCH, META>,
    ) -> Approval {
        let _ = review.for_each_page(DEFAULT_PAGE_WIDTH, |page| {
            if !self.quiet {
                self.page(page.line());
            }
            core::ops::ControlFlow::Continue(())
        });
        self.buttons.decide()
    }

    fn confirm_address(&mut self, path: &DerivationPath, address: &Address) -> Approval {
        let mut text = [0u8; PATH_TEXT];
        let n = write_path(path, &mut text);
        self.page(text.get(..n).unwrap_or(&[]));
        let mut line = [0u8; 9 + 42];
        let (label, value) = line.split_at_mut(9);
        label.copy_from_slice(b"Address: ");
        value.copy_from_slice(&address.to_checksum());
        self.page(&line);
        self.buttons.decide()
    }

    fn confirm(&mut self, prompt: &Prompt) -> Approval {
        let mut text = [0u8; MAX_PROMPT_LEN];
        let n = prompt.write_to(&mut text);
        self.page(text.get(..n).unwrap_or(&[]));
        self.buttons.decide()
    }

    fn show_words(&mut self, words: &WordPages<'_>) -> Approval {
        let screen = &mut self.screen;
        screen.line(&[b"Write these words down, in order (never shown to the host):"]);
        words.for_each_page(|page| {
            screen.line(&[page.as_bytes()]);
            true
        });
        self.buttons.decide()
    }
}

/// Bytes of a path's page: `Path: m` and up to 6 indices of 12 bytes.
const PATH_TEXT: usize = 16 + 12 * 6;

/// Writes `Path: m/44'/60'/0'/0/0` into `out` (cut at its end); returns
/// its length. By hand, not with `core::fmt` (flash; docs/embedded.md).
fn write_path(path: &DerivationPath, out: &mut [u8]) -> usize {
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        for &b in bytes {
            if let Some(slot) = out.get_mut(len) {
                *slot = b;
                len += 1;
            }
        }
    };
    put(b"Path: m");
    for &index in path.indices() {
        put(b"/");
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut rest = index & !HARDENED;
        loop {
            at -= 1;
            if let Some(d) = digits.get_mut(at) {
                *d = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || at == 0 {
                break;
            }
        }
        put(digits.get(at..).unwrap_or(&[]));
        if index & HARDENED != 0 {
            put(b"'");
        }
    }
    len
}

/// Buttons are sampled every this many milliseconds.
pub const TICK_MS: u32 = 10;
/// With no decision after this long the answer is no: the host's own
/// wait for an answer is 60 s (`tokensign`'s default), and a device that
/// answers nothing is stuck.
pub const DECISION_TIMEOUT_MS: u32 = 50_000;
/// Holding the only button this long refuses (boards with one button).
pub const LONG_PRESS_MS: u32 = 2_000;

/// A decision from two buttons: `approve()` and `refuse()` say whether each
/// is pressed now, `tick()` waits [`TICK_MS`]. A press counts when it is
/// seen on two samples in a row and every button was released first (a
/// press held from an earlier question does not answer this one); no
/// press for [`DECISION_TIMEOUT_MS`] refuses.
pub fn two_buttons(
    mut approve: impl FnMut() -> bool,
    mut refuse: impl FnMut() -> bool,
    mut tick: impl FnMut(),
) -> Approval {
    let mut released = false;
    let mut last = (false, false);
    for _ in 0..DECISION_TIMEOUT_MS / TICK_MS {
        let now = (approve(), refuse());
        if !released {
            released = now == (false, false);
        } else if now == last {
            match now {
                (_, true) => return Approval::Reject,
                (true, false) => return Approval::Approve,
                (false, false) => {}
            }
        }
        last = now;
        tick();
    }
    Approval::Reject
}

/// A decision from one button: a press shorter than [`LONG_PRESS_MS`]
/// approves, a longer one refuses (`long()` is called once when it has
/// been held that long, to show it). As [`two_buttons`] otherwise.
pub fn one_button(
    mut pressed: impl FnMut() -> bool,
    mut long: impl FnMut(),
    mut tick: impl FnMut(),
) -> Approval {
    let mut released = false;
    let mut held = 0u32;
    for _ in 0..DECISION_TIMEOUT_MS / TICK_MS {
        let now = pressed();
        if !released {
            released = !now;
        } else if now {
            held += TICK_MS;
            if held == LONG_PRESS_MS {
                long();
            }
        } else if held >= LONG_PRESS_MS {
            return Approval::Reject;
        } else if held >= 2 * TICK_MS {
            return Approval::Approve;
        } else {
            held = 0;
        }
        tick();
    }
    Approval::Reject
}

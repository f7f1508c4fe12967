//! The debug probe's RTT console as a board's [`Screen`]: the reference
//! boards have no display, so every page goes to RTT channel 0, which
//! `probe-rs run` shows.

use rtt_target::UpChannel;

use crate::approver::Screen;

/// An RTT up channel (the firmware's `rtt_init!` makes it) as the screen.
pub struct RttScreen(pub UpChannel);

impl Screen for RttScreen {
    fn line(&mut self, parts: &[&[u8]]) {
        for part in parts {
            self.0.write(part);
        }
        self.0.write(b"\n");
    }
}

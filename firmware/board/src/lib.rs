//! What the tokensign firmwares share, around the core's device
//! (`tokensign_core::device`): everything a board needs besides its own
//! peripherals' set-up.
//!
//! - [`link`]: the protocol over a byte stream: frames in, the device's
//!   answer out ([`link::Server`]), display frames for the pages shown.
//! - [`approver`]: the [`Approver`](tokensign_core::device::Approver) of a
//!   board: every page on the board's [`approver::Screen`] and to the host
//!   as a display frame, the decision from its [`approver::Buttons`].
//! - [`storage`]: the wallet's three regions on three erase units of any
//!   `embedded-storage` NOR flash.
//! - [`entropy`]: the wallet's random bytes from an RNG peripheral
//!   (`rand_core`), whitened with SHA-256.
//! - [`usb`] (feature `usb`): USB CDC-ACM as a [`link::Link`], serviced
//!   from the USB interrupt, and the approver of a board on USB.
//! - [`rtt`] (feature `rtt`): the debug probe's RTT console as the screen
//!   of a board without a display.
//! - [`backend`]: the signing backend's set-up at boot
//!   ([`install_backend!`]).
//! - [`BoardDevice`]: the core's device as every firmware runs it.
//!
//! The QEMU firmware (`tests/firmware`) runs the same link, approver and
//! storage code as the boards, over its UART and a semihosted flash file;
//! the boards (`firmware/nrf52840`, `firmware/stm32f4`) add their USB,
//! flash, RNG and buttons. `docs/embedded.md` says how to build and flash
//! each.
//!
//! No heap, no `unsafe`.
#![no_std]
#![forbid(unsafe_code)]

pub mod approver;
pub mod backend;
pub mod entropy;
pub mod link;
#[cfg(feature = "rtt")]
pub mod rtt;
pub mod storage;
#[cfg(feature = "usb")]
pub mod usb;

use tokensign_core::device::{Device, DEVICE_BATCH_OPERATIONS, DEVICE_METADATA_ENTRIES};

/// The sign request buffer of every firmware: the largest request of any
/// operation (a TokenMetadata of 1,431 bytes) with room to spare.
pub const REQUEST_BUFFER: usize = 2048;

/// The core's device as every firmware runs it: a [`PageApprover`] of the
/// board's link, screen and buttons `L`, `S`, `K`, a [`REQUEST_BUFFER`],
/// and the wallet on the board's platform `P`.
///
/// [`PageApprover`]: approver::PageApprover
pub type BoardDevice<L, S, K, P> = Device<
    approver::PageApprover<L, S, K>,
    REQUEST_BUFFER,
    DEVICE_BATCH_OPERATIONS,
    DEVICE_METADATA_ENTRIES,
    P,
>;

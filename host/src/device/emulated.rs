//! The emulated device: the core's device state machine in process, for
//! fast tests and `--device emulated…`:
//!
//! - `emulated`: a fixed-seed device holding the public test mnemonic
//!   (no PIN, nothing stored), approving by itself.
//! - `emulated:DIR`: a wallet device whose flash (and, while unlocked, RAM)
//!   are files in `DIR` (`state_dir.rs`): empty until `tokensign device
//!   setup`, locked after `tokensign device lock`, as the firmware is.
//! - `emulated:confirm` / `emulated:confirm:DIR`: the same, asking on the
//!   terminal page by page (y/n), as a person would on a device.
//!
//! What the device shows (review pages, prompts, addresses) is kept as its
//! display pages for the host; the words of a new seed are written to the
//! emulated device's own screen (standard error, labelled), never to the
//! display pages the host receives.

use std::fmt;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use tokensign_core::device::{
    Approval, Approver, Device, Prompt, Wallet, WordPages, MAX_PROMPT_LEN, MAX_RESPONSE_LEN,
};
use tokensign_core::hd::{DerivationPath, Mnemonic};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::Address;

use super::state_dir::{DirPlatform, RamFile};
use super::{DeviceError, Transport};

/// The mnemonic the emulated device (and the QEMU firmware's tests) use:
/// the public test mnemonic of every Ethereum development tool (anvil,
/// hardhat) and of the network's local development network. Its keys are
/// public: never use them for anything of value.
pub const TEST_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// The request buffer of the emulated device, as in the firmware.
pub const REQUEST_BUFFER: usize = 2048;

/// How the emulated person answers.
pub enum Answers {
    /// Approve everything (or refuse everything, with `reject`).
    Automatic,
    /// Ask on a terminal: each page is written to the writer and a line
    /// is read; `y`/`yes` goes on, anything else (or the end) refuses.
    Terminal {
        /// Where the pages and questions go (standard error).
        screen: Box<dyn Write + Send>,
        /// Where the answers come from (standard input).
        answers: Box<dyn BufRead + Send>,
    },
}

impl fmt::Debug for Answers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Answers::Automatic => "Automatic",
            Answers::Terminal { .. } => "Terminal",
        })
    }
}

/// The emulated device's person and screen: records every page shown,
/// then approves (or rejects, when told to), or asks on the terminal.
pub struct RecordingApprover {
    /// Pages shown and not yet taken.
    pub pages: Vec<String>,
    /// Reject every question instead of approving (automatic answers).
    pub reject: bool,
    /// Automatic or on a terminal.
    pub answers: Answers,
    /// The device's own screen for the words of a new seed (standard
    /// error by default).
    pub words_screen: Box<dyn Write + Send>,
}

impl fmt::Debug for RecordingApprover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingApprover")
            .field("pages", &self.pages)
            .field("reject", &self.reject)
            .field("answers", &self.answers)
            .finish_non_exhaustive()
    }
}

impl Default for RecordingApprover {
    fn default() -> Self {
        RecordingApprover {
            pages: Vec::new(),
            reject: false,
            answers: Answers::Automatic,
            words_screen: Box::new(std::io::stderr()),
        }
    }
}

impl RecordingApprover {
    /// Shows `pages` (recorded for the host) and asks for a decision.
    fn decide(&mut self, pages: Vec<String>) -> Approval {
        let first = self.pages.len();
        self.pages.extend(pages);
        match &mut self.answers {
            Answers::Automatic if self.reject => Approval::Reject,
            Answers::Automatic => Approval::Approve,
            Answers::Terminal { screen, answers } => {
                let count = self.pages.len() - first;
                for (i, page) in self.pages[first..].iter().enumerate() {
                    let _ = write!(
                        screen,
                        "device screen, page {}/{count}: {page}\n  approve? [y/n] ",
                        i + 1
                    );
                    let _ = screen.flush();
                    let mut line = String::new();
                    let answered = answers.read_line(&mut line).unwrap_or(0) > 0;
                    if !answered || !matches!(line.trim(), "y" | "Y" | "yes") {
                        let _ = writeln!(screen, "device: refused");
                        return Approval::Reject;
                    }
                }
                Approval::Approve
            }
        }
    }
}

impl Approver for RecordingApprover {
    fn approve<const B: usize, const M: usize>(&mut self, review: &Review<'_, B, M>) -> Approval {
        let pages = review
            .pages(DEFAULT_PAGE_WIDTH)
            .map(|p| p.to_string())
            .collect();
        self.decide(pages)
    }

    fn confirm_address(&mut self, path: &DerivationPath, address: &Address) -> Approval {
        self.decide(vec![format!("Path: {path}"), format!("Address: {address}")])
    }

    fn confirm(&mut self, prompt: &Prompt) -> Approval {
        let mut text = [0u8; MAX_PROMPT_LEN];
        let n = prompt.write_to(&mut text);
        let page = String::from_utf8_lossy(text.get(..n).unwrap_or_default()).into_owned();
        self.decide(vec![page])
    }

    fn show_words(&mut self, words: &WordPages<'_>) -> Approval {
        if matches!(self.answers, Answers::Automatic) && self.reject {
            return Approval::Reject;
        }
        let screen = &mut self.words_screen;
        let _ = writeln!(
            screen,
            "emulated device screen (never sent to the host): write these {} words down, in order",
            words.count()
        );
        words.for_each_page(|page| writeln!(screen, "  {page}").is_ok());
        let _ = screen.flush();
        Approval::Approve
    }
}

type FixedDevice = Device<RecordingApprover, REQUEST_BUFFER>;
type StoredDevice = Device<
    RecordingApprover,
    REQUEST_BUFFER,
    { tokensign_core::device::DEVICE_BATCH_OPERATIONS },
    { tokensign_core::device::DEVICE_METADATA_ENTRIES },
    DirPlatform,
>;

enum Inner {
    Fixed(Box<FixedDevice>),
    Stored {
        device: Box<StoredDevice>,
        ram: RamFile,
    },
}

/// Runs `$body` with `$d` bound to the device, whichever kind.
macro_rules! with_device {
    ($inner:expr, $d:ident => $body:expr) => {
        match $inner {
            Inner::Fixed($d) => $body,
            Inner::Stored { device: $d, .. } => $body,
        }
    };
}

/// The core's device state machine in process: the same protocol as the
/// firmware, without QEMU.
pub struct EmulatedDevice {
    inner: Inner,
    dir: Option<PathBuf>,
}

impl fmt::Debug for EmulatedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatedDevice")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl EmulatedDevice {
    /// A fixed-seed emulated device seeded with `mnemonic` (no passphrase).
    pub fn new(mnemonic: &str) -> Result<Self, DeviceError> {
        let seed = Mnemonic::parse(mnemonic)
            .and_then(|m| m.to_seed(""))
            .map_err(|e| DeviceError::Mnemonic(format!("{e:?}")))?;
        Ok(EmulatedDevice {
            inner: Inner::Fixed(Box::new(Device::new(seed, RecordingApprover::default()))),
            dir: None,
        })
    }

    /// A fixed-seed emulated device seeded with [`TEST_MNEMONIC`].
    pub fn with_test_mnemonic() -> Result<Self, DeviceError> {
        Self::new(TEST_MNEMONIC)
    }

    /// The wallet device whose state is in `dir` (created if missing):
    /// powered on, so locked unless the last process left it unlocked.
    pub fn in_dir(dir: &Path) -> Result<Self, DeviceError> {
        let platform = DirPlatform::open(dir)?;
        let wallet = Wallet::boot(platform).map_err(|e| DeviceError::StateDir {
            dir: crate::show::sanitize(&dir.display().to_string()),
            detail: format!("the emulated device did not boot: {e:?}"),
        })?;
        let mut device = Box::new(Device::with_wallet(wallet, RecordingApprover::default()));
        let ram = RamFile::new(dir);
        if let Some((session, seed)) = ram.load() {
            if !device.resume_session(&session, seed) {
                // The RAM of another seal (a wipe, a new PIN): power lost.
                let _ = ram.store(None);
            }
        }
        Ok(EmulatedDevice {
            inner: Inner::Stored { device, ram },
            dir: Some(dir.to_path_buf()),
        })
    }

    /// The directory of its state, if it keeps one.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The emulated person.
    pub fn person(&mut self) -> &mut RecordingApprover {
        with_device!(&mut self.inner, d => d.approver_mut())
    }

    /// Makes the emulated user reject (true) or approve (false).
    pub fn set_reject(&mut self, reject: bool) {
        self.person().reject = reject;
    }

    /// Trusts `signer`'s token definitions for this run only (the
    /// `--device-trust` flag); never written.
    pub fn trust_for_session(&mut self, signer: Address) -> Result<(), DeviceError> {
        with_device!(&mut self.inner, d => d.wallet_mut().trust_for_session(signer))
            .map_err(|_| DeviceError::TrustListFull)
    }

    /// Powers the device off and on: its RAM is lost (locked), its flash
    /// kept.
    pub fn power_cycle(self) -> Result<Self, DeviceError> {
        match (&self.inner, &self.dir) {
            (Inner::Stored { ram, .. }, Some(dir)) => {
                ram.store(None).map_err(|e| DeviceError::StateDir {
                    dir: crate::show::sanitize(&dir.display().to_string()),
                    detail: e.to_string(),
                })?;
                let dir = dir.clone();
                drop(self);
                Self::in_dir(&dir)
            }
            _ => Ok(self),
        }
    }

    /// The address of `path`.
    pub fn address(&mut self, path: &DerivationPath) -> Option<Address> {
        with_device!(&mut self.inner, d => d.address(path).ok())
    }

    /// Keeps the RAM file in step with the device (unlocked or not).
    fn sync_ram(&mut self) -> Result<(), DeviceError> {
        if let (Inner::Stored { device, ram }, Some(dir)) = (&self.inner, &self.dir) {
            ram.store(device.powered_session())
                .map_err(|e| DeviceError::StateDir {
                    dir: crate::show::sanitize(&dir.display().to_string()),
                    detail: e.to_string(),
                })?;
        }
        Ok(())
    }
}

impl Transport for EmulatedDevice {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, DeviceError> {
        let mut response = [0u8; MAX_RESPONSE_LEN];
        let n = with_device!(&mut self.inner, d => d.handle(command, &mut response));
        self.sync_ram()?;
        Ok(response.get(..n).unwrap_or_default().to_vec())
    }

    fn take_display(&mut self) -> Vec<String> {
        std::mem::take(&mut self.person().pages)
    }
}

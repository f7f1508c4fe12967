//! QEMU's stand-ins for what a real board has and the AN386 lacks, through
//! Arm semihosting (QEMU `-semihosting-config enable=on,target=native`):
//!
//! - **Flash**: a file on the host, named by the last semihosting argument
//!   (`…,arg=tokensign-firmware,arg=/path/flash.bin`), holding the
//!   wallet's three regions one after another (`REGION_LEN` bytes each:
//!   the image the host's `emulated:DIR` device keeps in `flash.bin`).
//!   Each erase and program is written to the file at once, so killing
//!   QEMU is a power cut. Without an argument the flash is RAM, lost at
//!   power-off.
//! - **Entropy**: the host's `/dev/urandom`. **Test only**: it is the
//!   host's randomness, which a real device must never rely on (real
//!   boards use their RNG peripheral; see `firmware/`).
//! - **The device's own screen**: semihosting console output (QEMU's
//!   stderr, or its `chardev=`), apart from UART0, the link to the host,
//!   which never carries the words of a new seed.
//! - **Power cuts** for tests: after a set number of flash steps (an erase
//!   or a programmed chunk) the firmware ends QEMU (`SYS_EXIT`), leaving
//!   the flash file as a power loss would.
//!
//! `unsafe` here is the semihosting calls only: each passes pointers to
//! buffers that live across the call, as the call's block describes.

use cortex_m_semihosting::{nr, syscall, syscall1};
use embedded_storage::nor_flash::{
    ErrorType, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
};
use tokensign_board::approver::Screen;
use tokensign_core::device::wallet::{ERASED, PROGRAM_CHUNK, REGION_LEN};
use tokensign_core::device::{Entropy, EntropyError};

const MODE_READ_BINARY: usize = 1;
const MODE_READ_WRITE_BINARY: usize = 3;
const MODE_WRITE_READ_BINARY: usize = 7;
const MODE_APPEND: usize = 8;

/// Opens `path` (NUL-terminated) in semihosting `mode`.
fn open(path: &[u8], mode: usize) -> Option<usize> {
    let len = path.len().checked_sub(1)?;
    // SAFETY: the block points at `path`, alive during the call.
    let handle = unsafe { syscall(nr::OPEN, &[path.as_ptr() as usize, mode, len]) };
    (handle as isize >= 0).then_some(handle)
}

fn write(handle: usize, bytes: &[u8]) -> bool {
    // SAFETY: the block points at `bytes`, alive during the call.
    unsafe { syscall(nr::WRITE, &[handle, bytes.as_ptr() as usize, bytes.len()]) == 0 }
}

fn read(handle: usize, out: &mut [u8]) -> bool {
    // SAFETY: the block points at `out`, alive and writable during the call.
    unsafe { syscall(nr::READ, &[handle, out.as_mut_ptr() as usize, out.len()]) == 0 }
}

fn seek(handle: usize, at: usize) -> bool {
    // SAFETY: a block of two integers.
    unsafe { syscall(nr::SEEK, &[handle, at]) == 0 }
}

/// Ends QEMU (`SYS_EXIT`, application exit): a power cut.
pub fn power_off() -> ! {
    const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;
    // SAFETY: the reason code alone; QEMU exits.
    unsafe {
        syscall1(nr::REPORT_EXCEPTION, ADP_STOPPED_APPLICATION_EXIT);
    }
    loop {
        cortex_m::asm::wfi();
    }
}

/// The semihosting command line's last word, NUL-terminated, in `buf`;
/// its length with the NUL, or `None` for no argument after the program.
fn flash_path(buf: &mut [u8; 256]) -> Option<usize> {
    let mut block = [buf.as_mut_ptr() as usize, buf.len()];
    // SAFETY: the block points at `buf` and at itself (the host writes the
    // length back), both alive during the call.
    let ok = unsafe { syscall1(nr::GET_CMDLINE, block.as_mut_ptr() as usize) == 0 };
    let len = core::hint::black_box(block[1]).min(buf.len() - 1);
    if !ok {
        return None;
    }
    let line = buf.get(..len)?;
    let start = line.iter().rposition(|&b| b == b' ')? + 1;
    let word_len = len - start;
    if word_len == 0 {
        return None;
    }
    // Moved by hand: `copy_within` would link a 1.5 KB memmove.
    for i in 0..word_len {
        buf[i] = buf[start + i];
    }
    *buf.get_mut(word_len)? = 0;
    Some(word_len + 1)
}

/// Bytes of the flash image: the wallet's three regions, one erase unit
/// each.
const IMAGE_LEN: usize = 3 * REGION_LEN;

// One value, in the device's static; no heap to box the RAM variant in.
#[allow(clippy::large_enum_variant)]
enum Image {
    File(usize),
    Ram([u8; IMAGE_LEN]),
}

/// The board's flash as NOR flash of three 256-byte erase units (the
/// wallet's regions, in order, through `tokensign_board`'s
/// `NorFlashStorage` as on the real boards): the flash file, or RAM.
/// Each erase and program is one step towards a power cut.
pub struct Flash {
    image: Image,
    /// Flash steps left before a power cut (tests).
    pub power_budget: Option<u32>,
}

/// Why the flash file could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashError {
    /// The semihosting call failed.
    Io,
    /// Outside the image, or not 4-byte aligned.
    OutOfBounds,
}

impl NorFlashError for FlashError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            FlashError::Io => NorFlashErrorKind::Other,
            FlashError::OutOfBounds => NorFlashErrorKind::OutOfBounds,
        }
    }
}

impl Flash {
    /// Opens the flash file (made erased if new), or RAM without one.
    pub fn open() -> Flash {
        let mut path = [0u8; 256];
        let image = match flash_path(&mut path).and_then(|n| path.get(..n)) {
            Some(path) => match open(path, MODE_READ_WRITE_BINARY) {
                Some(handle) => Image::File(handle),
                None => match open(path, MODE_WRITE_READ_BINARY) {
                    Some(handle) => {
                        write(handle, &[ERASED; IMAGE_LEN]);
                        Image::File(handle)
                    }
                    None => Image::Ram([ERASED; IMAGE_LEN]),
                },
            },
            None => Image::Ram([ERASED; IMAGE_LEN]),
        };
        Flash {
            image,
            power_budget: None,
        }
    }

    /// One step of a flash write; the power goes when the budget is spent.
    fn step(&mut self) {
        match &mut self.power_budget {
            Some(0) => power_off(),
            Some(n) => *n -= 1,
            None => {}
        }
    }

    /// Checks that `len` bytes at `offset` are in the image.
    fn span(offset: u32, len: usize) -> Result<usize, FlashError> {
        let at = offset as usize;
        match at.checked_add(len) {
            Some(end) if end <= IMAGE_LEN => Ok(at),
            _ => Err(FlashError::OutOfBounds),
        }
    }

    /// Writes `bytes` at `at` as they are (erase) or ANDed into what is
    /// there (program: NOR flash only clears bits).
    fn put(&mut self, at: usize, bytes: &[u8], and: bool) -> Result<(), FlashError> {
        let mut cell = [0u8; PROGRAM_CHUNK];
        let mut rest = bytes;
        let mut at = at;
        while !rest.is_empty() {
            let n = rest.len().min(cell.len());
            let (chunk, tail) = rest.split_at(n);
            let cell = cell.get_mut(..n).ok_or(FlashError::OutOfBounds)?;
            if and {
                self.get(at, cell)?;
                for (c, d) in cell.iter_mut().zip(chunk) {
                    *c &= *d;
                }
            } else {
                cell.copy_from_slice(chunk);
            }
            match &mut self.image {
                Image::File(handle) => {
                    if !(seek(*handle, at) && write(*handle, cell)) {
                        return Err(FlashError::Io);
                    }
                }
                Image::Ram(ram) => ram
                    .get_mut(at..at + n)
                    .ok_or(FlashError::OutOfBounds)?
                    .copy_from_slice(cell),
            }
            at += n;
            rest = tail;
        }
        Ok(())
    }

    fn get(&mut self, at: usize, out: &mut [u8]) -> Result<(), FlashError> {
        match &mut self.image {
            Image::File(handle) => {
                if seek(*handle, at) && read(*handle, out) {
                    Ok(())
                } else {
                    Err(FlashError::Io)
                }
            }
            Image::Ram(ram) => {
                out.copy_from_slice(ram.get(at..at + out.len()).ok_or(FlashError::OutOfBounds)?);
                Ok(())
            }
        }
    }
}

impl ErrorType for Flash {
    type Error = FlashError;
}

impl ReadNorFlash for Flash {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), FlashError> {
        let at = Self::span(offset, bytes.len())?;
        self.get(at, bytes)
    }

    fn capacity(&self) -> usize {
        IMAGE_LEN
    }
}

impl NorFlash for Flash {
    const WRITE_SIZE: usize = 4;
    const ERASE_SIZE: usize = REGION_LEN;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), FlashError> {
        let at = Self::span(from, to.saturating_sub(from) as usize)?;
        if !from.is_multiple_of(REGION_LEN as u32) || !to.is_multiple_of(REGION_LEN as u32) {
            return Err(FlashError::OutOfBounds);
        }
        let mut unit = at;
        while unit < to as usize {
            self.step();
            self.put(unit, &[ERASED; REGION_LEN], false)?;
            unit += REGION_LEN;
        }
        Ok(())
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), FlashError> {
        let at = Self::span(offset, bytes.len())?;
        if !at.is_multiple_of(4) || !bytes.len().is_multiple_of(4) {
            return Err(FlashError::OutOfBounds);
        }
        self.step();
        self.put(at, bytes, true)
    }
}

/// The host's random source through semihosting: **tests only**.
pub struct HostRandom(Option<usize>);

impl HostRandom {
    /// Opens `/dev/urandom` on the host.
    pub fn open() -> HostRandom {
        HostRandom(open(b"/dev/urandom\0", MODE_READ_BINARY))
    }
}

impl Entropy for HostRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), EntropyError> {
        match self.0 {
            Some(handle) if read(handle, out) => Ok(()),
            _ => Err(EntropyError),
        }
    }
}

/// The device's own screen: semihosting console output (QEMU's stderr, or
/// its `chardev=`), apart from UART0, the link to the host.
pub struct Console(Option<usize>);

impl Console {
    /// Opens the console (`:tt` for appending).
    pub fn open() -> Console {
        Console(open(b":tt\0", MODE_APPEND))
    }
}

impl Screen for Console {
    fn line(&mut self, parts: &[&[u8]]) {
        if let Some(handle) = self.0 {
            for part in parts {
                write(handle, part);
            }
            write(handle, b"\n");
        }
    }
}

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
//! - **The device's own screen** for the words of a new seed: semihosting
//!   console output (QEMU's stderr, or its `chardev=`), apart from UART0,
//!   the link to the host, which never carries them.
//! - **Power cuts** for tests: after a set number of flash steps (an erase
//!   or a programmed chunk) the firmware ends QEMU (`SYS_EXIT`), leaving
//!   the flash file as a power loss would.
//!
//! `unsafe` here is the semihosting calls only: each passes pointers to
//! buffers that live across the call, as the call's block describes.

use cortex_m_semihosting::{nr, syscall, syscall1};
use tokensign_core::device::wallet::{span_check, ERASED, REGION_LEN};
use tokensign_core::device::{Entropy, EntropyError, RamStorage, Region, Storage, StorageError};

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

// One value, in the device's static; no heap to box the RAM variant in.
#[allow(clippy::large_enum_variant)]
enum Flash {
    File(usize),
    Ram(RamStorage),
}

/// The board: flash, random source, power cuts.
pub struct Board {
    flash: Flash,
    random: Option<usize>,
    /// Flash steps left before a power cut (tests).
    pub power_budget: Option<u32>,
}

impl Board {
    /// Opens the flash file (made erased if new) and the random source.
    pub fn open() -> Board {
        let mut path = [0u8; 256];
        let flash = match flash_path(&mut path).and_then(|n| path.get(..n)) {
            Some(path) => match open(path, MODE_READ_WRITE_BINARY) {
                Some(handle) => Flash::File(handle),
                None => match open(path, MODE_WRITE_READ_BINARY) {
                    Some(handle) => {
                        let erased = [ERASED; REGION_LEN];
                        for _ in Region::ALL {
                            write(handle, &erased);
                        }
                        Flash::File(handle)
                    }
                    None => Flash::Ram(RamStorage::default()),
                },
            },
            None => Flash::Ram(RamStorage::default()),
        };
        Board {
            flash,
            random: open(b"/dev/urandom\0", MODE_READ_BINARY),
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

    fn at(region: Region, offset: usize) -> usize {
        region.index() * REGION_LEN + offset
    }
}

impl Storage for Board {
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError> {
        span_check(offset, out.len(), false)?;
        match &mut self.flash {
            Flash::File(handle) => {
                if seek(*handle, Self::at(region, offset)) && read(*handle, out) {
                    Ok(())
                } else {
                    Err(StorageError::Failed)
                }
            }
            Flash::Ram(ram) => ram.read(region, offset, out),
        }
    }

    fn erase(&mut self, region: Region) -> Result<(), StorageError> {
        self.step();
        match &mut self.flash {
            Flash::File(handle) => {
                if seek(*handle, Self::at(region, 0)) && write(*handle, &[ERASED; REGION_LEN]) {
                    Ok(())
                } else {
                    Err(StorageError::Failed)
                }
            }
            Flash::Ram(ram) => ram.erase(region),
        }
    }

    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError> {
        span_check(offset, data.len(), true)?;
        self.step();
        match &mut self.flash {
            Flash::File(_) => {
                let mut cell = [0u8; tokensign_core::device::wallet::PROGRAM_CHUNK];
                let cell = cell.get_mut(..data.len()).ok_or(StorageError::OutOfRange)?;
                self.read(region, offset, cell)?;
                // NOR flash only clears bits.
                for (c, d) in cell.iter_mut().zip(data) {
                    *c &= *d;
                }
                let Flash::File(handle) = &self.flash else {
                    return Err(StorageError::Failed);
                };
                if seek(*handle, Self::at(region, offset)) && write(*handle, cell) {
                    Ok(())
                } else {
                    Err(StorageError::Failed)
                }
            }
            Flash::Ram(ram) => ram.program(region, offset, data),
        }
    }
}

impl Entropy for Board {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), EntropyError> {
        match self.random {
            Some(handle) if read(handle, out) => Ok(()),
            _ => Err(EntropyError),
        }
    }
}

/// The device's own screen: semihosting console output.
pub struct Screen(Option<usize>);

impl Screen {
    /// Opens the console (`:tt` for appending: QEMU's stderr or chardev).
    pub fn open() -> Screen {
        Screen(open(b":tt\0", MODE_APPEND))
    }

    /// Shows a line.
    pub fn line(&mut self, parts: &[&[u8]]) {
        if let Some(handle) = self.0 {
            for part in parts {
                write(handle, part);
            }
            write(handle, b"\n");
        }
    }
}

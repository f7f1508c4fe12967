//! What a firmware gives the wallet: flash it can erase and program, and a
//! source of random bytes. Both are traits so that the same wallet runs on
//! every board (QEMU's semihosted file, the nRF52840's NVMC and RNG, the
//! STM32F4's flash sectors and RNG), in the host's emulated device (files
//! in a directory, the OS's random source) and in tests (RAM that loses
//! power at a chosen step).

/// The three flash regions the wallet uses. A platform maps each to its own
/// erase unit (a flash page or sector), at least [`REGION_LEN`] bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    /// The per-device secret (written at first boot and at each wipe).
    Secret,
    /// The first of the two record slots.
    SlotA,
    /// The second of the two record slots.
    SlotB,
}

impl Region {
    /// The three regions, in their order in a flat image (the QEMU flash
    /// file and the emulated device's `flash.bin`: region `i` at
    /// `i * REGION_LEN`).
    pub const ALL: [Region; 3] = [Region::Secret, Region::SlotA, Region::SlotB];

    /// Its position in [`Region::ALL`].
    pub const fn index(self) -> usize {
        match self {
            Region::Secret => 0,
            Region::SlotA => 1,
            Region::SlotB => 2,
        }
    }
}

/// Bytes of each region the wallet reads and writes.
pub const REGION_LEN: usize = 256;

/// Bytes a platform must program at once at most: every `program` call's
/// offset and length are multiples of 4 and its length at most this.
pub const PROGRAM_CHUNK: usize = 32;

/// The value of an erased flash byte.
pub const ERASED: u8 = 0xFF;

/// Why the storage failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StorageError {
    /// The flash (or the file behind it) could not be read or written; on
    /// a test platform, the power was cut.
    Failed,
    /// An offset or length outside the region, or not 4-byte aligned.
    OutOfRange,
    /// This device has no storage (a fixed-seed test device).
    Absent,
}

/// Flash that can be erased and programmed in place, as NOR flash is:
/// `erase` sets every byte of a region to [`ERASED`]; `program` writes into
/// erased bytes. A power cut may leave any prefix of an erase or a program
/// done: the wallet's two slots make that safe (see `slots.rs`).
pub trait Storage {
    /// Reads `out.len()` bytes of `region` from `offset`.
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError>;

    /// Erases `region`.
    fn erase(&mut self, region: Region) -> Result<(), StorageError>;

    /// Programs `data` at `offset` of `region`, whose bytes there are
    /// erased. `offset` and `data.len()` are multiples of 4, `data.len()`
    /// at most [`PROGRAM_CHUNK`].
    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError>;
}

/// The device's random source ran dry or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EntropyError;

/// Random bytes for new seeds, salts and the per-device secret. Real
/// boards use their RNG peripheral; QEMU has none (its firmware reads the
/// host's through semihosting, for tests only; docs/embedded.md).
pub trait Entropy {
    /// Fills `out` with random bytes.
    fn fill(&mut self, out: &mut [u8]) -> Result<(), EntropyError>;
}

/// A board's storage and random source in one value, which the wallet owns.
pub trait Platform: Storage + Entropy {}

impl<T: Storage + Entropy> Platform for T {}

/// A platform without storage or entropy: the wallet of a device built
/// with a fixed seed ([`super::super::Device::new`], for tests and
/// benchmarks). Every set-up command is refused with
/// [`super::super::Status::NoStorage`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoStorage;

impl Storage for NoStorage {
    fn read(&mut self, _: Region, _: usize, _: &mut [u8]) -> Result<(), StorageError> {
        Err(StorageError::Absent)
    }
    fn erase(&mut self, _: Region) -> Result<(), StorageError> {
        Err(StorageError::Absent)
    }
    fn program(&mut self, _: Region, _: usize, _: &[u8]) -> Result<(), StorageError> {
        Err(StorageError::Absent)
    }
}

impl Entropy for NoStorage {
    fn fill(&mut self, _: &mut [u8]) -> Result<(), EntropyError> {
        Err(EntropyError)
    }
}

/// The three regions in RAM, as NOR flash behaves (erase to 0xFF, program
/// clears bits only). For the host's tests and as the base of test
/// platforms; a firmware uses its own flash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RamStorage {
    /// The regions' bytes, in [`Region::ALL`]'s order.
    pub image: [[u8; REGION_LEN]; 3],
}

impl Default for RamStorage {
    fn default() -> Self {
        RamStorage {
            image: [[ERASED; REGION_LEN]; 3],
        }
    }
}

/// Checks an access for a [`Storage`] implementation: inside a region,
/// and for a program (`aligned`) 4-byte aligned and at most
/// [`PROGRAM_CHUNK`] bytes.
pub fn span_check(offset: usize, len: usize, aligned: bool) -> Result<(), StorageError> {
    span(offset, len, aligned).map(drop)
}

fn span(offset: usize, len: usize, aligned: bool) -> Result<core::ops::Range<usize>, StorageError> {
    let end = offset.checked_add(len).ok_or(StorageError::OutOfRange)?;
    if end > REGION_LEN || (aligned && (offset % 4 != 0 || len % 4 != 0 || len > PROGRAM_CHUNK)) {
        return Err(StorageError::OutOfRange);
    }
    Ok(offset..end)
}

impl Storage for RamStorage {
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError> {
        let range = span(offset, out.len(), false)?;
        let src = self
            .image
            .get(region.index())
            .and_then(|r| r.get(range))
            .ok_or(StorageError::OutOfRange)?;
        out.copy_from_slice(src);
        Ok(())
    }

    fn erase(&mut self, region: Region) -> Result<(), StorageError> {
        self.image
            .get_mut(region.index())
            .ok_or(StorageError::OutOfRange)?
            .fill(ERASED);
        Ok(())
    }

    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError> {
        let range = span(offset, data.len(), true)?;
        let dst = self
            .image
            .get_mut(region.index())
            .and_then(|r| r.get_mut(range))
            .ok_or(StorageError::OutOfRange)?;
        // NOR flash only clears bits.
        for (d, s) in dst.iter_mut().zip(data) {
            *d &= *s;
        }
        Ok(())
    }
}

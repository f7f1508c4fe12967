//! The wallet's [`Storage`] on NOR flash: each of its three regions at the
//! start of its own erase unit (a page of the nRF52840's NVMC, a sector of
//! the STM32F4's flash, a 256-byte cell of the QEMU firmware's flash file).

use embedded_storage::nor_flash::NorFlash;
use tokensign_core::device::wallet::{span_check, REGION_LEN};
use tokensign_core::device::{Region, Storage, StorageError};

/// Any `embedded-storage` [`NorFlash`] as the wallet's storage.
pub struct NorFlashStorage<F> {
    flash: F,
    /// Offset (in `flash`'s addressing) of each region's erase unit, in
    /// [`Region::ALL`]'s order.
    units: [u32; 3],
}

/// Why a [`NorFlashStorage`] cannot be made over some flash and offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutError {
    /// An offset is not at the start of an erase unit.
    Unaligned,
    /// Two regions share an erase unit (erasing one would erase the other).
    Overlap,
    /// An erase unit is smaller than a region, or the flash cannot be
    /// programmed in the wallet's 4-byte steps.
    Geometry,
}

impl<F: NorFlash> NorFlashStorage<F> {
    /// The wallet's regions at the erase units starting at `units` (in
    /// [`Region::ALL`]'s order: secret, slot A, slot B).
    pub fn new(flash: F, units: [u32; 3]) -> Result<Self, LayoutError> {
        let unit = F::ERASE_SIZE;
        if unit < REGION_LEN || 4 % F::WRITE_SIZE != 0 {
            return Err(LayoutError::Geometry);
        }
        let unit = u32::try_from(unit).map_err(|_| LayoutError::Geometry)?;
        if units.iter().any(|u| u % unit != 0) {
            return Err(LayoutError::Unaligned);
        }
        let [a, b, c] = units;
        if a == b || b == c || a == c {
            return Err(LayoutError::Overlap);
        }
        Ok(NorFlashStorage { flash, units })
    }

    /// The flash, for a board's other uses (none here).
    pub fn flash_mut(&mut self) -> &mut F {
        &mut self.flash
    }

    /// Where `offset` of `region` is in the flash's addressing.
    fn at(&self, region: Region, offset: usize) -> Result<u32, StorageError> {
        let base = self
            .units
            .get(region.index())
            .ok_or(StorageError::OutOfRange)?;
        let offset = u32::try_from(offset).map_err(|_| StorageError::OutOfRange)?;
        base.checked_add(offset).ok_or(StorageError::OutOfRange)
    }
}

impl<F: NorFlash> Storage for NorFlashStorage<F> {
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError> {
        span_check(offset, out.len(), false)?;
        let at = self.at(region, offset)?;
        self.flash.read(at, out).map_err(|_| StorageError::Failed)
    }

    fn erase(&mut self, region: Region) -> Result<(), StorageError> {
        let from = self.at(region, 0)?;
        let unit = u32::try_from(F::ERASE_SIZE).map_err(|_| StorageError::OutOfRange)?;
        let to = from.checked_add(unit).ok_or(StorageError::OutOfRange)?;
        self.flash.erase(from, to).map_err(|_| StorageError::Failed)
    }

    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError> {
        span_check(offset, data.len(), true)?;
        let at = self.at(region, offset)?;
        self.flash.write(at, data).map_err(|_| StorageError::Failed)
    }
}

/// A board's flash and random source as the one value the wallet owns
/// (`tokensign_core::device::Platform`).
pub struct FlashAndRng<S, E> {
    /// The wallet's storage.
    pub storage: S,
    /// The wallet's random source.
    pub entropy: E,
}

impl<S: Storage, E> Storage for FlashAndRng<S, E> {
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError> {
        self.storage.read(region, offset, out)
    }
    fn erase(&mut self, region: Region) -> Result<(), StorageError> {
        self.storage.erase(region)
    }
    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError> {
        self.storage.program(region, offset, data)
    }
}

impl<S, E: tokensign_core::device::Entropy> tokensign_core::device::Entropy for FlashAndRng<S, E> {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), tokensign_core::device::EntropyError> {
        self.entropy.fill(out)
    }
}

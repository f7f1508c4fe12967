//! The emulated device's state in a directory (`--device emulated:DIR`):
//!
//! - `flash.bin`: its flash, the three regions of the core's wallet
//!   (`tokensign_core::device::wallet`) one after another, each
//!   `REGION_LEN` bytes: the same image the QEMU firmware keeps in its
//!   flash file. Every erase and program goes to the file at once (and is
//!   synced), so a process killed mid-write tears it as power loss tears
//!   flash; the wallet's two slots make that safe.
//! - `ram.bin`, while the device is unlocked: its RAM (the seal's session
//!   id and the seed), so that the next command (another process) finds
//!   it unlocked, as a plugged-in device stays unlocked. `lock`, `wipe`
//!   and a wrong PIN overwrite it with zeros, then remove it. **The seed
//!   is in this file in clear while unlocked**: an emulated device is for
//!   practice and tests, never for words of value.
//!
//! Files are created readable by their owner only (mode 0600); the RAM
//! file is set to 0600 before the seed is written, even if it existed.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tokensign_core::device::wallet::{span_check, ERASED, REGION_LEN};
use tokensign_core::device::{Entropy, EntropyError, Region, Storage, StorageError};
use tokensign_core::hd::Seed;
use zeroize::Zeroizing;

use super::DeviceError;

/// The flash file's name in the directory.
pub const FLASH_FILE: &str = "flash.bin";
/// The RAM file's name in the directory.
pub const RAM_FILE: &str = "ram.bin";
/// Bytes of the flash image.
pub const FLASH_LEN: usize = 3 * REGION_LEN;

/// Flash in a file, the OS's random source.
#[derive(Debug)]
pub struct DirPlatform {
    flash: File,
}

fn private(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

fn io_error(dir: &Path, e: std::io::Error) -> DeviceError {
    DeviceError::StateDir {
        dir: crate::show::sanitize(&dir.display().to_string()),
        detail: e.to_string(),
    }
}

impl DirPlatform {
    /// Opens (or creates, erased) the flash of the device in `dir`.
    pub fn open(dir: &Path) -> Result<Self, DeviceError> {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let path = dir.join(FLASH_FILE);
        let mut flash = private(OpenOptions::new().read(true).write(true).create(true))
            .open(&path)
            .map_err(|e| io_error(dir, e))?;
        let len = flash.metadata().map_err(|e| io_error(dir, e))?.len();
        if len != FLASH_LEN as u64 {
            if len != 0 {
                return Err(DeviceError::StateDir {
                    dir: crate::show::sanitize(&dir.display().to_string()),
                    detail: format!(
                        "{FLASH_FILE} has {len} bytes, not {FLASH_LEN}: not an emulated device's \
                         flash; use an empty directory"
                    ),
                });
            }
            flash
                .write_all(&[ERASED; FLASH_LEN])
                .and_then(|()| flash.sync_all())
                .map_err(|e| io_error(dir, e))?;
        }
        Ok(DirPlatform { flash })
    }

    fn at(region: Region, offset: usize) -> u64 {
        (region.index() * REGION_LEN + offset) as u64
    }

    fn write_at(&mut self, at: u64, bytes: &[u8]) -> Result<(), StorageError> {
        self.flash
            .seek(SeekFrom::Start(at))
            .and_then(|_| self.flash.write_all(bytes))
            .and_then(|()| self.flash.sync_data())
            .map_err(|_| StorageError::Failed)
    }
}

impl Storage for DirPlatform {
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError> {
        span_check(offset, out.len(), false)?;
        self.flash
            .seek(SeekFrom::Start(Self::at(region, offset)))
            .and_then(|_| self.flash.read_exact(out))
            .map_err(|_| StorageError::Failed)
    }

    fn erase(&mut self, region: Region) -> Result<(), StorageError> {
        self.write_at(Self::at(region, 0), &[ERASED; REGION_LEN])
    }

    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError> {
        span_check(offset, data.len(), true)?;
        let mut current = Zeroizing::new(vec![0u8; data.len()]);
        self.read(region, offset, &mut current)?;
        // NOR flash only clears bits.
        for (c, d) in current.iter_mut().zip(data) {
            *c &= *d;
        }
        self.write_at(Self::at(region, offset), &current)
    }
}

impl Entropy for DirPlatform {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), EntropyError> {
        use rand::RngCore;
        rand::rngs::OsRng
            .try_fill_bytes(out)
            .map_err(|_| EntropyError)
    }
}

/// The device's RAM while unlocked: `session id (16) | seed (64)`.
#[derive(Debug)]
pub struct RamFile {
    path: PathBuf,
}

impl RamFile {
    /// The RAM file of the device in `dir`.
    pub fn new(dir: &Path) -> Self {
        RamFile {
            path: dir.join(RAM_FILE),
        }
    }

    /// The session kept by the last process, if any.
    pub fn load(&self) -> Option<([u8; 16], Seed)> {
        let bytes = Zeroizing::new(fs::read(&self.path).ok()?);
        let (session, seed) = bytes.split_first_chunk::<16>()?;
        let seed: [u8; 64] = seed.try_into().ok()?;
        Some((*session, Seed::from_bytes(seed)))
    }

    /// Keeps the session (unlocked), or erases it (`None`).
    pub fn store(&self, session: Option<([u8; 16], &Seed)>) -> std::io::Result<()> {
        match session {
            Some((id, seed)) => {
                let mut bytes = Zeroizing::new(Vec::with_capacity(80));
                bytes.extend_from_slice(&id);
                bytes.extend_from_slice(seed.as_bytes());
                let mut file = private(OpenOptions::new().write(true).create(true).truncate(true))
                    .open(&self.path)?;
                // A file made before (by hand, or under another umask)
                // keeps its mode at `open`: the seed goes in only once it
                // is the owner's alone.
                owner_only(&file)?;
                file.write_all(&bytes)?;
                file.sync_all()
            }
            None => self.erase(),
        }
    }

    /// Overwrites the file with zeros (synced) and only then removes it,
    /// so the seed is not left in the file system's free blocks nor in
    /// another link to the file.
    fn erase(&self) -> std::io::Result<()> {
        /// More than a RAM file ever holds; a larger file is not one of
        /// ours, and its first bytes are what a seed would be in.
        const MOST: u64 = 1 << 16;
        let mut file = match OpenOptions::new().write(true).open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len().min(MOST);
        file.write_all(&vec![0u8; len as usize])?;
        file.sync_all()?;
        drop(file);
        match fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Makes `file` readable and writable by its owner only.
fn owner_only(file: &File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

//! The bytes of an in-memory redb database (`tokensign node --in-memory`).
//!
//! redb's own `InMemoryBackend` grows its buffer one pushed byte at a
//! time; redb resizes its file as the database grows and trims it at
//! commits, so under load the node spent about a quarter of its writer
//! thread there (measured with `perf` on `--in-memory` under the
//! side-by-side load, `BENCHMARKS.md`). This one resizes with one
//! `Vec::resize` (a `memset`), and keeps its capacity when redb trims, so
//! a later growth reuses it.

use std::io;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A redb storage backend that keeps the database file in one buffer.
#[derive(Debug, Default)]
pub struct MemoryBackend(RwLock<Vec<u8>>);

fn out_of_range() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "read or write past the end of the in-memory database",
    )
}

fn poisoned() -> io::Error {
    io::Error::other("the in-memory database's lock is poisoned")
}

impl MemoryBackend {
    fn bytes(&self) -> io::Result<RwLockReadGuard<'_, Vec<u8>>> {
        self.0.read().map_err(|_| poisoned())
    }

    fn bytes_mut(&self) -> io::Result<RwLockWriteGuard<'_, Vec<u8>>> {
        self.0.write().map_err(|_| poisoned())
    }
}

/// `offset..offset + len` (checked against the buffer by `get`).
fn span(offset: u64, len: usize) -> io::Result<std::ops::Range<usize>> {
    let start = usize::try_from(offset).map_err(|_| out_of_range())?;
    let end = start.checked_add(len).ok_or_else(out_of_range)?;
    Ok(start..end)
}

impl redb::StorageBackend for MemoryBackend {
    fn len(&self) -> io::Result<u64> {
        Ok(self.bytes()?.len() as u64)
    }

    fn read(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let bytes = self.bytes()?;
        let part = bytes.get(span(offset, len)?).ok_or_else(out_of_range)?;
        Ok(part.to_vec())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let len = usize::try_from(len).map_err(|_| out_of_range())?;
        // Shrinking keeps the capacity: redb grows again soon after.
        self.bytes_mut()?.resize(len, 0);
        Ok(())
    }

    fn sync_data(&self, _eventual: bool) -> io::Result<()> {
        // Nothing to sync: the state lives and dies with the process.
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut bytes = self.bytes_mut()?;
        let part = bytes
            .get_mut(span(offset, data.len())?)
            .ok_or_else(out_of_range)?;
        part.copy_from_slice(data);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::StorageBackend;

    #[test]
    fn reads_back_what_it_wrote_zero_fills_growth_and_refuses_past_the_end() {
        let b = MemoryBackend::default();
        assert_eq!(b.len().unwrap(), 0);
        b.set_len(8).unwrap();
        b.write(2, b"abc").unwrap();
        assert_eq!(b.read(0, 8).unwrap(), b"\0\0abc\0\0\0");
        // A trim, then growth: the trimmed bytes come back as zeros.
        b.set_len(3).unwrap();
        assert_eq!(b.len().unwrap(), 3);
        b.set_len(6).unwrap();
        assert_eq!(b.read(0, 6).unwrap(), b"\0\0a\0\0\0");
        assert_eq!(b.read(6, 0).unwrap(), b"");
        for bad in [
            b.read(4, 3).err(),
            b.write(5, b"xy").err(),
            b.read(u64::MAX, 2).err(),
        ] {
            assert_eq!(bad.unwrap().kind(), io::ErrorKind::InvalidInput);
        }
        b.sync_data(false).unwrap();
    }
}

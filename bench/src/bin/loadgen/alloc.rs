//! The counting global allocator: allocations made outside the client's
//! threads are the node's.

use super::*;

thread_local! {
    /// Set on the load generator's own threads: their allocations are not
    /// the server's.
    pub(super) static CLIENT: Cell<bool> = const { Cell::new(false) };
}

pub(super) static ALLOCS: AtomicU64 = AtomicU64::new(0);
pub(super) static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);

/// Counts allocations (and reallocations) made outside client threads.
pub(super) struct Counting;

pub(super) fn is_client() -> bool {
    CLIENT.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: every method forwards to `System` with the same arguments; the
// counters are plain atomics and the thread-local is const-initialised, so
// counting never allocates or recurses.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !is_client() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !is_client() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !is_client() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
pub(super) static GLOBAL: Counting = Counting;

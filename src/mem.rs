//! Giving freed memory back to the system between batches of inputs.
//!
//! glibc keeps freed memory in each thread's arena for reuse; reading thousands of files of
//! many sizes leaves the arenas fragmented, so the resident size grows with the files read
//! although the live heap does not. `malloc_trim` returns the free pages (inside the arenas,
//! not only at their top) to the system.

/// Return the allocator's free pages to the system (glibc on Linux; elsewhere nothing).
#[allow(
    unsafe_code,
    reason = "FFI call to malloc_trim, which has no preconditions"
)]
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

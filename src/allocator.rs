//! The process's allocator, chosen by command before anything is allocated.
//!
//! The language server keeps the system allocator: glibc, tuned by `lsp::run` to give the
//! memory of a closed document back at once. The batch commands take mimalloc, whose small
//! allocations cost a fraction of glibc's: `jiaodui check` runs about a sixth faster with it. (In
//! the server mimalloc would hold on to freed pages of idle threads and raise resident memory
//! by a third.)
//!
//! The choice is made on the first allocation, from the process's command line as the kernel
//! keeps it (`/proc/self/cmdline`, read without allocating), so every block is freed by the
//! allocator that made it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

use mimalloc::MiMalloc;

const UNDECIDED: u8 = 0;
const SYSTEM: u8 = 1;
const MIMALLOC: u8 = 2;

pub struct ByCommand {
    choice: AtomicU8,
}

impl ByCommand {
    pub const fn new() -> ByCommand {
        ByCommand {
            choice: AtomicU8::new(UNDECIDED),
        }
    }

    #[inline(always)]
    fn mimalloc(&self) -> bool {
        match self.choice.load(Ordering::Relaxed) {
            MIMALLOC => true,
            SYSTEM => false,
            _ => self.choose(),
        }
    }

    /// The first allocation, on the main thread before any other starts; another thread
    /// choosing at the same time would read the same command line.
    #[cold]
    #[inline(never)]
    fn choose(&self) -> bool {
        let choice = if runs_server() { SYSTEM } else { MIMALLOC };
        self.choice.store(choice, Ordering::Relaxed);
        choice == MIMALLOC
    }
}

// SAFETY: every call is forwarded to one allocator, the same for the life of the process (the
// choice is made before the first block is handed out and never changes).
unsafe impl GlobalAlloc for ByCommand {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe {
            if self.mimalloc() {
                MiMalloc.alloc(layout)
            } else {
                System.alloc(layout)
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe {
            if self.mimalloc() {
                MiMalloc.alloc_zeroed(layout)
            } else {
                System.alloc_zeroed(layout)
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the same allocator (see above).
        unsafe {
            if self.mimalloc() {
                MiMalloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from the same allocator (see above).
        unsafe {
            if self.mimalloc() {
                MiMalloc.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}

/// Is this process the language server (`jiaodui lsp`)? Reads the command line into a buffer on
/// the stack: nothing may be allocated before the allocator is chosen. When it cannot be read,
/// the answer is yes: the system allocator is right for every command.
fn runs_server() -> bool {
    let mut buffer = [0u8; 4096];
    // SAFETY: a NUL-terminated path; the descriptor is read into a buffer of the length given,
    // then closed. None of these calls allocates.
    let read = unsafe {
        let fd = libc::open(
            c"/proc/self/cmdline".as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC,
        );
        if fd < 0 {
            return true;
        }
        let read = libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len());
        libc::close(fd);
        read
    };
    let Ok(read) = usize::try_from(read) else {
        return true;
    };
    is_server_command_line(&buffer[..read])
}

/// Does a command line (arguments separated by NUL bytes, the program first) run the server?
fn is_server_command_line(command_line: &[u8]) -> bool {
    command_line.is_empty()
        || command_line
            .split(|&b| b == 0)
            .skip(1)
            .any(|argument| argument == b"lsp")
}

#[cfg(test)]
mod tests {
    use super::is_server_command_line;

    #[test]
    fn the_server_is_told_by_its_subcommand() {
        assert!(is_server_command_line(b"jiaodui\0lsp\0"));
        assert!(is_server_command_line(b"/usr/bin/jiaodui\0lsp\0--stdio\0"));
        assert!(is_server_command_line(b""));
        assert!(!is_server_command_line(b"jiaodui\0check\0a.txt\0"));
        assert!(!is_server_command_line(b"lsp\0check\0"));
        assert!(!is_server_command_line(b"jiaodui\0outline\0lsp.txt\0"));
    }
}

//! The language server over stdio.
//!
//! Architecture invariants:
//! * Edits are applied synchronously, in the order the client sent them, before any `.await`;
//!   the server also runs with a concurrency level of one, so no two messages interleave.
//! * Analysis runs off the message loop. Each document has one analysis worker at a time; a
//!   change that arrives while it runs makes it go round again, and a result for a superseded
//!   text is dropped rather than published.
//! * Requests answer from the newest text: a stale analysis is recomputed first.
//! * This module and [`convert`] are the only ones that know LSP types.
//! * What goes out is written as whole frames from one queue ([`framing`]): the protocol
//!   library's messages and the diagnostics the server serialises itself.

mod convert;
mod framing;
mod server;

use std::process::ExitCode;

/// Sets up glibc's allocator for a long-running server:
/// * glibc raises its mmap threshold after the first large block is freed, so that later large
///   blocks (a big document's text, its findings) come from the heap and stay with the process
///   after the document closes. A fixed threshold keeps them mapped and returned on free.
/// * glibc gives every thread that allocates concurrently an arena of its own, and memory freed
///   in an arena stays with it. The message loop, the runtime's workers and the analysis
///   threads each took some, which left the server with about twice the memory it uses at its
///   peak (160 MiB resident for 80 MB of heap with a 1 MB article open). One arena shares what
///   is freed; the threads' caches keep the allocations of an analysis off its lock.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run() -> ExitCode {
    tune_allocator();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("jiaodui: cannot start the language server: {error}");
            return ExitCode::from(crate::cli::EXIT_ERROR);
        }
    };
    runtime.block_on(server::serve());
    // The reader of stdin may still be blocked in a read the client will never complete; do
    // not wait for it.
    runtime.shutdown_background();
    ExitCode::SUCCESS
}

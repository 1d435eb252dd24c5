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

mod convert;
mod framing;
mod server;

use std::process::ExitCode;

/// glibc raises its mmap threshold after the first large block is freed, so that later large
/// blocks (a big document's text, its findings) come from the heap and stay with the process
/// after the document closes. A fixed threshold keeps them mapped and returned on free.
fn keep_large_allocations_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run() -> ExitCode {
    keep_large_allocations_returnable();
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

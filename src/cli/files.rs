//! Reading inputs and writing fixed files, safely.
//!
//! A file is checked only when it is valid UTF-8 text; a fixed file is written to a temporary
//! file beside it and renamed over it, with its permissions kept, and only when it has not
//! changed on disk since it was read.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::config::{self, Settings};

/// A text read from a file or standard input.
#[derive(Debug)]
pub struct Input {
    /// As given on the command line (or found in a folder); `-` for standard input.
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: String,
    /// The bytes as read, to tell whether the file changed before writing it back.
    pub original_len: u64,
    pub modified: Option<std::time::SystemTime>,
}

/// Why an input could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{name}: cannot read: {source}")]
    Unreadable { name: String, source: io::Error },
    #[error(
        "{name}: not valid UTF-8 (first bad byte at offset {offset}); the file was not checked"
    )]
    InvalidUtf8 { name: String, offset: usize },
    #[error("{name}: looks like a binary file (it contains NUL bytes); the file was not checked")]
    Binary { name: String },
    #[error("{name}: no such file or folder")]
    Missing { name: String },
    #[error("{name}: a symbolic link loop; skipped")]
    Loop { name: String },
    #[error("{name}: not a regular file (a pipe, socket or device); not checked")]
    NotAFile { name: String },
}

/// Reads one named input: a file, or `-` for standard input.
pub fn read_input(name: &str) -> Result<Input, InputError> {
    if name == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|source| InputError::Unreadable {
                name: "-".into(),
                source,
            })?;
        return decode(name, None, bytes, None);
    }
    let path = PathBuf::from(name);
    let metadata = fs::metadata(&path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => InputError::Missing { name: name.into() },
        _ => InputError::Unreadable {
            name: name.into(),
            source,
        },
    })?;
    if !metadata.is_file() {
        return Err(InputError::NotAFile { name: name.into() });
    }
    let bytes = fs::read(&path).map_err(|source| InputError::Unreadable {
        name: name.into(),
        source,
    })?;
    decode(name, Some(path), bytes, metadata.modified().ok())
}

fn decode(
    name: &str,
    path: Option<PathBuf>,
    bytes: Vec<u8>,
    modified: Option<std::time::SystemTime>,
) -> Result<Input, InputError> {
    let original_len = bytes.len() as u64;
    if bytes.contains(&0) {
        return Err(InputError::Binary { name: name.into() });
    }
    let text = if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: the bytes were validated as UTF-8 just above (by SIMD, several times faster
        // than the standard library on Chinese text).
        unsafe { String::from_utf8_unchecked(bytes) }
    } else {
        String::from_utf8(bytes).map_err(|error| InputError::InvalidUtf8 {
            name: name.into(),
            offset: error.utf8_error().valid_up_to(),
        })?
    };
    Ok(Input {
        name: name.into(),
        path,
        text,
        original_len,
        modified,
    })
}

/// The files to check for the given arguments: files as named, folders walked (sorted) for
/// `.txt`, `.md` and `.markdown`. Problems met on the way come back beside the list.
pub fn expand(arguments: &[String]) -> (Vec<String>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for argument in arguments {
        let path = Path::new(argument);
        if argument != "-" && path.is_dir() {
            let mut seen = HashSet::new();
            walk(path, &mut seen, &mut files, &mut errors);
        } else {
            files.push(argument.clone());
        }
    }
    (files, errors)
}

fn walk(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    files: &mut Vec<String>,
    errors: &mut Vec<InputError>,
) {
    let name = dir.display().to_string();
    let canonical = match fs::canonicalize(dir) {
        Ok(canonical) => canonical,
        Err(source) => {
            errors.push(InputError::Unreadable { name, source });
            return;
        }
    };
    if !seen.insert(canonical) {
        errors.push(InputError::Loop { name });
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(InputError::Unreadable { name, source });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n == "node_modules" || n == "target");
        if hidden {
            continue;
        }
        // Follows symbolic links; only folders and regular files are taken (a pipe named
        // a.txt would block the read forever).
        let Ok(metadata) = fs::metadata(&path) else {
            if fs::symlink_metadata(&path).is_ok() && is_article(&path) {
                let name = path.display().to_string();
                errors.push(InputError::Missing { name });
            }
            continue;
        };
        if metadata.is_dir() {
            walk(&path, seen, files, errors);
        } else if metadata.is_file() && is_article(&path) {
            files.push(path.display().to_string());
        }
    }
}

fn is_article(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "txt" | "md" | "markdown"))
}

/// The settings for a file: `--config` when given, else the nearest `jiaodui.toml`, else the
/// defaults. Problems in the configuration are printed and the defaults hold.
pub fn settings_for(explicit: Option<&Path>, file: Option<&Path>) -> Settings {
    let found = explicit.map(Path::to_path_buf).or_else(|| {
        let start = file
            .and_then(|f| fs::canonicalize(f).ok())
            .or_else(|| std::env::current_dir().ok().map(|d| d.join("-")))?;
        config::discover(&start)
    });
    let Some(path) = found else {
        return Settings::default();
    };
    let (settings, errors) = config::load(&path);
    for error in errors {
        eprintln!("jiaodui: {}:{error}", path.display());
    }
    settings
}

/// Why a fixed file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{name}: changed on disk since it was read; not fixed")]
    Changed { name: String },
    #[error("{name}: cannot write the fixed file: {source}")]
    Io { name: String, source: io::Error },
}

/// Writes `text` over the input's file atomically: a temporary file in the same folder, its
/// permissions copied, then a rename. The original stays untouched on any error.
pub fn write_atomically(input: &Input, text: &str) -> Result<(), WriteError> {
    let name = input.name.clone();
    let Some(path) = &input.path else {
        return Ok(());
    };
    let io_error = |source| WriteError::Io {
        name: name.clone(),
        source,
    };
    // Through a symbolic link, the file it points at is the one rewritten; the link stays.
    let path = &fs::canonicalize(path).map_err(io_error)?;
    let metadata = fs::metadata(path).map_err(io_error)?;
    if metadata.len() != input.original_len || metadata.modified().ok() != input.modified {
        return Err(WriteError::Changed { name });
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".jiaodui-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(io_error)?;
    temporary.write_all(text.as_bytes()).map_err(io_error)?;
    temporary.as_file().sync_all().map_err(io_error)?;
    fs::set_permissions(temporary.path(), metadata.permissions()).map_err(io_error)?;
    temporary
        .persist(path)
        .map_err(|error| io_error(error.error))?;
    Ok(())
}

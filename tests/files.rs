//! `check` and `check --fix` on hostile file systems: files that change while they are fixed,
//! folders the temporary file cannot be written to, symbolic links that point nowhere or back,
//! binary and unreadable files, named pipes. tests/cli.rs covers the ordinary cases (atomic
//! rewrite with permissions kept, invalid UTF-8 left alone, a symlink loop).
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A text with safe fixes (half-width punctuation between Han characters).
const FIXABLE: &str = "标题\n\n王建国说:要抓落实,不折不扣。\n";
const FIXED: &str = "标题\n\n王建国说：要抓落实，不折不扣。\n";

fn jiaodui(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaodui"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jiaodui");
    // Never hang the test suite: a run that does not finish is killed and fails.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "jiaodui {args:?} did not finish in 60 s; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_folder_where_the_temporary_file_cannot_be_created_leaves_the_original_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("locked");
    fs::create_dir(&folder).unwrap();
    let article = folder.join("a.txt");
    fs::write(&article, FIXABLE).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions; an immutable folder (`chattr +i`) refuses new files
    // even to root, where the file system supports it.
    let probe = folder.join(".probe");
    let mut immutable = false;
    if fs::write(&probe, b"").is_ok() {
        let _ = fs::remove_file(&probe);
        immutable = Command::new("chattr")
            .arg("+i")
            .arg(&folder)
            .output()
            .is_ok_and(|o| o.status.success());
        if !immutable || fs::write(&probe, b"").is_ok() {
            let _ = Command::new("chattr").arg("-i").arg(&folder).output();
            let _ = fs::remove_file(&probe);
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
            eprintln!("skipped: no way to make a folder refuse new files here");
            return;
        }
    }
    let output = jiaodui(&["check", "--fix", article.to_str().unwrap()]);
    if immutable {
        let _ = Command::new("chattr").arg("-i").arg(&folder).output();
    }
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write the fixed file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(&article).unwrap(), FIXABLE);
    assert_eq!(entries(&folder), vec!["a.txt"]);
}

/// As root the read-only folder above is writable; a file that is immutable (`chattr +i`)
/// cannot be replaced even by root. The rename fails, and the temporary file is cleaned up.
#[test]
fn an_immutable_file_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, FIXABLE).unwrap();
    let chattr = Command::new("chattr").arg("+i").arg(&article).output();
    if !chattr.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: chattr +i is not available on this file system");
        return;
    }
    let output = jiaodui(&["check", "--fix", article.to_str().unwrap()]);
    let _ = Command::new("chattr").arg("-i").arg(&article).output();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("a.txt"),
        "the error names the file: {}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(&article).unwrap(), FIXABLE);
    assert_eq!(entries(dir.path()), vec!["a.txt"], "no temporary file left");
}

/// A file edited on disk while `check --fix` analyses it is not overwritten. The analysis of a
/// large file takes seconds in a debug build; if it finished before the edit (a fast machine,
/// a release build), the test cannot say anything and passes.
#[test]
fn a_file_changed_on_disk_while_being_fixed_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    let mut text = String::from(FIXABLE);
    let fixture = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hohhot-interviews-2026.txt"),
    )
    .unwrap();
    while text.len() < 1 << 20 {
        text.push_str(&fixture);
    }
    fs::write(&article, &text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaodui"))
        .args([
            "check",
            "--fix",
            "--format",
            "json",
            article.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    if child.try_wait().unwrap().is_some() {
        eprintln!("skipped: the fix finished before the file could be changed");
        return;
    }
    let edited = format!("{text}编辑器里刚加的一句。\n");
    fs::write(&article, &edited).unwrap();
    let output = child.wait_with_output().unwrap();
    let errors = stderr(&output);
    if errors.is_empty() && output.status.code() != Some(2) {
        // The write raced ahead of the edit: nothing to conclude.
        eprintln!("skipped: the fixed file was written before the edit");
        return;
    }
    assert_eq!(output.status.code(), Some(2), "{errors}");
    assert!(errors.contains("changed on disk"), "{errors}");
    assert_eq!(
        fs::read_to_string(&article).unwrap(),
        edited,
        "the edit survives"
    );
    assert_eq!(entries(dir.path()), vec!["a.txt"], "no temporary file left");
}

/// A folder with a good article, a binary file, invalid UTF-8, a symlink loop, a dangling
/// symlink, an unreadable file and a folder named like an article: each problem is reported by
/// name, the good article is still checked, and the run finishes with exit status 2.
#[test]
fn a_hostile_folder_is_checked_to_the_end_with_each_problem_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("good.txt"), FIXABLE).unwrap();
    fs::write(root.join("binary.txt"), b"\x7fELF\x00\x00\x01\x02").unwrap();
    fs::write(root.join("latin1.md"), b"caf\xe9 \xe6\xa0\x87").unwrap();
    fs::write(root.join("empty.txt"), b"").unwrap();
    std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("dangling.txt")).unwrap();
    fs::create_dir(root.join("folder.txt")).unwrap();
    fs::write(root.join("folder.txt/inner.md"), FIXED).unwrap();
    let unreadable = root.join("secret.txt");
    fs::write(&unreadable, FIXABLE).unwrap();
    fs::set_permissions(&unreadable, fs::Permissions::from_mode(0o000)).unwrap();

    let output = jiaodui(&["check", "--format", "json", root.to_str().unwrap()]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    assert!(
        errors.contains("binary.txt") && errors.contains("binary"),
        "{errors}"
    );
    assert!(
        errors.contains("latin1.md") && errors.contains("UTF-8"),
        "{errors}"
    );
    assert!(errors.contains("loop"), "{errors}");
    assert!(errors.contains("dangling.txt"), "{errors}");
    // Root reads a file whatever its mode: only an ordinary user sees it refused.
    if !is_root() {
        assert!(errors.contains("secret.txt"), "{errors}");
    }
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let checked: Vec<String> = report["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| {
                    f["path"]
                        .as_str()
                        .or(f["name"].as_str())
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        report.to_string().contains("good.txt"),
        "the good article is still checked: {report}"
    );
    assert!(
        report.to_string().contains("inner.md"),
        "a folder named like an article is walked: {checked:?}"
    );
    fs::set_permissions(&unreadable, fs::Permissions::from_mode(0o644)).unwrap();
}

/// A named pipe with an article's extension: reading it would wait for a writer forever. The
/// walk must not hang on it (it once did: the walk took every path that was not a folder).
#[test]
fn a_named_pipe_in_a_folder_does_not_hang_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("good.txt"), FIXABLE).unwrap();
    let fifo = root.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let output = jiaodui(&["check", "--format", "json", root.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("good.txt"),
        "{}",
        stderr(&output)
    );
}

/// `--fix` on a symbolic link fixes the file it points to and keeps the link a link (it once
/// renamed the fixed text over the link itself).
#[test]
fn fixing_through_a_symbolic_link_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.txt");
    let link = dir.path().join("link.txt");
    fs::write(&target, FIXABLE).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = jiaodui(&["check", "--fix", link.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a regular file"
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), FIXED);
}

/// The safe fixes of one run never overlap: a text where several fixes meet (a half-width
/// comma inside a repeated word, inside a quotation) comes out as valid text that a second
/// `--fix` leaves alone.
#[test]
fn fixes_that_meet_are_applied_once_and_settle() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    let text = "标题\n\n他说:“要要抓抓落实,,不折不扣。\n\n一是抓学习,三是抓落实,二是抓作风。\n";
    fs::write(&article, text).unwrap();
    let first = jiaodui(&["check", "--fix", article.to_str().unwrap()]);
    assert_ne!(first.status.code(), Some(2), "{}", stderr(&first));
    let once = fs::read_to_string(&article).expect("still UTF-8");
    let second = jiaodui(&["check", "--fix", article.to_str().unwrap()]);
    assert_ne!(second.status.code(), Some(2), "{}", stderr(&second));
    assert_eq!(
        fs::read_to_string(&article).unwrap(),
        once,
        "a second --fix changed the text"
    );
}

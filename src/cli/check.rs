//! `jiaodui check`: findings for files, folders or standard input, printed as they are ready.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::thread;

use clap::{Args, ValueEnum};

use super::files::{self, Input, InputError};
use super::report::{self, Checked, Rendered};
use super::{EXIT_ERROR, EXIT_FINDINGS, LocaleArg};
use crate::analysis::{DocumentKind, Finding, Locale, Severity, analyze, fixes};
use crate::config::Settings;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders; `-` reads standard input. Default: the current folder.
    paths: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Apply safe fixes in place (atomically); report what remains.
    #[arg(long)]
    fix: bool,
    /// Use this configuration instead of the nearest jiaodui.toml.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Report only findings at or above this severity.
    #[arg(long, value_enum, default_value_t = MinSeverity::Hint)]
    min_severity: MinSeverity,
    #[arg(long, value_enum)]
    locale: Option<LocaleArg>,
    /// Treat standard input as this file name (for its extension and configuration).
    #[arg(long)]
    stdin_filename: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum MinSeverity {
    Hint,
    Info,
    Warning,
    Error,
}

impl From<MinSeverity> for Severity {
    fn from(value: MinSeverity) -> Severity {
        match value {
            MinSeverity::Hint => Severity::Hint,
            MinSeverity::Info => Severity::Info,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Error => Severity::Error,
        }
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    if let Some(config) = &args.config
        && !config.is_file()
    {
        eprintln!("jiaodui: --config {}: no such file", config.display());
        return ExitCode::from(EXIT_ERROR);
    }
    let arguments = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let (names, walk_errors) = files::expand(&arguments);
    let mut failed_input = !walk_errors.is_empty();
    for error in &walk_errors {
        eprintln!("jiaodui: {error}");
    }
    let format = args.format;
    let job = Arc::new(Job {
        min_severity: Severity::from(args.min_severity),
        args,
        names,
    });
    let mut printer = report::Printer::new(format, report_output());
    let mut found_failure = false;
    for outcome in checked_in_order(&job) {
        match outcome {
            Ok(rendered) => {
                found_failure |= rendered.fails();
                printer.file(rendered);
            }
            Err(message) => {
                failed_input = true;
                eprintln!("jiaodui: {message}");
            }
        }
    }
    if printer.finish().is_err() {
        return ExitCode::from(EXIT_ERROR);
    }
    if failed_input {
        ExitCode::from(EXIT_ERROR)
    } else if found_failure {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Standard output for the reports. On Unix it bypasses the standard library's line buffer:
/// each report is written whole and flushed, and the line buffer would search every one (a
/// single line of JSON, up to megabytes long) for its last newline first.
fn report_output() -> BufWriter<Box<dyn Write>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return BufWriter::new(Box::new(std::fs::File::from(fd)));
        }
    }
    BufWriter::new(Box::new(std::io::stdout().lock()))
}

/// What every file is checked with.
struct Job {
    args: CheckArgs,
    min_severity: Severity,
    names: Vec<String>,
}

type Outcome = Result<Rendered, String>;

/// How many files may be checked ahead of the one printed next, per thread: enough to keep
/// every thread busy behind a long file, few enough that waiting reports stay small (a
/// rendered report holds no text or analysis).
const AHEAD_PER_THREAD: usize = 4;

/// The files checked and rendered on rayon's threads, handed back in input order as each is
/// ready: a file is printed as soon as it and those before it are done.
fn checked_in_order(job: &Arc<Job>) -> impl Iterator<Item = Outcome> {
    let count = job.names.len();
    let ahead = AHEAD_PER_THREAD * rayon::current_num_threads().max(1);
    let (sender, receiver) = mpsc::channel::<(usize, thread::Result<Outcome>)>();
    let spawn = move |index: usize| {
        let job = Arc::clone(job);
        let sender = sender.clone();
        rayon::spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                let name = &job.names[index];
                check_one(name, &job.args, job.min_severity)
                    .map(|checked| report::render(job.args.format, &checked))
            }));
            // The receiver is gone only when the run is ending on a panic; nothing waits then.
            let _ = sender.send((index, outcome));
        });
    };
    let mut spawned = 0;
    while spawned < count.min(ahead) {
        spawn(spawned);
        spawned += 1;
    }
    let mut waiting: BTreeMap<usize, thread::Result<Outcome>> = BTreeMap::new();
    (0..count).map(move |next| {
        let outcome = loop {
            if let Some(outcome) = waiting.remove(&next) {
                break outcome;
            }
            let (index, outcome) = receiver
                .recv()
                .expect("every spawned check sends its outcome");
            waiting.insert(index, outcome);
        };
        if spawned < count {
            spawn(spawned);
            spawned += 1;
        }
        // A panic while checking is the program's fault: it goes on as if it had happened here.
        outcome.unwrap_or_else(|payload| panic::resume_unwind(payload))
    })
}

fn check_one(name: &str, args: &CheckArgs, min_severity: Severity) -> Result<Checked, String> {
    let input = files::read_input(name).map_err(|e: InputError| e.to_string())?;
    let display_name = match (&args.stdin_filename, name) {
        (Some(alias), "-") => alias.clone(),
        _ => name.to_string(),
    };
    let settings = files::settings_for(
        args.config.as_deref(),
        input
            .path
            .as_deref()
            .or(args.stdin_filename.as_deref().map(std::path::Path::new)),
    );
    let locale = args
        .locale
        .map(Locale::from)
        .or(settings.locale)
        .unwrap_or_default();
    let kind = DocumentKind::from_path(&display_name);
    let (text, mut findings) = if args.fix && input.path.is_some() {
        fix_file(&input, kind, &settings)?
    } else {
        let findings = analyze(&input.text, kind, &settings).findings;
        (input.text, findings)
    };
    findings.retain(|f| f.severity >= min_severity);
    Ok(Checked {
        name: display_name,
        text,
        findings,
        locale,
    })
}

/// Applies safe fixes until none is left (or a few rounds have passed), writes the file when it
/// changed, and returns the text with what remains to be reported.
fn fix_file(
    input: &Input,
    kind: DocumentKind,
    settings: &Settings,
) -> Result<(String, Vec<Finding>), String> {
    let (text, findings) = fixes::fix_text(&input.text, kind, settings);
    if text != input.text {
        files::write_atomically(input, &text).map_err(|e| e.to_string())?;
    }
    let _ = std::io::stderr().flush();
    Ok((text, findings))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        args: CheckArgs,
    }

    /// Files finish out of order (the long ones first in line); the report keeps the order of
    /// the input.
    #[test]
    fn reports_come_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let paragraph = "杨朋飞说:要抓落实,不折不扣。\n";
        for i in 0..24 {
            let text = format!("标题\n\n{}", paragraph.repeat((24 - i) * 40));
            std::fs::write(dir.path().join(format!("{i:02}.txt")), text).unwrap();
        }
        let folder = dir.path().display().to_string();
        let args = Command::try_parse_from(["check", "--format", "json", &folder])
            .unwrap()
            .args;
        let (names, _) = files::expand(&args.paths);
        let job = Arc::new(Job {
            min_severity: Severity::Hint,
            args,
            names: names.clone(),
        });
        let mut out = Vec::new();
        let mut printer = report::Printer::new(Format::Json, &mut out);
        for outcome in checked_in_order(&job) {
            printer.file(outcome.unwrap());
        }
        printer.finish().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let paths: Vec<&str> = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|file| file["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, names);
        assert_eq!(report["summary"]["files"], 24);
    }
}

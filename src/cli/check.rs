//! `jiaodui check`: findings for files, folders or standard input, printed as they are ready.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use super::files::{self, Input, InputError};
use super::report::{self, Checked};
use super::{EXIT_ERROR, EXIT_FINDINGS, LocaleArg, is_failure};
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

/// How many files are analysed together before their results are printed: enough to keep both
/// cores busy, few enough that memory stays bounded by a handful of files.
const BATCH: usize = 32;

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
    let min_severity = Severity::from(args.min_severity);
    let mut printer = report::Printer::new(args.format, std::io::stdout());
    let mut found_failure = false;
    for batch in names.chunks(BATCH) {
        let results: Vec<Result<Checked, String>> = batch
            .par_iter()
            .map(|name| check_one(name, &args, min_severity))
            .collect();
        for result in results {
            match result {
                Ok(checked) => {
                    found_failure |= checked.findings.iter().any(|f| is_failure(f.severity));
                    printer.file(&checked);
                }
                Err(message) => {
                    failed_input = true;
                    eprintln!("jiaodui: {message}");
                }
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
    let (text, findings) = if args.fix && input.path.is_some() {
        fix_file(&input, kind, &settings)?
    } else {
        let findings = analyze(&input.text, kind, &settings).findings;
        (input.text.clone(), findings)
    };
    let findings: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.severity >= min_severity)
        .collect();
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

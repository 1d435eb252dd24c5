//! The command line: `jiaodui lsp | check | outline | rules | explain`.
//!
//! Architecture invariant: this adapter reads files and prints; it converts byte ranges to
//! 1-based lines and character columns through [`crate::position`] only.

mod check;
mod files;
mod report;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::{DocumentKind, Locale, Severity, analyze, outline};
use crate::rules;

#[derive(Parser, Debug)]
#[command(
    name = "jiaodui",
    version,
    about = "校对 — a proofreader for Chinese political reportage (language server and checker)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the language server over stdio.
    Lsp {
        /// Accepted and ignored: stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check files, folders (recursing into .txt and .md) or standard input (`-`).
    Check(check::CheckArgs),
    /// Print the article's structure: headline, then one entry per interviewee.
    Outline {
        path: String,
        #[arg(long, value_enum, default_value_t = OutlineFormat::Human)]
        format: OutlineFormat,
        #[arg(long)]
        config: Option<std::path::PathBuf>,
    },
    /// List the rule catalogue.
    Rules {
        #[arg(long, value_enum, default_value_t = OutlineFormat::Human)]
        format: OutlineFormat,
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
    },
    /// Print one rule's documentation, with a wrong and a right example.
    Explain {
        rule: String,
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutlineFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum LocaleArg {
    Zh,
    En,
}

impl From<LocaleArg> for Locale {
    fn from(value: LocaleArg) -> Locale {
        match value {
            LocaleArg::Zh => Locale::Zh,
            LocaleArg::En => Locale::En,
        }
    }
}

/// Exit statuses: findings at warning or above give 1; usage and input errors give 2.
pub(crate) const EXIT_FINDINGS: u8 = 1;
pub(crate) const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    match cli.command {
        Command::Lsp { stdio: _ } => crate::lsp::run(),
        Command::Check(args) => check::run(args),
        Command::Outline {
            path,
            format,
            config,
        } => print_outline(&path, format, config.as_deref()),
        Command::Rules { format, locale } => {
            print_rules(format, locale.map_or(Locale::Zh, Into::into))
        }
        Command::Explain { rule, locale } => explain(&rule, locale.map_or(Locale::Zh, Into::into)),
    }
}

fn print_outline(path: &str, format: OutlineFormat, config: Option<&std::path::Path>) -> ExitCode {
    let input = match files::read_input(path) {
        Ok(input) => input,
        Err(error) => {
            eprintln!("jiaodui: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let settings = files::settings_for(config, Some(std::path::Path::new(path)));
    let kind = DocumentKind::from_path(path);
    let analysis = analyze(&input.text, kind, &settings);
    let outline = outline::outline(&input.text, &analysis);
    let rope = ropey::Rope::from_str(&input.text);
    let mut out = std::io::stdout().lock();
    let result = match format {
        OutlineFormat::Json => {
            let json = report::outline_json(&outline, &rope);
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            )
        }
        OutlineFormat::Human => {
            let mut text = String::new();
            if let Some(title) = &outline.title {
                text.push_str(title);
                text.push('\n');
            }
            for entry in &outline.entries {
                let (line, _) = crate::position::to_line_column(&rope, entry.range.start);
                let place = entry.place.as_deref().unwrap_or("—");
                let byline = entry.byline.as_deref().unwrap_or("");
                text.push_str(&format!("{line:>5}  {}  {byline}  [{place}]\n", entry.name));
            }
            out.write_all(text.as_bytes())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(EXIT_ERROR),
    }
}

fn print_rules(format: OutlineFormat, locale: Locale) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let result = match format {
        OutlineFormat::Json => {
            let list: Vec<serde_json::Value> = rules::catalogue()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id,
                        "severity": rule.default_severity.as_str(),
                        "fixable": rule.fix != rules::FixAvailability::None,
                        "summary": rule.summary().get(locale),
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            )
        }
        OutlineFormat::Human => {
            let mut text = String::new();
            for rule in rules::catalogue() {
                let fix = if rule.fix == rules::FixAvailability::None {
                    " "
                } else {
                    "*"
                };
                text.push_str(&format!(
                    "{:<24} {:<8} {fix} {}\n",
                    rule.id,
                    rule.default_severity.as_str(),
                    rule.summary().get(locale)
                ));
            }
            text.push_str(match locale {
                Locale::Zh => "\n* 可自动修复。`jiaodui explain 规则` 查看说明。\n",
                Locale::En => "\n* fixable. `jiaodui explain RULE` shows a rule's documentation.\n",
            });
            out.write_all(text.as_bytes())
        }
    };
    if result.is_err() {
        return ExitCode::from(EXIT_ERROR);
    }
    ExitCode::SUCCESS
}

fn explain(id: &str, locale: Locale) -> ExitCode {
    let Some(rule) = rules::find(id) else {
        let known: Vec<&str> = rules::catalogue().map(|r| r.id).collect();
        eprintln!(
            "jiaodui: unknown rule `{id}`; the rules are: {}",
            known.join(", ")
        );
        return ExitCode::from(EXIT_ERROR);
    };
    let severity = rule.default_severity.as_str();
    let header = format!(
        "# {} ({severity})\n\n{}\n\n",
        rule.id,
        rule.summary().get(locale)
    );
    let body = rule.documentation(locale);
    let _ = writeln!(std::io::stdout().lock(), "{header}{body}");
    ExitCode::SUCCESS
}

/// The severity at or above which a status is 1.
pub(crate) fn is_failure(severity: Severity) -> bool {
    severity >= Severity::Warning
}

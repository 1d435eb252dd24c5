//! Configuration: `jiaodui.toml`, and the same shape sent by editors as initialization options
//! or `workspace/didChangeConfiguration`.
//!
//! A malformed file never stops checking: [`Settings::from_toml`] returns the settings it could
//! read together with the problems, each with its line and column, and the defaults hold for the
//! rest. Only [`discover`] and [`load`] touch the file system.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::analysis::{Locale, Severity};
use crate::knowledge::{Knowledge, PlaceSpec, TitleSpec};
use crate::rules::{self, Rule};

/// The file name looked for in a document's folder and its parents.
pub const FILE_NAME: &str = "jiaodui.toml";

/// A person from the officials register (`[[people]]`): checked like a byline.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct PersonSpec {
    pub name: String,
    pub titles: Vec<String>,
    pub organisation: Option<String>,
    pub place: Option<String>,
    #[serde(alias = "valid-from")]
    pub valid_from: Option<String>,
    #[serde(alias = "valid-to")]
    pub valid_to: Option<String>,
}

/// A rule's setting: a level, or a table with a level and options.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
enum RuleValue {
    Level(String),
    Table(toml::Table),
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
struct Dictionary {
    words: Vec<String>,
}

/// The configuration as written.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
struct RawConfig {
    locale: Option<String>,
    rules: BTreeMap<String, RuleValue>,
    people: Vec<PersonSpec>,
    places: Vec<PlaceSpec>,
    titles: Vec<TitleSpec>,
    dictionary: Dictionary,
    /// Editors only: a configuration file to read in addition.
    config: Option<String>,
}

/// A problem in the configuration, with its position (1-based) when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", position.map_or(String::new(), |(l, c)| format!("{l}:{c}: ")))]
pub struct ConfigError {
    pub message: String,
    pub position: Option<(usize, usize)>,
}

/// What a rule is set to.
#[derive(Debug, Clone, PartialEq, Default)]
struct RuleSetting {
    /// `None`: the rule's default; `Some(None)`: off.
    level: Option<Option<Severity>>,
    options: toml::Table,
}

/// The resolved settings every analysis runs with. Cheap to share behind an `Arc`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The configured language, if any; adapters fall back to the client's or Chinese.
    pub locale: Option<Locale>,
    rules: BTreeMap<String, RuleSetting>,
    pub people: Vec<PersonSpec>,
    pub dictionary: Vec<String>,
    /// Editors may name a further configuration file.
    pub config_file: Option<String>,
    /// Built only when the configuration adds places or titles.
    knowledge: Option<Extended>,
}

/// The built-in knowledge extended by the configuration.
#[derive(Clone)]
struct Extended(Arc<Knowledge>);

impl std::fmt::Debug for Extended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Extended(..)")
    }
}

impl Settings {
    /// Reads a `jiaodui.toml`. Always returns settings; problems come beside them.
    pub fn from_toml(source: &str) -> (Settings, Vec<ConfigError>) {
        match toml::from_str::<RawConfig>(source) {
            Ok(raw) => Settings::from_raw(raw, Some(source)),
            Err(error) => {
                let position = error.span().map(|span| line_column(source, span.start));
                let message = error.message().to_string();
                // Keep what can be kept: a file whose `[rules]` is fine but whose people are
                // malformed still sets the rules.
                let partial = toml::from_str::<toml::Table>(source)
                    .ok()
                    .and_then(|table| table.get("rules").cloned())
                    .and_then(|rules| rules.try_into::<BTreeMap<String, RuleValue>>().ok())
                    .map(|rules| RawConfig {
                        rules,
                        ..RawConfig::default()
                    })
                    .unwrap_or_default();
                let (settings, mut errors) = Settings::from_raw(partial, Some(source));
                errors.insert(0, ConfigError { message, position });
                (settings, errors)
            }
        }
    }

    /// Reads editor settings (`initializationOptions`, `didChangeConfiguration`). Accepts the
    /// settings object itself or one wrapped as `{"jiaodui": {…}}`.
    pub fn from_json(value: &serde_json::Value) -> (Settings, Vec<ConfigError>) {
        let value = value.get("jiaodui").unwrap_or(value);
        if value.is_null() {
            return (Settings::default(), Vec::new());
        }
        match RawConfig::deserialize(value) {
            Ok(raw) => Settings::from_raw(raw, None),
            Err(error) => (
                Settings::default(),
                vec![ConfigError {
                    message: error.to_string(),
                    position: None,
                }],
            ),
        }
    }

    fn from_raw(raw: RawConfig, source: Option<&str>) -> (Settings, Vec<ConfigError>) {
        let mut errors = Vec::new();
        let locate = |key: &str| source.and_then(|s| find_key(s, key));
        let mut rules_set = BTreeMap::new();
        for (id, value) in raw.rules {
            if rules::find(&id).is_none() {
                errors.push(ConfigError {
                    message: format!("unknown rule `{id}`"),
                    position: locate(&id),
                });
                continue;
            }
            let (level, options) = match value {
                RuleValue::Level(level) => (Some(level), toml::Table::new()),
                RuleValue::Table(mut table) => {
                    let level = ["level", "severity"]
                        .iter()
                        .find_map(|key| table.remove(*key))
                        .and_then(|v| v.as_str().map(str::to_string));
                    (level, table)
                }
            };
            let level = match level.as_deref() {
                None => None,
                Some("off") => Some(None),
                Some(name) => match Severity::parse(name) {
                    Some(severity) => Some(Some(severity)),
                    None => {
                        errors.push(ConfigError {
                            message: format!(
                                "`{id}`: unknown level `{name}` (use off, hint, info, warning or error)"
                            ),
                            position: locate(&id),
                        });
                        None
                    }
                },
            };
            rules_set.insert(id, RuleSetting { level, options });
        }
        let knowledge = (!raw.places.is_empty() || !raw.titles.is_empty()).then(|| {
            Extended(Arc::new(Knowledge::with_additions(
                &raw.places,
                &raw.titles,
            )))
        });
        errors.sort_by_key(|e| e.position);
        let settings = Settings {
            locale: raw.locale.as_deref().map(Locale::from_tag),
            rules: rules_set,
            people: raw.people,
            dictionary: raw.dictionary.words,
            config_file: raw.config,
            knowledge,
        };
        (settings, errors)
    }

    /// The knowledge the analysis uses: built-in, plus the configured additions.
    pub fn knowledge(&self) -> &Knowledge {
        match &self.knowledge {
            Some(Extended(knowledge)) => knowledge,
            None => Knowledge::builtin(),
        }
    }

    /// The severity a rule reports at, `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        match self.rules.get(rule.id).and_then(|s| s.level) {
            Some(level) => level,
            None => Some(rule.default_severity),
        }
    }

    /// The rule's options (`[rules.duplicate-passage] min_chars = 40`).
    pub fn rule_options(&self, id: &str) -> Option<&toml::Table> {
        self.rules
            .get(id)
            .map(|s| &s.options)
            .filter(|t| !t.is_empty())
    }

    /// Sets a rule's level, as editors and `--select`-style flags do; `None` turns it off.
    pub fn set_level(&mut self, id: &str, level: Option<Severity>) {
        self.rules.entry(id.to_string()).or_default().level = Some(level);
    }

    /// Settings from `other` laid over these: rule levels and options, people, words, locale.
    pub fn merged_with(&self, other: &Settings) -> Settings {
        let mut merged = self.clone();
        for (id, setting) in &other.rules {
            let entry = merged.rules.entry(id.clone()).or_default();
            if setting.level.is_some() {
                entry.level = setting.level;
            }
            entry.options.extend(setting.options.clone());
        }
        merged.people.extend(other.people.iter().cloned());
        merged.dictionary.extend(other.dictionary.iter().cloned());
        merged.locale = other.locale.or(self.locale);
        merged.config_file = other.config_file.clone().or(self.config_file.clone());
        if other.knowledge.is_some() {
            merged.knowledge = other.knowledge.clone();
        }
        merged
    }
}

/// The nearest `jiaodui.toml` in `start`'s folder or any parent.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let folder = if start.is_dir() {
        start
    } else {
        start.parent()?
    };
    folder
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads a configuration file. An unreadable file gives the defaults and an error.
pub fn load(path: &Path) -> (Settings, Vec<ConfigError>) {
    match std::fs::read_to_string(path) {
        Ok(source) => Settings::from_toml(&source),
        Err(error) => (
            Settings::default(),
            vec![ConfigError {
                message: format!("cannot read {}: {error}", path.display()),
                position: None,
            }],
        ),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..source.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where a key is first written in the source.
fn find_key(source: &str, key: &str) -> Option<(usize, usize)> {
    source
        .find(&format!("{key} "))
        .or_else(|| source.find(&format!("{key}=")))
        .or_else(|| source.find(key))
        .map(|at| line_column(source, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::find;

    #[test]
    fn rule_levels_and_options_are_read() {
        let (settings, errors) =
            Settings::from_toml("locale = \"en\"\n[rules]\nhalfwidth-punctuation = \"off\"\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(settings.locale, Some(Locale::En));
        let rule = find("halfwidth-punctuation").unwrap();
        assert_eq!(settings.severity(rule), None);
        assert_eq!(Settings::default().severity(rule), Some(Severity::Hint));
    }

    #[test]
    fn a_rule_table_sets_level_and_options() {
        let (settings, errors) = Settings::from_toml(
            "[rules.halfwidth-punctuation]\nlevel = \"warning\"\nmin_chars = 40\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let rule = find("halfwidth-punctuation").unwrap();
        assert_eq!(settings.severity(rule), Some(Severity::Warning));
        let options = settings.rule_options(rule.id).unwrap();
        assert_eq!(
            options.get("min_chars").and_then(|v| v.as_integer()),
            Some(40)
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column_and_keep_defaults() {
        let (settings, errors) = Settings::from_toml("[rules]\nhalfwidth-punctuation = \n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].position.map(|p| p.0), Some(2));
        let rule = find("halfwidth-punctuation").unwrap();
        assert_eq!(settings.severity(rule), Some(Severity::Hint));
    }

    #[test]
    fn unknown_rules_and_levels_are_reported_where_written() {
        let (settings, errors) = Settings::from_toml(
            "[rules]\nno-such-rule = \"off\"\nhalfwidth-punctuation = \"loud\"\n",
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].position, Some((2, 1)));
        assert_eq!(errors[1].position, Some((3, 1)));
        let rule = find("halfwidth-punctuation").unwrap();
        assert_eq!(settings.severity(rule), Some(Severity::Hint));
    }

    #[test]
    fn editor_settings_have_the_same_shape() {
        let value = serde_json::json!({"jiaodui": {"rules": {"halfwidth-punctuation": "error"}, "locale": "en-US"}});
        let (settings, errors) = Settings::from_json(&value);
        assert!(errors.is_empty());
        let rule = find("halfwidth-punctuation").unwrap();
        assert_eq!(settings.severity(rule), Some(Severity::Error));
        assert_eq!(settings.locale, Some(Locale::En));
    }

    #[test]
    fn later_settings_win_when_merged() {
        let (file, _) = Settings::from_toml("[rules]\nhalfwidth-punctuation = \"off\"\n");
        let (editor, _) =
            Settings::from_json(&serde_json::json!({"rules": {"halfwidth-punctuation": "info"}}));
        let rule = find("halfwidth-punctuation").unwrap();
        assert_eq!(
            file.merged_with(&editor).severity(rule),
            Some(Severity::Info)
        );
        assert_eq!(editor.merged_with(&file).severity(rule), None);
    }
}

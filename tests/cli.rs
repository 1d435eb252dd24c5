//! The command line, run as a user runs it.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn jiaodui(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiaodui"))
        .args(args)
        .output()
        .expect("run jiaodui")
}

fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaodui"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jiaodui");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn fixture_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hohhot-interviews-2026.txt")
        .display()
        .to_string()
}

const HALFWIDTH: &str = "标题\n\n杨朋飞说:要抓落实,不折不扣。\n";

#[test]
fn json_output_has_the_shape_of_the_spec() {
    let output = with_stdin(&["check", "--format", "json", "-"], HALFWIDTH.as_bytes());
    assert_eq!(
        output.status.code(),
        Some(0),
        "hints alone do not fail: {}",
        stderr(&output)
    );
    let report: Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    let file = &report["files"][0];
    assert_eq!(file["path"], "-");
    let first = &file["diagnostics"][0];
    assert_eq!(first["rule"], "halfwidth-punctuation");
    assert_eq!(first["severity"], "hint");
    assert_eq!(
        first["range"]["start"],
        serde_json::json!({"line": 3, "column": 5})
    );
    assert_eq!(
        first["range"]["end"],
        serde_json::json!({"line": 3, "column": 6})
    );
    assert_eq!(first["fixes"][0]["edits"][0]["new_text"], "：");
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 1, "diagnostics": 2})
    );
}

#[test]
fn warnings_set_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("jiaodui.toml"),
        "[rules]\nhalfwidth-punctuation = \"warning\"\n",
    )
    .unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, HALFWIDTH).unwrap();
    let output = jiaodui(&["check", article.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let output = jiaodui(&[
        "check",
        "--min-severity",
        "error",
        article.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn human_output_puts_carets_under_wide_characters() {
    let output = with_stdin(&["check", "-"], "标题\n\n𠮷先生说,好。\n".as_bytes());
    let text = stdout(&output);
    assert!(
        text.contains("-:3:5: hint[halfwidth-punctuation]"),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.starts_with("3 | "))
        .expect("source line");
    assert_eq!(lines[source], "3 | 𠮷先生说,好。");
    // 𠮷先生说 is four double-width characters: eight columns before the caret.
    assert_eq!(lines[source + 1], "  |         ^");
}

#[test]
fn invalid_utf8_is_named_and_the_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"\xe6\xa0\x87\xff\xfe").unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, HALFWIDTH).unwrap();
    let output = jiaodui(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bad.txt: not valid UTF-8"),
        "{}",
        stderr(&output)
    );
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    assert!(
        report["files"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("good.txt")
    );
}

#[test]
fn missing_files_and_binaries_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("image.txt");
    fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0, 13]).unwrap();
    let output = jiaodui(&["check", binary.to_str().unwrap(), "/no/such/file.txt"]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(errors.contains("binary"), "{errors}");
    assert!(
        errors.contains("/no/such/file.txt: no such file"),
        "{errors}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_and_the_walk_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("inner");
    fs::create_dir(&inner).unwrap();
    std::os::unix::fs::symlink(dir.path(), inner.join("loop")).unwrap();
    fs::write(inner.join("a.md"), HALFWIDTH).unwrap();
    let output = jiaodui(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("loop"), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn usage_errors_exit_with_two() {
    assert_eq!(
        jiaodui(&["check", "--format", "xml", "-"]).status.code(),
        Some(2)
    );
    assert_eq!(jiaodui(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(jiaodui(&["explain", "no-such-rule"]).status.code(), Some(2));
    assert_eq!(
        jiaodui(&["check", "--config", "/no/such.toml", "-"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn fix_rewrites_the_file_atomically_and_keeps_its_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, HALFWIDTH).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&article, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let output = jiaodui(&["check", "--fix", article.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(&article).unwrap(),
        "标题\n\n杨朋飞说：要抓落实，不折不扣。\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&article).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    // A second run changes nothing.
    let before = fs::metadata(&article).unwrap().modified().unwrap();
    jiaodui(&["check", "--fix", article.to_str().unwrap()]);
    assert_eq!(fs::metadata(&article).unwrap().modified().unwrap(), before);
}

#[test]
fn fix_never_touches_a_file_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    let bytes = b"\xe6\xa0\x87\xe9\xa2\x98,\xff".to_vec();
    fs::write(&article, &bytes).unwrap();
    let output = jiaodui(&["check", "--fix", article.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(fs::read(&article).unwrap(), bytes);
}

#[test]
fn sarif_output_is_a_valid_log() {
    let output = with_stdin(&["check", "--format", "sarif", "-"], HALFWIDTH.as_bytes());
    let log: Value = serde_json::from_str(&stdout(&output)).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "jiaodui");
    assert_eq!(run["results"][0]["ruleId"], "halfwidth-punctuation");
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"],
        5
    );
}

#[test]
fn outline_lists_every_interviewee_with_place() {
    let output = jiaodui(&["outline", "--format", "json", &fixture_path()]);
    assert_eq!(output.status.code(), Some(0));
    let outline: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(outline["title"], "凝心聚力绘蓝图 实干担当谱新篇");
    let sections = outline["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 15);
    assert_eq!(sections[2]["name"], "杨朋飞");
    assert_eq!(sections[2]["byline"], "赛罕区委副书记、代区长杨朋飞");
    assert_eq!(
        sections[2]["titles"],
        serde_json::json!(["赛罕区委副书记", "代区长"])
    );
    assert_eq!(sections[2]["place"], "赛罕区");
    assert_eq!(sections[2]["headline"], "凝心聚力抓落实 奋楫争先挑大梁");
    assert_eq!(sections[3]["place"], Value::Null);
}

#[test]
fn rules_and_explain_document_the_catalogue() {
    let output = jiaodui(&["rules"]);
    assert!(stdout(&output).contains("halfwidth-punctuation"));
    let output = jiaodui(&["explain", "halfwidth-punctuation"]);
    let text = stdout(&output);
    assert!(
        text.contains("## 错误示例") && text.contains("## 正确写法"),
        "{text}"
    );
    let output = jiaodui(&["explain", "--locale", "en", "halfwidth-punctuation"]);
    let text = stdout(&output);
    assert!(
        text.contains("## Example") && text.contains("## Use instead"),
        "{text}"
    );
}

#[test]
fn a_malformed_configuration_is_reported_with_its_position_and_defaults_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("jiaodui.toml"),
        "[rules]\nhalfwidth-punctuation = \n",
    )
    .unwrap();
    let article = dir.path().join("a.txt");
    fs::write(&article, HALFWIDTH).unwrap();
    let output = jiaodui(&["check", "--format", "json", article.to_str().unwrap()]);
    assert!(
        stderr(&output).contains("jiaodui.toml:2:"),
        "{}",
        stderr(&output)
    );
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["summary"]["diagnostics"], 2);
}

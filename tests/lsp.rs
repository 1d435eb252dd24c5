//! The language server, driven over stdio as an editor drives it.

mod support;

use serde_json::{Value, json};
use support::{Client, fixture, utf16_len};

const URI: &str = "file:///tmp/jiaodui-test/article.txt";

/// Position encodings an editor may use for columns.
#[derive(Clone, Copy, Debug)]
enum Units {
    Utf8,
    Utf16,
}

fn units(text: &str, units: Units) -> u32 {
    match units {
        Units::Utf8 => text.len() as u32,
        Units::Utf16 => utf16_len(text),
    }
}

fn position_of(text: &str, byte: usize, encoding: Units) -> (u32, u32) {
    let before = &text[..byte];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    (line as u32, units(&before[line_start..], encoding))
}

fn change(uri: &str, version: i64, range: ((u32, u32), (u32, u32)), text: &str) -> Value {
    json!({
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{
            "range": {"start": {"line": range.0.0, "character": range.0.1},
                      "end": {"line": range.1.0, "character": range.1.1}},
            "text": text
        }]
    })
}

#[test]
fn utf8_is_chosen_when_offered() {
    let client = Client::start(Some(&["utf-8", "utf-16"]));
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-8"
    );
    client.shutdown();
}

#[test]
fn utf16_is_the_fallback() {
    let client = Client::start(None);
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-16"
    );
    client.shutdown();
    let client = Client::start(Some(&["utf-16"]));
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-16"
    );
    client.shutdown();
}

#[test]
fn document_symbols_list_the_interviewees_in_order() {
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(URI, "plaintext", &fixture("hohhot-interviews-2026.txt"));
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let article = &symbols[0];
    assert_eq!(article["name"], "凝心聚力绘蓝图 实干担当谱新篇");
    let names: Vec<&str> = article["children"]
        .as_array()
        .expect("interviewees")
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "李锐亨",
            "哈达",
            "杨朋飞",
            "马芸芸",
            "王冬生",
            "赵永刚",
            "刘占英",
            "李六小",
            "廖雁渝",
            "徐艳国",
            "刘志强",
            "郭菊颖",
            "汪驰",
            "李敏娜",
            "刘照江"
        ]
    );
    let yang = &article["children"][2];
    assert_eq!(yang["detail"], "赛罕区委副书记、代区长杨朋飞");
    // The selection is the name in the byline (line 33, after “——访赛罕区委副书记、代区长”).
    assert_eq!(yang["selectionRange"]["start"]["line"], 32);
    assert_eq!(yang["selectionRange"]["start"]["character"], 14);
    client.shutdown();
}

/// Edits that insert and delete 𠮷 and CRLF line breaks, in both encodings, leave the server's
/// text equal to the editor's.
#[test]
fn incremental_edits_keep_the_server_in_step() {
    for encoding in [Units::Utf8, Units::Utf16] {
        let offered: &[&str] = match encoding {
            Units::Utf8 => &["utf-8"],
            Units::Utf16 => &["utf-16"],
        };
        let mut client = Client::start(Some(offered));
        let mut text = String::from("第一行𠮷文字\r\n第二行，鋒。\n第三行");
        client.open(URI, "plaintext", &text);
        let script: [(usize, usize, &str); 8] = [
            (3, 4, ""),       // delete 𠮷
            (0, 0, "𠮷"),     // insert at the start
            (5, 5, "\r\n"),   // split a line with CRLF
            (2, 3, "𠮷𠮷"),   // replace one character with two astral ones
            (9, 11, ""),      // delete across the CRLF just made
            (12, 12, "\r"),   // a lone CR
            (0, 1, "𠮷\r\n"), // replace 𠮷 with 𠮷 and a line break
            (20, 22, "末"),
        ];
        for (version, (from, to, insert)) in script.iter().enumerate() {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
            let (start, end) = (byte(*from), byte((*to).max(*from)));
            let range = (
                position_of(&text, start, encoding),
                position_of(&text, end, encoding),
            );
            client.notify(
                "textDocument/didChange",
                change(URI, version as i64 + 2, range, insert),
            );
            text.replace_range(start..end, insert);
        }
        assert_eq!(client.server_text(URI), text, "{encoding:?}");
        client.shutdown();
    }
}

/// A thousand edits fired without waiting: none is lost or reordered.
#[test]
fn a_burst_of_edits_arrives_whole_and_in_order() {
    let mut client = Client::start(Some(&["utf-16"]));
    let mut text = fixture("hohhot-interviews-2026.txt");
    client.open(URI, "plaintext", &text);
    let pieces = ["一", "𠮷", "，", "\r\n", "a", ""];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for version in 2..1002 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let pick = |n: u64| {
            chars
                .get((n as usize) % chars.len().max(1))
                .copied()
                .unwrap_or(0)
        };
        let mut start = pick(seed);
        if text[..start].ends_with('\r') && text[start..].starts_with('\n') {
            start -= 1;
        }
        let deleting = seed.is_multiple_of(3);
        let mut end = if deleting {
            text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8())
        } else {
            start
        };
        if text[..end].ends_with('\r') && text[end..].starts_with('\n') {
            end += 1;
        }
        let insert = pieces[(seed >> 8) as usize % pieces.len()];
        let range = (
            position_of(&text, start, Units::Utf16),
            position_of(&text, end, Units::Utf16),
        );
        client.notify(
            "textDocument/didChange",
            change(URI, version, range, insert),
        );
        text.replace_range(start..end, insert);
    }
    assert_eq!(client.server_text(URI), text);
    // The diagnostics of the last version are those a fresh analysis of the final text gives.
    let published = client.diagnostics(URI, 1001);
    let rope = ropey::Rope::from_str(&text);
    let fresh = jiaodui::analysis::analyze(
        &text,
        jiaodui::analysis::DocumentKind::Plain,
        &jiaodui::config::Settings::default(),
    );
    let key = |rule: &str, start: jiaodui::position::Position, end: jiaodui::position::Position| {
        format!(
            "{rule} {}:{}-{}:{}",
            start.line, start.character, end.line, end.character
        )
    };
    let expected: Vec<String> = fresh
        .findings
        .iter()
        .map(|f| {
            let at = |byte| {
                jiaodui::position::to_position(&rope, byte, jiaodui::position::Encoding::Utf16)
            };
            key(f.rule, at(f.range.start), at(f.range.end))
        })
        .collect();
    let got: Vec<String> = published
        .iter()
        .map(|d| {
            let at = |p: &Value| {
                jiaodui::position::Position::new(
                    p["line"].as_u64().unwrap() as u32,
                    p["character"].as_u64().unwrap() as u32,
                )
            };
            key(
                d["code"].as_str().unwrap(),
                at(&d["range"]["start"]),
                at(&d["range"]["end"]),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(client.alive());
    client.shutdown();
}

#[test]
fn diagnostics_carry_version_rule_and_positions_in_the_negotiated_encoding() {
    let line = "𠮷先生说,好的。";
    let text = format!("标题\n\n{line}\n");
    for (offered, expected) in [
        ("utf-16", utf16_len("𠮷先生说")),
        ("utf-8", "𠮷先生说".len() as u32),
    ] {
        let mut client = Client::start(Some(&[offered]));
        client.open(URI, "plaintext", &text);
        let diagnostics = client.diagnostics(URI, 1);
        let comma = diagnostics
            .iter()
            .find(|d| d["code"] == "halfwidth-punctuation")
            .expect("a halfwidth-punctuation diagnostic");
        assert_eq!(comma["source"], "jiaodui");
        assert_eq!(
            comma["range"]["start"],
            json!({"line": 2, "character": expected})
        );
        assert_eq!(
            comma["range"]["end"],
            json!({"line": 2, "character": expected + 1})
        );
        let actions = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": URI},
                "range": comma["range"],
                "context": {"diagnostics": [comma], "only": ["quickfix"]}
            }),
        );
        let edit = &actions[0]["edit"]["changes"][URI][0];
        assert_eq!(
            edit["range"]["start"],
            json!({"line": 2, "character": expected})
        );
        assert_eq!(edit["newText"], "，");
        client.shutdown();
    }
}

#[test]
fn fix_all_gathers_every_safe_fix() {
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(URI, "plaintext", "标题\n\n他说:好,很好。\n");
    client.diagnostics(URI, 1);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "source.fixAll.jiaodui")
        .expect("a fix-all action");
    let edits = action["edit"]["changes"][URI].as_array().unwrap();
    let new_texts: Vec<&str> = edits
        .iter()
        .map(|e| e["newText"].as_str().unwrap())
        .collect();
    assert_eq!(new_texts, ["：", "，"]);
    client.shutdown();
}

#[test]
fn english_text_gets_no_diagnostics() {
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(
        URI,
        "plaintext",
        "Hello, world! This note is in English (mostly).\n",
    );
    assert!(client.diagnostics(URI, 1).is_empty());
    client.shutdown();
}

#[test]
fn configuration_changes_recheck_open_documents() {
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(URI, "plaintext", "标题\n\n他说:好。\n");
    assert!(!client.diagnostics(URI, 1).is_empty());
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"jiaodui": {"rules": {"halfwidth-punctuation": "off"}}}}),
    );
    let later = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == URI && p["diagnostics"].as_array().is_some_and(|d| d.is_empty())
    });
    assert_eq!(later["version"], 1);
    client.shutdown();
}

#[test]
fn messages_follow_the_client_locale_and_the_settings() {
    let mut client = Client::start_with(Some(&["utf-16"]), Value::Null, Some("en-US"));
    client.open(URI, "plaintext", "标题\n\n他说:好。\n");
    let diagnostics = client.diagnostics(URI, 1);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("use the full-width")
    );
    client.shutdown();
    let options = json!({"locale": "zh"});
    let mut client = Client::start_with(Some(&["utf-16"]), options, Some("en-US"));
    client.open(URI, "plaintext", "标题\n\n他说:好。\n");
    let diagnostics = client.diagnostics(URI, 1);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("中文")
    );
    client.shutdown();
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(URI, "plaintext", "标题\n\n他说:好。\n");
    client.diagnostics(URI, 1);
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == URI && p["diagnostics"].as_array().is_some_and(|d| d.is_empty())
    });
    let text = client.request_raw("jiaodui/documentText", json!({"uri": URI}));
    assert!(text["result"].is_null());
    client.shutdown();
}

#[test]
fn a_rule_can_be_disabled_for_the_document_or_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    let uri = format!("file://{}", path.display());
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(&uri, "plaintext", "标题\n\n他说:好。\n");
    let diagnostics = client.diagnostics(&uri, 1);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics, "only": ["quickfix"]}
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let document = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("本文档"))
        .unwrap_or_else(|| panic!("no document-wide action in {titles:?}"));
    let edit = &document["edit"]["changes"][&uri][0];
    assert_eq!(
        edit["newText"],
        "<!-- jiaodui-disable halfwidth-punctuation -->\n"
    );
    let workspace = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("工作区"))
        .expect("a workspace-wide action");
    let operations = workspace["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(operations[0]["kind"], "create");
    assert_eq!(
        operations[1]["edits"][0]["newText"],
        "[rules]\nhalfwidth-punctuation = \"off\"\n"
    );
    // Applying the document-wide marker silences the rule.
    client.notify(
        "textDocument/didChange",
        change(
            &uri,
            2,
            ((0, 0), (0, 0)),
            "<!-- jiaodui-disable halfwidth-punctuation -->\n",
        ),
    );
    assert!(client.diagnostics(&uri, 2).is_empty());
    client.shutdown();
}

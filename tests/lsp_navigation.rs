//! Go to definition, references, highlights, rename and hover on people, driven over stdio as an
//! editor drives them, with UTF-16 columns on a line that holds a character outside the BMP.

mod support;

use serde_json::{Value, json};
use support::{Client, utf16_len};

const URI: &str = "file:///tmp/jiaodui-navigation/article.txt";

const TEXT: &str = "凝心聚力抓落实 奋楫争先挑大梁\n\n——访赛罕区委副书记、代区长杨朋飞\n\n𠮷杨朋飞表示，赛罕区将扎实推进各项工作。杨区长说，要抓好项目建设。\n";

/// The (line, UTF-16 column) of the `nth` occurrence of `needle`.
fn position(needle: &str, nth: usize) -> (u32, u32) {
    let at = TEXT
        .match_indices(needle)
        .nth(nth)
        .expect("needle in text")
        .0;
    let line = TEXT[..at].matches('\n').count() as u32;
    let line_start = TEXT[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, utf16_len(&TEXT[line_start..at]))
}

/// The byte offset of a (line, UTF-16 column) position.
fn offset(text: &str, line: u64, character: u64) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line as usize)
        .map(str::len)
        .sum();
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units >= character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn range_of(value: &Value) -> ((u64, u64), (u64, u64)) {
    let point = |p: &Value| {
        (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        )
    };
    (point(&value["start"]), point(&value["end"]))
}

fn at(needle: &str, nth: usize, inside: u32) -> Value {
    let (line, character) = position(needle, nth);
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character + inside}})
}

fn start() -> Client {
    let mut client = Client::start(Some(&["utf-16"]));
    client.open(URI, "plaintext", TEXT);
    client.diagnostics(URI, 1);
    client
}

#[test]
fn definition_is_the_name_in_the_byline() {
    let mut client = start();
    let result = client.request("textDocument/definition", at("杨朋飞", 1, 1));
    let (line, character) = position("杨朋飞", 0);
    let range = range_of(&result["range"]);
    assert_eq!(
        range,
        (
            (line as u64, character as u64),
            (line as u64, character as u64 + 3)
        )
    );
    client.shutdown();
}

#[test]
fn references_include_every_form_in_utf16_columns() {
    let mut client = start();
    let mut params = at("杨朋飞", 1, 1);
    params["context"] = json!({"includeDeclaration": true});
    let result = client.request("textDocument/references", params);
    let ranges: Vec<_> = result
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| range_of(&l["range"]))
        .collect();
    let (byline_line, byline_column) = position("杨朋飞", 0);
    let (body_line, body_column) = position("杨朋飞", 1);
    let (surname_line, surname_column) = position("杨区长", 0);
    assert_eq!(body_column, 2, "𠮷 counts two UTF-16 units");
    let expected = [
        ((byline_line, byline_column), 3),
        ((body_line, body_column), 3),
        ((surname_line, surname_column), 1),
    ]
    .map(|((l, c), n)| ((l as u64, c as u64), (l as u64, c as u64 + n)));
    assert_eq!(ranges, expected);

    let highlights = client.request("textDocument/documentHighlight", at("杨区长", 0, 0));
    assert_eq!(highlights.as_array().map(Vec::len), Some(3));
    client.shutdown();
}

#[test]
fn rename_edits_every_mention() {
    let mut client = start();
    let prepared = client.request("textDocument/prepareRename", at("杨朋飞", 1, 2));
    assert_eq!(prepared["placeholder"], "杨朋飞");
    let mut params = at("杨朋飞", 1, 2);
    params["newName"] = json!("杨鹏飞");
    let result = client.request("textDocument/rename", params);
    let edits = result["changes"][URI]
        .as_array()
        .or_else(|| result["documentChanges"][0]["edits"].as_array())
        .cloned()
        .expect("edits");
    assert_eq!(edits.len(), 3);
    let mut text = TEXT.to_string();
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            let ((sl, sc), (el, ec)) = range_of(&edit["range"]);
            let new = edit["newText"].as_str().unwrap().to_string();
            (offset(TEXT, sl, sc), offset(TEXT, el, ec), new)
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (start, end, new) in spans {
        text.replace_range(start..end, &new);
    }
    assert!(text.contains("——访赛罕区委副书记、代区长杨鹏飞"), "{text}");
    assert!(text.contains("𠮷杨鹏飞表示"), "{text}");
    assert!(text.contains("杨鹏飞区长说"), "{text}");
    client.shutdown();
}

#[test]
fn hover_on_a_later_mention_shows_the_byline() {
    let mut client = start();
    let result = client.request("textDocument/hover", at("杨朋飞", 1, 1));
    let markdown = result["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        markdown.contains("赛罕区") && markdown.contains("代区长"),
        "{markdown}"
    );
    let result = client.request("textDocument/hover", at("代区长", 0, 1));
    let markdown = result["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        markdown.contains("acting") && markdown.contains("代理区长"),
        "{markdown}"
    );
    client.shutdown();
}

#[test]
fn nothing_to_navigate_outside_a_name() {
    let mut client = start();
    let result = client.request("textDocument/definition", at("项目建设", 0, 1));
    assert!(result.is_null(), "{result}");
    client.shutdown();
}

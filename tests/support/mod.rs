//! A small LSP client for tests: it speaks JSON-RPC to `jiaodui lsp` over stdio, as an editor
//! does. A reader thread drains the server's output so that neither side can block the other.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: i64,
    /// Notifications and requests from the server, in arrival order.
    pub notifications: Vec<Value>,
    pub initialize_result: Value,
}

/// Reads `Content-Length` framed messages until the stream ends.
fn pump(stdout: impl Read + Send + 'static, sender: std::sync::mpsc::Sender<Value>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
            let Some(length) = length else { return };
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                return;
            };
            if sender.send(message).is_err() {
                return;
            }
        }
    });
}

impl Client {
    /// Starts the server and initializes it offering these position encodings (`None`: the
    /// field is left out, as older clients do).
    pub fn start(encodings: Option<&[&str]>) -> Client {
        Client::start_with(encodings, Value::Null, None)
    }

    pub fn start_with(encodings: Option<&[&str]>, options: Value, locale: Option<&str>) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jiaodui"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start jiaodui lsp");
        let stdin = child.stdin.take().expect("stdin");
        let (sender, inbox) = channel();
        pump(child.stdout.take().expect("stdout"), sender);
        let mut client = Client {
            child,
            stdin,
            inbox,
            next_id: 0,
            notifications: Vec::new(),
            initialize_result: Value::Null,
        };
        let mut capabilities = json!({
            "textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
                "rename": {"prepareSupport": true}
            }
        });
        if let Some(encodings) = encodings {
            capabilities["general"] = json!({"positionEncodings": encodings});
        }
        let mut params = json!({"processId": null, "rootUri": null, "capabilities": capabilities});
        if !options.is_null() {
            params["initializationOptions"] = options;
        }
        if let Some(locale) = locale {
            params["locale"] = json!(locale);
        }
        client.initialize_result = client.request("initialize", params);
        client.notify("initialized", json!({}));
        client
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write to server");
        self.stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("json");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.send_raw(&frame);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no answer to {method}"));
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.other(message);
        }
    }

    /// Sends a request and returns its result, failing the test on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.inbox.recv_timeout(left).ok()
    }

    fn other(&mut self, message: Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let id = message["id"].clone();
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
        self.notifications.push(message);
    }

    /// Waits for a notification matching `predicate` (already received ones included).
    pub fn wait_for(&mut self, method: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(found) = self
                .notifications
                .iter()
                .find(|m| m["method"] == method && predicate(&m["params"]))
            {
                return found["params"].clone();
            }
            let message = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no {method} notification arrived"));
            self.other(message);
        }
    }

    /// Diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// The text the server holds for a document.
    pub fn server_text(&mut self, uri: &str) -> String {
        let text = self.request("jiaodui/documentText", json!({"uri": uri}));
        text.as_str().expect("document text").to_string()
    }

    /// Is the server process still running?
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn shutdown(mut self) {
        let _ = self.request_raw("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the server did not exit after shutdown and exit");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fixture shipped with the tests.
pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

/// UTF-16 length of a string, as VS Code counts columns.
pub fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

// Helpers for the protocol abuse tests (tests/protocol_abuse.rs).

impl Client {
    /// Starts the server without the `initialize` handshake.
    pub fn spawn_uninitialized() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jiaodui"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start jiaodui lsp");
        let stdin = child.stdin.take().expect("stdin");
        let (sender, inbox) = channel();
        pump(child.stdout.take().expect("stdout"), sender);
        Client {
            child,
            stdin,
            inbox,
            next_id: 0,
            notifications: Vec::new(),
            initialize_result: Value::Null,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory in KiB (`VmRSS` in /proc/<pid>/status).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// The next message from the server (responses included), if one comes within `timeout`.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        self.inbox.recv_timeout(timeout).ok()
    }

    /// Sends a request with the given id and waits up to `timeout` for the response with that
    /// id; other messages are kept as notifications. `None` when no answer came in time.
    pub fn request_with_id(
        &mut self,
        id: Value,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Option<Value> {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + timeout;
        loop {
            let message = self.receive(deadline)?;
            if message.get("id") == Some(&id) && message.get("method").is_none() {
                return Some(message);
            }
            self.other(message);
        }
    }
}

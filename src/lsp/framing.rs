//! A guard in front of the server's input: it reads `Content-Length` frames from the client
//! and passes on only well-formed JSON-RPC messages.
//!
//! The protocol library stops reading at the first frame it cannot decode, which would end the
//! session over one bad message. Here a frame that is not JSON-RPC is dropped (and logged), a
//! malformed request that still carries an id is replaced by a request the server answers with
//! "invalid request" for that id, and garbage between frames is skipped up to the next
//! `Content-Length` header.
//!
//! On the way out, the frames the protocol library writes and those the server writes itself
//! (a document's diagnostics, see `server::Outbox`) are queued whole and written one after
//! another, so that none is cut into by another.

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

/// The method a malformed request with a usable id is turned into; the server answers it with
/// an "invalid request" error.
pub const INVALID_REQUEST_METHOD: &str = "jiaodui/invalidRequest";

/// The largest body taken (a 20 MB document is far below it).
const MAX_BODY: usize = 512 << 20;

/// The longest header block looked at before it is taken for garbage.
const MAX_HEADER: usize = 8 << 10;

const HEADER_NAME: &[u8] = b"content-length:";

/// The buffer capacity kept between messages.
const KEEP_CAPACITY: usize = 1 << 20;

/// What the next bytes of the input hold.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// A complete body.
    Frame(Vec<u8>),
    /// Bytes that were skipped: garbage, or a header that announces no usable body.
    Skipped(usize),
}

/// Takes the next step off the front of `buffer`, or `None` when more input is needed.
fn next_step(buffer: &mut Vec<u8>) -> Option<Step> {
    if buffer.is_empty() {
        return None;
    }
    match find_ignore_case(buffer, HEADER_NAME) {
        Some(0) => {}
        Some(at) => {
            buffer.drain(..at);
            return Some(Step::Skipped(at));
        }
        None => {
            // Keep a tail that could be the start of a header split across reads.
            let keep = HEADER_NAME.len().min(buffer.len());
            let drop = buffer.len() - keep;
            if drop == 0 {
                return None;
            }
            buffer.drain(..drop);
            return Some(Step::Skipped(drop));
        }
    }
    let Some(header_end) = find(buffer, b"\r\n\r\n") else {
        if buffer.len() > MAX_HEADER {
            buffer.drain(..HEADER_NAME.len());
            return Some(Step::Skipped(HEADER_NAME.len()));
        }
        return None;
    };
    let length = std::str::from_utf8(&buffer[..header_end])
        .ok()
        .and_then(|header| {
            header.split("\r\n").find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
        })
        .filter(|&length| length <= MAX_BODY);
    let body_start = header_end + 4;
    let Some(length) = length else {
        buffer.drain(..body_start);
        return Some(Step::Skipped(body_start));
    };
    if buffer.len() < body_start + length {
        return None;
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Step::Frame(body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// A message framed for the wire.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    let mut frame = Vec::with_capacity(header.len() + body.len());
    frame.extend_from_slice(header.as_bytes());
    frame.extend_from_slice(body);
    frame
}

/// What goes into the queue of messages to write.
#[derive(Debug)]
pub enum Outgoing {
    /// A message's body; it goes out framed.
    Message(Vec<u8>),
    /// Answered once everything queued before it is written and flushed.
    Flush(oneshot::Sender<()>),
}

/// Cuts the frames of `output` (the protocol library's) apart and queues their bodies, until
/// `output` ends.
pub async fn queue_frames(output: impl AsyncRead + Unpin, queue: mpsc::UnboundedSender<Outgoing>) {
    let mut steps = Steps::new(output);
    while let Some(step) = steps.next().await {
        if let Step::Frame(body) = step
            && queue.send(Outgoing::Message(body)).is_err()
        {
            return;
        }
    }
}

/// The steps of a stream of frames, read as they come.
struct Steps<R> {
    input: R,
    buffer: Vec<u8>,
    chunk: Vec<u8>,
}

impl<R: AsyncRead + Unpin> Steps<R> {
    fn new(input: R) -> Steps<R> {
        Steps {
            input,
            buffer: Vec::new(),
            chunk: vec![0u8; 64 << 10],
        }
    }

    /// The next step, or `None` once the input has ended (or failed).
    async fn next(&mut self) -> Option<Step> {
        loop {
            if let Some(step) = next_step(&mut self.buffer) {
                return Some(step);
            }
            // A large message leaves a large buffer behind: give it back once it is drained.
            if self.buffer.is_empty() && self.buffer.capacity() > KEEP_CAPACITY {
                self.buffer = Vec::new();
            }
            match self.input.read(&mut self.chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(read) => self.buffer.extend_from_slice(&self.chunk[..read]),
            }
        }
    }
}

/// Writes the queued messages to `output` in order, each framed and whole, flushing whenever
/// the queue runs empty; until every sender is gone or `output` fails. Blocks: run it on a
/// thread of its own (a large message then goes out without being copied again).
pub fn write_frames(mut queue: mpsc::UnboundedReceiver<Outgoing>, mut output: impl std::io::Write) {
    while let Some(item) = queue.blocking_recv() {
        match item {
            Outgoing::Message(body) => {
                let header = format!("Content-Length: {}\r\n\r\n", body.len());
                let written = output
                    .write_all(header.as_bytes())
                    .and_then(|()| output.write_all(&body));
                if written.is_err() || (queue.is_empty() && output.flush().is_err()) {
                    return;
                }
            }
            Outgoing::Flush(done) => {
                let _ = output.flush();
                let _ = done.send(());
            }
        }
    }
}

/// What to pass on for a body: itself when it is a JSON-RPC message, a stand-in request when it
/// is a malformed request with an id, nothing otherwise.
fn sanitize(body: &[u8]) -> Option<Vec<u8>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let usable_id = |id: &Value| id.is_number() || id.is_string();
    let version_ok = object.get("jsonrpc").and_then(Value::as_str) == Some("2.0");
    let id = object.get("id");
    let is_request = object.get("method").is_some_and(Value::is_string)
        && id.is_none_or(|id| usable_id(id) || id.is_null());
    let is_response = object.get("method").is_none()
        && id.is_some_and(|id| usable_id(id) || id.is_null())
        && (object.contains_key("result") || object.contains_key("error"));
    if version_ok && (is_request || is_response) {
        return Some(body.to_vec());
    }
    let id = id.filter(|id| usable_id(id))?;
    if is_response {
        return None;
    }
    let stand_in = json!({"jsonrpc": "2.0", "id": id, "method": INVALID_REQUEST_METHOD});
    serde_json::to_vec(&stand_in).ok()
}

/// Copies frames from `input` to `output` until the input ends, dropping what is not JSON-RPC.
pub async fn pump(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut steps = Steps::new(input);
    while let Some(step) = steps.next().await {
        let Step::Frame(body) = step else {
            eprintln!("jiaodui: skipped bytes that are not a message");
            continue;
        };
        let Some(message) = sanitize(&body) else {
            eprintln!("jiaodui: dropped a message that is not JSON-RPC");
            continue;
        };
        let written = async {
            output.write_all(&frame(&message)).await?;
            output.flush().await
        };
        if written.await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        super::frame(body.as_bytes())
    }

    fn steps(input: &[u8]) -> Vec<Step> {
        let mut buffer = input.to_vec();
        std::iter::from_fn(|| next_step(&mut buffer)).collect()
    }

    #[test]
    fn frames_are_read_back_to_back() {
        let mut input = frame("{\"a\":1}");
        input.extend(frame("{}"));
        assert_eq!(
            steps(&input),
            [
                Step::Frame(b"{\"a\":1}".to_vec()),
                Step::Frame(b"{}".to_vec())
            ]
        );
    }

    #[test]
    fn garbage_is_skipped_up_to_the_next_header() {
        let mut input = b"\r\n\r\ngarbage\r\n".to_vec();
        input.extend(frame("{}"));
        let got = steps(&input);
        assert_eq!(got.last(), Some(&Step::Frame(b"{}".to_vec())));
    }

    #[test]
    fn a_header_without_a_usable_length_is_skipped() {
        let mut input = b"Content-Length: abc\r\n\r\n{}".to_vec();
        input.extend(frame("{\"b\":2}"));
        assert_eq!(
            steps(&input).last(),
            Some(&Step::Frame(b"{\"b\":2}".to_vec()))
        );
    }

    #[test]
    fn an_incomplete_frame_waits_for_more() {
        let input = frame("{\"a\":1}");
        let mut buffer = input[..input.len() - 2].to_vec();
        assert_eq!(next_step(&mut buffer), None);
    }

    #[test]
    fn only_json_rpc_passes() {
        let request = br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
        assert_eq!(sanitize(request).as_deref(), Some(&request[..]));
        assert!(sanitize(b"{\"jsonrpc\":").is_none());
        assert!(sanitize(b"\xff\xfe").is_none());
        assert!(sanitize(b"[1,2]").is_none());
        let stand_in = sanitize(br#"{"jsonrpc":"1.0","id":43,"method":"shutdown"}"#).unwrap();
        let value: Value = serde_json::from_slice(&stand_in).unwrap();
        assert_eq!(value["id"], 43);
        assert_eq!(value["method"], INVALID_REQUEST_METHOD);
        assert!(sanitize(br#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#).is_none());
    }

    /// Runs a future to completion on a runtime of its own.
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    #[test]
    fn outgoing_frames_are_written_whole_and_in_order() {
        // The library writes two frames in pieces that cut across both; the server queues a
        // message of its own between them. Each comes out whole.
        let first = r#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        let second = r#"{"jsonrpc":"2.0","method":"window/logMessage","params":{}}"#;
        let own = r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics"}"#;
        let (queue, messages) = mpsc::unbounded_channel();
        let writer = std::thread::spawn(move || {
            let mut wire = Vec::new();
            write_frames(messages, &mut wire);
            wire
        });
        block_on(async {
            let (mut library, library_frames) = tokio::io::duplex(64);
            let cutter = tokio::spawn(queue_frames(library_frames, queue.clone()));
            let both = [frame(first), frame(second)].concat();
            let cut = frame(first).len() - 5;
            library.write_all(&both[..cut]).await.unwrap();
            tokio::task::yield_now().await;
            queue.send(Outgoing::Message(own.into())).unwrap();
            library.write_all(&both[cut..]).await.unwrap();
            drop(library);
            cutter.await.unwrap();
            let (done, flushed) = oneshot::channel();
            queue.send(Outgoing::Flush(done)).unwrap();
            flushed.await.unwrap();
        });
        drop(queue);
        let mut wire = writer.join().unwrap();
        let bodies: Vec<Step> = std::iter::from_fn(|| next_step(&mut wire)).collect();
        let body = |text: &str| Step::Frame(text.as_bytes().to_vec());
        assert_eq!(bodies.len(), 3);
        assert!(bodies.contains(&body(own)));
        let library: Vec<&Step> = bodies.iter().filter(|&b| *b != body(own)).collect();
        assert_eq!(library, [&body(first), &body(second)]);
    }
}

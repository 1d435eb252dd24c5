//! The server's state and its handlers.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use ropey::Rope;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use tower_lsp_server::jsonrpc::{Error as RpcError, Result};
use tower_lsp_server::ls_types::{self as lsp, *};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use super::{convert, framing};
use crate::analysis::outline::{self, Outline};
use crate::analysis::{Analysis, DocumentKind, Engine, Locale, fixes, hover, mentions};
use crate::config::{self, Settings};
use crate::document::Document;
use crate::position::Encoding;

/// The code action kind that applies every safe fix.
const FIX_ALL_KIND: &str = "source.fixAll.jiaodui";

pub async fn serve() {
    // The client's bytes pass through the framing guard, so that one malformed message cannot
    // end the session.
    let (input, guarded) = tokio::io::duplex(1 << 20);
    tokio::spawn(framing::pump(tokio::io::stdin(), guarded));
    // What goes out passes through one queue of whole frames: the protocol library's
    // messages, cut apart, and the diagnostics the server writes itself (see [`Outbox`]).
    let (queue, messages) = mpsc::unbounded_channel();
    std::thread::spawn(move || framing::write_frames(messages, std::io::stdout()));
    let (library_output, library_frames) = tokio::io::duplex(1 << 20);
    let cutter = tokio::spawn(framing::queue_frames(library_frames, queue.clone()));
    let outbox = Outbox(queue.clone());
    let (service, socket) = LspService::build(|client| Backend::new(client, outbox))
        .custom_method("jiaodui/documentText", Backend::document_text)
        .custom_method(framing::INVALID_REQUEST_METHOD, Backend::invalid_request)
        .finish();
    Server::new(input, library_output, socket)
        .concurrency_level(1)
        .serve(service)
        .await;
    // The library's output is closed: once its last frames are queued, wait (a while) for
    // everything queued to be written.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), async {
        let _ = cutter.await;
        let (done, written) = oneshot::channel();
        if queue.send(framing::Outgoing::Flush(done)).is_ok() {
            let _ = written.await;
        }
    })
    .await;
}

/// Writes what the server serialises itself: a document's diagnostics. The protocol library
/// would first turn the thousands of diagnostics of a large document into a tree of JSON
/// values; serialised straight from their types, they go out several times faster.
#[derive(Clone)]
struct Outbox(mpsc::UnboundedSender<framing::Outgoing>);

impl Outbox {
    fn publish_diagnostics(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        if let Some(message) = Outbox::diagnostics_message(uri, diagnostics, version) {
            self.send(message);
        }
    }

    fn send(&self, message: Vec<u8>) {
        // Gone only when the server is stopping.
        let _ = self.0.send(framing::Outgoing::Message(message));
    }

    /// The publishDiagnostics notification.
    fn diagnostics_message(
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) -> Option<Vec<u8>> {
        #[derive(Serialize)]
        struct Notification<P> {
            jsonrpc: &'static str,
            method: &'static str,
            params: P,
        }
        let message = Notification {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params: PublishDiagnosticsParams::new(uri, diagnostics, version),
        };
        // About what a diagnostic takes, so that the buffer seldom grows (and is copied).
        let mut body = Vec::with_capacity(256 + 320 * message.params.diagnostics.len());
        match serde_json::to_writer(&mut body, &message) {
            Ok(()) => Some(body),
            Err(error) => {
                eprintln!("jiaodui: cannot write diagnostics: {error}");
                None
            }
        }
    }
}

/// A document's analysis, with the text it was made from.
struct Snapshot {
    generation: u64,
    version: i32,
    rope: Rope,
    text: Arc<String>,
    analysis: Arc<Analysis>,
}

struct OpenDocument {
    document: Document,
    /// Counts every change; an analysis is current when its generation equals this.
    generation: u64,
    settings: Arc<Settings>,
    snapshot: Option<Arc<Snapshot>>,
    /// An analysis worker is running for this document.
    worker: bool,
    /// Keeps the parts of the last analysis, so that an edit re-analyses only what it touched.
    engine: Arc<Mutex<DocumentEngine>>,
}

/// A document's analysis engine and the settings its cache was built with.
struct DocumentEngine {
    engine: Engine,
    settings: Option<Arc<Settings>>,
}

impl DocumentEngine {
    fn new(kind: DocumentKind) -> Arc<Mutex<DocumentEngine>> {
        Arc::new(Mutex::new(DocumentEngine {
            engine: Engine::new(kind),
            settings: None,
        }))
    }

    /// Analyses a version of the document; a change of settings starts from an empty cache.
    fn analyze(&mut self, text: &str, settings: &Arc<Settings>) -> Analysis {
        if !self
            .settings
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s, settings))
        {
            self.engine = Engine::new(self.engine.kind());
            self.settings = Some(Arc::clone(settings));
        }
        self.engine.analyze(text, settings)
    }
}

#[derive(Default)]
struct State {
    encoding: Encoding,
    client_locale: Locale,
    /// Settings from the editor (initialization options, didChangeConfiguration).
    editor_settings: Settings,
    /// The first workspace folder, where a workspace-wide `jiaodui.toml` goes.
    root: Option<PathBuf>,
    documents: HashMap<Uri, OpenDocument>,
}

struct Backend {
    client: Client,
    outbox: Outbox,
    state: Arc<Mutex<State>>,
}

impl Backend {
    fn new(client: Client, outbox: Outbox) -> Backend {
        Backend {
            client,
            outbox,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The answer to a malformed request that carried an id (see [`framing`]).
    async fn invalid_request(&self) -> Result<()> {
        Err(RpcError::invalid_request())
    }

    /// The text the server holds for a document (for tests and debugging).
    async fn document_text(&self, params: TextDocumentIdentifier) -> Result<Option<String>> {
        Ok(self
            .state()
            .documents
            .get(&params.uri)
            .map(|open| open.document.text()))
    }

    /// Starts the analysis worker for a document unless one is running; a running one sees the
    /// new generation when it finishes and goes round again.
    fn schedule(&self, uri: Uri) {
        {
            let mut state = self.state();
            let Some(open) = state.documents.get_mut(&uri) else {
                return;
            };
            if open.worker {
                return;
            }
            open.worker = true;
        }
        let state = Arc::clone(&self.state);
        let outbox = self.outbox.clone();
        tokio::spawn(async move {
            loop {
                let job = {
                    let state = lock(&state);
                    state.documents.get(&uri).map(|open| Job::of(open, &state))
                };
                let Some(job) = job else { return };
                let done = tokio::task::spawn_blocking(move || job.run()).await;
                let Ok((snapshot, settings_locale)) = done else {
                    if let Some(open) = lock(&state).documents.get_mut(&uri) {
                        open.worker = false;
                    }
                    return;
                };
                let (encoding, locale) = {
                    let mut state = lock(&state);
                    let (encoding, client_locale) = (state.encoding, state.client_locale);
                    let Some(open) = state.documents.get_mut(&uri) else {
                        return;
                    };
                    if open.generation != snapshot.generation {
                        continue;
                    }
                    open.worker = false;
                    open.snapshot = Some(Arc::clone(&snapshot));
                    (encoding, settings_locale.unwrap_or(client_locale))
                };
                // Converted and serialised outside the lock: the message loop goes on meanwhile.
                // Queued under it, and only while the document is open, so that they cannot
                // follow the empty diagnostics of its closing.
                let publish = diagnostics(&uri, &snapshot, encoding, locale);
                let message =
                    Outbox::diagnostics_message(uri.clone(), publish, Some(snapshot.version));
                let state = lock(&state);
                if let Some(message) = message
                    && state.documents.contains_key(&uri)
                {
                    outbox.send(message);
                }
                return;
            }
        });
    }

    /// The current analysis of a document, computed now if the last one is stale.
    fn current(&self, uri: &Uri) -> Option<(Arc<Snapshot>, Arc<Settings>, Encoding, Locale)> {
        let job = {
            let state = self.state();
            let open = state.documents.get(uri)?;
            let locale = open.settings.locale.unwrap_or(state.client_locale);
            if let Some(snapshot) = open
                .snapshot
                .as_ref()
                .filter(|s| s.generation == open.generation)
            {
                return Some((
                    Arc::clone(snapshot),
                    Arc::clone(&open.settings),
                    state.encoding,
                    locale,
                ));
            }
            Job::of(open, &state)
        };
        let settings = Arc::clone(&job.settings);
        let (snapshot, _) = job.run();
        let mut state = self.state();
        let encoding = state.encoding;
        let locale = settings.locale.unwrap_or(state.client_locale);
        if let Some(open) = state.documents.get_mut(uri)
            && open.generation == snapshot.generation
        {
            open.snapshot = Some(Arc::clone(&snapshot));
        }
        Some((snapshot, settings, encoding, locale))
    }

    /// Re-reads configuration for every open document and analyses them again.
    fn reconfigure_all(&self) {
        let uris: Vec<Uri> = {
            let mut state = self.state();
            let editor = state.editor_settings.clone();
            let uris: Vec<Uri> = state.documents.keys().cloned().collect();
            for uri in &uris {
                let settings = Arc::new(resolve_settings(uri, &editor));
                if let Some(open) = state.documents.get_mut(uri) {
                    open.settings = settings;
                    open.generation += 1;
                }
            }
            uris
        };
        for uri in uris {
            self.schedule(uri);
        }
    }
}

/// One analysis to run, with everything it needs copied out of the state.
struct Job {
    generation: u64,
    version: i32,
    rope: Rope,
    settings: Arc<Settings>,
    engine: Arc<Mutex<DocumentEngine>>,
}

impl Job {
    fn of(open: &OpenDocument, _state: &State) -> Job {
        Job {
            generation: open.generation,
            version: open.document.version,
            rope: open.document.rope().clone(),
            settings: Arc::clone(&open.settings),
            engine: Arc::clone(&open.engine),
        }
    }

    fn run(self) -> (Arc<Snapshot>, Option<Locale>) {
        let text = Arc::new(self.rope.to_string());
        let mut engine = lock(&self.engine);
        let analysis = catch_unwind(AssertUnwindSafe(|| engine.analyze(&text, &self.settings)))
            .unwrap_or_else(|_| {
                eprintln!("jiaodui: the analysis failed on this text; no findings are shown");
                // Whatever the engine kept may be half made: start afresh.
                engine.settings = None;
                Analysis::default()
            });
        drop(engine);
        let snapshot = Snapshot {
            generation: self.generation,
            version: self.version,
            rope: self.rope,
            text,
            analysis: Arc::new(analysis),
        };
        (Arc::new(snapshot), self.settings.locale)
    }
}

/// Gives the memory of a closed document back to the system. glibc keeps freed heap for reuse,
/// and after a large document it would keep hundreds of megabytes for the rest of the session.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory at the top of glibc's heaps; it takes no
    // pointers and is safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn diagnostics(
    uri: &Uri,
    snapshot: &Snapshot,
    encoding: Encoding,
    locale: Locale,
) -> Vec<Diagnostic> {
    convert::diagnostics(
        &snapshot.analysis.findings,
        uri,
        &snapshot.text,
        encoding,
        locale,
    )
}

fn document_kind(uri: &Uri, language_id: Option<&str>) -> DocumentKind {
    if language_id == Some("markdown") {
        return DocumentKind::Markdown;
    }
    DocumentKind::from_path(uri.path().as_str())
}

fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The settings for a document: its `jiaodui.toml` (or the one the editor names), with the
/// editor's settings laid over it.
fn resolve_settings(uri: &Uri, editor: &Settings) -> Settings {
    let configured = editor.config_file.as_ref().map(PathBuf::from);
    let found = configured.or_else(|| file_path(uri).and_then(|p| config::discover(&p)));
    let base = match found {
        Some(path) => {
            let (settings, errors) = config::load(&path);
            for error in errors {
                eprintln!("jiaodui: {}:{error}", path.display());
            }
            settings
        }
        None => Settings::default(),
    };
    base.merged_with(editor)
}

fn server_capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
                CodeActionKind::new(FIX_ALL_KIND),
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        // Build the built-in knowledge and the segmenter now, off the message loop, so the
        // first analysis does not pay for them (or pays less).
        tokio::task::spawn_blocking(crate::rules::preload);
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let encoding = convert::negotiate(offered);
        let (editor_settings, errors) = params
            .initialization_options
            .as_ref()
            .map(Settings::from_json)
            .unwrap_or_default();
        for error in errors {
            eprintln!("jiaodui: initialization options: {error}");
        }
        {
            let mut state = self.state();
            state.encoding = encoding;
            state.client_locale = params
                .locale
                .as_deref()
                .map(Locale::from_tag)
                .unwrap_or_default();
            state.editor_settings = editor_settings;
            #[allow(deprecated)]
            let root_uri = params.root_uri.as_ref();
            state.root = params
                .workspace_folders
                .as_ref()
                .and_then(|folders| folders.first())
                .map(|folder| &folder.uri)
                .or(root_uri)
                .and_then(file_path);
        }
        Ok(InitializeResult {
            capabilities: server_capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "jiaodui".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {}

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let kind = document_kind(&item.uri, Some(item.language_id.as_str()));
        {
            let mut state = self.state();
            let settings = Arc::new(resolve_settings(&item.uri, &state.editor_settings));
            let generation = state
                .documents
                .get(&item.uri)
                .map_or(0, |d| d.generation + 1);
            state.documents.insert(
                item.uri.clone(),
                OpenDocument {
                    document: Document::new(&item.text, item.version, kind),
                    generation,
                    settings,
                    snapshot: None,
                    worker: false,
                    engine: DocumentEngine::new(kind),
                },
            );
        }
        self.schedule(item.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let refused = {
            let mut state = self.state();
            let encoding = state.encoding;
            let Some(open) = state.documents.get_mut(&uri) else {
                return;
            };
            let mut refused = None;
            for change in &params.content_changes {
                let range = change.range.map(|r| {
                    (
                        convert::from_lsp_position(r.start),
                        convert::from_lsp_position(r.end),
                    )
                });
                if let Err(error) = open.document.apply(range, &change.text, encoding) {
                    refused = Some(error);
                    break;
                }
            }
            open.document.version = params.text_document.version;
            open.generation += 1;
            refused
        };
        if let Some(error) = refused {
            self.client
                .log_message(
                    MessageType::ERROR,
                    format!("jiaodui: edit refused: {error}"),
                )
                .await;
        }
        self.schedule(uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let closed = {
            let mut state = self.state();
            let closed = state.documents.remove(&uri);
            // Under the lock: no diagnostics of the document can follow these.
            self.outbox.publish_diagnostics(uri, Vec::new(), None);
            closed
        };
        drop(closed);
        tokio::task::spawn_blocking(return_freed_memory);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (settings, errors) = Settings::from_json(&params.settings);
        for error in &errors {
            self.client
                .log_message(MessageType::WARNING, format!("jiaodui settings: {error}"))
                .await;
        }
        self.state().editor_settings = settings;
        self.reconfigure_all();
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let position = params.text_document_position_params.position;
        let Some((snapshot, settings, encoding, locale)) = self.current(&uri) else {
            return Ok(None);
        };
        let offset = convert::offset(&snapshot.rope, position, encoding);
        let info = hover::hover(
            &snapshot.text,
            &snapshot.analysis,
            &settings,
            offset,
            locale,
        );
        Ok(info.map(|info| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: info.markdown,
            }),
            range: Some(convert::range(&snapshot.rope, &info.range, encoding)),
        }))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((snapshot, _, encoding, _)) = self.current(&params.text_document.uri) else {
            return Ok(None);
        };
        let outline = outline::outline(&snapshot.text, &snapshot.analysis);
        Ok(Some(DocumentSymbolResponse::Nested(symbols(
            &outline,
            &snapshot.rope,
            encoding,
        ))))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let uris: Vec<Uri> = self.state().documents.keys().cloned().collect();
        let query = params.query;
        let mut found = Vec::new();
        for uri in uris {
            let Some((snapshot, _, encoding, _)) = self.current(&uri) else {
                continue;
            };
            let outline = outline::outline(&snapshot.text, &snapshot.analysis);
            for entry in outline.entries.iter().filter(|e| e.is_person) {
                let matches = query.is_empty()
                    || entry.name.contains(&query)
                    || entry.byline.as_deref().is_some_and(|b| b.contains(&query));
                if !matches {
                    continue;
                }
                found.push(WorkspaceSymbol {
                    name: entry.name.clone(),
                    kind: SymbolKind::CONSTRUCTOR,
                    tags: None,
                    container_name: entry.byline.clone(),
                    location: OneOf::Left(Location::new(
                        uri.clone(),
                        convert::range(&snapshot.rope, &entry.selection, encoding),
                    )),
                    data: None,
                });
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Nested(found)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((snapshot, _, encoding, locale)) = self.current(&uri) else {
            return Ok(None);
        };
        let wanted = params.context.only.unwrap_or_default();
        let wants = |kind: &CodeActionKind| {
            wanted.is_empty()
                || wanted.iter().any(|w| {
                    kind.as_str() == w.as_str()
                        || kind.as_str().starts_with(&format!("{}.", w.as_str()))
                })
        };
        let range = convert::byte_range(&snapshot.rope, params.range, encoding);
        let mut actions = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            actions.extend(quick_fixes(
                &uri,
                &snapshot,
                range.clone(),
                encoding,
                locale,
            ));
            let root = self.state().root.clone();
            actions.extend(disable_actions(&uri, &snapshot, range, root, locale));
        }
        let fix_all = CodeActionKind::new(FIX_ALL_KIND);
        if wants(&fix_all) {
            let edits = fixes::safe_edits(&snapshot.analysis.findings);
            if !edits.is_empty() {
                let title = match locale {
                    Locale::Zh => "jiaodui：修复全部可安全修复的问题",
                    Locale::En => "jiaodui: fix all safely fixable problems",
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: title.to_string(),
                    kind: Some(fix_all),
                    edit: Some(convert::workspace_edit(
                        &uri,
                        convert::text_edits(&snapshot.rope, &edits, encoding),
                    )),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let Some((references, snapshot, encoding)) =
            self.references_at(&position.text_document.uri, position.position)
        else {
            return Ok(None);
        };
        let location = Location::new(
            position.text_document.uri,
            convert::range(&snapshot.rope, &references.definition, encoding),
        );
        Ok(Some(GotoDefinitionResponse::Scalar(location)))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let Some((references, snapshot, encoding)) = self.references_at(&uri, position.position)
        else {
            return Ok(None);
        };
        let include = params.context.include_declaration;
        let locations = references
            .mentions
            .iter()
            .filter(|r| include || **r != references.definition)
            .map(|r| Location::new(uri.clone(), convert::range(&snapshot.rope, r, encoding)))
            .collect();
        Ok(Some(locations))
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let position = params.text_document_position_params;
        let Some((references, snapshot, encoding)) =
            self.references_at(&position.text_document.uri, position.position)
        else {
            return Ok(None);
        };
        Ok(Some(
            references
                .mentions
                .iter()
                .map(|r| DocumentHighlight {
                    range: convert::range(&snapshot.rope, r, encoding),
                    kind: Some(if *r == references.definition {
                        DocumentHighlightKind::WRITE
                    } else {
                        DocumentHighlightKind::READ
                    }),
                })
                .collect(),
        ))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((references, snapshot, encoding)) =
            self.references_at(&params.text_document.uri, params.position)
        else {
            return Ok(None);
        };
        let offset = convert::offset(&snapshot.rope, params.position, encoding);
        let under = references
            .mentions
            .iter()
            .find(|r| r.start <= offset && offset <= r.end)
            .unwrap_or(&references.definition);
        Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: convert::range(&snapshot.rope, under, encoding),
            placeholder: references.name,
        }))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let new_name = params.new_name.trim();
        if new_name.is_empty() || new_name.chars().any(char::is_whitespace) {
            return Err(RpcError::invalid_params(
                "a name cannot be empty or contain spaces",
            ));
        }
        let Some((references, snapshot, encoding)) = self.references_at(&uri, position.position)
        else {
            return Ok(None);
        };
        let edits = references
            .mentions
            .iter()
            .map(|r| {
                TextEdit::new(
                    convert::range(&snapshot.rope, r, encoding),
                    new_name.to_string(),
                )
            })
            .collect();
        Ok(Some(convert::workspace_edit(&uri, edits)))
    }
}

impl Backend {
    fn references_at(
        &self,
        uri: &Uri,
        position: lsp::Position,
    ) -> Option<(mentions::References, Arc<Snapshot>, Encoding)> {
        let (snapshot, _, encoding, _) = self.current(uri)?;
        let offset = convert::offset(&snapshot.rope, position, encoding);
        let references =
            mentions::references_at(&snapshot.text, snapshot.analysis.mentions(), offset)?;
        Some((references, snapshot, encoding))
    }
}

fn quick_fixes(
    uri: &Uri,
    snapshot: &Snapshot,
    range: std::ops::Range<usize>,
    encoding: Encoding,
    locale: Locale,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    for finding in &snapshot.analysis.findings {
        let touches = finding.range.start <= range.end && range.start <= finding.range.end;
        if !touches {
            continue;
        }
        let diagnostic = convert::diagnostic(finding, uri, &snapshot.rope, encoding, locale);
        for (index, fix) in finding.fixes.iter().enumerate() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.get(locale).to_string(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(convert::workspace_edit(
                    uri,
                    convert::text_edits(&snapshot.rope, &fix.edits, encoding),
                )),
                is_preferred: Some(index == 0 && fix.safe),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// "Disable this rule for this document" (an inline marker at the top) and "… for the
/// workspace" (an entry in the workspace's `jiaodui.toml`), once per rule under the cursor.
fn disable_actions(
    uri: &Uri,
    snapshot: &Snapshot,
    range: std::ops::Range<usize>,
    root: Option<PathBuf>,
    locale: Locale,
) -> Vec<CodeActionOrCommand> {
    let mut rules: Vec<&'static str> = snapshot
        .analysis
        .findings
        .iter()
        .filter(|f| f.range.start <= range.end && range.start <= f.range.end)
        .map(|f| f.rule)
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let mut actions = Vec::new();
    let config = root
        .or_else(|| file_path(uri).and_then(|p| p.parent().map(PathBuf::from)))
        .map(|folder| {
            config::discover(&folder.join(config::FILE_NAME))
                .unwrap_or(folder.join(config::FILE_NAME))
        });
    for rule in rules {
        let marker = format!("{}\n", crate::rules::suppression::disable_marker(rule));
        let top = lsp::Range::new(lsp::Position::new(0, 0), lsp::Position::new(0, 0));
        let title = match locale {
            Locale::Zh => format!("在本文档中停用 {rule}"),
            Locale::En => format!("Disable {rule} for this document"),
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(convert::workspace_edit(
                uri,
                vec![TextEdit::new(top, marker)],
            )),
            ..CodeAction::default()
        }));
        if let Some(edit) = config
            .as_ref()
            .and_then(|path| workspace_disable_edit(path, rule))
        {
            let title = match locale {
                Locale::Zh => format!("在工作区中停用 {rule}（jiaodui.toml）"),
                Locale::En => format!("Disable {rule} for the workspace (jiaodui.toml)"),
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(edit),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// An edit that sets `rule = "off"` in a `jiaodui.toml`, creating the file when it is missing.
fn workspace_disable_edit(path: &std::path::Path, rule: &str) -> Option<WorkspaceEdit> {
    let uri = Uri::from_file_path(path)?;
    let entry = format!("{rule} = \"off\"\n");
    let existing = std::fs::read_to_string(path).ok();
    let mut operations = Vec::new();
    let edit = match &existing {
        None => {
            operations.push(DocumentChangeOperation::Op(ResourceOp::Create(
                CreateFile {
                    uri: uri.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                },
            )));
            TextEdit::new(lsp::Range::default(), format!("[rules]\n{entry}"))
        }
        Some(source) => {
            let lines: Vec<&str> = source.split('\n').collect();
            let set_already = lines.iter().position(|l| {
                let l = l.trim_start();
                l.strip_prefix(rule)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            });
            if let Some(index) = set_already {
                let line = index as u32;
                let end = lines[index].encode_utf16().count() as u32;
                let replace =
                    lsp::Range::new(lsp::Position::new(line, 0), lsp::Position::new(line, end));
                TextEdit::new(replace, entry.trim_end().to_string())
            } else {
                match lines.iter().position(|l| l.trim() == "[rules]") {
                    Some(index) => {
                        let at = lsp::Position::new(index as u32 + 1, 0);
                        TextEdit::new(lsp::Range::new(at, at), entry)
                    }
                    None => {
                        let end = lsp::Position::new(lines.len() as u32, 0);
                        let separator = if source.ends_with('\n') || source.is_empty() {
                            ""
                        } else {
                            "\n"
                        };
                        TextEdit::new(
                            lsp::Range::new(end, end),
                            format!("{separator}\n[rules]\n{entry}"),
                        )
                    }
                }
            }
        }
    };
    operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
        edits: vec![OneOf::Left(edit)],
    }));
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    })
}

#[allow(deprecated)]
fn symbols(outline: &Outline, rope: &Rope, encoding: Encoding) -> Vec<DocumentSymbol> {
    let entries: Vec<DocumentSymbol> = outline
        .entries
        .iter()
        .map(|entry| {
            let children: Vec<DocumentSymbol> = entry
                .children
                .iter()
                .map(|(label, range)| DocumentSymbol {
                    name: label.clone(),
                    detail: None,
                    kind: SymbolKind::ARRAY,
                    tags: None,
                    deprecated: None,
                    range: convert::range(rope, range, encoding),
                    selection_range: convert::range(rope, range, encoding),
                    children: None,
                })
                .collect();
            DocumentSymbol {
                name: entry.name.clone(),
                detail: entry.byline.clone().or_else(|| entry.headline.clone()),
                kind: if entry.is_person {
                    SymbolKind::CONSTRUCTOR
                } else {
                    SymbolKind::NAMESPACE
                },
                tags: None,
                deprecated: None,
                range: convert::range(rope, &entry.range, encoding),
                selection_range: convert::range(rope, &entry.selection, encoding),
                children: (!children.is_empty()).then_some(children),
            }
        })
        .collect();
    let Some(title_range) = &outline.title_range else {
        return entries;
    };
    let whole = 0..rope.len_bytes();
    vec![DocumentSymbol {
        name: outline.title.clone().unwrap_or_default(),
        detail: None,
        kind: SymbolKind::FILE,
        tags: None,
        deprecated: None,
        range: convert::range(rope, &whole, encoding),
        selection_range: convert::range(rope, title_range, encoding),
        children: (!entries.is_empty()).then_some(entries),
    }]
}

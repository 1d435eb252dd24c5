//! The article model: blocks as they stand on the page, logical paragraphs joined across layout
//! cuts, and sections opened by bylines.
//!
//! Parsing never fails: any text gives an article, possibly with no title and no sections.
//! Everything is measured in byte offsets of the analysed text.

use std::ops::Range;

use super::byline::{self, Byline};
use super::text::{char_len, ends_sentence, is_sentence_punctuation};
use crate::knowledge::Knowledge;

/// How the text is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DocumentKind {
    #[default]
    Plain,
    Markdown,
}

impl DocumentKind {
    /// Markdown for `.md`/`.markdown` paths (or LSP language id `markdown`), plain otherwise.
    pub fn from_path(path: &str) -> DocumentKind {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx") {
            DocumentKind::Markdown
        } else {
            DocumentKind::Plain
        }
    }
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// The article's headline: the first block, short and without final punctuation.
    Title,
    /// A section headline or a deck: short, no sentence punctuation.
    Headline,
    /// `——访{organisation}{title}{name}` and its kin.
    Byline,
    /// A Markdown ATX heading that is not a byline.
    Heading { level: u8 },
    /// Running text.
    Body,
    /// A Markdown block quote.
    Quote,
    /// A line that is neither a sentence nor a heading: `——新华社`, `（记者 张三）`.
    Aside,
}

impl BlockKind {
    /// Blocks that hold running sentences.
    pub fn is_running_text(self) -> bool {
        matches!(self, BlockKind::Body | BlockKind::Quote)
    }

    /// Blocks that are headings of some kind: they end lists and never end sentences.
    pub fn is_heading(self) -> bool {
        matches!(
            self,
            BlockKind::Title | BlockKind::Headline | BlockKind::Heading { .. } | BlockKind::Byline
        )
    }
}

/// A block of prose as it stands on the page: a line of plain text, or a Markdown paragraph,
/// heading or quote. `pieces` are the content ranges of its lines, without markup such as `# `
/// or `> `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub pieces: Vec<Range<usize>>,
    /// The logical paragraph this block belongs to, for running text.
    pub paragraph: Option<usize>,
    /// The section this block belongs to.
    pub section: Option<usize>,
}

impl Block {
    /// From the start of the first piece to the end of the last.
    pub fn span(&self) -> Range<usize> {
        let start = self.pieces.first().map_or(0, |p| p.start);
        let end = self.pieces.last().map_or(start, |p| p.end);
        start..end
    }
}

/// A piece of a logical paragraph: where `joined` offsets `at..` come from in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub at: usize,
    pub source: Range<usize>,
}

/// A paragraph as the author wrote it: physical blocks joined across layout cuts. Rules that
/// read sentences read these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Indices into [`Article::blocks`], consecutive running-text blocks.
    pub blocks: Range<usize>,
    pub section: Option<usize>,
    /// The text of all pieces, joined without separators.
    pub text: String,
    pub pieces: Vec<Piece>,
}

impl Paragraph {
    /// The source offset of a byte offset in [`Paragraph::text`]. An offset at the join of two
    /// pieces maps to the start of the later one.
    pub fn to_source(&self, joined: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|p| p.at <= joined)
            .saturating_sub(1);
        let Some(piece) = self.pieces.get(index) else {
            return 0;
        };
        (piece.source.start + (joined - piece.at)).min(piece.source.end)
    }

    /// The source range of a range in [`Paragraph::text`]. A range that spans a cut maps to the
    /// source range from its start to its end, cut included.
    pub fn range_to_source(&self, joined: Range<usize>) -> Range<usize> {
        let start = self.to_source(joined.start);
        let end = if joined.end > joined.start {
            self.to_source_end(joined.end)
        } else {
            start
        };
        start..end.max(start)
    }

    /// Like [`Paragraph::to_source`], but an offset at the join maps to the end of the earlier
    /// piece: right for the end of a range.
    pub fn to_source_end(&self, joined: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|p| p.at < joined)
            .saturating_sub(1);
        let Some(piece) = self.pieces.get(index) else {
            return 0;
        };
        (piece.source.start + (joined - piece.at)).min(piece.source.end)
    }

    /// The joined offset of a source offset inside one of the pieces.
    pub fn from_source(&self, source: usize) -> Option<usize> {
        self.pieces
            .iter()
            .find(|p| p.source.start <= source && source <= p.source.end)
            .map(|p| p.at + (source - p.source.start))
    }

    /// The source range of the whole paragraph.
    pub fn span(&self) -> Range<usize> {
        let start = self.pieces.first().map_or(0, |p| p.source.start);
        let end = self.pieces.last().map_or(start, |p| p.source.end);
        start..end
    }
}

/// A layout cut: running text that stops mid-sentence in one block and goes on in the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The block that stops mid-sentence.
    pub before: usize,
    /// The block that carries on.
    pub after: usize,
    /// From the end of the first block's text to the start of the next: the break to remove.
    pub gap: Range<usize>,
}

/// A part of the article: a headline, a byline that names the interviewee, and the paragraphs
/// that follow until the next section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub headline: Option<usize>,
    pub byline: Option<Byline>,
    /// Indices into [`Article::blocks`].
    pub blocks: Range<usize>,
    /// Indices into [`Article::paragraphs`].
    pub paragraphs: Range<usize>,
    /// From the headline (or byline) to the end of the last block.
    pub range: Range<usize>,
}

/// The parsed article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub kind: DocumentKind,
    pub blocks: Vec<Block>,
    pub paragraphs: Vec<Paragraph>,
    pub sections: Vec<Section>,
    pub cuts: Vec<Cut>,
    /// Index of the title block.
    pub title: Option<usize>,
    /// The id of `sections[0]`: a part of a document numbers its sections as the whole does.
    pub section_base: usize,
}

impl Article {
    pub fn parse(text: &str, kind: DocumentKind, knowledge: &Knowledge) -> Article {
        Article::parse_part(text, kind, knowledge, Part::WHOLE)
    }

    /// Parses one part of a document (see [`parts`]) as the whole document's parse would see
    /// it: only the first part has a title (or front matter), and sections are numbered from
    /// `part.section_base`.
    pub fn parse_part(
        text: &str,
        kind: DocumentKind,
        knowledge: &Knowledge,
        part: Part,
    ) -> Article {
        let raw = raw_blocks(text, kind, part.first);
        let mut article = Article {
            kind,
            section_base: part.section_base,
            ..Article::default()
        };
        article.blocks = classify(text, raw, part.first);
        article.title = article
            .blocks
            .iter()
            .position(|b| b.kind == BlockKind::Title);
        article.cuts = find_cuts(text, &article.blocks);
        article.build_paragraphs(text);
        article.build_sections(text, knowledge);
        article
    }

    /// The ids of this article's sections.
    pub fn section_ids(&self) -> std::ops::Range<usize> {
        self.section_base..self.section_base + self.sections.len()
    }

    /// The text of a block's pieces, joined.
    pub fn block_text(&self, text: &str, block: usize) -> String {
        self.blocks[block]
            .pieces
            .iter()
            .map(|p| &text[p.clone()])
            .collect()
    }

    /// The section with this id.
    pub fn section(&self, id: usize) -> Option<&Section> {
        self.sections.get(id.checked_sub(self.section_base)?)
    }

    /// The section that contains a byte offset.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.range.start <= offset && offset < s.range.end.max(s.range.start + 1))
    }

    /// The paragraph that contains a byte offset.
    pub fn paragraph_at(&self, offset: usize) -> Option<usize> {
        self.paragraphs.iter().position(|p| {
            p.pieces
                .iter()
                .any(|piece| piece.source.start <= offset && offset <= piece.source.end)
        })
    }

    /// Is this block followed by a cut, i.e. continued in the next block?
    pub fn cut_after(&self, block: usize) -> Option<&Cut> {
        // Cuts are found in block order.
        self.cuts
            .binary_search_by_key(&block, |c| c.before)
            .ok()
            .map(|index| &self.cuts[index])
    }

    /// The next block after `block` that is prose, if any.
    pub fn next_block(&self, block: usize) -> Option<usize> {
        (block + 1 < self.blocks.len()).then_some(block + 1)
    }

    fn build_paragraphs(&mut self, text: &str) {
        let mut index = 0;
        while index < self.blocks.len() {
            if !self.blocks[index].kind.is_running_text() {
                index += 1;
                continue;
            }
            let first = index;
            while self.cut_after(index).is_some() {
                index += 1;
            }
            let paragraph_id = self.paragraphs.len();
            let mut joined = String::new();
            let mut pieces = Vec::new();
            for block in &mut self.blocks[first..=index] {
                block.paragraph = Some(paragraph_id);
                for piece in &block.pieces {
                    pieces.push(Piece {
                        at: joined.len(),
                        source: piece.clone(),
                    });
                    joined.push_str(&text[piece.clone()]);
                }
            }
            self.paragraphs.push(Paragraph {
                blocks: first..index + 1,
                section: None,
                text: joined,
                pieces,
            });
            index += 1;
        }
    }

    fn build_sections(&mut self, text: &str, knowledge: &Knowledge) {
        let starts = section_starts(&self.blocks, self.title);
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(self.blocks.len());
            let headline = matches!(
                self.blocks[start].kind,
                BlockKind::Headline | BlockKind::Title | BlockKind::Heading { .. }
            )
            .then_some(start);
            let byline = (start..end)
                .take(2)
                .find(|&b| self.blocks[b].kind == BlockKind::Byline)
                .map(|b| byline::parse(text, self.blocks[b].span(), knowledge));
            let section_id = self.section_base + self.sections.len();
            for block in &mut self.blocks[start..end] {
                block.section = Some(section_id);
            }
            // Paragraphs are in block order: a binary search keeps many sections linear.
            let paragraphs_start = self.paragraphs.partition_point(|p| p.blocks.start < start);
            let paragraphs_end = self.paragraphs.partition_point(|p| p.blocks.start < end);
            for paragraph in &mut self.paragraphs[paragraphs_start..paragraphs_end] {
                paragraph.section = Some(section_id);
            }
            let range_start = self.blocks[start].span().start;
            let range_end = self.blocks[end - 1].span().end;
            self.sections.push(Section {
                headline,
                byline,
                blocks: start..end,
                paragraphs: paragraphs_start..paragraphs_end,
                range: range_start..range_end,
            });
        }
    }
}

/// Where sections begin: at a byline (taking the headline just before it along), and at Markdown
/// headings. Text before the first start is the lead.
fn section_starts(blocks: &[Block], title: Option<usize>) -> Vec<usize> {
    let mut starts = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let start = match block.kind {
            BlockKind::Byline => {
                let previous = index.checked_sub(1);
                match previous.map(|p| blocks[p].kind) {
                    Some(BlockKind::Headline | BlockKind::Heading { .. }) => previous,
                    Some(BlockKind::Title) if previous == title => previous,
                    _ => Some(index),
                }
            }
            BlockKind::Heading { .. } if Some(index) != title => Some(index),
            _ => None,
        };
        if let Some(start) = start
            && starts.last().is_none_or(|&last| last < start)
        {
            starts.push(start);
        }
    }
    starts
}

/// How one part of a document is parsed: see [`Article::parse_part`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part {
    /// The part that opens the document: the only one with a title or front matter.
    pub first: bool,
    /// The id of the part's first section.
    pub section_base: usize,
}

impl Part {
    pub const WHOLE: Part = Part {
        first: true,
        section_base: 0,
    };
}

fn raw_blocks(text: &str, kind: DocumentKind, first: bool) -> Vec<RawBlock> {
    match kind {
        DocumentKind::Plain => plain_blocks(text),
        DocumentKind::Markdown => markdown_blocks(text, first),
    }
}

/// Where the parts of a document begin: byte offsets of line starts, the first 0.
///
/// A part begins where a section with a byline begins (at the byline, or at the headline just
/// before it). Nothing the analysis carries from block to block crosses such a start: a byline
/// is a heading, so it ends lists, quotations and paragraphs, and the enumeration state starts
/// afresh in a bylined section. So a document's analysis is the analysis of its parts, each
/// parsed with [`Article::parse_part`], plus what is shared between them (the people the
/// bylines define, repeated passages): the parts can be cached and re-analysed one at a time.
pub fn parts(text: &str, kind: DocumentKind) -> Vec<usize> {
    let mut starts = vec![0];
    match kind {
        DocumentKind::Plain => plain_part_starts(text, &mut starts),
        DocumentKind::Markdown => {
            let raw = markdown_blocks(text, true);
            let blocks = classify(text, raw, true);
            let title = blocks.iter().position(|b| b.kind == BlockKind::Title);
            for start in section_starts(&blocks, title) {
                let bylined = (start..blocks.len())
                    .take(2)
                    .any(|b| blocks[b].kind == BlockKind::Byline);
                // The first block belongs to the first part, whatever comes before it.
                if bylined && start > 0 {
                    starts.push(line_start(text, blocks[start].span().start));
                }
            }
        }
    }
    starts.dedup();
    starts
}

/// [`parts`] of `text`, told from the parts of the version before it (their texts, in order)
/// when the two differ inside one line of one part, a line that neither is nor may become a
/// byline, a comment or blank, and that stands before no byline: then the parts start where
/// they started, those after the edited one moved by what it gained or lost. `None` when the
/// edit is anything else (or the text is Markdown): call [`parts`].
pub fn parts_after_edit(before: &[&str], text: &str, kind: DocumentKind) -> Option<Told> {
    if kind != DocumentKind::Plain || before.is_empty() {
        return None;
    }
    let total: usize = before.iter().map(|part| part.len()).sum();
    let mut starts = Vec::with_capacity(before.len());
    let mut start = 0;
    for part in before {
        starts.push(start);
        start += part.len();
    }
    // The first part that differs from the front, and the last from the back.
    let same_at = |at: usize, part: &str| text.get(at..at + part.len()) == Some(part);
    let first = (0..before.len()).find(|&i| !same_at(starts[i], before[i]));
    let Some(edited) = first else {
        return (total == text.len()).then_some(Told {
            starts,
            edited: None,
        });
    };
    let moved = |i: usize| (starts[i] + text.len()).checked_sub(total);
    let all_after_same = (edited + 1..before.len())
        .all(|i| moved(i).is_some_and(|at| at > starts[edited] && same_at(at, before[i])));
    if !all_after_same {
        return None;
    }
    // The edited part before and after, and where they differ.
    let old = before[edited];
    let end = match before.get(edited + 1) {
        Some(_) => moved(edited + 1)?,
        None => text.len(),
    };
    let new = text.get(starts[edited]..end)?;
    let prefix = common_prefix(old.as_bytes(), new.as_bytes());
    let suffix = common_suffix(&old.as_bytes()[prefix..], &new.as_bytes()[prefix..]);
    let (old_changed, new_changed) = (
        &old.as_bytes()[prefix..old.len() - suffix],
        &new.as_bytes()[prefix..new.len() - suffix],
    );
    let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
    if old_changed.iter().any(is_break) || new_changed.iter().any(is_break) {
        return None;
    }
    // The edited line in both versions, and the first line with content after it.
    let line_start = old.as_bytes()[..prefix]
        .iter()
        .rposition(is_break)
        .map_or(0, |at| at + 1);
    let line_end = |part: &str, from: usize| {
        part.as_bytes()[from..]
            .iter()
            .position(is_break)
            .map_or(part.len(), |at| from + at)
    };
    let old_line = old.get(line_start..line_end(old, prefix))?;
    let new_line = new.get(line_start..line_end(new, prefix))?;
    // As `plain_part_starts` reads a line: blank, a comment, a byline.
    fn content(line: &str) -> &str {
        &line[trimmed(line, 0..line.len())]
    }
    let comment = |line: &str| is_comment(content(line));
    let is_byline = |line: &str| {
        let lead = content(line);
        lead.starts_with(byline::DASHES) && byline::is_byline(lead)
    };
    let plain = |line: &str| !content(line).is_empty() && !comment(line) && !is_byline(line);
    let after = &text[starts[edited] + line_start + new_line.len()..];
    let next_line = lines(after)
        .map(|line| &after[line])
        .find(|line| !content(line).is_empty() && !comment(line));
    if !plain(old_line) || !plain(new_line) || next_line.is_some_and(is_byline) {
        return None;
    }
    let grown = new.len() as isize - old.len() as isize;
    for start in &mut starts[edited + 1..] {
        *start = start.checked_add_signed(grown)?;
    }
    Some(Told {
        starts,
        edited: Some(edited),
    })
}

/// The parts of a version as [`parts_after_edit`] told them from the version before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    /// Where the parts start.
    pub starts: Vec<usize>,
    /// The part the edit fell in, if the text changed: every other part holds the text of the
    /// part at its index before.
    pub edited: Option<usize>,
}

/// How many bytes `a` and `b` share at their start: compared a block at a time, then a byte.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let shortest = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= shortest && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..]
        .iter()
        .zip(&b[at..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes `a` and `b` share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let shortest = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= shortest
        && a[a.len() - at - BLOCK..a.len() - at] == b[b.len() - at - BLOCK..b.len() - at]
    {
        at += BLOCK;
    }
    at + a[..a.len() - at]
        .iter()
        .rev()
        .zip(b[..b.len() - at].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// [`parts`] for plain text without building blocks: a line that begins with a dash is a byline
/// candidate; the non-blank line before a byline is its headline when it reads as one.
fn plain_part_starts(text: &str, starts: &mut Vec<usize>) {
    // The line start and the line of the previous block, and how many blocks came before.
    let mut previous: Option<(usize, Range<usize>)> = None;
    let mut blocks = 0usize;
    let mut next_line = 0;
    for line in lines(text) {
        let start_of_line = next_line;
        next_line = next_line_start(text, line.end);
        // Most lines are running text: only their first character is looked at.
        let lead = text[line.clone()].trim_start_matches(is_space);
        if lead.is_empty()
            || (lead.starts_with(OPEN_COMMENT) && is_comment(&text[trimmed(text, line.clone())]))
        {
            continue;
        }
        if lead.starts_with(byline::DASHES) && byline::is_byline(&text[trimmed(text, line.clone())])
        {
            let (start, first_block) = match &previous {
                Some((line_start, range))
                    if headline_before_byline(&text[trimmed(text, range.clone())]) =>
                {
                    (*line_start, blocks == 1)
                }
                _ => (start_of_line, blocks == 0),
            };
            // The first block belongs to the first part, whatever comes before it.
            if !first_block && starts.last().is_none_or(|&last| last < start) {
                starts.push(start);
            }
        }
        previous = Some((start_of_line, line));
        blocks += 1;
    }
}

/// In plain text, is a block followed by a byline the title or a headline, and so where the
/// byline's section starts? Mirrors [`classify`] for that case.
fn headline_before_byline(content: &str) -> bool {
    !byline::is_byline(content)
        && !is_aside(content)
        && headline_like(content)
        && !ends_sentence(content)
}

/// The start of the line that holds `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The offset after the line terminator that starts at `end` (or `end` at the end of text).
fn next_line_start(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(end) {
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

/// A block before classification.
struct RawBlock {
    pieces: Vec<Range<usize>>,
    heading: Option<u8>,
    quote: bool,
}

/// The content ranges of each line, without line terminators (`\n`, `\r\n`, `\r`). A text
/// that ends with a terminator ends with an empty line, as editors count them.
fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut next = Some(0);
    std::iter::from_fn(move || {
        let start = next?;
        let rest = &bytes[start..];
        match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) => {
                let crlf = rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n');
                next = Some(start + i + if crlf { 2 } else { 1 });
                Some(start..start + i)
            }
            None => {
                next = None;
                Some(start..bytes.len())
            }
        }
    })
}

/// White space around a line's content: ASCII, ideographic, and the byte-order mark.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}'
}

const OPEN_COMMENT: &str = "<!--";

/// The line without leading and trailing white space (ASCII and ideographic).
fn trimmed(text: &str, line: Range<usize>) -> Range<usize> {
    let content = &text[line.clone()];
    let start = line.start + (content.len() - content.trim_start_matches(is_space).len());
    let end = line.start + content.trim_end_matches(is_space).len();
    start..end.max(start)
}

/// Plain text: every non-blank line is a block.
fn plain_blocks(text: &str) -> Vec<RawBlock> {
    lines(text)
        .map(|line| trimmed(text, line))
        .filter(|line| !line.is_empty() && !is_comment(&text[line.clone()]))
        .map(|line| RawBlock {
            pieces: vec![line],
            heading: None,
            quote: false,
        })
        .collect()
}

/// Markdown: paragraphs of consecutive lines, ATX headings, block quotes; front matter, fenced
/// code, HTML comments and thematic breaks are not prose and give no block.
fn markdown_blocks(text: &str, first: bool) -> Vec<RawBlock> {
    let mut blocks: Vec<RawBlock> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut in_front_matter = false;
    let mut in_comment = false;
    let mut open = false; // is the last block open to more lines?
    for (number, line) in lines(text).enumerate() {
        let content = &text[line.clone()];
        let stripped = content.trim();
        if first && number == 0 && stripped == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            if stripped == "---" || stripped == "..." {
                in_front_matter = false;
            }
            continue;
        }
        if let Some(marker) = fence {
            if stripped.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if stripped.starts_with("```") || stripped.starts_with("~~~") {
            fence = Some(&stripped[..3]);
            open = false;
            continue;
        }
        if in_comment || stripped.starts_with("<!--") {
            in_comment = !stripped.contains("-->");
            open = false;
            continue;
        }
        if stripped.is_empty() || is_thematic_break(stripped) {
            open = false;
            continue;
        }
        let body = trimmed(text, line.clone());
        if let Some((level, heading)) = atx_heading(text, body.clone()) {
            blocks.push(RawBlock {
                pieces: vec![heading],
                heading: Some(level),
                quote: false,
            });
            open = false;
            continue;
        }
        let (quote, body) = strip_quote_marker(text, body);
        let body = strip_list_marker(text, body);
        if body.is_empty() {
            open = false;
            continue;
        }
        let list_item = body.start != trimmed(text, line.clone()).start && !quote;
        match blocks.last_mut() {
            Some(last) if open && last.quote == quote && !list_item => last.pieces.push(body),
            _ => blocks.push(RawBlock {
                pieces: vec![body],
                heading: None,
                quote,
            }),
        }
        open = true;
    }
    blocks
}

/// A line that is one HTML comment: a suppression marker, never prose.
fn is_comment(line: &str) -> bool {
    line.starts_with(OPEN_COMMENT) && line.ends_with("-->")
}

fn is_thematic_break(line: &str) -> bool {
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && (marks.chars().all(|c| c == '-')
            || marks.chars().all(|c| c == '*')
            || marks.chars().all(|c| c == '_'))
}

/// `## text` → (2, range of text).
fn atx_heading(text: &str, line: Range<usize>) -> Option<(u8, Range<usize>)> {
    let content = &text[line.clone()];
    let hashes = content.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &content[hashes..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let inner = trimmed(text, line.start + hashes..line.end);
    let closing = text[inner.clone()].trim_end_matches('#');
    let end = if closing.ends_with(' ') || closing.is_empty() {
        inner.start + closing.trim_end().len()
    } else {
        inner.end
    };
    Some((hashes as u8, inner.start..end))
}

fn strip_quote_marker(text: &str, line: Range<usize>) -> (bool, Range<usize>) {
    let mut range = line;
    let mut quote = false;
    while text[range.clone()].starts_with('>') {
        quote = true;
        range = trimmed(text, range.start + 1..range.end);
    }
    (quote, range)
}

fn strip_list_marker(text: &str, line: Range<usize>) -> Range<usize> {
    let content = &text[line.clone()];
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = content.strip_prefix(marker) {
            return trimmed(text, line.end - rest.len()..line.end);
        }
    }
    let digits = content.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = &content[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return trimmed(text, line.end - rest.len()..line.end);
        }
    }
    line
}

/// The longest headline we take for one: a long line without punctuation is running text.
const HEADLINE_MAX_CHARS: usize = 50;

fn headline_like(content: &str) -> bool {
    let length = char_len(content);
    length > 0
        && length <= HEADLINE_MAX_CHARS
        && !content.chars().any(is_sentence_punctuation)
        // A line that opens a quotation it does not close is running text broken by layout.
        && content.matches('“').count() == content.matches('”').count()
}

fn classify(text: &str, raw: Vec<RawBlock>, first: bool) -> Vec<Block> {
    let contents: Vec<String> = raw
        .iter()
        .map(|b| b.pieces.iter().map(|p| &text[p.clone()]).collect())
        .collect();
    let bylines: Vec<bool> = contents.iter().map(|c| byline::is_byline(c)).collect();
    let mut blocks: Vec<Block> = Vec::with_capacity(raw.len());
    for (index, block) in raw.into_iter().enumerate() {
        let content = contents[index].as_str();
        let previous_open = blocks
            .last()
            .filter(|b| b.kind.is_running_text())
            .is_some_and(|_| !ends_sentence(&contents[index - 1]))
            && index > 0;
        let next_is_byline = bylines.get(index + 1).copied().unwrap_or(false);
        let kind = if bylines[index] {
            BlockKind::Byline
        } else if let Some(level) = block.heading {
            if first && index == 0 && level == 1 {
                BlockKind::Title
            } else {
                BlockKind::Heading { level }
            }
        } else if block.quote {
            BlockKind::Quote
        } else if is_aside(content) {
            BlockKind::Aside
        } else if headline_like(content) && !ends_sentence(content) {
            if first && index == 0 {
                BlockKind::Title
            } else if next_is_byline || !previous_open {
                BlockKind::Headline
            } else {
                BlockKind::Body
            }
        } else {
            BlockKind::Body
        };
        blocks.push(Block {
            kind,
            pieces: block.pieces,
            paragraph: None,
            section: None,
        });
    }
    blocks
}

/// Lines that stand outside the sentences: a dash attribution that is not a byline
/// (`——习近平`), a parenthesised credit (`（记者 张三）`).
fn is_aside(content: &str) -> bool {
    let dashed = byline::strip_dashes(content).is_some();
    let parenthesised = (content.starts_with('（') && content.ends_with('）'))
        || (content.starts_with('(') && content.ends_with(')'));
    (dashed || parenthesised) && char_len(content) <= HEADLINE_MAX_CHARS
}

/// Running-text blocks that stop mid-sentence and go on in the next running-text block.
fn find_cuts(text: &str, blocks: &[Block]) -> Vec<Cut> {
    let mut cuts = Vec::new();
    for (index, pair) in blocks.windows(2).enumerate() {
        let (before, after) = (&pair[0], &pair[1]);
        if !(before.kind.is_running_text() && after.kind == before.kind) {
            continue;
        }
        let tail = before.pieces.last().map_or("", |p| &text[p.clone()]);
        if ends_sentence(tail) {
            continue;
        }
        cuts.push(Cut {
            before: index,
            after: index + 1,
            gap: before.span().end..after.span().start,
        });
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Article {
        Article::parse(text, DocumentKind::Plain, Knowledge::builtin())
    }

    fn kinds(article: &Article) -> Vec<BlockKind> {
        article.blocks.iter().map(|b| b.kind).collect()
    }

    /// The parts of `text`, by [`parts_after_edit`] from those of `before` when it can tell,
    /// checked against [`parts`].
    fn parts_told(before: &str, text: &str) -> Option<Vec<usize>> {
        let starts = parts(before, DocumentKind::Plain);
        let texts: Vec<&str> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| &before[s..starts.get(i + 1).copied().unwrap_or(before.len())])
            .collect();
        let told = parts_after_edit(&texts, text, DocumentKind::Plain)?;
        assert_eq!(told.starts, parts(text, DocumentKind::Plain), "{text}");
        let new =
            |i: usize| &text[told.starts[i]..told.starts.get(i + 1).copied().unwrap_or(text.len())];
        for (i, old) in texts.iter().enumerate() {
            if told.edited != Some(i) {
                assert_eq!(new(i), *old, "part {i} of {text}");
            }
        }
        Some(told.starts)
    }

    #[test]
    fn an_edit_inside_a_line_of_prose_keeps_the_parts() {
        let fixture = include_str!("../../tests/fixtures/hohhot-interviews-2026.txt");
        let starts = parts(fixture, DocumentKind::Plain);
        assert!(starts.len() > 10);
        // Typing into a paragraph in the middle of a section.
        let line = fixture[starts[5]..starts[6]].find("。").unwrap() + starts[5];
        let typed = format!("{}推进{}", &fixture[..line], &fixture[line..]);
        assert!(parts_told(fixture, &typed).is_some());
        let deleted = format!("{}{}", &fixture[..line], &fixture[line + "。".len()..]);
        assert!(parts_told(fixture, &deleted).is_some());
        assert_eq!(parts_told(fixture, fixture), Some(starts.clone()));
        // A line broken, a byline touched, a line turned into a dash line: told afresh.
        let broken = format!("{}\n{}", &fixture[..line], &fixture[line..]);
        assert_eq!(parts_told(fixture, &broken), None);
        let byline = fixture.find("——访").unwrap() + "——访".len();
        let renamed = format!("{}某{}", &fixture[..byline], &fixture[byline..]);
        assert_eq!(parts_told(fixture, &renamed), None);
        let start_of_line = fixture[..line].rfind('\n').unwrap() + 1;
        let bylined = format!(
            "{}——访市委书记某某\n{}",
            &fixture[..start_of_line],
            &fixture[start_of_line..]
        );
        assert_eq!(parts_told(fixture, &bylined), None);
        let into_byline = format!(
            "{}——访市委书记某某{}",
            &fixture[..start_of_line],
            &fixture[start_of_line..]
        );
        assert_eq!(parts_told(fixture, &into_byline), None);
        // A dash line that is no byline (a dateline) is prose to the parts.
        let end_of_line = fixture[line..].find('\n').unwrap() + line;
        let dated = format!(
            "{}\n——2026年1月10日在大会上{}",
            &fixture[..end_of_line],
            &fixture[end_of_line..]
        );
        let typed = format!("{}推进{}", &dated[..line], &dated[line..]);
        assert!(parts_told(&dated, &typed).is_some());
    }

    #[test]
    fn lines_break_at_every_terminator() {
        let text = "一\r\n二\r三\n四";
        let got: Vec<&str> = lines(text).map(|r| &text[r]).collect();
        assert_eq!(got, ["一", "二", "三", "四"]);
        assert_eq!(lines("一\n").count(), 2);
        assert_eq!(lines("").count(), 1);
    }

    #[test]
    fn a_round_up_has_title_lead_and_sections() {
        let text = "凝心聚力绘蓝图 实干担当谱新篇\n\n会议召开。大家一致表示要努力。\n\n锚定目标 狠抓落实\n\n——访土默特左旗委副书记、旗长李锐亨\n\n李锐亨表示，要抓好落实。\n";
        let article = parse(text);
        assert_eq!(
            kinds(&article),
            [
                BlockKind::Title,
                BlockKind::Body,
                BlockKind::Headline,
                BlockKind::Byline,
                BlockKind::Body
            ]
        );
        assert_eq!(article.sections.len(), 1);
        let section = &article.sections[0];
        assert_eq!(section.headline, Some(2));
        assert_eq!(section.paragraphs, 1..2);
        assert_eq!(
            article.paragraphs[0].section, None,
            "the lead is in no section"
        );
    }

    #[test]
    fn a_cut_joins_two_blocks_into_one_paragraph() {
        let text = "标题\n\n“会议报告站位高远。”赛罕区委\n\n副书记、代区长杨朋飞说，要落实。\n";
        let article = parse(text);
        assert_eq!(article.cuts.len(), 1);
        assert_eq!(article.paragraphs.len(), 1);
        let paragraph = &article.paragraphs[0];
        assert!(paragraph.text.contains("赛罕区委副书记"));
        let joined = paragraph.text.find("副书记").unwrap();
        assert_eq!(&text[paragraph.to_source(joined)..][..9], "副书记");
        let end = paragraph.to_source_end(joined);
        assert!(text[..end].ends_with("赛罕区委"));
    }

    #[test]
    fn an_open_block_before_a_headline_is_not_joined() {
        let text = "标题\n\n要稳住经济增\n\n立足生态资源优势 走好绿色发展之路\n\n——访武川县委书记哈达\n\n哈达说，要落实。\n";
        let article = parse(text);
        assert!(article.cuts.is_empty());
        assert_eq!(article.blocks[2].kind, BlockKind::Headline);
    }

    #[test]
    fn markdown_structure_is_read_and_code_is_skipped() {
        let text = "---\ntitle: x\n---\n# 标题\n\n## 锚定目标\n\n——访武川县委书记哈达\n\n```\n代码，不是正文\n```\n\n> 引语一行\n> 引语二行。\n\n正文一行\n正文二行。\n";
        let article = Article::parse(text, DocumentKind::Markdown, Knowledge::builtin());
        assert_eq!(
            kinds(&article),
            [
                BlockKind::Title,
                BlockKind::Heading { level: 2 },
                BlockKind::Byline,
                BlockKind::Quote,
                BlockKind::Body
            ]
        );
        assert_eq!(article.blocks[4].pieces.len(), 2);
        assert_eq!(article.paragraphs[1].text, "正文一行正文二行。");
        assert_eq!(article.sections.len(), 1);
    }

    #[test]
    fn dash_attributions_are_asides() {
        let article = parse("标题\n\n“发展是第一要务。”\n\n——习近平\n");
        assert_eq!(article.blocks[2].kind, BlockKind::Aside);
    }

    #[test]
    fn any_text_parses() {
        for text in [
            "",
            "\n\n\n",
            "\r",
            "——访",
            "# ",
            "> ",
            "```",
            "---\n",
            "。",
            "“",
        ] {
            let _ = parse(text);
            let _ = Article::parse(text, DocumentKind::Markdown, Knowledge::builtin());
        }
    }
}

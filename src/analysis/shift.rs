//! Moving an analysis of one part of a document into the document's frame: byte offsets move by
//! where the part starts, and indices of blocks, paragraphs and units by how many the parts
//! before it hold. Section ids and person indices are the document's already.

use std::ops::Range;

use super::article::{Article, Block, Cut, Paragraph, Piece, Section};
use super::byline::{Byline, Office, Person, PlaceRef};
use super::enumeration::{Announcement, Enumeration, Item, Ordinal};
use super::finding::{Edit, Finding, Fix, Related};
use super::mentions::{Mention, WrittenTitle};

/// How far a part's analysis moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offsets {
    pub bytes: usize,
    pub blocks: usize,
    pub paragraphs: usize,
    pub units: usize,
}

/// Something that holds offsets or indices of a part.
pub trait Shift {
    fn shift(&mut self, by: &Offsets);
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: &Offsets) {
        for item in self {
            item.shift(by);
        }
    }
}

impl<A: smallvec::Array<Item: Shift>> Shift for smallvec::SmallVec<A> {
    fn shift(&mut self, by: &Offsets) {
        for item in self {
            item.shift(by);
        }
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: &Offsets) {
        if let Some(item) = self {
            item.shift(by);
        }
    }
}

impl Shift for Range<usize> {
    fn shift(&mut self, by: &Offsets) {
        self.start += by.bytes;
        self.end += by.bytes;
    }
}

impl Shift for Block {
    fn shift(&mut self, by: &Offsets) {
        self.pieces.shift(by);
        if let Some(p) = &mut self.paragraph {
            *p += by.paragraphs;
        }
    }
}

impl Shift for Piece {
    fn shift(&mut self, by: &Offsets) {
        self.source.shift(by);
    }
}

impl Shift for Paragraph {
    fn shift(&mut self, by: &Offsets) {
        self.blocks.start += by.blocks;
        self.blocks.end += by.blocks;
        self.pieces.shift(by);
    }
}

impl Shift for Cut {
    fn shift(&mut self, by: &Offsets) {
        self.before += by.blocks;
        self.after += by.blocks;
        self.gap.shift(by);
    }
}

impl Shift for Section {
    fn shift(&mut self, by: &Offsets) {
        if let Some(h) = &mut self.headline {
            *h += by.blocks;
        }
        self.byline.shift(by);
        self.blocks.start += by.blocks;
        self.blocks.end += by.blocks;
        self.paragraphs.start += by.paragraphs;
        self.paragraphs.end += by.paragraphs;
        self.range.shift(by);
    }
}

impl Shift for Byline {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
        self.text_range.shift(by);
        self.person.shift(by);
    }
}

impl Shift for Person {
    fn shift(&mut self, by: &Offsets) {
        self.name_range.shift(by);
        self.offices.shift(by);
        self.place.shift(by);
    }
}

impl Shift for Office {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
        self.title_range.shift(by);
    }
}

impl Shift for PlaceRef {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
    }
}

impl Article {
    /// Appends a part's article (moved into the document's frame) to this one.
    pub fn append(&mut self, part: &Article, by: &Offsets) {
        let mut blocks = part.blocks.clone();
        blocks.shift(by);
        self.blocks.extend(blocks);
        let mut paragraphs = part.paragraphs.clone();
        paragraphs.shift(by);
        self.paragraphs.extend(paragraphs);
        let mut sections = part.sections.clone();
        sections.shift(by);
        self.sections.extend(sections);
        let mut cuts = part.cuts.clone();
        cuts.shift(by);
        self.cuts.extend(cuts);
        if self.title.is_none() {
            self.title = part.title.map(|t| t + by.blocks);
        }
        self.kind = part.kind;
    }
}

impl Shift for Enumeration {
    fn shift(&mut self, by: &Offsets) {
        self.announcement.shift(by);
        self.items.shift(by);
    }
}

impl Shift for Announcement {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
        self.numeral.shift(by);
    }
}

impl Shift for Item {
    fn shift(&mut self, by: &Offsets) {
        self.ordinal.shift(by);
        self.range.shift(by);
        self.content.shift(by);
        if let Some(p) = &mut self.paragraph {
            *p += by.paragraphs;
        }
        if let Some(s) = &mut self.separator {
            *s += by.bytes;
        }
        self.body_end += by.bytes;
    }
}

impl Shift for Ordinal {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
        self.numeral.shift(by);
    }
}

impl Shift for Mention {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
        self.name_range.shift(by);
        self.unit += by.units;
        // `local` is a range of the unit's text, and person indices are the document's.
        self.title.shift(by);
    }
}

impl Shift for WrittenTitle {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
    }
}

impl Shift for Finding {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
        self.related.shift(by);
        self.fixes.shift(by);
    }
}

impl Shift for Related {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
    }
}

impl Shift for Fix {
    fn shift(&mut self, by: &Offsets) {
        self.edits.shift(by);
    }
}

impl Shift for Edit {
    fn shift(&mut self, by: &Offsets) {
        self.range.shift(by);
    }
}

//! The message list's layout cache: each entry's wrapped rows, kept per entry and width, so a
//! frame lays out only the entries that are new or changed since the last one. It holds only what
//! the last frame drew, so its size follows the window, not the scrollback. Owned by the view; the
//! app state never sees it.

use std::collections::HashMap;

use ratatui::text::Line;

use crate::state::message::Entry;

/// What every cached layout depends on besides the entry itself.
#[derive(Debug, Clone, PartialEq, Default)]
struct Context {
    channel: String,
    width: usize,
    timestamps: bool,
    utc_offset_s: i32,
    query: Option<String>,
}

struct Cached {
    /// The entry as it was laid out: any change to it (deleted, confirmed, grouped) lays it out again.
    entry: Entry,
    lines: Vec<Line<'static>>,
    frame: u64,
}

/// Wrapped rows by entry for one channel, width and set of display settings.
#[derive(Default)]
pub struct Layouts {
    context: Context,
    frame: u64,
    rows: HashMap<u64, Cached>,
    laid_out: usize,
}

impl Layouts {
    /// Starts a frame; a change of channel, width or settings drops everything cached.
    pub fn begin(
        &mut self,
        channel: &str,
        width: usize,
        timestamps: bool,
        utc_offset_s: i32,
        query: Option<&str>,
    ) {
        let context = Context {
            channel: channel.to_owned(),
            width,
            timestamps,
            utc_offset_s,
            query: query.filter(|q| !q.is_empty()).map(str::to_owned),
        };
        if context != self.context {
            self.rows.clear();
            self.context = context;
        }
        self.frame += 1;
        self.laid_out = 0;
    }

    /// How many rows `entry` takes, laying it out with `layout` unless the cache has it.
    pub fn height(&mut self, entry: &Entry, layout: impl FnOnce() -> Vec<Line<'static>>) -> usize {
        let frame = self.frame;
        let cached = match self.rows.get_mut(&entry.seq) {
            Some(cached) if cached.entry == *entry => cached,
            _ => {
                self.laid_out += 1;
                let fresh = Cached {
                    entry: entry.clone(),
                    lines: layout(),
                    frame,
                };
                self.rows.insert(entry.seq, fresh);
                self.rows.get_mut(&entry.seq).expect("just inserted")
            }
        };
        cached.frame = frame;
        cached.lines.len()
    }

    /// The rows of an entry passed to [`Layouts::height`] in this frame.
    pub fn lines(&self, seq: u64) -> &[Line<'static>] {
        self.rows.get(&seq).map_or(&[], |c| c.lines.as_slice())
    }

    /// Ends a frame: forgets the entries it did not draw.
    pub fn end(&mut self) {
        let frame = self.frame;
        self.rows.retain(|_, cached| cached.frame == frame);
    }

    /// Entries laid out (not found in the cache) by the current frame.
    pub fn laid_out(&self) -> usize {
        self.laid_out
    }

    /// Entries the cache holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

//! The overlays that list: the help (the rows `state::help` lists, in a box centred on the
//! screen, with the scroll position in its lower border when it does not all fit), the log
//! of what was said, and the mod log.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use super::messages::clock;
use super::status::Hint;
use super::theme;
use super::wrap::wrap;
use super::wrap::{truncate, width};
use crate::state::AppState;
use crate::state::help::{self, HelpLine};
use crate::state::keymap::{Action, KeyMode};
use crate::state::message::{Body, Level};

/// The key column is never wider than this.
const KEYS_WIDTH: usize = 30;
/// Nor the box (past this, lines get too long to read).
const MAX_WIDTH: u16 = 150;

pub fn render(state: &AppState, scroll: usize, filter: &str, area: Rect, buf: &mut Buffer) {
    let lines = help::lines(&state.settings, filter);
    let visible = help::visible_rows(area.height, lines.len());
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    let box_width = area
        .width
        .saturating_sub(4)
        .clamp(20, MAX_WIDTH)
        .min(area.width);
    let box_height = (visible as u16 + 3).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - box_width) / 2,
        y: area.y + (area.height - box_height) / 2,
        width: box_width,
        height: box_height,
    };
    let inner = usize::from(box_width.saturating_sub(2));
    let keys_width = lines
        .iter()
        .filter_map(|line| match line {
            HelpLine::Row { keys, .. } => Some(width(keys)),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(KEYS_WIDTH)
        .min(inner / 2);
    let key_style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let head = Style::new().fg(theme::PURPLE).add_modifier(Modifier::BOLD);
    let filter_line = if filter.is_empty() {
        Line::styled(" type to filter", theme::timestamp())
    } else {
        Line::from(vec![
            Span::styled(" filter: ", theme::timestamp()),
            Span::styled(
                truncate(filter, inner.saturating_sub(12)),
                key_style.add_modifier(Modifier::UNDERLINED),
            ),
            Span::styled(
                if lines.is_empty() {
                    "  nothing matches"
                } else {
                    ""
                },
                theme::timestamp(),
            ),
        ])
    };
    let mut shown = vec![filter_line];
    shown.extend(
        lines
            .iter()
            .skip(scroll)
            .take(visible)
            .map(|line| match line {
                HelpLine::Heading(title) => Line::styled(truncate(title, inner), head),
                HelpLine::Blank => Line::raw(""),
                HelpLine::Badge { badge, what } => {
                    let (label, style) = theme::badge(badge);
                    let pad = keys_width.saturating_sub(width(&label));
                    Line::from(vec![
                        Span::raw(" "),
                        Span::styled(label, style),
                        Span::raw(format!("{}  {what}", " ".repeat(pad))),
                    ])
                }
                HelpLine::Row { keys, what } => {
                    let keys = truncate(keys, keys_width);
                    let pad = keys_width - width(&keys);
                    let what_width = inner.saturating_sub(keys_width + 3);
                    Line::from(vec![
                        Span::styled(format!(" {keys}{}  ", " ".repeat(pad)), key_style),
                        Span::raw(truncate(what, what_width)),
                    ])
                }
            }),
    );
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(theme::PURPLE))
        .title(format!(
            " ttvchat help — {} to close ",
            state.key_for(KeyMode::Help, Action::Close)
        ));
    if visible < lines.len() {
        let position = format!("{}–{} of {}", scroll + 1, scroll + visible, lines.len());
        let keys = super::status::hints(
            state,
            KeyMode::Help,
            &[
                (Hint::Pair(Action::Up, Action::Down), "scroll"),
                (Hint::Pair(Action::PageUp, Action::PageDown), "page"),
            ],
        );
        let full = format!(" {keys} · {position} ");
        let title = if width(&full) + 4 <= usize::from(box_width) {
            full
        } else {
            format!(" {position} ")
        };
        block = block.title_bottom(Line::from(title).right_aligned());
    }
    super::clear_popup(popup, buf);
    Paragraph::new(shown).block(block).render(popup, buf);
}

/// What Twitch and ttvchat said in the focused channel, each line whole (wrapped), the newest
/// at the bottom, `scroll` lines up from there.
pub fn render_log(state: &AppState, scroll: usize, area: Rect, buf: &mut Buffer) {
    let Some(chan) = state.focused() else { return };
    let told: Vec<(i64, &str, Style)> = chan
        .messages
        .iter()
        .filter_map(|e| match &e.body {
            Body::System(system) => Some((e.at, system.text.as_str(), theme::system(system.level))),
            _ => None,
        })
        .collect();
    let close = state.key_for(KeyMode::Log, Action::Close);
    let title = format!(
        " said in {} — {close} to close ",
        chan.label(state.settings.look.unicode)
    );
    let position = match (told.len(), scroll) {
        (0, _) => " nothing yet ".to_owned(),
        (1, 0) => " 1 line ".to_owned(),
        (n, 0) => format!(" {n} lines · the newest below "),
        (n, s) => format!(" {} of {n} ", n - s),
    };
    let list = List {
        items: &told,
        scroll,
        title,
        position,
        mode: KeyMode::Log,
    };
    list.render(state, area, buf);
}

/// The moderators' actions in the focused channel that match `filter`, the newest at the
/// bottom, `scroll` up from there.
pub fn render_mod_log(state: &AppState, scroll: usize, filter: &str, area: Rect, buf: &mut Buffer) {
    let Some(chan) = state.focused() else { return };
    let records = chan.mod_log(filter);
    let items: Vec<(i64, &str, Style)> = records
        .iter()
        .map(|r| (r.at, r.text.as_str(), theme::system(Level::Notice)))
        .collect();
    let close = state.key_for(KeyMode::ModLog, Action::Close);
    let shown = if filter.is_empty() {
        "type to filter: words, by:moderator, on:user".to_owned()
    } else {
        format!("filter: {filter}▏")
    };
    let title = format!(
        " mod log of {} — {shown} — {close} to close ",
        chan.label(state.settings.look.unicode)
    );
    let position = match (items.len(), chan.modlog.len(), scroll) {
        (_, 0, _) if chan.watching == Some(true) => " no moderator has acted yet ".to_owned(),
        (_, 0, _) => " only moderators see the mod log (live feeds) ".to_owned(),
        (0, _, _) => " nothing matches ".to_owned(),
        (n, all, 0) => format!(" {n} of {all} · the newest below "),
        (n, _, s) => format!(" {} of {n} ", n - s),
    };
    let list = List {
        items: &items,
        scroll,
        title,
        position,
        mode: KeyMode::ModLog,
    };
    list.render(state, area, buf);
}

/// A box over the messages listing lines whole (wrapped), the newest at the bottom.
struct List<'a> {
    /// When, what, and in which style.
    items: &'a [(i64, &'a str, Style)],
    /// Lines scrolled up past.
    scroll: usize,
    title: String,
    /// Where the view is, for the lower border.
    position: String,
    /// Whose keys scroll it.
    mode: KeyMode,
}

impl List<'_> {
    fn render(&self, state: &AppState, area: Rect, buf: &mut Buffer) {
        let popup = Rect {
            x: area.x + 2.min(area.width / 8),
            y: area.y + 1.min(area.height / 8),
            width: area.width.saturating_sub(4.min(area.width / 4)),
            height: area.height.saturating_sub(2.min(area.height / 4)),
        };
        let inner_width = usize::from(popup.width.saturating_sub(2));
        let rows = usize::from(popup.height.saturating_sub(2));
        let end = self.items.len().saturating_sub(self.scroll);
        // Lay out from the newest shown upwards until the box is full.
        let mut lines: Vec<Line<'static>> = Vec::new();
        for (at, text, style) in self.items[..end].iter().rev() {
            let time = format!("{} ", clock(*at, state.settings.utc_offset_s));
            let mut wrapped = wrap(
                &[(&time, theme::timestamp()), (text, *style)],
                inner_width,
                6,
            );
            wrapped.append(&mut lines);
            lines = wrapped;
            if lines.len() >= rows {
                break;
            }
        }
        // The newest sits at the bottom, as in the chat.
        let skip = lines.len().saturating_sub(rows);
        let mut shown: Vec<Line<'static>> = vec![Line::raw(""); rows.saturating_sub(lines.len())];
        shown.extend(lines.into_iter().skip(skip));
        let keys = super::status::hints(
            state,
            self.mode,
            &[
                (Hint::Pair(Action::Up, Action::Down), "scroll"),
                (Hint::Pair(Action::PageUp, Action::PageDown), "page"),
            ],
        );
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(Style::new().fg(theme::PURPLE))
            .title(self.title.clone())
            .title_bottom(Line::from(format!(" {keys} ·{}", self.position)).right_aligned());
        super::clear_popup(popup, buf);
        Paragraph::new(shown).block(block).render(popup, buf);
    }
}

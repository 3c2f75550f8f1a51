//! The message list: each entry laid out for the pane's width (timestamp, badges, colored name,
//! text with emotes, reply context, alerts, system lines, send state), drawn bottom up from the
//! anchor so only the visible entries are laid out (and only those the layout cache lacks). A marker shows how many new messages wait
//! below while scrolled up.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::layouts::Layouts;
use super::theme;
use super::wrap::{truncate, width, wrap};
use crate::state::channel::Channel;
use crate::state::channel::Kind;
use crate::state::keymap::{Action, KeyMode};
use crate::state::message::{Alert, Body, Chat, Entry, HoldKind, HoldState, OwnHold, SendState};
use crate::state::{AppState, Mode};

/// Rows after the first are indented this much.
const INDENT: usize = 2;

/// `HH:MM` local time.
pub fn clock(at: i64, utc_offset_s: i32) -> String {
    let local = at.div_euclid(1000) + i64::from(utc_offset_s);
    let minutes = local.div_euclid(60);
    format!(
        "{:02}:{:02}",
        minutes.div_euclid(60).rem_euclid(24),
        minutes.rem_euclid(60)
    )
}

/// Splits chat text into plain and emote pieces, and marks search hits.
fn text_pieces<'a>(chat: &'a Chat, base: Style, query: Option<&str>) -> Vec<(&'a str, Style)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for range in &chat.emotes {
        if range.start < at || chat.text.get(range.clone()).is_none() {
            continue;
        }
        pieces.push((&chat.text[at..range.start], base));
        pieces.push((&chat.text[range.clone()], base.patch(theme::emote())));
        at = range.end;
    }
    pieces.push((&chat.text[at..], base));
    match query {
        Some(q) if !q.is_empty() => highlight(pieces, q),
        _ => pieces,
    }
}

/// Marks every case-insensitive occurrence of `query` (ASCII case folding keeps offsets).
fn highlight<'a>(pieces: Vec<(&'a str, Style)>, query: &str) -> Vec<(&'a str, Style)> {
    let needle = query.to_ascii_lowercase();
    let mut out = Vec::new();
    for (text, style) in pieces {
        let lower = text.to_ascii_lowercase();
        let mut at = 0;
        while let Some(found) = lower[at..].find(&needle) {
            let start = at + found;
            let end = start + needle.len();
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                break;
            }
            out.push((&text[at..start], style));
            out.push((&text[start..end], style.patch(theme::search_hit())));
            at = end;
        }
        out.push((&text[at..], style));
    }
    out
}

fn chat_lines(
    chat: &Chat,
    entry: &Entry,
    state: &AppState,
    width: usize,
    query: Option<&str>,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if let Some(reply) = &chat.reply {
        let text = format!("↪ replying to @{}: {}", reply.name, reply.text);
        out.push(Line::styled(truncate(&text, width), theme::reply_context()));
    }
    let name_style = Style::new()
        .fg(theme::name_color(chat.author.color, &chat.author.login))
        .add_modifier(Modifier::BOLD);
    let mut head: Vec<(String, Style)> = Vec::new();
    if state.settings.show_timestamps {
        head.push((
            format!("{} ", clock(entry.at, state.settings.utc_offset_s)),
            theme::timestamp(),
        ));
    }
    for badge in &chat.author.badges {
        let (label, style) = theme::badge(badge);
        head.push((label, style));
        head.push((" ".into(), Style::new()));
    }
    if let Some(hold) = &chat.held {
        let place = match state.focused().map(|c| &c.kind) {
            Some(Kind::Queue) => format!(" #{}", hold.channel),
            _ => String::new(),
        };
        let label = match hold.kind {
            HoldKind::Automod => format!("⚑ AutoMod{place}: {}", hold.reason),
            HoldKind::Unban => format!("⚖ unban request{place}"),
        };
        head.push((label, theme::held()));
        head.push((" ".into(), Style::new()));
    }
    if let Some(suspect) = &chat.suspect {
        let what = if suspect.restricted {
            "restricted"
        } else {
            "monitored"
        };
        let label = match &suspect.why {
            Some(why) => format!("⚠ {what}: {why}"),
            None => format!("⚠ {what}"),
        };
        head.push((label, theme::suspect()));
        head.push((" ".into(), Style::new()));
    }
    if chat.first {
        head.push(("✦ first".into(), theme::first_message()));
        head.push((" ".into(), Style::new()));
    }
    if let Some(bits) = chat.bits {
        head.push((format!("◆ {bits}"), theme::highlight_label()));
        head.push((" ".into(), Style::new()));
    }
    if let Some(paid) = &chat.paid {
        head.push((format!("♦ {paid}"), theme::highlight_label()));
        head.push((" ".into(), Style::new()));
    }
    let mut text_style = Style::new();
    if chat.action {
        head.push((format!("* {}", chat.author.display), name_style));
        text_style = Style::new()
            .fg(theme::name_color(chat.author.color, &chat.author.login))
            .add_modifier(Modifier::ITALIC);
    } else {
        head.push((chat.author.display.clone(), name_style));
    }
    if chat.author.is_localized() {
        head.push((
            format!(" ({})", chat.author.login),
            name_style.remove_modifier(Modifier::BOLD),
        ));
    }
    head.push((
        if chat.action { " ".into() } else { ": ".into() },
        Style::new(),
    ));
    let mut suffix: Option<(String, Style)> = None;
    match &chat.send {
        Some(SendState::Pending(_)) => text_style = text_style.patch(theme::pending()),
        Some(SendState::Throttled(_, secs)) => {
            text_style = text_style.patch(theme::pending());
            suffix = Some((format!("  ⏳ waiting {secs}s"), theme::pending()));
        }
        Some(SendState::Failed { reason, .. }) => {
            let retry = state
                .settings
                .keymap
                .hint(KeyMode::Normal, Action::Retry)
                .map_or_else(String::new, |k| format!(" ({k} to retry)"));
            suffix = Some((format!("  ✗ {reason}{retry}"), theme::failed()));
        }
        Some(SendState::Held(hold)) => {
            let (text, style) = match hold {
                OwnHold::Waiting => ("  ⚑ held by AutoMod: a moderator decides", theme::pending()),
                OwnHold::Approved => ("  ✓ approved by a moderator", theme::allowed()),
                OwnHold::Denied => ("  ✗ denied by a moderator: not sent", theme::failed()),
                OwnHold::Expired => ("  ✗ not sent: nobody decided in time", theme::failed()),
            };
            if *hold != OwnHold::Approved {
                text_style = text_style.patch(theme::pending());
            }
            suffix = Some((text.to_owned(), style));
        }
        Some(SendState::Confirmed) | None => {}
    }
    if let Some(hold) = &chat.held {
        let keymap = &state.settings.keymap;
        let (text, style) = match &hold.state {
            HoldState::Pending => {
                let key = |action| keymap.hint(KeyMode::Select, action).unwrap_or_default();
                let (waits, allows) = match hold.kind {
                    HoldKind::Automod => ("held", "allows"),
                    HoldKind::Unban => ("waits", "approves"),
                };
                (
                    format!(
                        "  {waits}: {} {allows}, {} denies",
                        key(Action::Allow),
                        key(Action::Deny)
                    ),
                    theme::pending(),
                )
            }
            HoldState::Asked(true) => ("  allowing…".to_owned(), theme::pending()),
            HoldState::Asked(false) => ("  denying…".to_owned(), theme::pending()),
            HoldState::Resolved { allowed: true, by } => {
                text_style = text_style.patch(theme::pending());
                let allowed = match hold.kind {
                    HoldKind::Automod => "allowed",
                    HoldKind::Unban => "approved",
                };
                (format!("  ✓ {allowed} by {by}"), theme::allowed())
            }
            HoldState::Resolved { allowed: false, by } => {
                text_style = text_style.patch(theme::pending());
                (format!("  ✗ denied by {by}"), theme::failed())
            }
            HoldState::Expired => {
                text_style = text_style.patch(theme::pending());
                ("  expired".to_owned(), theme::pending())
            }
        };
        suffix = Some((text, style));
    }
    let mut pieces: Vec<(&str, Style)> = head.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    pieces.extend(text_pieces(chat, text_style, query));
    if let Some((text, style)) = &suffix {
        pieces.push((text, *style));
    }
    out.extend(wrap(&pieces, width, INDENT));
    if chat.mention {
        for line in &mut out {
            line.style = line.style.patch(theme::mention());
        }
    }
    out
}

fn alert_lines(alert: &Alert, entry: &Entry, state: &AppState, width: usize) -> Vec<Line<'static>> {
    let accent = theme::alert(alert.kind);
    let bar = Style::new().fg(accent);
    let title_style = Style::new().fg(accent).add_modifier(Modifier::BOLD);
    let mut title = alert.title.clone();
    if let Some(gift) = &alert.gift
        && !gift.recipients.is_empty()
    {
        let shown: Vec<&str> = gift.recipients.iter().take(8).map(String::as_str).collect();
        let more = gift.recipients.len().saturating_sub(shown.len());
        title.push_str(&format!(" → {}", shown.join(", ")));
        if more > 0 {
            title.push_str(&format!(" and {more} more"));
        }
    }
    let time = if state.settings.show_timestamps {
        format!("{} ", clock(entry.at, state.settings.utc_offset_s))
    } else {
        String::new()
    };
    let mut out = Vec::new();
    for line in wrap(
        &[(&time, theme::timestamp()), (&title, title_style)],
        width.saturating_sub(2),
        0,
    ) {
        let mut spans = vec![Span::styled("▌ ", bar)];
        spans.extend(line.spans);
        out.push(Line::from(spans));
    }
    if let Some(message) = &alert.message {
        for line in wrap(&[(message, Style::new())], width.saturating_sub(2), 0) {
            let mut spans = vec![Span::styled("▌ ", bar)];
            spans.extend(line.spans);
            out.push(Line::from(spans));
        }
    }
    out
}

/// An entry's rows at `width`.
pub fn entry_lines(
    entry: &Entry,
    state: &AppState,
    width: usize,
    query: Option<&str>,
) -> Vec<Line<'static>> {
    let mut lines = match &entry.body {
        Body::Chat(chat) => chat_lines(chat, entry, state, width, query),
        Body::Alert(alert) => alert_lines(alert, entry, state, width),
        Body::System(system) => {
            let time = if state.settings.show_timestamps {
                format!("{} ", clock(entry.at, state.settings.utc_offset_s))
            } else {
                String::new()
            };
            let text = format!("— {}", system.text);
            wrap(
                &[
                    (&time, theme::timestamp()),
                    (&text, theme::system(system.level)),
                ],
                width,
                INDENT,
            )
        }
    };
    if entry.gone {
        for line in &mut lines {
            for span in &mut line.spans {
                span.style = span.style.patch(theme::gone());
            }
        }
    }
    lines
}

/// Where an entry's row was drawn: the screen row, the entry, and which of its rows.
pub type Drawn = (u16, u64, usize);

/// Draws the focused channel's messages into `area`, laying out only entries `layouts` lacks;
/// returns the rows drawn (for mouse clicks).
pub fn render(
    state: &AppState,
    chan: &Channel,
    area: Rect,
    buf: &mut Buffer,
    layouts: &mut Layouts,
) -> Vec<Drawn> {
    let mut drawn = Vec::new();
    let w = usize::from(area.width);
    let h = usize::from(area.height);
    if w == 0 || h == 0 {
        return drawn;
    }
    let query = match &state.mode {
        Mode::Search { query, .. } => Some(query.as_str()),
        _ => None,
    };
    // The selection, or the current search match, is drawn highlighted.
    let selected = match &state.mode {
        Mode::Select => chan.selected,
        Mode::Search { current, .. } => *current,
        _ => None,
    };
    let bottom = chan
        .anchor
        .and_then(|a| chan.index_of(a))
        .unwrap_or(chan.messages.len().saturating_sub(1));
    let scrolled = chan.below_anchor() > 0;
    let rows_for_text = if scrolled { h.saturating_sub(1) } else { h };
    layouts.begin(
        &chan.label(true),
        w,
        state.settings.show_timestamps,
        state.settings.utc_offset_s,
        query,
    );
    let mut shown = Vec::new();
    let mut rows = 0;
    if !chan.messages.is_empty() {
        for entry in chan.messages.range(..=bottom).rev() {
            if rows >= rows_for_text {
                break;
            }
            rows += layouts.height(entry, || entry_lines(entry, state, w, query));
            shown.push(entry.seq);
        }
    }
    let mut waiting = chan.below_anchor();
    // Scrolled to the oldest messages: they start at the top and newer ones fill the rest; if
    // that shows them all, they sit at the bottom as live chat does.
    // Not while labels show: each label stays on the message it was given to, and messages
    // that arrive after them have none.
    let labelling = matches!(state.mode, Mode::Hints { .. });
    let fill = rows < rows_for_text && scrolled && !labelling;
    shown.reverse();
    if fill {
        for entry in chan.messages.range(bottom + 1..) {
            if rows >= rows_for_text {
                break;
            }
            rows += layouts.height(entry, || entry_lines(entry, state, w, query));
            shown.push(entry.seq);
            waiting -= 1;
        }
    }
    let top_aligned = fill && waiting > 0;
    let rows_for_text = if waiting == 0 { h } else { rows_for_text };
    let mut lines: Vec<(u64, usize, &Line<'static>)> = shown
        .iter()
        .flat_map(|&seq| {
            let lines = layouts.lines(seq).iter().enumerate();
            lines.map(move |(n, line)| (seq, n, line))
        })
        .collect();
    if top_aligned {
        lines.truncate(rows_for_text);
    } else {
        lines.drain(..lines.len().saturating_sub(rows_for_text));
    }
    let first_y = if top_aligned {
        area.y
    } else {
        area.y + (rows_for_text - lines.len()) as u16
    };
    for (y, (seq, n, line)) in (first_y..).zip(lines) {
        let row = Rect {
            y,
            height: 1,
            ..area
        };
        draw_row(line, row, selected == Some(seq), buf);
        if n == 0 {
            draw_label(state, seq, row, buf);
        }
        drawn.push((y, seq, n));
    }
    layouts.end();
    if waiting > 0 {
        let live = state
            .settings
            .keymap
            .hint(KeyMode::Normal, Action::ScrollBottom)
            .map_or_else(String::new, |k| format!(": {k} to go live"));
        let label = format!(
            " ↓ {waiting} new message{}{live} ",
            if waiting == 1 { "" } else { "s" }
        );
        let label = truncate(&label, w);
        let x = area.x + (w.saturating_sub(width(&label)) / 2) as u16;
        buf.set_string(
            x,
            area.y + area.height - 1,
            label,
            theme::key_hint().add_modifier(Modifier::BOLD),
        );
    }
    drawn
}

/// In hint mode, the label of the entry `seq` over the start of its first row: the part still
/// to type bright, the part typed dim. Labels that no longer fit what was typed are hidden.
fn draw_label(state: &AppState, seq: u64, row: Rect, buf: &mut Buffer) {
    let Mode::Hints { labels, typed } = &state.mode else {
        return;
    };
    let Some((label, _)) = labels
        .iter()
        .find(|(label, s)| *s == seq && label.starts_with(typed.as_str()))
    else {
        return;
    };
    let (done, rest) = label.split_at(typed.len());
    let dim = theme::hint_label().add_modifier(Modifier::DIM);
    let (x, _) = buf.set_stringn(row.x, row.y, done, usize::from(row.width), dim);
    buf.set_string(x, row.y, rest, theme::hint_label());
}

/// One row; the selected entry's rows get the selection background under their own styles.
fn draw_row(line: &Line<'_>, row: Rect, selected: bool, buf: &mut Buffer) {
    if selected {
        let mut line = line.clone();
        line.style = line.style.patch(theme::selected());
        line.render(row, buf);
    } else {
        line.render(row, buf);
    }
}

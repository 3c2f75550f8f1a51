//! The user card and the ban question: boxes centred over the chat. The card shows who the user
//! is (display name, login, id, account age and follow date from Helix), their badges and last
//! messages in this channel, and the keys that act on them, only those our role allows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use super::messages::clock;
use super::status::{Hint, hint_items};
use super::theme;
use super::wrap::truncate;
use crate::state::keymap::{Action, KeyMode};
use crate::state::message::{Body, Chat, Entry, Level, Millis};
use crate::state::{AppState, CardView};
use crate::twitch::helix::Followed;

/// Messages of the user the card lists.
const LAST_MESSAGES: usize = 5;
/// How many of the moderators' actions on them it shows.
const HISTORY: usize = 5;

/// A box of `width` x `height` centred in `area` (clamped to it).
fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (width.min(area.width), height.min(area.height));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn block(title: String) -> Block<'static> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(theme::PURPLE))
        .title(title)
}

/// `2024-03-05 (2y 8mo ago)`.
fn date_and_age(at: Millis, now: Millis) -> String {
    let date = chrono::DateTime::from_timestamp_millis(at)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let days = (now - at).max(0) / 86_400_000;
    let (years, months) = (days / 365, days % 365 / 30);
    let age = match (years, months, days) {
        (0, 0, 0) => "today".to_owned(),
        (0, 0, d) => format!("{d}d ago"),
        (0, m, _) => format!("{m}mo ago"),
        (y, 0, _) => format!("{y}y ago"),
        (y, m, _) => format!("{y}y {m}mo ago"),
    };
    format!("{date} ({age})")
}

fn field(name: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {name:<9} "), theme::timestamp()),
        Span::raw(value),
    ])
}

/// One of the user's messages on the card: when, deleted or not, whether it is the one the
/// card's delete key acts on, and the message.
type Shown<'a> = (Millis, bool, bool, &'a Chat);

/// The user's last messages in the card's channel, oldest first, always with the one the
/// card holds on to (in place of the oldest when it is older than those).
fn their_messages<'a>(state: &'a AppState, view: &CardView) -> Vec<Shown<'a>> {
    let Some(chan) = state.channels.iter().find(|c| c.is_room(&view.channel)) else {
        return Vec::new();
    };
    let shown = |e: &'a Entry| match &e.body {
        Body::Chat(chat) if chat.author.login == view.login.as_str() => {
            Some((e.at, e.gone, view.message == Some(e.seq), chat))
        }
        _ => None,
    };
    let mut found: Vec<Shown> = chan
        .messages
        .iter()
        .rev()
        .filter_map(shown)
        .take(LAST_MESSAGES)
        .collect();
    if !found.iter().any(|m| m.2)
        && let Some(held) = view.message.and_then(|seq| chan.entry(seq)).and_then(shown)
    {
        found.truncate(LAST_MESSAGES - 1);
        found.push(held);
    }
    found.reverse();
    found
}

/// What moderators know of them here: whether they are treated as suspicious, and the
/// latest moderators' actions on them (with who and why).
fn watched(state: &AppState, view: &CardView, width: usize) -> Vec<Line<'static>> {
    let Some(chan) = state.channels.iter().find(|c| c.is_room(&view.channel)) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(suspect) = chan.suspects.get(view.login.as_str()) {
        let what = if suspect.restricted {
            "restricted: only moderators see their messages"
        } else {
            "monitored: their messages are marked"
        };
        let value = match &suspect.why {
            Some(why) => format!("{what} ({why})"),
            None => what.to_owned(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<9} ", "suspect"), theme::timestamp()),
            Span::styled(truncate(&value, width.saturating_sub(11)), theme::suspect()),
        ]));
    }
    let history: Vec<_> = chan
        .modlog
        .iter()
        .rev()
        .filter(|r| r.target.as_deref() == Some(view.login.as_str()))
        .take(HISTORY)
        .collect();
    if !history.is_empty() {
        lines.push(field("moderated", String::new()));
    }
    for record in history.into_iter().rev() {
        let time = clock(record.at, state.settings.utc_offset_s);
        lines.push(Line::from(vec![
            Span::styled(format!("  {time} "), theme::timestamp()),
            Span::styled(
                truncate(&record.text, width.saturating_sub(time.len() + 3)),
                theme::system(Level::Notice),
            ),
        ]));
    }
    lines
}

/// The action keys from the live keymap, as far as our role here allows them: moderation,
/// then the rest.
fn actions(state: &AppState, view: &CardView, marked: bool, scrolls: bool) -> Vec<String> {
    let mut wanted = Vec::new();
    if state.may_run(&view.channel, "timeout").is_ok() {
        wanted.extend([
            (Hint::One(Action::Timeout), "timeout 10m"),
            (Hint::Range(Action::Preset(1), Action::Preset(9)), "presets"),
            (Hint::One(Action::Ban), "ban"),
            (Hint::One(Action::Unban), "unban"),
            (Hint::One(Action::Warn), "warn"),
        ]);
    }
    if state.may_run(&view.channel, "delete").is_ok() && marked {
        wanted.push((
            Hint::One(Action::DeleteMessage),
            "delete the marked message",
        ));
    }
    wanted.push((Hint::One(Action::Reply), "reply"));
    if scrolls {
        wanted.push((Hint::Pair(Action::Up, Action::Down), "scroll"));
    }
    wanted.push((Hint::One(Action::Close), "close"));
    let mut items = hint_items(state, KeyMode::Card, &wanted);
    if state.may_run(&view.channel, "timeout").is_err() {
        items.insert(0, format!("not a moderator in #{}", view.channel));
    }
    items
}

/// Key hints (`t timeout 10m`) laid into rows of `width`, whole hints per row; the key of each
/// in the key style.
fn flow(items: &[String], width: usize) -> Vec<Line<'static>> {
    let mut rows: Vec<Vec<Span<'static>>> = vec![vec![Span::raw(" ")]];
    let mut used = 1;
    for item in items {
        let item_width = super::wrap::width(item) + 2;
        if used + item_width > width && used > 1 {
            rows.push(vec![Span::raw(" ")]);
            used = 1;
        }
        let (key, what) = item.split_once(' ').unwrap_or((item, ""));
        let row = rows.last_mut().expect("one row at least");
        if what.is_empty() || key.starts_with("not") {
            row.push(Span::styled(format!("{item}  "), theme::timestamp()));
        } else {
            row.push(Span::styled(key.to_owned(), theme::key_hint()));
            row.push(Span::raw(format!(" {what}  ")));
        }
        used += item_width;
    }
    rows.into_iter().map(Line::from).collect()
}

pub fn render_card(state: &AppState, view: &CardView, area: Rect, buf: &mut Buffer) {
    let messages = their_messages(state, view);
    let badges = messages
        .last()
        .map(|(_, _, _, chat)| chat.author.badges.clone())
        .unwrap_or_default();
    let name_color = messages
        .last()
        .map(|(_, _, _, c)| theme::name_color(c.author.color, &c.author.login))
        .unwrap_or(theme::PURPLE);
    let display = view
        .info
        .as_ref()
        .map(|i| i.display.clone())
        .or_else(|| messages.last().map(|(_, _, _, c)| c.author.display.clone()))
        .unwrap_or_else(|| view.login.as_str().to_owned());
    let mut lines = vec![Line::from(vec![
        Span::raw(" "),
        Span::styled(
            display.clone(),
            Style::new().fg(name_color).add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!("  in #{}", view.channel)),
    ])];
    lines.push(field("login", view.login.as_str().to_owned()));
    match (&view.info, &view.error) {
        (Some(info), _) => {
            lines.push(field("id", info.id.clone()));
            if let Some(created) = info.created_at {
                lines.push(field("created", date_and_age(created, state.now)));
            }
            lines.push(field(
                "follows",
                match info.followed {
                    Followed::Since(at) => format!("since {}", date_and_age(at, state.now)),
                    Followed::No => "not following".to_owned(),
                    Followed::Unknown => "only moderators can see".to_owned(),
                },
            ));
        }
        (None, Some(error)) => lines.push(field("account", error.clone())),
        (None, None) => lines.push(field("account", "asking Twitch…".to_owned())),
    }
    let mut badge_spans = vec![Span::styled(
        format!(" {:<9} ", "badges"),
        theme::timestamp(),
    )];
    if badges.is_empty() {
        badge_spans.push(Span::raw("none seen"));
    }
    for badge in &badges {
        let (label, style) = theme::badge(badge);
        badge_spans.push(Span::styled(label, style));
        badge_spans.push(Span::raw(" "));
    }
    lines.push(Line::from(badge_spans));
    let width = area.width.saturating_sub(4).clamp(20, 76);
    let inner = usize::from(width.saturating_sub(2));
    lines.extend(watched(state, view, inner));
    lines.push(Line::raw(""));
    if messages.is_empty() {
        lines.push(Line::styled(
            " No messages from them here yet.",
            theme::timestamp(),
        ));
    }
    for (at, gone, held, chat) in &messages {
        let time = clock(*at, state.settings.utc_offset_s);
        let text = truncate(&chat.text, inner.saturating_sub(time.len() + 3));
        let style = if *gone { theme::gone() } else { Style::new() };
        let (mark, style) = match held {
            true => ("▸", style.patch(theme::selected())),
            false => (" ", style),
        };
        lines.push(Line::from(vec![
            Span::styled(mark, theme::key_hint()),
            Span::styled(format!("{time} "), theme::timestamp()),
            Span::styled(text, style),
        ]));
    }
    let marked = messages.iter().any(|m| m.2);
    // The key lines always show: the body gets what is left and scrolls. (Whether it scrolls
    // is first judged with the key lines that do not mention scrolling.)
    let room_beside =
        |keys: &[Line]| usize::from(area.height.saturating_sub(2)).saturating_sub(keys.len() + 1);
    let keys = flow(&actions(state, view, marked, false), inner);
    let keys = match lines.len() > room_beside(&keys) {
        true => flow(&actions(state, view, marked, true), inner),
        false => keys,
    };
    let room = room_beside(&keys);
    let scroll = view.scroll.min(lines.len().saturating_sub(room));
    let mut body: Vec<Line> = lines.into_iter().skip(scroll).take(room).collect();
    body.push(Line::raw(""));
    body.extend(keys);
    let height = body.len() as u16 + 2;
    let popup = centred(area, width, height);
    super::clear_popup(popup, buf);
    let title = match scroll {
        0 => " user card ".to_owned(),
        n => format!(" user card ↑{n} "),
    };
    Paragraph::new(body).block(block(title)).render(popup, buf);
}

pub fn render_confirm(state: &AppState, question: &str, area: Rect, buf: &mut Buffer) {
    let text = truncate(question, 60);
    let width = (super::wrap::width(&text) as u16 + 6).max(34);
    let popup = centred(area, width, 5);
    let keymap = &state.settings.keymap;
    let no: Vec<String> = keymap
        .keys(KeyMode::Confirm, Action::No)
        .iter()
        .map(|k| k.short())
        .collect();
    let lines = vec![
        Line::from(format!(" {text}")),
        Line::raw(""),
        Line::from(vec![
            Span::raw(" "),
            Span::styled(
                keymap
                    .hint(KeyMode::Confirm, Action::Yes)
                    .unwrap_or_default(),
                theme::key_hint(),
            ),
            Span::raw(" yes   "),
            Span::styled(no.join(" / "), theme::key_hint()),
            Span::raw(" no"),
        ]),
    ];
    super::clear_popup(popup, buf);
    Paragraph::new(lines)
        .block(block(" Are you sure? ".into()))
        .render(popup, buf);
}

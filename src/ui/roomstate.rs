//! The room-state bar of the focused channel: live or offline, viewers, uptime, title and
//! category, then the chat modes from ROOMSTATE (slow, followers-only, subs-only, emote-only,
//! unique chat).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme;
use super::wrap::{truncate, width};
use crate::state::AppState;
use crate::state::channel::{Channel, Kind};
use crate::state::keymap::{Action, KeyMode};
use crate::state::update::short_duration;

/// `48211` as `48,211`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The chat modes that are on, as short labels.
pub fn mode_labels(chan: &Channel) -> Vec<String> {
    let m = &chan.modes;
    let mut labels = Vec::new();
    if let Some(slow) = m.slow_s.filter(|s| *s > 0) {
        labels.push(format!("slow {slow}s"));
    }
    match m.followers_only {
        Some(Some(0)) => labels.push("followers-only".into()),
        Some(Some(minutes)) => labels.push(format!("followers {}", short_duration(minutes * 60))),
        _ => {}
    }
    if m.subs_only == Some(true) {
        labels.push("subs-only".into());
    }
    if m.emote_only == Some(true) {
        labels.push("emote-only".into());
    }
    if m.unique_chat == Some(true) {
        labels.push("unique-chat".into());
    }
    labels
}

pub fn render(state: &AppState, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    buf.set_style(area, theme::bar());
    let Some(chan) = state.focused() else { return };
    let bar = theme::bar();
    // The channel's name first, always: with many tabs the focused one may be the only place
    // left that says where you are typing.
    let mut left: Vec<Span<'static>> = vec![Span::styled(
        format!(" {}", chan.label(state.settings.look.unicode)),
        bar.add_modifier(Modifier::BOLD),
    )];
    let about = match chan.kind {
        Kind::Room => None,
        Kind::Whisper { .. } => {
            Some("  whisper conversation: what you type is whispered · /part closes it".to_owned())
        }
        Kind::Queue => {
            let key = |mode, action| state.key_for(mode, action);
            Some(format!(
                "  held messages and unban requests of every channel: {} selects the oldest, {} allows, {} denies",
                key(KeyMode::Normal, Action::Held),
                key(KeyMode::Select, Action::Allow),
                key(KeyMode::Select, Action::Deny)
            ))
        }
    };
    if let Some(about) = about {
        left.push(Span::styled(about, bar));
        Line::from(left).render(area, buf);
        return;
    }
    match &chan.stream {
        Some(stream) if stream.live => {
            left.push(Span::styled("  ● LIVE", bar.patch(theme::live())));
            left.push(Span::styled(
                format!("  {} viewers", thousands(stream.viewers)),
                bar.fg(Color::White),
            ));
            if let Some(started) = stream.started_at {
                let up = ((state.now - started).max(0) / 1000) as u64;
                let up = short_duration(up - up % 60);
                left.push(Span::styled(format!("  up {up}"), bar));
            }
        }
        Some(_) => left.push(Span::styled("  ○ offline", bar.fg(Color::DarkGray))),
        None => {}
    }
    let mut modes = Vec::new();
    if chan.shield == Some(true) {
        modes.push("SHIELD MODE".to_owned());
    }
    if let Some((to, at)) = &chan.raid
        && *at > state.now
    {
        let left = ((at - state.now) as u64).div_ceil(1000);
        modes.push(format!("raiding {to} in {}", short_duration(left)));
    }
    match chan.follows_in_a_minute(state.now) {
        0 => {}
        1 => modes.push("1 new follower".to_owned()),
        n => modes.push(format!("{n} new followers/min")),
    }
    modes.extend(mode_labels(chan));
    let right = if modes.is_empty() {
        String::new()
    } else {
        format!(" {} ", modes.join(" · "))
    };
    let used: usize = left.iter().map(|s| width(&s.content)).sum::<usize>() + width(&right);
    if let Some(stream) = &chan.stream {
        let mut about = String::new();
        if !stream.title.is_empty() {
            about.push_str(&stream.title);
        }
        if !stream.category.is_empty() {
            about.push_str(&format!(" [{}]", stream.category));
        }
        let room = usize::from(area.width).saturating_sub(used + 3);
        if room > 3 && !about.is_empty() {
            left.push(Span::styled(
                format!("  {}", truncate(&about, room)),
                bar.fg(Color::White),
            ));
        }
    }
    Line::from(left).render(area, buf);
    if !right.is_empty() && width(&right) < usize::from(area.width) {
        let x = area.x + area.width - width(&right) as u16;
        let style = Style::new()
            .fg(Color::Black)
            .bg(Color::Rgb(0x9E, 0xB8, 0xD9))
            .add_modifier(Modifier::BOLD);
        buf.set_string(x, area.y, right, style);
    }
}

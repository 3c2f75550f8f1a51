//! The channel tabs: `#channel` for each, the focused one marked, a live dot, unread counts and
//! a distinct mention marker. Tabs that do not fit scroll so the focused one stays visible.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme;
use super::wrap::width;
use crate::state::AppState;

fn tab(state: &AppState, index: usize) -> Vec<Span<'static>> {
    let chan = &state.channels[index];
    let focused = index == state.focus;
    let base = if focused {
        Style::new()
            .fg(Color::White)
            .bg(Color::Rgb(0x77, 0x2C, 0xE8))
            .add_modifier(Modifier::BOLD)
    } else if chan.joined {
        Style::new().fg(Color::Gray)
    } else {
        Style::new().fg(Color::DarkGray)
    };
    let mut spans = vec![Span::styled(
        format!(" {}", index + 1),
        base.add_modifier(Modifier::DIM),
    )];
    if chan.stream.as_ref().is_some_and(|s| s.live) {
        spans.push(Span::styled(" ●", base.patch(theme::live())));
    }
    let label = chan.label(state.settings.look.unicode);
    spans.push(Span::styled(format!(" {label}"), base));
    if chan.mentions > 0 {
        spans.push(Span::styled(
            format!(" @{}", chan.mentions),
            base.fg(Color::Black)
                .bg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
        ));
    }
    if chan.unread > 0 {
        let count = if chan.unread > 999 {
            "999+".to_owned()
        } else {
            chan.unread.to_string()
        };
        spans.push(Span::styled(
            format!(" {count}"),
            base.fg(Color::LightYellow),
        ));
    }
    spans.push(Span::styled(" ", base));
    spans
}

/// The style of the marker for the tabs in `range` that do not fit: red when one has a
/// mention (a whisper, a held message), yellow when one has unread lines.
fn hidden(state: &AppState, range: std::ops::Range<usize>) -> Style {
    let tabs = &state.channels[range];
    if tabs.iter().any(|c| c.mentions > 0) {
        theme::bar().fg(Color::LightRed)
    } else if tabs.iter().any(|c| c.unread > 0) {
        theme::bar().fg(Color::LightYellow)
    } else {
        theme::bar()
    }
}

/// Draws the tabs; returns where each drawn tab is (`x` from, to, and its index) for clicks.
pub fn render(state: &AppState, area: Rect, buf: &mut Buffer) -> Vec<(u16, u16, usize)> {
    let mut places = Vec::new();
    if area.is_empty() {
        return places;
    }
    buf.set_style(area, theme::bar());
    if state.channels.is_empty() {
        Line::styled(" no channels: /join #channel", theme::bar()).render(area, buf);
        return places;
    }
    let tabs: Vec<Vec<Span<'static>>> = (0..state.channels.len()).map(|i| tab(state, i)).collect();
    let widths: Vec<usize> = tabs
        .iter()
        .map(|t| t.iter().map(|s| width(&s.content)).sum::<usize>() + 1)
        .collect();
    let available = usize::from(area.width);
    let focus = state.focus.min(tabs.len() - 1);
    // The first tab shown: as far left as keeps the focused one whole, with room for the `‹`
    // before it and the `›` after it when there are tabs on either side.
    let fits = |first: usize| {
        let markers = usize::from(first > 0) + usize::from(focus + 1 < tabs.len());
        widths[first..=focus].iter().sum::<usize>() + markers <= available
    };
    let first = (0..focus).find(|&first| fits(first)).unwrap_or(focus);
    let mut x = area.x;
    let right = area.x + area.width;
    if first > 0 {
        buf.set_string(x, area.y, "‹", hidden(state, 0..first));
        x += 1;
    }
    for (index, (tab, w)) in tabs.into_iter().zip(&widths).enumerate().skip(first) {
        let more_after = index + 1 < widths.len();
        let room = usize::from(right - x).saturating_sub(usize::from(more_after));
        if *w > room && index != focus {
            let style = hidden(state, index..state.channels.len());
            buf.set_string(right - 1, area.y, "›", style.add_modifier(Modifier::BOLD));
            break;
        }
        // The focused tab is drawn even when it alone is too wide (cut at the edge).
        let end = (x + *w as u16).min(right);
        Line::from(tab).render(
            Rect {
                x,
                width: end - x,
                ..area
            },
            buf,
        );
        places.push((x, end, index));
        x = end;
        if x >= right {
            break;
        }
    }
    places
}

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
    spans.push(Span::styled(format!(" #{}", chan.name), base));
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

pub fn render(state: &AppState, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    buf.set_style(area, theme::bar());
    if state.channels.is_empty() {
        Line::styled(" no channels: /join #channel", theme::bar()).render(area, buf);
        return;
    }
    let tabs: Vec<Vec<Span<'static>>> = (0..state.channels.len()).map(|i| tab(state, i)).collect();
    let widths: Vec<usize> = tabs
        .iter()
        .map(|t| t.iter().map(|s| width(&s.content)).sum::<usize>() + 1)
        .collect();
    let available = usize::from(area.width);
    let mut first = 0;
    while first < state.focus && widths[first..=state.focus].iter().sum::<usize>() > available {
        first += 1;
    }
    let mut spans = Vec::new();
    if first > 0 {
        spans.push(Span::styled("‹", theme::bar()));
    }
    let mut used = usize::from(first > 0);
    for (tab, w) in tabs.into_iter().zip(&widths).skip(first) {
        if used + w > available {
            let more = Span::styled("›", theme::bar().add_modifier(Modifier::BOLD));
            Line::from(spans).render(area, buf);
            buf.set_span(area.x + area.width - 1, area.y, &more, 1);
            return;
        }
        used += w;
        spans.extend(tab);
        spans.push(Span::styled(" ", theme::bar()));
    }
    Line::from(spans).render(area, buf);
}

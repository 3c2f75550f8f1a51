//! Colors and styles in one place: name colors made readable on a dark terminal, stable colors
//! for users without one, badge glyphs, and the styles of alerts, system lines and states.

use ratatui::style::{Color, Modifier, Style};

use crate::state::message::{AlertKind, AnnounceColor, BadgeKind, Level};
use crate::twitch::tags::Rgb;

/// Twitch's default name colors, for users who never picked one.
const DEFAULT_COLORS: [(u8, u8, u8); 15] = [
    (0xFF, 0x00, 0x00),
    (0x00, 0x00, 0xFF),
    (0x00, 0x80, 0x00),
    (0xB2, 0x22, 0x22),
    (0xFF, 0x7F, 0x50),
    (0x9A, 0xCD, 0x32),
    (0xFF, 0x45, 0x00),
    (0x2E, 0x8B, 0x57),
    (0xDA, 0xA5, 0x20),
    (0xD2, 0x69, 0x1E),
    (0x5F, 0x9E, 0xA0),
    (0x1E, 0x90, 0xFF),
    (0xFF, 0x69, 0xB4),
    (0x8A, 0x2B, 0xE2),
    (0x00, 0xFF, 0x7F),
];

/// Relative luminance, 0 to 1.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// Lightens a color until it reads on a dark background (contrast about 4.5:1 against black).
/// Twitch's purple: subs, primary announcements, the help box.
pub const PURPLE: Color = Color::Rgb(0xA9, 0x70, 0xFF);

pub fn readable((r, g, b): (u8, u8, u8)) -> Color {
    const MIN_LUMINANCE: f64 = 0.18;
    let mut rgb = (r, g, b);
    let mut mix = 0.0;
    while luminance(rgb) < MIN_LUMINANCE && mix < 1.0 {
        mix += 0.1;
        let lift = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * mix).round() as u8;
        rgb = (lift(r), lift(g), lift(b));
    }
    Color::Rgb(rgb.0, rgb.1, rgb.2)
}

/// The color a name is shown in: its Twitch color made readable, or a stable one from the login.
pub fn name_color(color: Option<Rgb>, login: &str) -> Color {
    let rgb = match color {
        Some(c) => (c.r, c.g, c.b),
        None => {
            let hash = login.bytes().fold(0x811c_9dc5u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            });
            DEFAULT_COLORS[hash as usize % DEFAULT_COLORS.len()]
        }
    };
    readable(rgb)
}

/// A badge's glyph and style: a short label on a colored background.
pub fn badge(badge: &BadgeKind) -> (String, Style) {
    let on = |fg: Color, bg: Color| Style::new().fg(fg).bg(bg).add_modifier(Modifier::BOLD);
    match badge {
        BadgeKind::Broadcaster => ("B".into(), on(Color::White, Color::Rgb(0xE9, 0x19, 0x16))),
        BadgeKind::Moderator => ("M".into(), on(Color::Black, Color::Rgb(0x00, 0xAD, 0x03))),
        BadgeKind::Vip => ("V".into(), on(Color::White, Color::Rgb(0xE0, 0x05, 0xB9))),
        BadgeKind::Subscriber { tier, months } => {
            let bg = match tier {
                3 => Color::Rgb(0xB0, 0x7C, 0xFF),
                2 => Color::Rgb(0x91, 0x47, 0xFF),
                _ => Color::Rgb(0x77, 0x2C, 0xE8),
            };
            let label = match months {
                Some(m) if *m > 0 => format!("S{m}"),
                _ => "S".into(),
            };
            (label, on(Color::White, bg))
        }
        BadgeKind::Founder => ("F".into(), on(Color::Black, Color::Rgb(0xFF, 0xC8, 0x57))),
        BadgeKind::Prime => ("P".into(), on(Color::White, Color::Rgb(0x00, 0x74, 0xD9))),
        BadgeKind::Turbo => ("T".into(), on(Color::White, Color::Rgb(0x59, 0x39, 0x9A))),
        BadgeKind::Staff => ("St".into(), on(Color::White, Color::Rgb(0x20, 0x20, 0x20))),
        BadgeKind::Partner => ("✓".into(), on(Color::White, Color::Rgb(0x91, 0x47, 0xFF))),
        BadgeKind::Bits(_) => ("b".into(), on(Color::Black, Color::Rgb(0x1D, 0xB2, 0xA5))),
        BadgeKind::Predictions { pink } => {
            let bg = if *pink {
                Color::Rgb(0xF5, 0x00, 0x9B)
            } else {
                Color::Rgb(0x38, 0x7A, 0xFF)
            };
            ("p".into(), on(Color::White, bg))
        }
        BadgeKind::Other(name) => {
            let letter = name.chars().next().map_or('?', |c| c.to_ascii_lowercase());
            (letter.to_string(), on(Color::White, Color::DarkGray))
        }
    }
}

pub fn timestamp() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn emote() -> Style {
    Style::new()
        .fg(Color::Rgb(0xFF, 0xD8, 0x6B))
        .add_modifier(Modifier::BOLD)
}

pub fn gone() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::CROSSED_OUT)
}

pub fn mention() -> Style {
    Style::new().bg(Color::Rgb(0x4A, 0x15, 0x15))
}

pub fn selected() -> Style {
    Style::new().bg(Color::Rgb(0x30, 0x30, 0x50))
}

pub fn search_hit() -> Style {
    Style::new().fg(Color::Black).bg(Color::Yellow)
}

pub fn reply_context() -> Style {
    Style::new().fg(Color::Gray).add_modifier(Modifier::DIM)
}

pub fn pending() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn allowed() -> Style {
    Style::new().fg(Color::LightGreen)
}

pub fn failed() -> Style {
    Style::new().fg(Color::LightRed)
}

pub fn highlight_label() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Rgb(0xFF, 0xC8, 0x57))
        .add_modifier(Modifier::BOLD)
}

/// The mark on a message AutoMod holds.
pub fn held() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Rgb(0xFF, 0xC8, 0x57))
        .add_modifier(Modifier::BOLD)
}

/// The mark on a suspicious user's message.
pub fn suspect() -> Style {
    Style::new()
        .fg(Color::White)
        .bg(Color::Rgb(0xB3, 0x26, 0x1E))
        .add_modifier(Modifier::BOLD)
}

pub fn first_message() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Rgb(0x7C, 0xE0, 0xA0))
        .add_modifier(Modifier::BOLD)
}

pub fn system(level: Level) -> Style {
    match level {
        Level::Info => Style::new().fg(Color::Gray).add_modifier(Modifier::ITALIC),
        Level::Notice => Style::new()
            .fg(Color::Rgb(0x9E, 0xB8, 0xD9))
            .add_modifier(Modifier::ITALIC),
        Level::Error => Style::new()
            .fg(Color::LightRed)
            .add_modifier(Modifier::BOLD),
    }
}

/// The accent of an alert: its left bar and title color.
pub fn alert(kind: AlertKind) -> Color {
    match kind {
        AlertKind::Sub => PURPLE,
        AlertKind::Gift => Color::Rgb(0xFF, 0x7A, 0xC6),
        AlertKind::Raid => Color::Rgb(0xFF, 0x9F, 0x43),
        AlertKind::Announcement(color) => match color {
            AnnounceColor::Primary => PURPLE,
            AnnounceColor::Blue => Color::Rgb(0x4F, 0xA3, 0xFF),
            AnnounceColor::Green => Color::Rgb(0x3E, 0xD1, 0x7B),
            AnnounceColor::Orange => Color::Rgb(0xFF, 0xA0, 0x3C),
            AnnounceColor::Purple => Color::Rgb(0xC3, 0x7B, 0xFF),
        },
        AlertKind::Bits => Color::Rgb(0x1D, 0xE2, 0xD5),
        AlertKind::Milestone => Color::Rgb(0x7C, 0xE0, 0xA0),
        AlertKind::Other => Color::Gray,
    }
}

pub fn bar() -> Style {
    Style::new()
        .bg(Color::Rgb(0x1F, 0x1F, 0x2E))
        .fg(Color::Gray)
}

pub fn live() -> Style {
    Style::new()
        .fg(Color::Rgb(0xFF, 0x40, 0x40))
        .add_modifier(Modifier::BOLD)
}

/// A hint label beside a message (hint mode).
pub fn hint_label() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn key_hint() -> Style {
    Style::new().fg(Color::Black).bg(Color::Gray)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_colors_are_lifted_and_light_ones_kept() {
        assert_eq!(readable((0xFF, 0x7F, 0x50)), Color::Rgb(0xFF, 0x7F, 0x50));
        let Color::Rgb(r, g, b) = readable((0, 0, 0xFF)) else {
            panic!()
        };
        assert!(luminance((r, g, b)) >= 0.18, "{r} {g} {b}");
        assert_eq!(name_color(None, "bob"), name_color(None, "bob"));
    }
}

//! Reading Twitch tags: one pass over a message's tags into [`Known`], and the value conventions
//! (`1` flags, `#RRGGBB` colors, numbers, empty means absent) that the typed messages share.
//!
//! Pure helpers over borrowed, still-escaped values; nothing here allocates unless a value is kept.

use compact_str::CompactString;
use std::fmt;
use std::str::FromStr;

use super::irc::{TagValue, Tags};

macro_rules! known_tags {
    ($($field:ident = $key:literal,)*) => {
        /// The raw values of every tag the typed layer reads, found in one pass (last one wins).
        #[derive(Debug, Default)]
        pub(crate) struct Known<'a> {
            $(pub $field: Option<TagValue<'a>>,)*
            /// `msg-param-*` tags in line order, keys without the prefix.
            pub msg_params: Vec<(&'a str, TagValue<'a>)>,
        }

        impl<'a> Known<'a> {
            pub fn scan(tags: Tags<'a>) -> Self {
                let mut known = Known::default();
                for (key, value) in tags.iter() {
                    match key {
                        $($key => known.$field = Some(value),)*
                        _ => {
                            if let Some(param) = key.strip_prefix("msg-param-") {
                                known.msg_params.retain(|(k, _)| *k != param);
                                known.msg_params.push((param, value));
                            }
                        }
                    }
                }
                known
            }
        }
    };
}

known_tags! {
    badge_info = "badge-info",
    badges = "badges",
    ban_duration = "ban-duration",
    bits = "bits",
    color = "color",
    custom_reward_id = "custom-reward-id",
    display_name = "display-name",
    emote_only = "emote-only",
    emote_sets = "emote-sets",
    emotes = "emotes",
    first_msg = "first-msg",
    followers_only = "followers-only",
    id = "id",
    login = "login",
    message_id = "message-id",
    moderator = "mod",
    msg_id = "msg-id",
    paid_amount = "pinned-chat-paid-amount",
    paid_currency = "pinned-chat-paid-currency",
    paid_exponent = "pinned-chat-paid-exponent",
    paid_is_system_message = "pinned-chat-paid-is-system-message",
    paid_level = "pinned-chat-paid-level",
    r9k = "r9k",
    reply_parent_display_name = "reply-parent-display-name",
    reply_parent_msg_body = "reply-parent-msg-body",
    reply_parent_msg_id = "reply-parent-msg-id",
    reply_parent_user_id = "reply-parent-user-id",
    reply_parent_user_login = "reply-parent-user-login",
    reply_thread_parent_msg_id = "reply-thread-parent-msg-id",
    reply_thread_parent_user_login = "reply-thread-parent-user-login",
    returning_chatter = "returning-chatter",
    room_id = "room-id",
    slow = "slow",
    source_badge_info = "source-badge-info",
    source_badges = "source-badges",
    source_id = "source-id",
    source_msg_id = "source-msg-id",
    source_only = "source-only",
    source_room_id = "source-room-id",
    subs_only = "subs-only",
    subscriber = "subscriber",
    system_msg = "system-msg",
    target_msg_id = "target-msg-id",
    target_user_id = "target-user-id",
    thread_id = "thread-id",
    tmi_sent_ts = "tmi-sent-ts",
    user_id = "user-id",
    vip = "vip",
}

impl<'a> Known<'a> {
    /// The `msg-param-<name>` value, unescaped and non-empty.
    pub fn param(&self, name: &str) -> Option<CompactString> {
        self.msg_params
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| text(Some(*v)))
    }

    pub fn param_number<T: FromStr>(&self, name: &str) -> Option<T> {
        self.msg_params
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| number(Some(*v)))
    }
}

/// The unescaped value, or `None` when absent or empty.
pub(crate) fn text(value: Option<TagValue<'_>>) -> Option<CompactString> {
    let value = value?.unescape();
    (!value.is_empty()).then(|| CompactString::from(value))
}

/// `1` is true; anything else (absent, `0`, empty) is false.
pub(crate) fn flag(value: Option<TagValue<'_>>) -> bool {
    value.is_some_and(|v| v.raw() == "1")
}

/// `0`/`1` as a tri-state: absent or unparsable is `None`.
pub(crate) fn bool_value(value: Option<TagValue<'_>>) -> Option<bool> {
    match value?.raw() {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// A number; absent, empty, malformed or out of range is `None`.
pub(crate) fn number<T: FromStr>(value: Option<TagValue<'_>>) -> Option<T> {
    value?.raw().parse().ok()
}

/// A color picked by a user, as Twitch sends it (`#RRGGBB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    /// Parses `#RRGGBB` (either case); anything else is `None`.
    pub fn parse(s: &str) -> Option<Rgb> {
        let &[b'#', r1, r2, g1, g2, b1, b2] = s.as_bytes() else {
            return None;
        };
        let nibble = |c: u8| (c as char).to_digit(16);
        let byte = |hi: u8, lo: u8| Some((nibble(hi)? * 16 + nibble(lo)?) as u8);
        Some(Rgb {
            r: byte(r1, r2)?,
            g: byte(g1, g2)?,
            b: byte(b1, b2)?,
        })
    }

    /// One of Twitch's named chat colors (`blue_violet`), or `#RRGGBB`.
    pub fn named_or_hex(s: &str) -> Option<Rgb> {
        match NAMED_COLORS.iter().find(|(name, _)| *name == s) {
            Some((_, hex)) => Rgb::parse(hex),
            None => Rgb::parse(s),
        }
    }
}

/// The chat colors anyone may pick by name (hex colors need Turbo or Prime), as Twitch names
/// them, with their colors.
pub const NAMED_COLORS: &[(&str, &str)] = &[
    ("blue", "#0000FF"),
    ("blue_violet", "#8A2BE2"),
    ("cadet_blue", "#5F9EA0"),
    ("chocolate", "#D2691E"),
    ("coral", "#FF7F50"),
    ("dodger_blue", "#1E90FF"),
    ("firebrick", "#B22222"),
    ("golden_rod", "#DAA520"),
    ("green", "#008000"),
    ("hot_pink", "#FF69B4"),
    ("orange_red", "#FF4500"),
    ("red", "#FF0000"),
    ("sea_green", "#2E8B57"),
    ("spring_green", "#00FF7F"),
    ("yellow_green", "#9ACD32"),
];

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

pub(crate) fn color(value: Option<TagValue<'_>>) -> Option<Rgb> {
    Rgb::parse(value?.raw())
}

/// A comma-separated list (`emote-sets`), empty items dropped.
pub(crate) fn list(value: Option<TagValue<'_>>) -> Vec<CompactString> {
    value.map_or_else(Vec::new, |v| {
        v.unescape()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(CompactString::from)
            .collect()
    })
}

/// Strips a leading `#` from a channel parameter.
pub(crate) fn channel_name(param: &str) -> CompactString {
    CompactString::from(param.strip_prefix('#').unwrap_or(param))
}

//! Channel and account state messages: ROOMSTATE (partial updates), CLEARCHAT, CLEARMSG, NOTICE,
//! USERSTATE and GLOBALUSERSTATE.

use super::badges::{Badge, parse_badges};
use super::irc::IrcMessage;
use super::privmsg::unwrap_optional_action;
use super::tags::{Known, Rgb, bool_value, channel_name, color, flag, list, number, text};
use compact_str::CompactString;

/// A room's chat modes. Only the keys the line carried are `Some`: a partial ROOMSTATE (one
/// mode changed) leaves the others untouched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomState {
    pub channel: CompactString,
    pub channel_id: Option<CompactString>,
    pub emote_only: Option<bool>,
    pub followers_only: Option<FollowersOnly>,
    /// Unique-chat mode.
    pub r9k: Option<bool>,
    /// Seconds between messages; 0 is off.
    pub slow_s: Option<u64>,
    pub subs_only: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowersOnly {
    Off,
    /// Followers may chat after following this many minutes (0: at once).
    Minutes(u64),
}

impl RoomState {
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Option<RoomState> {
        Some(RoomState {
            channel: channel_name(msg.param(0)?),
            channel_id: text(tags.room_id),
            emote_only: bool_value(tags.emote_only),
            followers_only: tags.followers_only.and_then(|v| match v.raw() {
                "-1" => Some(FollowersOnly::Off),
                minutes => minutes.parse().ok().map(FollowersOnly::Minutes),
            }),
            r9k: bool_value(tags.r9k),
            slow_s: number(tags.slow),
            subs_only: bool_value(tags.subs_only),
        })
    }
}

/// A moderator cleared chat, banned or timed out a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearChat {
    pub channel: CompactString,
    pub channel_id: Option<CompactString>,
    pub action: ClearChatAction,
    pub sent_at_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClearChatAction {
    /// The whole chat was cleared.
    ClearAll,
    Ban {
        login: CompactString,
        user_id: Option<CompactString>,
    },
    Timeout {
        login: CompactString,
        user_id: Option<CompactString>,
        duration_s: u64,
    },
}

impl ClearChat {
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Option<ClearChat> {
        let mut params = msg.params();
        let channel = channel_name(params.next()?);
        let action = match params.next().filter(|t| !t.is_empty()) {
            None => ClearChatAction::ClearAll,
            Some(login) => {
                let login = CompactString::from(login);
                let user_id = text(tags.target_user_id);
                match number(tags.ban_duration) {
                    Some(duration_s) => ClearChatAction::Timeout {
                        login,
                        user_id,
                        duration_s,
                    },
                    None => ClearChatAction::Ban { login, user_id },
                }
            }
        };
        Some(ClearChat {
            channel,
            channel_id: text(tags.room_id),
            action,
            sent_at_ms: number(tags.tmi_sent_ts),
        })
    }
}

/// A single message was deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearMsg {
    pub channel: CompactString,
    pub channel_id: Option<CompactString>,
    /// The author of the deleted message.
    pub login: Option<CompactString>,
    pub target_message_id: Option<CompactString>,
    /// The deleted message's text, `/me` unwrapped.
    pub text: Option<CompactString>,
    pub is_action: bool,
    pub sent_at_ms: Option<i64>,
}

impl ClearMsg {
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Option<ClearMsg> {
        let mut params = msg.params();
        let channel = channel_name(params.next()?);
        let (body, is_action) = unwrap_optional_action(params.next());
        Some(ClearMsg {
            channel,
            channel_id: text(tags.room_id),
            login: text(tags.login),
            target_message_id: text(tags.target_msg_id),
            text: body.map(CompactString::from),
            is_action,
            sent_at_ms: number(tags.tmi_sent_ts),
        })
    }
}

/// A server notice, in a channel or (before login, `*`) not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub channel: Option<CompactString>,
    /// Twitch's machine-readable id (`msg_slowmode`, `msg_banned`, ...).
    pub msg_id: Option<CompactString>,
    pub text: Option<CompactString>,
}

impl Notice {
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Notice {
        let mut params = msg.params();
        let target = params.next();
        Notice {
            channel: target.filter(|t| t.starts_with('#')).map(channel_name),
            msg_id: text(tags.msg_id),
            text: params.next().map(CompactString::from),
        }
    }
}

/// Our own state in a channel: sent on JOIN and after each message we send (then with the new
/// message's `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserState {
    pub channel: CompactString,
    pub display_name: Option<CompactString>,
    pub color: Option<Rgb>,
    pub badges: Vec<Badge>,
    pub badge_info: Vec<Badge>,
    pub emote_sets: Vec<CompactString>,
    pub moderator: bool,
    pub subscriber: bool,
    pub vip: bool,
    /// The id of the message we just sent, when this answers a PRIVMSG.
    pub message_id: Option<CompactString>,
}

impl UserState {
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Option<UserState> {
        let badges = parse_badges(tags.badges);
        Some(UserState {
            channel: channel_name(msg.param(0)?),
            display_name: text(tags.display_name),
            color: color(tags.color),
            vip: tags.vip.is_some() || badges.iter().any(|b| b.name == "vip"),
            badges,
            badge_info: parse_badges(tags.badge_info),
            emote_sets: list(tags.emote_sets),
            moderator: flag(tags.moderator),
            subscriber: flag(tags.subscriber),
            message_id: text(tags.id),
        })
    }
}

/// Our account, sent once after login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalUserState {
    pub user_id: Option<CompactString>,
    pub display_name: Option<CompactString>,
    pub color: Option<Rgb>,
    pub badges: Vec<Badge>,
    pub badge_info: Vec<Badge>,
    pub emote_sets: Vec<CompactString>,
}

impl GlobalUserState {
    pub(crate) fn from_tags(tags: &Known<'_>) -> GlobalUserState {
        GlobalUserState {
            user_id: text(tags.user_id),
            display_name: text(tags.display_name),
            color: color(tags.color),
            badges: parse_badges(tags.badges),
            badge_info: parse_badges(tags.badge_info),
            emote_sets: list(tags.emote_sets),
        }
    }
}

//! Chat messages: PRIVMSG (with replies, /me, bits, hype chat and shared chat) and WHISPER, and
//! the [`Sender`] facts every user-authored message carries.
//!
//! Built from one tag scan ([`Known`]); owns its strings so it can cross threads to the app.

use super::badges::{Badge, parse_badges};
use super::emotes::{Emote, parse_emotes};
use super::irc::IrcMessage;
use super::tags::{Known, Rgb, color, flag, number, text};
use compact_str::CompactString;

/// Who sent a message, as the tags describe them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sender {
    pub login: CompactString,
    /// Verbatim (may differ from the login in more than case: localized names, stray spaces).
    pub display_name: Option<CompactString>,
    pub user_id: Option<CompactString>,
    pub color: Option<Rgb>,
    pub badges: Vec<Badge>,
    pub badge_info: Vec<Badge>,
}

impl Sender {
    pub(crate) fn from_tags(login: CompactString, tags: &Known<'_>) -> Sender {
        Sender {
            login,
            display_name: text(tags.display_name),
            user_id: text(tags.user_id),
            color: color(tags.color),
            badges: parse_badges(tags.badges),
            badge_info: parse_badges(tags.badge_info),
        }
    }
}

/// A chat message in a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privmsg {
    pub channel: CompactString,
    pub channel_id: Option<CompactString>,
    pub sender: Sender,
    /// The text, with a `/me` wrapper (`\x01ACTION …\x01`) removed.
    pub text: CompactString,
    pub is_action: bool,
    /// Sorted byte ranges into `text`.
    pub emotes: Vec<Emote>,
    pub message_id: Option<CompactString>,
    pub sent_at_ms: Option<i64>,
    pub bits: Option<u64>,
    pub first_msg: bool,
    pub returning_chatter: bool,
    /// `msg-id` on special messages (`highlighted-message`, `user-intro`, ...).
    pub msg_id: Option<CompactString>,
    pub custom_reward_id: Option<CompactString>,
    pub reply: Option<ReplyParent>,
    pub hype_chat: Option<HypeChat>,
    pub shared_chat: Option<SharedChat>,
}

/// The message a reply answers, and the thread it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyParent {
    pub message_id: CompactString,
    pub user_id: Option<CompactString>,
    pub user_login: Option<CompactString>,
    pub display_name: Option<CompactString>,
    pub text: Option<CompactString>,
    /// The first message of the thread (`reply-thread-parent-*`).
    pub thread_message_id: Option<CompactString>,
    pub thread_user_login: Option<CompactString>,
}

/// A paid, pinned "hype chat" message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HypeChat {
    /// In the currency's minor units: the value is `amount / 10^exponent`.
    pub amount: u64,
    pub exponent: u32,
    pub currency: CompactString,
    /// `ONE` .. `TEN`.
    pub level: Option<CompactString>,
    pub is_system_message: bool,
}

/// A message that came from another channel of a shared chat session (Stream Together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedChat {
    pub source_room_id: CompactString,
    pub source_message_id: Option<CompactString>,
    pub source_badges: Vec<Badge>,
    pub source_badge_info: Vec<Badge>,
    pub source_only: bool,
}

impl SharedChat {
    pub(crate) fn from_tags(tags: &Known<'_>) -> Option<SharedChat> {
        Some(SharedChat {
            source_room_id: text(tags.source_room_id)?,
            source_message_id: text(tags.source_id),
            source_badges: parse_badges(tags.source_badges),
            source_badge_info: parse_badges(tags.source_badge_info),
            source_only: flag(tags.source_only),
        })
    }

    /// Whether the message was sent in another channel and mirrored into this one.
    pub fn is_mirrored(&self, channel_id: Option<&str>) -> bool {
        channel_id != Some(self.source_room_id.as_str())
    }
}

/// Removes the CTCP `/me` wrapper: `\x01ACTION text\x01` is `(text, true)`. A missing closing
/// `\x01` is tolerated.
pub(crate) fn unwrap_action(text: &str) -> (&str, bool) {
    let Some(body) = text.strip_prefix("\x01ACTION") else {
        return (text, false);
    };
    let body = match body.strip_prefix(' ') {
        Some(body) => body,
        None if body.is_empty() || body.starts_with('\x01') => body,
        None => return (text, false),
    };
    (body.strip_suffix('\x01').unwrap_or(body), true)
}

/// [`unwrap_action`] for a text param that may be missing.
pub(crate) fn unwrap_optional_action(text: Option<&str>) -> (Option<&str>, bool) {
    text.map_or((None, false), |t| {
        let (body, is_action) = unwrap_action(t);
        (Some(body), is_action)
    })
}

impl Privmsg {
    /// `None` when the line lacks the channel or the text.
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Option<Privmsg> {
        let mut params = msg.params();
        let channel = super::tags::channel_name(params.next()?);
        let raw_text = params.next()?;
        let (body, is_action) = unwrap_action(raw_text);
        Some(Privmsg {
            channel,
            channel_id: text(tags.room_id),
            sender: Sender::from_tags(CompactString::from(msg.nick().unwrap_or_default()), tags),
            emotes: tags
                .emotes
                .map_or_else(Vec::new, |e| parse_emotes(e.raw(), body)),
            text: CompactString::from(body),
            is_action,
            message_id: text(tags.id),
            sent_at_ms: number(tags.tmi_sent_ts),
            bits: number(tags.bits),
            first_msg: flag(tags.first_msg),
            returning_chatter: flag(tags.returning_chatter),
            msg_id: text(tags.msg_id),
            custom_reward_id: text(tags.custom_reward_id),
            reply: text(tags.reply_parent_msg_id).map(|message_id| ReplyParent {
                message_id,
                user_id: text(tags.reply_parent_user_id),
                user_login: text(tags.reply_parent_user_login),
                display_name: text(tags.reply_parent_display_name),
                text: text(tags.reply_parent_msg_body),
                thread_message_id: text(tags.reply_thread_parent_msg_id),
                thread_user_login: text(tags.reply_thread_parent_user_login),
            }),
            hype_chat: number(tags.paid_amount).map(|amount| HypeChat {
                amount,
                exponent: number(tags.paid_exponent).unwrap_or(0),
                currency: text(tags.paid_currency).unwrap_or_default(),
                level: text(tags.paid_level),
                is_system_message: flag(tags.paid_is_system_message),
            }),
            shared_chat: SharedChat::from_tags(tags),
        })
    }
}

/// A private message to us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whisper {
    pub sender: Sender,
    pub recipient: CompactString,
    pub text: CompactString,
    pub emotes: Vec<Emote>,
    pub message_id: Option<CompactString>,
    pub thread_id: Option<CompactString>,
}

impl Whisper {
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Option<Whisper> {
        let mut params = msg.params();
        let recipient = CompactString::from(params.next()?);
        let body = params.next()?;
        Some(Whisper {
            sender: Sender::from_tags(CompactString::from(msg.nick().unwrap_or_default()), tags),
            recipient,
            emotes: tags
                .emotes
                .map_or_else(Vec::new, |e| parse_emotes(e.raw(), body)),
            text: CompactString::from(body),
            message_id: text(tags.message_id),
            thread_id: text(tags.thread_id),
        })
    }
}

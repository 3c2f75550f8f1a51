//! The JSON object `ttvchat parse` prints for one line, as `PARSE-SCHEMA.md` specifies.
//!
//! It is a view over the app's own two parse layers: the IRC keys come from [`IrcMessage`], the
//! `twitch` object from the typed [`ServerMessage`]. Emote ranges are turned back from the byte
//! ranges the app highlights into Twitch's inclusive code point indices, so what this prints is
//! exactly what the message list would highlight.

use compact_str::CompactString;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::twitch::badges::Badge;
use crate::twitch::emotes::Emote;
use crate::twitch::irc::{IrcMessage, Tags};
use crate::twitch::message::ServerMessage;
use crate::twitch::privmsg::{ReplyParent, Sender, SharedChat};
use crate::twitch::room::{ClearChatAction, FollowersOnly, RoomState};
use crate::twitch::tags::Rgb;

/// Serializes one parsed line.
#[derive(Serialize)]
pub struct Record<'a> {
    ok: bool,
    tags: TagsJson<'a>,
    source: Option<&'a str>,
    command: &'a str,
    params: Vec<&'a str>,
    twitch: TwitchJson<'a>,
}

/// The object for a line that is not an IRC message.
#[derive(Serialize)]
pub struct Failure<'a> {
    ok: bool,
    error: &'a str,
}

impl<'a> Failure<'a> {
    pub fn new(error: &'a str) -> Self {
        Failure { ok: false, error }
    }
}

impl<'a> Record<'a> {
    pub fn new(msg: &IrcMessage<'a>, typed: &'a ServerMessage) -> Self {
        Record {
            ok: true,
            tags: TagsJson(msg.tags()),
            source: msg.source(),
            command: msg.command(),
            params: msg.params().collect(),
            twitch: TwitchJson::new(msg, typed),
        }
    }
}

/// Tags as an object: unescaped, a repeated key once with its last value.
struct TagsJson<'a>(Tags<'a>);

impl Serialize for TagsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_tags(self.0, |_| true, serializer)
    }
}

/// The tags whose key `keep` accepts, as an object; a repeated key once with its last value.
fn serialize_tags<S: Serializer>(
    tags: Tags<'_>,
    keep: impl Fn(&str) -> bool,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let entries: Vec<_> = tags.iter().filter(|(key, _)| keep(key)).collect();
    let mut map = serializer.serialize_map(None)?;
    for (i, (key, value)) in entries.iter().enumerate() {
        if !entries[i + 1..].iter().any(|(k, _)| k == key) {
            map.serialize_entry(key, &value.unescape())?;
        }
    }
    map.end()
}

#[derive(Serialize, Default)]
struct TwitchJson<'a> {
    kind: &'static str,
    channel: Option<&'a str>,
    sender_login: Option<&'a str>,
    display_name: Option<&'a str>,
    user_id: Option<&'a str>,
    room_id: Option<&'a str>,
    message_id: Option<&'a str>,
    msg_id: Option<&'a str>,
    message_text: Option<&'a str>,
    is_action: bool,
    color: Option<String>,
    badges: Vec<[&'a str; 2]>,
    badge_info: Vec<[&'a str; 2]>,
    emotes: Vec<(&'a str, usize, usize)>,
    bits: Option<u64>,
    tmi_sent_ts: Option<i64>,
    reply_parent: Option<ReplyJson<'a>>,
    system_msg: Option<&'a str>,
    msg_params: MsgParamsJson<'a>,
    ban_duration_s: Option<u64>,
    target_login: Option<&'a str>,
    target_user_id: Option<&'a str>,
    target_msg_id: Option<&'a str>,
    recipient_login: Option<&'a str>,
    emote_sets: &'a [CompactString],
    names: &'a [CompactString],
    capabilities: &'a [CompactString],
    roomstate: RoomStateJson,
    source_room_id: Option<&'a str>,
    is_mirrored_shared_chat: bool,
}

#[derive(Serialize)]
struct ReplyJson<'a> {
    message_id: &'a str,
    user_id: Option<&'a str>,
    user_login: Option<&'a str>,
    display_name: Option<&'a str>,
    message_text: Option<&'a str>,
}

/// Only the modes the ROOMSTATE line carried.
#[derive(Serialize, Default)]
struct RoomStateJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    emote_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    followers_only_min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    r9k: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slow_s: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subs_only: Option<bool>,
}

/// Every `msg-param-*` tag, unescaped, last value wins.
#[derive(Default)]
struct MsgParamsJson<'a>(Tags<'a>);

impl Serialize for MsgParamsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_tags(self.0, |key| key.starts_with("msg-param-"), serializer)
    }
}

fn badges(list: &[Badge]) -> Vec<[&str; 2]> {
    list.iter()
        .map(|b| [b.name.as_str(), b.version.as_str()])
        .collect()
}

/// Byte ranges back to inclusive code point indices of `text`.
fn emotes<'a>(list: &'a [Emote], text: &str) -> Vec<(&'a str, usize, usize)> {
    list.iter()
        .map(|e| {
            let start = text[..e.range.start].chars().count();
            let len = e.code(text).chars().count();
            (e.id.as_str(), start, start + len.saturating_sub(1))
        })
        .collect()
}

fn color(rgb: Option<Rgb>) -> Option<String> {
    rgb.map(|c| c.to_string())
}

impl<'a> TwitchJson<'a> {
    fn new(msg: &IrcMessage<'a>, typed: &'a ServerMessage) -> Self {
        let mut out = TwitchJson {
            kind: typed.kind(),
            msg_params: MsgParamsJson(msg.tags()),
            ..TwitchJson::default()
        };
        match typed {
            ServerMessage::Privmsg(m) => {
                out.sender(&m.sender);
                out.channel = Some(&m.channel);
                out.room_id = m.channel_id.as_deref();
                out.message_id = m.message_id.as_deref();
                out.msg_id = m.msg_id.as_deref();
                out.message_text = Some(&m.text);
                out.is_action = m.is_action;
                out.emotes = emotes(&m.emotes, &m.text);
                out.bits = m.bits;
                out.tmi_sent_ts = m.sent_at_ms;
                out.reply_parent = m.reply.as_ref().map(reply);
                out.shared(m.shared_chat.as_ref(), m.channel_id.as_deref());
            }
            ServerMessage::UserNotice(m) => {
                out.sender(&m.sender);
                out.channel = Some(&m.channel);
                out.room_id = m.channel_id.as_deref();
                out.message_id = m.message_id.as_deref();
                out.msg_id = Some(&m.msg_id)
                    .filter(|id| !id.is_empty())
                    .map(|id| id.as_str());
                out.message_text = m.text.as_deref();
                out.is_action = m.is_action;
                out.emotes = m
                    .text
                    .as_deref()
                    .map_or_else(Vec::new, |t| emotes(&m.emotes, t));
                out.tmi_sent_ts = m.sent_at_ms;
                out.system_msg = m.system_msg.as_deref();
                out.shared(m.shared_chat.as_ref(), m.channel_id.as_deref());
            }
            ServerMessage::RoomState(m) => {
                out.channel = Some(&m.channel);
                out.room_id = m.channel_id.as_deref();
                out.roomstate = roomstate(m);
            }
            ServerMessage::ClearChat(m) => {
                out.channel = Some(&m.channel);
                out.room_id = m.channel_id.as_deref();
                out.tmi_sent_ts = m.sent_at_ms;
                match &m.action {
                    ClearChatAction::ClearAll => {}
                    ClearChatAction::Ban { login, user_id } => {
                        out.target_login = Some(login);
                        out.target_user_id = user_id.as_deref();
                    }
                    ClearChatAction::Timeout {
                        login,
                        user_id,
                        duration_s,
                    } => {
                        out.target_login = Some(login);
                        out.target_user_id = user_id.as_deref();
                        out.ban_duration_s = Some(*duration_s);
                    }
                }
            }
            ServerMessage::ClearMsg(m) => {
                out.channel = Some(&m.channel);
                out.room_id = m.channel_id.as_deref();
                out.sender_login = m.login.as_deref();
                out.target_login = m.login.as_deref();
                out.target_msg_id = m.target_message_id.as_deref();
                out.message_text = m.text.as_deref();
                out.is_action = m.is_action;
                out.tmi_sent_ts = m.sent_at_ms;
            }
            ServerMessage::Notice(m) => {
                out.channel = m.channel.as_deref();
                out.msg_id = m.msg_id.as_deref();
                out.message_text = m.text.as_deref();
            }
            ServerMessage::UserState(m) => {
                out.channel = Some(&m.channel);
                out.display_name = m.display_name.as_deref();
                out.color = color(m.color);
                out.badges = badges(&m.badges);
                out.badge_info = badges(&m.badge_info);
                out.emote_sets = &m.emote_sets;
                out.message_id = m.message_id.as_deref();
            }
            ServerMessage::GlobalUserState(m) => {
                out.display_name = m.display_name.as_deref();
                out.user_id = m.user_id.as_deref();
                out.color = color(m.color);
                out.badges = badges(&m.badges);
                out.badge_info = badges(&m.badge_info);
                out.emote_sets = &m.emote_sets;
            }
            ServerMessage::Whisper(m) => {
                out.sender(&m.sender);
                out.recipient_login = Some(&m.recipient);
                out.message_id = m.message_id.as_deref();
                out.message_text = Some(&m.text);
                out.emotes = emotes(&m.emotes, &m.text);
            }
            ServerMessage::Join(m) | ServerMessage::Part(m) => {
                out.channel = Some(&m.channel);
                out.sender_login = Some(&m.login);
            }
            ServerMessage::Names(m) => {
                out.channel = Some(&m.channel);
                out.names = &m.names;
            }
            ServerMessage::EndOfNames { channel } => out.channel = Some(channel),
            ServerMessage::Cap(m) => out.capabilities = &m.capabilities,
            ServerMessage::Other(m) => {
                out.channel = m.params.first().and_then(|p| p.strip_prefix('#'));
            }
            ServerMessage::Ping { .. }
            | ServerMessage::Pong { .. }
            | ServerMessage::Reconnect
            | ServerMessage::Welcome { .. } => {}
        }
        out
    }

    fn sender(&mut self, sender: &'a Sender) {
        self.sender_login = Some(&sender.login)
            .filter(|l| !l.is_empty())
            .map(|l| l.as_str());
        self.display_name = sender.display_name.as_deref();
        self.user_id = sender.user_id.as_deref();
        self.color = color(sender.color);
        self.badges = badges(&sender.badges);
        self.badge_info = badges(&sender.badge_info);
    }

    fn shared(&mut self, shared: Option<&'a SharedChat>, channel_id: Option<&str>) {
        if let Some(shared) = shared {
            self.source_room_id = Some(&shared.source_room_id);
            self.is_mirrored_shared_chat = shared.is_mirrored(channel_id);
        }
    }
}

fn reply(parent: &ReplyParent) -> ReplyJson<'_> {
    ReplyJson {
        message_id: &parent.message_id,
        user_id: parent.user_id.as_deref(),
        user_login: parent.user_login.as_deref(),
        display_name: parent.display_name.as_deref(),
        message_text: parent.text.as_deref(),
    }
}

fn roomstate(m: &RoomState) -> RoomStateJson {
    RoomStateJson {
        emote_only: m.emote_only,
        followers_only_min: m.followers_only.map(|f| match f {
            FollowersOnly::Off => -1,
            FollowersOnly::Minutes(min) => i64::try_from(min).unwrap_or(i64::MAX),
        }),
        r9k: m.r9k,
        slow_s: m.slow_s,
        subs_only: m.subs_only,
    }
}

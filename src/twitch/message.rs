//! The typed Twitch layer: an [`IrcMessage`] becomes one [`ServerMessage`] variant per command.
//!
//! Conversion never fails: an unknown command, or a known one missing the params it needs, is
//! [`ServerMessage::Other`] with everything kept. Tags are read in a single pass; the result owns
//! its data so the chat actor can hand it to the app.

use compact_str::CompactString;
use std::borrow::Cow;

use super::irc::{IrcMessage, ParseError};
use super::privmsg::{Privmsg, Whisper};
use super::room::{ClearChat, ClearMsg, GlobalUserState, Notice, RoomState, UserState};
use super::tags::{Known, channel_name};
use super::usernotice::UserNotice;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerMessage {
    Privmsg(Privmsg),
    UserNotice(UserNotice),
    RoomState(RoomState),
    ClearChat(ClearChat),
    ClearMsg(ClearMsg),
    Notice(Notice),
    UserState(UserState),
    GlobalUserState(GlobalUserState),
    Whisper(Whisper),
    Join(Membership),
    Part(Membership),
    /// 353: a page of the channel's user list.
    Names(Names),
    /// 366: the user list is complete.
    EndOfNames {
        channel: CompactString,
    },
    Ping {
        argument: Option<CompactString>,
    },
    Pong {
        argument: Option<CompactString>,
    },
    /// The server asks us to reconnect.
    Reconnect,
    Cap(Cap),
    /// 001: login succeeded.
    Welcome {
        nick: CompactString,
        text: Option<CompactString>,
    },
    Other(OtherMessage),
}

/// A user joined or left a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub channel: CompactString,
    pub login: CompactString,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub channel: CompactString,
    pub names: Vec<CompactString>,
}

/// A capability negotiation reply (`ACK`, `NAK`, `LS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap {
    pub subcommand: CompactString,
    pub capabilities: Vec<CompactString>,
}

/// A line the typed layer has no variant for, kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherMessage {
    pub tags: Vec<(String, String)>,
    pub source: Option<String>,
    pub command: String,
    pub params: Vec<String>,
}

impl ServerMessage {
    /// Parses a raw line through both layers.
    pub fn parse(line: &str) -> Result<ServerMessage, ParseError> {
        IrcMessage::parse(line).map(|msg| ServerMessage::from_irc(&msg))
    }

    pub fn from_irc(msg: &IrcMessage<'_>) -> ServerMessage {
        let command = msg.command();
        let command = if command.bytes().any(|b| b.is_ascii_lowercase()) {
            Cow::Owned(command.to_ascii_uppercase())
        } else {
            Cow::Borrowed(command)
        };
        let tags = Known::scan(msg.tags());
        let typed = match command.as_ref() {
            "PRIVMSG" => Privmsg::from_irc(msg, &tags).map(ServerMessage::Privmsg),
            "USERNOTICE" => UserNotice::from_irc(msg, &tags).map(ServerMessage::UserNotice),
            "ROOMSTATE" => RoomState::from_irc(msg, &tags).map(ServerMessage::RoomState),
            "CLEARCHAT" => ClearChat::from_irc(msg, &tags).map(ServerMessage::ClearChat),
            "CLEARMSG" => ClearMsg::from_irc(msg, &tags).map(ServerMessage::ClearMsg),
            "NOTICE" => Some(ServerMessage::Notice(Notice::from_irc(msg, &tags))),
            "USERSTATE" => UserState::from_irc(msg, &tags).map(ServerMessage::UserState),
            "GLOBALUSERSTATE" => Some(ServerMessage::GlobalUserState(GlobalUserState::from_tags(
                &tags,
            ))),
            "WHISPER" => Whisper::from_irc(msg, &tags).map(ServerMessage::Whisper),
            "JOIN" => membership(msg).map(ServerMessage::Join),
            "PART" => membership(msg).map(ServerMessage::Part),
            "353" => msg.param(2).map(|channel| {
                ServerMessage::Names(Names {
                    channel: channel_name(channel),
                    names: split_words(msg.param(3)),
                })
            }),
            "366" => msg.param(1).map(|channel| ServerMessage::EndOfNames {
                channel: channel_name(channel),
            }),
            "PING" => Some(ServerMessage::Ping {
                argument: msg.last_param().map(CompactString::from),
            }),
            "PONG" => Some(ServerMessage::Pong {
                argument: msg.last_param().map(CompactString::from),
            }),
            "RECONNECT" => Some(ServerMessage::Reconnect),
            "CAP" => msg.param(1).map(|sub| {
                ServerMessage::Cap(Cap {
                    subcommand: CompactString::from(sub),
                    capabilities: split_words(msg.param(2)),
                })
            }),
            "001" => msg.param(0).map(|nick| ServerMessage::Welcome {
                nick: CompactString::from(nick),
                text: msg.param(1).map(CompactString::from),
            }),
            _ => None,
        };
        typed.unwrap_or_else(|| ServerMessage::Other(OtherMessage::from_irc(msg)))
    }

    /// The lower-case kind name (`privmsg`, `welcome`, `names`, ..., `other`).
    pub fn kind(&self) -> &'static str {
        match self {
            ServerMessage::Privmsg(_) => "privmsg",
            ServerMessage::UserNotice(_) => "usernotice",
            ServerMessage::RoomState(_) => "roomstate",
            ServerMessage::ClearChat(_) => "clearchat",
            ServerMessage::ClearMsg(_) => "clearmsg",
            ServerMessage::Notice(_) => "notice",
            ServerMessage::UserState(_) => "userstate",
            ServerMessage::GlobalUserState(_) => "globaluserstate",
            ServerMessage::Whisper(_) => "whisper",
            ServerMessage::Join(_) => "join",
            ServerMessage::Part(_) => "part",
            ServerMessage::Names(_) => "names",
            ServerMessage::EndOfNames { .. } => "end_of_names",
            ServerMessage::Ping { .. } => "ping",
            ServerMessage::Pong { .. } => "pong",
            ServerMessage::Reconnect => "reconnect",
            ServerMessage::Cap(_) => "cap",
            ServerMessage::Welcome { .. } => "welcome",
            ServerMessage::Other(_) => "other",
        }
    }
}

fn membership(msg: &IrcMessage<'_>) -> Option<Membership> {
    Some(Membership {
        channel: channel_name(msg.param(0)?),
        login: CompactString::from(msg.nick()?),
    })
}

fn split_words(text: Option<&str>) -> Vec<CompactString> {
    text.map_or_else(Vec::new, |t| {
        t.split(' ')
            .filter(|w| !w.is_empty())
            .map(CompactString::from)
            .collect()
    })
}

impl OtherMessage {
    fn from_irc(msg: &IrcMessage<'_>) -> OtherMessage {
        OtherMessage {
            tags: msg.tags().to_owned_pairs(),
            source: msg.source().map(str::to_owned),
            command: msg.command().to_owned(),
            params: msg.params().map(str::to_owned).collect(),
        }
    }
}

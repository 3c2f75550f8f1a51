//! The simulator's model of Twitch: users, channels with roles, room modes, bans, live status
//! and a message log. Every change goes through a method here that also returns the IRC lines
//! Twitch would broadcast for it (CLEARCHAT for a ban, ROOMSTATE for a mode change, ...), so the
//! IRC side, scripted events and (later) Helix calls all change chat the same way.
//!
//! Knows nothing of sockets: callers deliver the returned lines.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::{Duration, SystemTime};

use compact_str::{CompactString, format_compact};
use tokio::time::Instant;

use super::lines;
use super::notices::{self, Notice};
use crate::twitch::tags::Rgb;

pub type Name = CompactString;

/// How many messages each channel remembers (for replies, deletes and unique-chat checks).
const LOG_SIZE: usize = 500;

#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub login: Name,
    pub display_name: Name,
    pub color: Option<Rgb>,
    pub created_at: SystemTime,
    pub turbo: bool,
    pub prime: bool,
}

/// A channel's chat modes, as ROOMSTATE reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Modes {
    pub emote_only: bool,
    /// Minutes of following required; `None` is off.
    pub followers_only: Option<u64>,
    pub unique_chat: bool,
    pub slow_s: u64,
    pub subs_only: bool,
}

/// A partial mode change; `None` leaves a mode as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModeChange {
    pub emote_only: Option<bool>,
    pub followers_only: Option<Option<u64>>,
    pub unique_chat: Option<bool>,
    pub slow_s: Option<u64>,
    pub subs_only: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Subscriber,
    Vip,
    Moderator,
    Broadcaster,
}

impl Role {
    /// Broadcaster, moderator and VIP: exempt from slow mode and chat restrictions, and given the
    /// higher message rate.
    pub fn privileged(self) -> bool {
        self >= Role::Vip
    }
}

#[derive(Debug, Clone)]
pub struct Logged {
    pub id: String,
    pub login: Name,
    pub text: String,
    pub at: Instant,
}

#[derive(Debug, Clone)]
pub struct Channel {
    pub login: Name,
    pub id: u64,
    pub title: String,
    pub category: String,
    pub category_id: u64,
    pub live: bool,
    pub started_at: SystemTime,
    pub viewers: u64,
    pub moderators: HashSet<Name>,
    pub vips: HashSet<Name>,
    /// Subscribers and their cumulative months.
    pub subscribers: HashMap<Name, u32>,
    pub followers: HashMap<Name, SystemTime>,
    pub modes: Modes,
    /// Banned users: `None` forever, `Some(until)` for a timeout.
    pub bans: HashMap<Name, Option<Instant>>,
    pub log: VecDeque<Logged>,
    /// Each user's last message here: when and what (slow mode, duplicates).
    pub last_said: HashMap<Name, (Instant, String)>,
    /// Users who have spoken here (for `first-msg`).
    pub spoken: HashSet<Name>,
    /// The generated regulars who chat here.
    pub chatters: Vec<Name>,
    /// AutoMod holds chatters' messages that it flags (moderators' own pass).
    pub automod: bool,
}

/// A global or channel emote the simulator recognises in chat text.
#[derive(Debug, Clone)]
pub struct EmoteDef {
    pub id: &'static str,
    pub code: &'static str,
}

pub const EMOTES: &[EmoteDef] = &[
    EmoteDef {
        id: "25",
        code: "Kappa",
    },
    EmoteDef {
        id: "88",
        code: "PogChamp",
    },
    EmoteDef {
        id: "425618",
        code: "LUL",
    },
    EmoteDef {
        id: "1902",
        code: "Keepo",
    },
    EmoteDef {
        id: "354",
        code: "4Head",
    },
    EmoteDef {
        id: "86",
        code: "BibleThump",
    },
    EmoteDef {
        id: "555555584",
        code: "<3",
    },
    EmoteDef {
        id: "emotesv2_dcd06b30a5c24f6eb871e8f5edbd44f7",
        code: "DinoDance",
    },
    EmoteDef {
        id: "emotesv2_819621bcb8f44566a1bd8ea63d06c58f",
        code: "catJAM",
    },
    EmoteDef {
        id: "305954156",
        code: "PogBones",
    },
];

#[derive(Debug, Default)]
pub struct World {
    pub users: HashMap<Name, User>,
    pub channels: BTreeMap<Name, Channel>,
    next_id: u64,
}

/// What a user asks to say.
#[derive(Debug, Clone, Default)]
pub struct Say {
    pub text: String,
    pub action: bool,
    pub reply_to: Option<String>,
    pub bits: Option<u64>,
    /// A paid hype chat: amount in cents (USD).
    pub hype_cents: Option<u64>,
}

/// What saying produced: the line every other member gets, and the USERSTATE answer for the
/// sender (carrying the new message's id).
#[derive(Debug, Clone)]
pub struct Said {
    pub id: String,
    pub broadcast: String,
    pub userstate: String,
}

impl World {
    /// Creates (or returns) a user; new users get an id, and the color and display name given.
    pub fn add_user(
        &mut self,
        login: &str,
        display_name: Option<&str>,
        color: Option<Rgb>,
    ) -> &User {
        if !self.users.contains_key(login) {
            self.next_id += 1;
            let id = 100_000 + self.next_id * 7919 % 900_000;
            let created_at =
                SystemTime::now() - Duration::from_secs(86_400 * (30 + self.next_id * 37 % 3000));
            let user = User {
                id,
                login: login.into(),
                display_name: display_name.unwrap_or(login).into(),
                color,
                created_at,
                turbo: self.next_id.is_multiple_of(17),
                prime: self.next_id.is_multiple_of(5),
            };
            self.users.insert(login.into(), user);
        }
        &self.users[login]
    }

    pub fn user_by_id(&self, id: u64) -> Option<&User> {
        self.users.values().find(|u| u.id == id)
    }

    pub fn role(&self, channel: &Channel, login: &str) -> Role {
        if channel.login == login {
            Role::Broadcaster
        } else if channel.moderators.contains(login) {
            Role::Moderator
        } else if channel.vips.contains(login) {
            Role::Vip
        } else if channel.subscribers.contains_key(login) {
            Role::Subscriber
        } else {
            Role::Viewer
        }
    }

    pub fn new_message_id(&mut self) -> String {
        let (a, b) = (fastrand::u64(..), fastrand::u64(..));
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    /// Adds a message to the channel without any checks: used for generated chatters, who are
    /// well behaved. Returns the PRIVMSG line.
    pub fn chat(&mut self, now: Instant, channel: &str, login: &str, say: &Say) -> Option<Said> {
        let id = self.new_message_id();
        let said = {
            let chan = self.channels.get(channel)?;
            let user = self.users.get(login)?;
            let role = self.role(chan, login);
            let parent = say
                .reply_to
                .as_deref()
                .and_then(|pid| chan.log.iter().find(|m| m.id == pid))
                .and_then(|m| Some((m, self.users.get(&m.login)?)));
            Said {
                broadcast: lines::privmsg(&lines::Chat {
                    channel: chan,
                    user,
                    role,
                    id: &id,
                    say,
                    parent,
                    first_msg: !chan.spoken.contains(login),
                }),
                userstate: lines::userstate(chan, user, role, Some(&id)),
                id: id.clone(),
            }
        };
        let chan = self.channels.get_mut(channel)?;
        chan.spoken.insert(login.into());
        chan.last_said.insert(login.into(), (now, say.text.clone()));
        chan.log.push_back(Logged {
            id,
            login: login.into(),
            text: say.text.clone(),
            at: now,
        });
        if chan.log.len() > LOG_SIZE {
            chan.log.pop_front();
        }
        Some(said)
    }

    /// Times out (`Some(duration)`) or bans (`None`) a user: CLEARCHAT.
    pub fn ban(
        &mut self,
        now: Instant,
        channel: &str,
        login: &str,
        duration: Option<Duration>,
    ) -> Option<String> {
        let user_id = self.users.get(login).map(|u| u.id);
        let chan = self.channels.get_mut(channel)?;
        chan.bans.insert(login.into(), duration.map(|d| now + d));
        Some(lines::clearchat(chan, Some((login, user_id)), duration))
    }

    /// Lifts a ban or timeout. Twitch broadcasts nothing for it.
    pub fn unban(&mut self, channel: &str, login: &str) -> bool {
        self.channels
            .get_mut(channel)
            .is_some_and(|c| c.bans.remove(login).is_some())
    }

    /// Deletes one message: CLEARMSG.
    pub fn delete(&mut self, channel: &str, message_id: &str) -> Option<String> {
        let chan = self.channels.get_mut(channel)?;
        let index = chan.log.iter().position(|m| m.id == message_id)?;
        let gone = chan.log.remove(index)?;
        Some(lines::clearmsg(chan, &gone))
    }

    /// Clears the whole chat: CLEARCHAT without a user.
    pub fn clear(&mut self, channel: &str) -> Option<String> {
        let chan = self.channels.get_mut(channel)?;
        chan.log.clear();
        Some(lines::clearchat(chan, None, None))
    }

    /// Changes chat modes: a partial ROOMSTATE with only what changed.
    pub fn set_modes(&mut self, channel: &str, change: ModeChange) -> Option<String> {
        let chan = self.channels.get_mut(channel)?;
        let before = chan.modes;
        let m = &mut chan.modes;
        m.emote_only = change.emote_only.unwrap_or(m.emote_only);
        m.followers_only = change.followers_only.unwrap_or(m.followers_only);
        m.unique_chat = change.unique_chat.unwrap_or(m.unique_chat);
        m.slow_s = change.slow_s.unwrap_or(m.slow_s);
        m.subs_only = change.subs_only.unwrap_or(m.subs_only);
        let after = chan.modes;
        let changed = ModeChange {
            emote_only: (before.emote_only != after.emote_only).then_some(after.emote_only),
            followers_only: (before.followers_only != after.followers_only)
                .then_some(after.followers_only),
            unique_chat: (before.unique_chat != after.unique_chat).then_some(after.unique_chat),
            slow_s: (before.slow_s != after.slow_s).then_some(after.slow_s),
            subs_only: (before.subs_only != after.subs_only).then_some(after.subs_only),
        };
        (changed != ModeChange::default()).then(|| lines::roomstate(chan, Some(changed)))
    }

    /// A channel event (sub, gift, raid, announcement, ...) by `login`: USERNOTICE. Subs and
    /// gifts also update who subscribes.
    pub fn notice(&mut self, channel: &str, login: &str, notice: &Notice) -> Option<String> {
        let id = self.new_message_id();
        let chan = self.channels.get_mut(channel)?;
        match notice {
            Notice::Sub { months, .. } => {
                chan.subscribers.insert(login.into(), *months);
            }
            Notice::SubGift { recipient, .. } => {
                let months = chan
                    .subscribers
                    .get(recipient.as_str())
                    .map_or(1, |m| m + 1);
                chan.subscribers.insert(recipient.as_str().into(), months);
            }
            _ => {}
        }
        let chan = &self.channels[channel];
        let user = self.users.get(login)?;
        let role = self.role(chan, login);
        Some(notices::usernotice(chan, user, role, &id, notice))
    }

    /// Whether `login` is banned or timed out in the channel now; expired timeouts are removed.
    pub fn ban_state(
        &mut self,
        now: Instant,
        channel: &str,
        login: &str,
    ) -> Option<Option<Duration>> {
        let chan = self.channels.get_mut(channel)?;
        match chan.bans.get(login).copied()? {
            None => Some(None),
            Some(until) if until > now => Some(Some(until - now)),
            Some(_) => {
                chan.bans.remove(login);
                None
            }
        }
    }

    /// A fresh display-ready name from a login.
    pub fn display_for(login: &str) -> Name {
        let mut chars = login.chars();
        match chars.next() {
            Some(first) => format_compact!("{}{}", first.to_uppercase(), chars.as_str()),
            None => Name::default(),
        }
    }
}

//! Generated traffic: believable chatters (names, colors, roles) and what they say (words,
//! emotes behind emoji, CJK, replies, /me, bits, hype chat), random channel events (subs, gift
//! bombs, raids, announcements, timeouts, deletions, mode changes), and scripted events.
//!
//! Deterministic for a seed. Works on a [`World`] and returns the lines to broadcast.

use std::time::Duration;

use compact_str::{CompactString, format_compact};
use tokio::time::Instant;

use super::notices::{Notice, Plan};
use super::scenario::Scripted;
use super::world::{ModeChange, Name, Say, World};
use crate::twitch::tags::Rgb;

const ADJECTIVES: &[&str] = &[
    "sleepy", "cozy", "quiet", "lucky", "frosty", "salty", "spicy", "mellow", "pixel", "night",
    "turbo", "tiny", "mighty", "lazy", "happy", "grumpy", "sneaky", "cosmic", "golden", "velvet",
];
const NOUNS: &[&str] = &[
    "panda", "owl", "fox", "noodle", "tea", "gamer", "wizard", "otter", "dragon", "mochi", "cat",
    "toast", "pirate", "cactus", "ninja", "comet", "bean", "goblin", "koala", "falcon",
];
const LOCALIZED: &[(&str, &str)] = &[
    ("sakura_chan", "さくら"),
    ("minjun_kr", "민준"),
    ("lei_cn", "小雷"),
    ("hana_jp", "はな"),
    ("jiwoo_kr", "지우"),
];
/// Twitch's default name colors.
const COLORS: &[&str] = &[
    "#FF0000", "#0000FF", "#008000", "#B22222", "#FF7F50", "#9ACD32", "#FF4500", "#2E8B57",
    "#DAA520", "#D2691E", "#5F9EA0", "#1E90FF", "#FF69B4", "#8A2BE2", "#00FF7F",
];
const REACTIONS: &[&str] = &[
    "no way",
    "that was insane",
    "LUL LUL",
    "PogChamp",
    "gg",
    "clip it",
    "W",
    "unlucky",
    "chat is this real",
    "KEKW moment",
    "so clean",
    "let's gooo",
    "that boss is brutal",
    "called it",
    "I can't believe that worked",
    "Kappa sure",
    "peak content",
    "true",
];
const CHATTER: &[&str] = &[
    "what game is this?",
    "how long have you been streaming today?",
    "first time here, love the vibes",
    "just got back, what did I miss?",
    "the music slaps today",
    "can you show the settings?",
    "hello from Germany",
    "I've been waiting all week for this stream",
    "this is my comfort stream",
    "drink some water!",
    "that was such a good play",
    "the new update looks great",
    "lurking while I work",
    "is there a schedule somewhere?",
    "remember when the raid came in last time",
];
const EMOJI: &[&str] = &["😂", "👉", "🔥", "❤️", "👨‍👩‍👧", "🇩🇪", "✨", "🎉", "😭", "👀"];
const EMOTE_CODES: &[&str] = &[
    "Kappa",
    "PogChamp",
    "LUL",
    "Keepo",
    "4Head",
    "<3",
    "DinoDance",
    "catJAM",
];
const FOREIGN: &[&str] = &[
    "ここすき",
    "大好き！",
    "ㅋㅋㅋㅋ",
    "加油！",
    "Ça passe crème",
    "¡qué locura!",
    "très bien joué",
    "e\u{301}le\u{301}gant",
    "Привет всем",
];
const ANNOUNCE_COLORS: &[&str] = &["PRIMARY", "BLUE", "GREEN", "ORANGE", "PURPLE"];

/// A deterministic generator of chatters and chat.
pub struct Traffic {
    pub(super) rng: fastrand::Rng,
    gifts: u64,
    /// What the last events had a moderator do, for the moderators' feeds.
    pub acted: Vec<Acted>,
}

/// A moderator's action an event stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Acted {
    /// A ban (no duration) or timeout of this user.
    Ban(Name, Option<Duration>),
    /// A message deleted: whose, its id and text.
    Delete(Name, String, String),
    /// A warning to this user, with the reason.
    Warn(Name, String),
    /// Shield Mode turned on or off.
    Shield(bool),
}

impl Traffic {
    pub fn new(seed: u64) -> Self {
        Traffic {
            rng: fastrand::Rng::with_seed(seed),
            gifts: 0,
            acted: Vec::new(),
        }
    }

    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(..100) < percent
    }

    /// A new chatter's login, display name and color.
    pub fn chatter(&mut self) -> (Name, Name, Option<Rgb>) {
        let color = if self.chance(80) {
            Rgb::parse(self.pick(COLORS))
        } else {
            None
        };
        if self.chance(5) {
            let (login, display) = LOCALIZED[self.rng.usize(..LOCALIZED.len())];
            let login = format_compact!("{login}{}", self.rng.u32(1..99));
            return (login, display.into(), color);
        }
        let (adj, noun) = (self.pick(ADJECTIVES), self.pick(NOUNS));
        let digits = if self.chance(50) {
            format_compact!("{}", self.rng.u32(1..9999))
        } else {
            CompactString::default()
        };
        let display = match self.rng.u32(..4) {
            0 => format_compact!(
                "{}{}{digits}",
                World::display_for(adj),
                World::display_for(noun)
            ),
            1 => format_compact!("{adj}_{noun}{digits}"),
            2 => format_compact!(
                "xX{}{}Xx",
                World::display_for(adj),
                World::display_for(noun)
            ),
            _ => format_compact!("{}_{}{digits}", World::display_for(adj), noun),
        };
        (display.to_lowercase(), display, color)
    }

    /// Fills a channel with `count` generated regulars: a few moderators and VIPs, a third
    /// subscribed for up to six years.
    pub fn populate(&mut self, world: &mut World, channel: &str, count: usize) {
        let mut names = Vec::with_capacity(count);
        for i in 0..count {
            let (login, display, color) = self.chatter();
            world.add_user(&login, Some(&display), color);
            let roll = self.rng.u32(..100);
            if let Some(chan) = world.channels.get_mut(channel) {
                if i < 2 || roll < 2 {
                    chan.moderators.insert(login.clone());
                } else if roll < 4 {
                    chan.vips.insert(login.clone());
                }
                if roll.is_multiple_of(3) {
                    chan.subscribers.insert(login.clone(), self.rng.u32(1..73));
                }
            }
            names.push(login);
        }
        if let Some(chan) = world.channels.get_mut(channel) {
            // Most regulars have chatted here before; a few are new (Twitch's `first-msg`).
            for name in &names {
                if !self.chance(4) {
                    chan.spoken.insert(name.clone());
                }
            }
            chan.chatters.extend(names);
        }
    }

    /// A regular of the channel who may chat now (not banned or timed out): the first tenth
    /// talk most.
    pub(super) fn speaker(&mut self, world: &World, now: Instant, channel: &str) -> Option<Name> {
        let chan = world.channels.get(channel)?;
        let chatters = &chan.chatters;
        if chatters.is_empty() {
            return None;
        }
        let chatty = (chatters.len() / 10).max(1);
        (0..8).find_map(|_| {
            let index = if self.chance(50) {
                self.rng.usize(..chatty)
            } else {
                self.rng.usize(..chatters.len())
            };
            let login = &chatters[index];
            let silenced = chan
                .bans
                .get(login)
                .is_some_and(|until| until.is_none_or(|until| until > now));
            (!silenced).then(|| login.clone())
        })
    }

    fn text(&mut self) -> String {
        let mut text = match self.rng.u32(..10) {
            0..=3 => self.pick(REACTIONS).to_owned(),
            4..=6 => self.pick(CHATTER).to_owned(),
            7 => {
                let emote = self.pick(EMOTE_CODES);
                vec![emote; self.rng.usize(1..6)].join(" ")
            }
            8 => format!("{} {}", self.pick(FOREIGN), self.pick(EMOTE_CODES)),
            _ => format!("{} {}", self.pick(EMOJI), self.pick(REACTIONS)),
        };
        if self.chance(15) {
            text = format!("{text} {} {}", self.pick(EMOJI), self.pick(EMOTE_CODES));
        }
        if self.chance(4) {
            for _ in 0..3 {
                text = format!("{text} {}", self.pick(CHATTER));
            }
        }
        text
    }

    /// One generated chat message in `channel`: the PRIVMSG line.
    pub fn chat(&mut self, world: &mut World, now: Instant, channel: &str) -> Option<String> {
        let login = self.speaker(world, now, channel)?;
        let mut say = Say {
            text: self.text(),
            ..Say::default()
        };
        if self.chance(8) {
            let parent = world
                .channels
                .get(channel)
                .and_then(|c| c.log.iter().rev().nth(self.rng.usize(..5)).cloned());
            if let Some(parent) = parent.filter(|p| p.login != login) {
                let name = world
                    .users
                    .get(&parent.login)
                    .map_or(parent.login.clone(), |u| u.display_name.clone());
                say.text = format!(
                    "@{name} {}",
                    self.pick(&["agreed", "lol same", "true!", "no way", "this ^"])
                );
                say.reply_to = Some(parent.id);
            }
        } else if self.chance(3) {
            say.action = true;
            say.text = self
                .pick(&["dances", "waves at chat", "grabs a snack", "hides"])
                .to_owned();
        } else if self.chance(1) {
            let bits = [1u64, 10, 100, 500, 1000][self.rng.usize(..5)];
            say.bits = Some(bits);
            say.text = format!("Cheer{bits} {}", say.text);
        } else if self.rng.u32(..1000) < 3 {
            say.hype_cents = Some([100u64, 200, 500, 1000][self.rng.usize(..4)]);
        }
        world
            .chat(now, channel, &login, &say)
            .map(|said| said.broadcast)
    }

    /// A firehose message: short plain chat, no replies or events.
    pub fn firehose(&mut self, world: &mut World, now: Instant, channel: &str) -> Option<String> {
        let login = self.speaker(world, now, channel)?;
        let say = Say {
            text: self.pick(REACTIONS).to_owned(),
            ..Say::default()
        };
        world
            .chat(now, channel, &login, &say)
            .map(|said| said.broadcast)
    }

    /// A random channel event: subs, gifts, raids, announcements, moderation, mode changes.
    pub fn event(&mut self, world: &mut World, now: Instant, channel: &str) -> Vec<String> {
        let Some(login) = self.speaker(world, now, channel) else {
            return Vec::new();
        };
        let plan = [
            Plan::Prime,
            Plan::Tier1,
            Plan::Tier1,
            Plan::Tier2,
            Plan::Tier3,
        ][self.rng.usize(..5)];
        let notice = match self.rng.u32(..100) {
            0..=24 => Notice::Sub {
                months: 1,
                streak: None,
                plan,
                message: None,
            },
            25..=49 => {
                let months = self.rng.u32(2..60);
                Notice::Sub {
                    months,
                    streak: self.chance(50).then(|| self.rng.u32(1..=months)),
                    plan,
                    message: self.chance(70).then(|| self.text()),
                }
            }
            50..=59 => {
                let count = self.rng.u32(1..=20);
                return self.gift_bomb(world, now, channel, &login, count);
            }
            60..=64 => Notice::Raid {
                viewers: self.rng.u64(5..3000),
            },
            65..=69 => Notice::Announcement {
                text: self
                    .pick(&[
                        "Follow the socials, link in the panels!",
                        "Hydrate check!",
                        "Giveaway at the end of stream",
                    ])
                    .to_owned(),
                color: self.pick(ANNOUNCE_COLORS),
            },
            70..=74 => Notice::BitsBadgeTier {
                threshold: [1000u64, 5000, 10000][self.rng.usize(..3)],
            },
            75..=79 => Notice::WatchStreak {
                streak: self.rng.u32(3..40),
            },
            80..=89 => {
                let duration = Duration::from_secs([10u64, 60, 600][self.rng.usize(..3)]);
                self.acted.push(Acted::Ban(login.clone(), Some(duration)));
                return world
                    .ban(now, channel, &login, Some(duration))
                    .into_iter()
                    .collect();
            }
            90..=96 => {
                let last = world
                    .channels
                    .get(channel)
                    .and_then(|c| c.log.back().map(|m| m.id.clone()));
                return last
                    .and_then(|id| world.delete(channel, &id))
                    .into_iter()
                    .collect();
            }
            _ => {
                let slow = world.channels.get(channel).map_or(0, |c| c.modes.slow_s);
                let change = ModeChange {
                    slow_s: Some(if slow == 0 { 10 } else { 0 }),
                    ..ModeChange::default()
                };
                return world.set_modes(channel, change).into_iter().collect();
            }
        };
        world.notice(channel, &login, &notice).into_iter().collect()
    }

    /// A mystery gift from `login` followed by one gift line per recipient, like Twitch sends.
    fn gift_bomb(
        &mut self,
        world: &mut World,
        now: Instant,
        channel: &str,
        login: &str,
        count: u32,
    ) -> Vec<String> {
        self.gifts += 1;
        let gift_id = format!("{}", 4_000_000 + self.gifts * 7_919);
        let plan = Plan::Tier1;
        let sender_total = u64::from(count) + self.rng.u64(0..200);
        let mut lines: Vec<String> = world
            .notice(
                channel,
                login,
                &Notice::MysteryGift {
                    count,
                    plan,
                    gift_id: gift_id.clone(),
                    sender_total,
                },
            )
            .into_iter()
            .collect();
        for _ in 0..count {
            let Some(recipient) = self.speaker(world, now, channel) else {
                break;
            };
            let Some(user) = world.users.get(&recipient).cloned() else {
                continue;
            };
            lines.extend(world.notice(
                channel,
                login,
                &Notice::SubGift {
                    recipient: user.login.to_string(),
                    recipient_display: user.display_name.to_string(),
                    recipient_id: user.id,
                    plan,
                    gift_id: Some(gift_id.clone()),
                    sender_total,
                },
            ));
        }
        lines
    }

    /// Plays one scripted event; users it names are created when new.
    pub fn scripted(
        &mut self,
        world: &mut World,
        now: Instant,
        channel: &str,
        event: &Scripted,
    ) -> Vec<String> {
        let ensure = |world: &mut World, login: &str| {
            if !world.users.contains_key(login) {
                let display = World::display_for(login);
                let color = Rgb::parse(COLORS[login.len() % COLORS.len()]);
                world.add_user(login, Some(&display), color);
            }
        };
        let notice = |world: &mut World, login: &str, notice: Notice| {
            world
                .notice(channel, login, &notice)
                .into_iter()
                .collect::<Vec<_>>()
        };
        let chat = |world: &mut World, login: &str, say: Say| {
            ensure(world, login);
            world
                .chat(now, channel, login, &say)
                .map(|s| s.broadcast)
                .into_iter()
                .collect::<Vec<_>>()
        };
        match event {
            Scripted::Say {
                user, text, action, ..
            } => chat(
                world,
                user,
                Say {
                    text: text.clone(),
                    action: *action,
                    ..Say::default()
                },
            ),
            Scripted::Sub {
                user,
                months,
                message,
                ..
            } => {
                ensure(world, user);
                let sub = Notice::Sub {
                    months: *months,
                    streak: (*months > 1).then_some(*months),
                    plan: Plan::Tier1,
                    message: message.clone(),
                };
                notice(world, user, sub)
            }
            Scripted::GiftBomb { user, count, .. } => {
                ensure(world, user);
                self.gift_bomb(world, now, channel, user, *count)
            }
            Scripted::Raid { from, viewers, .. } => {
                ensure(world, from);
                notice(world, from, Notice::Raid { viewers: *viewers })
            }
            Scripted::Announce {
                user, text, color, ..
            } => {
                ensure(world, user);
                let color = ANNOUNCE_COLORS
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(color))
                    .copied()
                    .unwrap_or("PRIMARY");
                notice(
                    world,
                    user,
                    Notice::Announcement {
                        text: text.clone(),
                        color,
                    },
                )
            }
            Scripted::Bits {
                user, bits, text, ..
            } => chat(
                world,
                user,
                Say {
                    text: format!("Cheer{bits} {text}"),
                    bits: Some(*bits),
                    ..Say::default()
                },
            ),
            Scripted::HypeChat {
                user, cents, text, ..
            } => chat(
                world,
                user,
                Say {
                    text: text.clone(),
                    hype_cents: Some(*cents),
                    ..Say::default()
                },
            ),
            Scripted::Timeout { user, duration, .. } => {
                ensure(world, user);
                self.acted
                    .push(Acted::Ban(user.as_str().into(), Some(*duration)));
                world
                    .ban(now, channel, user, Some(*duration))
                    .into_iter()
                    .collect()
            }
            Scripted::Ban { user, .. } => {
                ensure(world, user);
                self.acted.push(Acted::Ban(user.as_str().into(), None));
                world.ban(now, channel, user, None).into_iter().collect()
            }
            Scripted::Delete { user, .. } => {
                let last = world.channels.get(channel).and_then(|c| {
                    c.log
                        .iter()
                        .rev()
                        .find(|m| m.login == user.as_str())
                        .map(|m| (m.id.clone(), m.text.clone()))
                });
                let Some((id, text)) = last else {
                    return Vec::new();
                };
                self.acted
                    .push(Acted::Delete(user.as_str().into(), id.clone(), text));
                world.delete(channel, &id).into_iter().collect()
            }
            Scripted::Clear { .. } => world.clear(channel).into_iter().collect(),
            Scripted::Warn { user, reason, .. } => {
                ensure(world, user);
                self.acted
                    .push(Acted::Warn(user.as_str().into(), reason.clone()));
                Vec::new()
            }
            Scripted::Shield { on, .. } => {
                self.acted.push(Acted::Shield(*on));
                Vec::new()
            }
            Scripted::Modes {
                slow,
                followers_only,
                subs_only,
                emote_only,
                unique_chat,
                ..
            } => {
                let change = ModeChange {
                    emote_only: *emote_only,
                    followers_only: followers_only.map(|m| u64::try_from(m).ok()),
                    unique_chat: *unique_chat,
                    slow_s: *slow,
                    subs_only: *subs_only,
                };
                world.set_modes(channel, change).into_iter().collect()
            }
        }
    }
}

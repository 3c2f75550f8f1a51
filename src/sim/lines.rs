//! The IRC lines the simulator sends, built from its model exactly as Twitch shapes them: full
//! tag sets (badges for the user's role, color, emote ranges in code points, ids, timestamps),
//! `system-msg` sentences for events, partial ROOMSTATEs.
//!
//! Written with the simulator's own writer ([`super::wire`]), not the client's: tag values are
//! escaped, every line is one line, and the last parameter has its `:` wherever Twitch's has.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::wire::Out;
use super::world::{Channel, EMOTES, Logged, ModeChange, Role, Say, User};

/// Tags in the order Twitch sends them (alphabetical), then the line.
pub(super) struct Tagged {
    tags: Vec<(&'static str, String)>,
}

impl Tagged {
    pub(super) fn new() -> Self {
        Tagged {
            tags: Vec::with_capacity(20),
        }
    }

    pub(super) fn tag(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.tags.push((key, value.into()));
        self
    }

    /// `mod` and `subscriber`: the user's standing in the channel.
    pub(super) fn member(self, channel: &Channel, user: &User, role: Role) -> Self {
        let flag = |on: bool| if on { "1" } else { "0" };
        self.tag("mod", flag(role == Role::Moderator)).tag(
            "subscriber",
            flag(channel.subscribers.contains_key(&user.login)),
        )
    }

    /// Sets a tag, replacing any earlier value.
    pub(super) fn set(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.tags.retain(|(k, _)| *k != key);
        self.tag(key, value)
    }

    /// The line from `tmi.twitch.tv` (or `source`): `middle` parameters, then `trailing` after
    /// its colon.
    pub(super) fn finish(
        mut self,
        source: Option<&str>,
        command: &str,
        middle: &[&str],
        trailing: Option<&str>,
    ) -> String {
        self.tags.sort_by_key(|(k, _)| *k);
        let tags: Vec<(&str, &str)> = self.tags.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Out {
            tags: &tags,
            source,
            command,
            middle,
            trailing,
        }
        .to_string()
    }
}

/// Names per 353 line: each line stays well under the 512-byte IRC limit.
const NAMES_PER_LINE: usize = 15;

pub fn now_ms() -> String {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    ms.to_string()
}

pub(super) fn user_source(login: &str) -> String {
    format!("{login}!{login}@{login}.tmi.twitch.tv")
}

pub(super) fn hash_channel(channel: &str) -> String {
    format!("#{channel}")
}

/// The subscriber badge version Twitch shows for a number of months.
fn sub_badge_version(months: u32) -> u32 {
    [60, 48, 36, 24, 18, 12, 9, 6, 3]
        .into_iter()
        .find(|&step| months >= step)
        .unwrap_or(0)
}

/// `(badge-info, badges)` for a user in a channel.
pub(super) fn badges(channel: &Channel, user: &User, role: Role) -> (String, String) {
    let mut badges = Vec::new();
    let mut info = String::new();
    match role {
        Role::Broadcaster => badges.push("broadcaster/1".to_owned()),
        Role::Moderator => badges.push("moderator/1".to_owned()),
        Role::Vip => badges.push("vip/1".to_owned()),
        Role::Subscriber | Role::Viewer => {}
    }
    if let Some(&months) = channel.subscribers.get(&user.login) {
        badges.push(format!("subscriber/{}", sub_badge_version(months)));
        info = format!("subscriber/{months}");
    }
    if role == Role::Broadcaster {
        badges.push("partner/1".to_owned());
    }
    if user.turbo {
        badges.push("turbo/1".to_owned());
    } else if user.prime {
        badges.push("premium/1".to_owned());
    }
    (info, badges.join(","))
}

pub(super) fn color(user: &User) -> String {
    user.color.map(|c| c.to_string()).unwrap_or_default()
}

pub(super) fn user_type(role: Role) -> &'static str {
    if role == Role::Moderator { "mod" } else { "" }
}

/// The `emotes` tag for `text`: every word that is a known emote, in code points.
pub fn emotes_tag(text: &str) -> String {
    let mut found: Vec<(&str, Vec<(usize, usize)>)> = Vec::new();
    let mut position = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if let Some(emote) = EMOTES.iter().find(|e| e.code == word) {
            let range = (position, position + len - 1);
            match found.iter_mut().find(|(id, _)| *id == emote.id) {
                Some((_, ranges)) => ranges.push(range),
                None => found.push((emote.id, vec![range])),
            }
        }
        position += len + 1;
    }
    found
        .iter()
        .map(|(id, ranges)| {
            let ranges: Vec<String> = ranges.iter().map(|(s, e)| format!("{s}-{e}")).collect();
            format!("{id}:{}", ranges.join(","))
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Everything a PRIVMSG needs.
pub struct Chat<'a> {
    pub channel: &'a Channel,
    pub user: &'a User,
    pub role: Role,
    pub id: &'a str,
    pub say: &'a Say,
    pub parent: Option<(&'a Logged, &'a User)>,
    pub first_msg: bool,
}

pub fn privmsg(chat: &Chat<'_>) -> String {
    let (info, badges) = badges(chat.channel, chat.user, chat.role);
    let say = chat.say;
    let mut line = Tagged::new()
        .tag("badge-info", info)
        .tag("badges", badges)
        .tag("color", color(chat.user))
        .tag("display-name", chat.user.display_name.as_str())
        .tag("emotes", emotes_tag(&say.text))
        .tag("first-msg", if chat.first_msg { "1" } else { "0" })
        .tag("flags", "")
        .tag("id", chat.id)
        .tag("returning-chatter", "0")
        .tag("room-id", chat.channel.id.to_string())
        .member(chat.channel, chat.user, chat.role)
        .tag("tmi-sent-ts", now_ms())
        .tag("turbo", if chat.user.turbo { "1" } else { "0" })
        .tag("user-id", chat.user.id.to_string())
        .tag("user-type", user_type(chat.role));
    if chat.role == Role::Vip {
        line = line.tag("vip", "1");
    }
    if let Some(bits) = say.bits {
        line = line.tag("bits", bits.to_string());
    }
    if let Some(cents) = say.hype_cents {
        let level = match cents {
            ..=199 => "ONE",
            200..=499 => "TWO",
            500..=999 => "THREE",
            _ => "FOUR",
        };
        line = line
            .tag("pinned-chat-paid-amount", cents.to_string())
            .tag("pinned-chat-paid-currency", "USD")
            .tag("pinned-chat-paid-exponent", "2")
            .tag("pinned-chat-paid-is-system-message", "0")
            .tag("pinned-chat-paid-level", level);
    }
    if let Some((parent, parent_user)) = chat.parent {
        line = line
            .tag(
                "reply-parent-display-name",
                parent_user.display_name.as_str(),
            )
            .tag("reply-parent-msg-body", parent.text.as_str())
            .tag("reply-parent-msg-id", parent.id.as_str())
            .tag("reply-parent-user-id", parent_user.id.to_string())
            .tag("reply-parent-user-login", parent_user.login.as_str())
            .tag("reply-thread-parent-msg-id", parent.id.as_str())
            .tag("reply-thread-parent-user-login", parent_user.login.as_str());
    }
    let body = if say.action {
        format!("\x01ACTION {}\x01", say.text)
    } else {
        say.text.clone()
    };
    line.finish(
        Some(&user_source(&chat.user.login)),
        "PRIVMSG",
        &[&hash_channel(&chat.channel.login)],
        Some(&body),
    )
}

/// Our state in a channel; with `id` after a message we sent.
pub fn userstate(channel: &Channel, user: &User, role: Role, id: Option<&str>) -> String {
    let (info, badges) = badges(channel, user, role);
    let mut line = Tagged::new()
        .tag("badge-info", info)
        .tag("badges", badges)
        .tag("color", color(user))
        .tag("display-name", user.display_name.as_str())
        .tag("emote-sets", "0,33,50,237,1511983")
        .member(channel, user, role)
        .tag("user-type", user_type(role));
    if let Some(id) = id {
        line = line.tag("id", id);
    }
    line.finish(
        Some("tmi.twitch.tv"),
        "USERSTATE",
        &[&hash_channel(&channel.login)],
        None,
    )
}

pub fn globaluserstate(user: &User) -> String {
    Tagged::new()
        .tag("badge-info", "")
        .tag("badges", if user.turbo { "turbo/1" } else { "" })
        .tag("color", color(user))
        .tag("display-name", user.display_name.as_str())
        .tag("emote-sets", "0,33,50,237,1511983")
        .tag("user-id", user.id.to_string())
        .tag("user-type", "")
        .finish(Some("tmi.twitch.tv"), "GLOBALUSERSTATE", &[], None)
}

/// The full room state (`None`) or only what changed.
pub fn roomstate(channel: &Channel, changed: Option<ModeChange>) -> String {
    let m = channel.modes;
    let change = changed.unwrap_or(ModeChange {
        emote_only: Some(m.emote_only),
        followers_only: Some(m.followers_only),
        unique_chat: Some(m.unique_chat),
        slow_s: Some(m.slow_s),
        subs_only: Some(m.subs_only),
    });
    let flag = |b: bool| if b { "1" } else { "0" };
    let mut line = Tagged::new().tag("room-id", channel.id.to_string());
    if let Some(v) = change.emote_only {
        line = line.tag("emote-only", flag(v));
    }
    if let Some(v) = change.followers_only {
        line = line.tag(
            "followers-only",
            v.map_or("-1".to_owned(), |m| m.to_string()),
        );
    }
    if let Some(v) = change.unique_chat {
        line = line.tag("r9k", flag(v));
    }
    if let Some(v) = change.slow_s {
        line = line.tag("slow", v.to_string());
    }
    if let Some(v) = change.subs_only {
        line = line.tag("subs-only", flag(v));
    }
    if changed.is_none() {
        line = line.tag("rituals", "0");
    }
    line.finish(
        Some("tmi.twitch.tv"),
        "ROOMSTATE",
        &[&hash_channel(&channel.login)],
        None,
    )
}

/// A ban (`duration` None), a timeout, or (no target) a full clear.
pub fn clearchat(
    channel: &Channel,
    target: Option<(&str, Option<u64>)>,
    duration: Option<Duration>,
) -> String {
    let mut line = Tagged::new()
        .tag("room-id", channel.id.to_string())
        .tag("tmi-sent-ts", now_ms());
    let chan = hash_channel(&channel.login);
    match target {
        None => line.finish(Some("tmi.twitch.tv"), "CLEARCHAT", &[&chan], None),
        Some((login, user_id)) => {
            if let Some(d) = duration {
                line = line.tag("ban-duration", d.as_secs().max(1).to_string());
            }
            if let Some(id) = user_id {
                line = line.tag("target-user-id", id.to_string());
            }
            line.finish(Some("tmi.twitch.tv"), "CLEARCHAT", &[&chan], Some(login))
        }
    }
}

pub fn clearmsg(channel: &Channel, gone: &Logged) -> String {
    Tagged::new()
        .tag("login", gone.login.as_str())
        .tag("room-id", "")
        .tag("target-msg-id", gone.id.as_str())
        .tag("tmi-sent-ts", now_ms())
        .finish(
            Some("tmi.twitch.tv"),
            "CLEARMSG",
            &[&hash_channel(&channel.login)],
            Some(&gone.text),
        )
}

pub fn join(login: &str, channel: &str) -> String {
    membership("JOIN", login, channel)
}

pub fn part(login: &str, channel: &str) -> String {
    membership("PART", login, channel)
}

/// `:login!login@login.tmi.twitch.tv JOIN #channel` (no colon, as Twitch writes them).
fn membership(command: &str, login: &str, channel: &str) -> String {
    Out {
        source: Some(&user_source(login)),
        middle: &[&hash_channel(channel)],
        ..Out::line(command)
    }
    .to_string()
}

/// The 353 lines (names split so no line grows long) and the closing 366.
pub fn names(nick: &str, channel: &str, names: &[&str]) -> Vec<String> {
    let source = format!("{nick}.tmi.twitch.tv");
    let chan = hash_channel(channel);
    let mut out: Vec<String> = names
        .chunks(NAMES_PER_LINE)
        .map(|chunk| {
            Out {
                source: Some(&source),
                middle: &[nick, "=", &chan],
                trailing: Some(&chunk.join(" ")),
                ..Out::line("353")
            }
            .to_string()
        })
        .collect();
    out.push(
        Out {
            source: Some(&source),
            middle: &[nick, &chan],
            trailing: Some("End of /NAMES list"),
            ..Out::line("366")
        }
        .to_string(),
    );
    out
}

/// A NOTICE to a channel (or `*` before login), with its msg-id when there is one.
pub fn notice(channel: Option<&str>, msg_id: Option<&str>, text: &str) -> String {
    let target = channel.map_or_else(|| "*".to_owned(), hash_channel);
    let tags: Vec<(&str, &str)> = msg_id.map(|id| ("msg-id", id)).into_iter().collect();
    Out {
        tags: &tags,
        source: Some("tmi.twitch.tv"),
        middle: &[&target],
        trailing: Some(text),
        ..Out::line("NOTICE")
    }
    .to_string()
}

/// A line from `tmi.twitch.tv` without tags: `middle`, then `trailing` after its colon.
pub fn server(command: &str, middle: &[&str], trailing: Option<&str>) -> String {
    Out {
        source: Some("tmi.twitch.tv"),
        middle,
        trailing,
        ..Out::line(command)
    }
    .to_string()
}

pub fn welcome(nick: &str) -> Vec<String> {
    let lines: [(&str, &str); 7] = [
        ("001", "Welcome, GLHF!"),
        ("002", "Your host is tmi.twitch.tv"),
        ("003", "This server is rather new"),
        ("004", "-"),
        ("375", "-"),
        ("372", "You are in a maze of twisty passages, all alike."),
        ("376", ">"),
    ];
    lines
        .iter()
        .map(|(code, text)| server(code, &[nick], Some(text)))
        .collect()
}

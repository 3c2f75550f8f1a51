//! What the simulator's world tells EventSub subscribers, in Twitch's payload shapes: messages
//! AutoMod holds (v1 and v2, each subscriber in its version) and what becomes of them (allowed
//! into chat, denied, expired after a while), and moderators' actions (`channel.moderate`,
//! with who did it and why). Written here, apart from the client.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::State;
use super::http::rfc3339;
use super::traffic::Traffic;
use super::world::Name;
use super::world::World;

/// How long AutoMod holds a message before it expires.
pub const HOLD_FOR: Duration = Duration::from_secs(300);

/// A message AutoMod holds.
#[derive(Debug, Clone)]
pub(crate) struct HeldMessage {
    pub id: String,
    pub channel: Name,
    pub login: Name,
    pub text: String,
    pub category: &'static str,
    pub level: u8,
    pub held_at: String,
    pub since: Instant,
    /// A client's message: when the channel's own moderators decide it, if nobody did.
    pub decide_at: Option<Instant>,
}

impl State {
    /// `{prefix}_id`, `_login`, `_name` of `login` (the id empty when the world has no such
    /// user).
    pub fn user_fields(&self, prefix: &str, login: &str) -> Map<String, Value> {
        let user = self.world.users.get(login);
        let mut fields = Map::new();
        fields.insert(
            format!("{prefix}_id"),
            json!(user.map(|u| u.id.to_string()).unwrap_or_default()),
        );
        fields.insert(format!("{prefix}_login"), json!(login));
        fields.insert(
            format!("{prefix}_name"),
            json!(user.map_or(login, |u| u.display_name.as_str())),
        );
        fields
    }

    pub(super) fn channel_id(&self, channel: &str) -> String {
        self.world
            .channels
            .get(channel)
            .map(|c| c.id.to_string())
            .unwrap_or_default()
    }

    /// Every subscriber to `kind` in `channel` hears `event` (one shape for every version).
    pub(super) fn tell_channel(&self, kind: &str, channel: &str, event: Map<String, Value>) {
        let event = Value::Object(event);
        let broadcaster = self.channel_id(channel);
        self.eventsub
            .notify(kind, "broadcaster_user_id", &broadcaster, |_| event.clone());
    }

    /// AutoMod holds `text` from `login` in `channel`; its moderators' feeds hear of it.
    pub fn hold(
        &mut self,
        channel: &str,
        login: &str,
        text: &str,
        category: &'static str,
        level: u8,
        now: Instant,
    ) {
        let held = HeldMessage {
            id: self.world.new_message_id(),
            channel: channel.into(),
            login: login.into(),
            text: text.to_owned(),
            category,
            level,
            held_at: rfc3339(SystemTime::now()),
            since: now,
            decide_at: None,
        };
        let mut base = self.user_fields("broadcaster_user", channel);
        base.extend(self.user_fields("user", login));
        base.insert("message_id".into(), json!(held.id));
        base.insert("held_at".into(), json!(held.held_at));
        let id = self.channel_id(channel);
        self.eventsub.notify(
            "automod.message.hold",
            "broadcaster_user_id",
            &id,
            |version| {
                let mut event = base.clone();
                fill_message(&mut event, &held, version);
                Value::Object(event)
            },
        );
        self.tell_author("channel.chat.user_message_hold", &held, None);
        self.held.push(held);
    }

    /// The author's own feed hears of their held message (`status`: what became of it).
    fn tell_author(&self, kind: &str, held: &HeldMessage, status: Option<&str>) {
        let mut event = self.user_fields("broadcaster_user", &held.channel);
        event.extend(self.user_fields("user", &held.login));
        if let Some(status) = status {
            event.insert("status".into(), json!(status));
        }
        event.insert("message_id".into(), json!(held.id));
        event.insert(
            "message".into(),
            json!({"text": held.text, "fragments": [
                {"type": "text", "text": held.text, "cheermote": null, "emote": null}]}),
        );
        let (broadcaster, user) = (self.channel_id(&held.channel), event["user_id"].clone());
        let event = Value::Object(event);
        self.eventsub.notify_where(
            kind,
            &[
                ("broadcaster_user_id", &broadcaster),
                ("user_id", user.as_str().unwrap_or_default()),
            ],
            |_| event.clone(),
        );
    }

    /// What became of a held message: `approved` or `denied` by `moderator`, or `expired`.
    pub fn resolve_hold(&mut self, held: &HeldMessage, status: &str, moderator: Option<&str>) {
        // The author hears `invalid` for a hold nobody decided.
        let told = if status == "expired" {
            "invalid"
        } else {
            status
        };
        self.tell_author("channel.chat.user_message_update", held, Some(told));
        let mut base = self.user_fields("broadcaster_user", &held.channel);
        base.extend(self.user_fields("user", &held.login));
        match moderator {
            Some(moderator) => base.extend(self.user_fields("moderator_user", moderator)),
            None => {
                for key in [
                    "moderator_user_id",
                    "moderator_user_login",
                    "moderator_user_name",
                ] {
                    base.insert(key.into(), Value::Null);
                }
            }
        }
        base.insert("message_id".into(), json!(held.id));
        base.insert("held_at".into(), json!(held.held_at));
        base.insert("status".into(), json!(status));
        let id = self.channel_id(&held.channel);
        self.eventsub.notify(
            "automod.message.update",
            "broadcaster_user_id",
            &id,
            |version| {
                let mut event = base.clone();
                fill_message(&mut event, held, version);
                Value::Object(event)
            },
        );
    }

    /// Holds older than [`HOLD_FOR`] expire; a client's held message nobody decided by its
    /// time is decided by the broadcaster (allowed when AutoMod's level is 1, else denied).
    pub fn expire_holds(&mut self, now: Instant) {
        let (old, kept): (Vec<HeldMessage>, Vec<HeldMessage>) =
            std::mem::take(&mut self.held).into_iter().partition(|h| {
                now.saturating_duration_since(h.since) >= HOLD_FOR
                    || h.decide_at.is_some_and(|at| at <= now)
            });
        self.held = kept;
        for held in old {
            match held.decide_at {
                Some(at) if at <= now => {
                    let broadcaster = held.channel.clone();
                    self.release(held.clone(), held.level <= 1, &broadcaster, now);
                }
                _ => self.resolve_hold(&held, "expired", None),
            }
        }
    }

    /// `moderator` allows (into chat, to everyone in the channel) or denies a held message.
    pub fn release(&mut self, held: HeldMessage, allow: bool, moderator: &str, now: Instant) {
        if allow {
            let say = super::world::Say {
                text: held.text.clone(),
                ..Default::default()
            };
            if let Some(said) = self.world.chat(now, &held.channel, &held.login, &say) {
                self.broadcast(&held.channel, &said.broadcast, None, now);
            }
        }
        let status = if allow { "approved" } else { "denied" };
        self.resolve_hold(&held, status, Some(moderator));
    }

    /// A moderator's action in `channel`: `action` with its object under its own name.
    pub fn moderated(&self, channel: &str, moderator: &str, action: &str, object: Value) {
        self.moderated_object(channel, moderator, action, action, object);
    }

    /// A moderator's action in `channel` whose object goes under `key` (`unban_request` for
    /// `approve_unban_request`).
    pub fn moderated_object(
        &self,
        channel: &str,
        moderator: &str,
        action: &str,
        key: &str,
        object: impl Into<Value>,
    ) {
        let mut event = self.user_fields("broadcaster_user", channel);
        for key in [
            "source_broadcaster_user_id",
            "source_broadcaster_user_login",
            "source_broadcaster_user_name",
        ] {
            event.insert(key.into(), Value::Null);
        }
        event.extend(self.user_fields("moderator_user", moderator));
        event.insert("action".into(), json!(action));
        for key in ACTION_OBJECTS {
            event.insert((*key).into(), Value::Null);
        }
        event.insert(key.into(), object.into());
        self.tell_channel("channel.moderate", channel, event);
    }

    /// `channel.moderate` for a ban (no `duration`) or timeout of `login`.
    pub fn moderated_ban(
        &self,
        channel: &str,
        moderator: &str,
        login: &str,
        duration: Option<Duration>,
        reason: &str,
    ) {
        let mut object = self.user_fields("user", login);
        object.insert("reason".into(), json!(reason));
        let action = match duration {
            Some(duration) => {
                let until = SystemTime::now() + duration;
                object.insert("expires_at".into(), json!(rfc3339(until)));
                "timeout"
            }
            None => "ban",
        };
        self.moderated(channel, moderator, action, Value::Object(object));
    }
}

/// Every per-action object of `channel.moderate` v2; all but the action's own are null.
const ACTION_OBJECTS: &[&str] = &[
    "followers",
    "slow",
    "vip",
    "unvip",
    "mod",
    "unmod",
    "ban",
    "unban",
    "timeout",
    "untimeout",
    "raid",
    "unraid",
    "delete",
    "automod_terms",
    "unban_request",
    "warn",
    "shared_chat_ban",
    "shared_chat_unban",
    "shared_chat_timeout",
    "shared_chat_untimeout",
    "shared_chat_delete",
];

/// The message and reason of a held message, in the shape of the subscriber's version: v2 has
/// `message {text, fragments}` and `reason`/`automod`/`blocked_term`; v1 a flat `message`,
/// `category`, `level` and `fragments {emotes, cheermotes}`.
fn fill_message(event: &mut Map<String, Value>, held: &HeldMessage, version: &str) {
    if version == "1" {
        event.insert("message".into(), json!(held.text));
        event.insert("category".into(), json!(held.category));
        event.insert("level".into(), json!(held.level));
        event.insert("fragments".into(), json!({"emotes": [], "cheermotes": []}));
    } else {
        event.insert(
            "message".into(),
            json!({"text": held.text, "fragments": [
                {"type": "text", "text": held.text, "cheermote": null, "emote": null}]}),
        );
        event.insert("reason".into(), json!("automod"));
        let end = held.text.chars().count().saturating_sub(1);
        event.insert(
            "automod".into(),
            json!({"category": held.category, "level": held.level,
                "boundaries": [{"start_pos": 0, "end_pos": end}]}),
        );
        event.insert("blocked_term".into(), Value::Null);
    }
}

/// Whether AutoMod flags `text`: its category and level.
pub fn flagged(text: &str) -> Option<(&'static str, u8)> {
    let lower = text.to_lowercase();
    [
        ("idiot", "aggressive", 2),
        ("clown", "aggressive", 2),
        ("trash", "aggressive", 1),
        ("stupid", "aggressive", 1),
        ("damn", "swearing", 1),
        ("hell", "swearing", 1),
    ]
    .into_iter()
    .find(|(word, _, _)| {
        lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == *word)
    })
    .map(|(_, category, level)| (category, level))
}

/// What the generated traffic adds for the feeds.
impl Traffic {
    /// A message AutoMod holds in `channel`: who wrote it, what, AutoMod's category and level.
    pub fn held(
        &mut self,
        world: &World,
        now: Instant,
        channel: &str,
    ) -> Option<(Name, &'static str, &'static str, u8)> {
        // AutoMod leaves the moderators' and the broadcaster's messages alone.
        let chan = world.channels.get(channel)?;
        let login = (0..8)
            .filter_map(|_| self.speaker(world, now, channel))
            .find(|login| world.role(chan, login) < super::world::Role::Moderator)?;
        let (text, category) = [
            ("this streamer is trash, uninstall", "aggressive"),
            ("shut up you absolute clown", "aggressive"),
            ("what the hell was that play", "swearing"),
            ("go back to the kitchen", "misogyny"),
            ("ur all idiots in this chat", "aggressive"),
            ("damn that run was bad", "swearing"),
        ][self.rng.usize(..6)];
        Some((login, text, category, self.rng.u8(1..=4)))
    }

    /// A moderator of `channel` other than the accounts that can log in (so the demo user sees
    /// someone else act); the broadcaster when there is none.
    pub fn other_moderator(&mut self, world: &World, channel: &str, accounts: &[String]) -> Name {
        let Some(chan) = world.channels.get(channel) else {
            return channel.into();
        };
        let mut others: Vec<&Name> = chan
            .moderators
            .iter()
            .filter(|m| !accounts.iter().any(|a| a == m.as_str()))
            .collect();
        others.sort();
        if others.is_empty() {
            return chan.login.clone();
        }
        others[self.rng.usize(..others.len())].clone()
    }

    /// A moderator's reason for a timeout or ban.
    pub fn reason(&mut self) -> &'static str {
        self.pick(&["spam", "caps", "be nice", "", "self-promotion", "spoilers"])
    }
}

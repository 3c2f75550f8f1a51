//! What the simulator's moderators watch beyond chat, in Twitch's payload shapes: suspicious
//! users (a monitored user's messages reach chat and the moderators' feed; a restricted
//! user's reach the feed only), unban requests (made, then approved or denied with a note),
//! and whispers. Written here, apart from the client.

use std::collections::HashMap;
use std::time::SystemTime;

use serde_json::{Value, json};
use tokio::time::Instant;

use super::State;
use super::http::rfc3339;
use super::traffic::Traffic;
use super::world::{Name, Said, Say};

/// Suspicious users and unban requests, per channel.
#[derive(Debug, Default)]
pub(crate) struct Watch {
    /// (channel, login) -> `active_monitoring` or `restricted`.
    pub suspects: HashMap<(Name, Name), &'static str>,
    /// Every unban request made, oldest first.
    pub requests: Vec<UnbanAsk>,
    next_request: u64,
    /// Warned users who acknowledge the warning then: (channel, login, when).
    acks: Vec<(Name, Name, Instant)>,
}

/// How long a warned chatter takes to acknowledge the warning.
const ACKNOWLEDGED_AFTER: std::time::Duration = std::time::Duration::from_secs(6);

/// A banned user's request to be unbanned.
#[derive(Debug, Clone)]
pub(crate) struct UnbanAsk {
    pub id: String,
    pub channel: Name,
    pub login: Name,
    pub text: String,
    pub created_at: String,
    /// `pending`, `approved`, `denied` or `canceled`.
    pub status: &'static str,
    pub moderator: Option<Name>,
    pub resolution: Option<String>,
    pub resolved_at: Option<String>,
}

impl State {
    /// How `login` is treated in `channel` (`None`: not suspicious).
    pub fn suspicion(&self, channel: &str, login: &str) -> Option<&'static str> {
        self.watch
            .suspects
            .get(&(channel.into(), login.into()))
            .copied()
    }

    /// A suspicious user says something: it is in the channel's log, and the moderators'
    /// feed hears of it. Returns what was said and whether chat must not show it (restricted).
    pub fn suspicious_says(
        &mut self,
        now: Instant,
        channel: &str,
        login: &str,
        say: &Say,
    ) -> Option<(Said, bool)> {
        let status = self.suspicion(channel, login)?;
        let said = self.world.chat(now, channel, login, say)?;
        let mut event = self.user_fields("broadcaster_user", channel);
        event.extend(self.user_fields("user", login));
        event.insert("low_trust_status".into(), json!(status));
        event.insert("shared_ban_channel_ids".into(), Value::Null);
        event.insert("types".into(), json!(["ban_evader"]));
        event.insert("ban_evasion_evaluation".into(), json!("likely"));
        event.insert(
            "message".into(),
            json!({"message_id": said.id, "text": say.text, "fragments": [
                {"type": "text", "text": say.text, "cheermote": null, "emote": null}]}),
        );
        self.tell_channel("channel.suspicious_user.message", channel, event);
        Some((said, status == "restricted"))
    }

    /// `moderator` treats `login` in `channel` as `status` (`no_treatment` clears it); the
    /// moderators' feed hears who did it.
    pub fn treat(&mut self, channel: &str, moderator: &str, login: &str, status: &'static str) {
        let key = (Name::from(channel), Name::from(login));
        if status == "no_treatment" {
            self.watch.suspects.remove(&key);
        } else {
            self.watch.suspects.insert(key, status);
        }
        let mut event = self.user_fields("broadcaster_user", channel);
        event.extend(self.user_fields("moderator_user", moderator));
        event.extend(self.user_fields("user", login));
        event.insert("low_trust_status".into(), json!(status));
        self.tell_channel("channel.suspicious_user.update", channel, event);
    }

    /// `login`, banned in `channel`, asks to be unbanned.
    pub fn request_unban(&mut self, channel: &str, login: &str, text: &str) {
        self.watch.next_request += 1;
        let ask = UnbanAsk {
            id: format!("{}", 1000 + self.watch.next_request),
            channel: channel.into(),
            login: login.into(),
            text: text.to_owned(),
            created_at: rfc3339(SystemTime::now()),
            status: "pending",
            moderator: None,
            resolution: None,
            resolved_at: None,
        };
        let mut event = self.user_fields("broadcaster_user", channel);
        event.extend(self.user_fields("user", login));
        event.insert("id".into(), json!(ask.id));
        event.insert("text".into(), json!(ask.text));
        event.insert("created_at".into(), json!(ask.created_at));
        self.tell_channel("channel.unban_request.create", channel, event);
        self.watch.requests.push(ask);
    }

    /// `moderator` approves (unbanning the user) or denies request `index`, with a note; the
    /// feeds hear of it (`channel.unban_request.resolve` and `channel.moderate`). Returns the
    /// request as it is now.
    pub fn resolve_unban(
        &mut self,
        index: usize,
        moderator: &str,
        approve: bool,
        resolution: Option<String>,
    ) -> UnbanAsk {
        let ask = &mut self.watch.requests[index];
        ask.status = if approve { "approved" } else { "denied" };
        ask.moderator = Some(moderator.into());
        ask.resolution = resolution;
        ask.resolved_at = Some(rfc3339(SystemTime::now()));
        let ask = ask.clone();
        if approve {
            self.world.unban(&ask.channel, &ask.login);
        }
        let mut event = self.user_fields("broadcaster_user", &ask.channel);
        event.extend(self.user_fields("moderator_user", moderator));
        event.extend(self.user_fields("user", &ask.login));
        event.insert("id".into(), json!(ask.id));
        event.insert("resolution_text".into(), json!(ask.resolution));
        event.insert("status".into(), json!(ask.status));
        self.tell_channel("channel.unban_request.resolve", &ask.channel, event);
        let mut object = self.user_fields("user", &ask.login);
        object.insert("is_approved".into(), json!(approve));
        object.insert("moderator_message".into(), json!(ask.resolution));
        let action = if approve {
            "approve_unban_request"
        } else {
            "deny_unban_request"
        };
        self.moderated_object(&ask.channel, moderator, action, "unban_request", object);
        ask
    }

    /// `login` follows `channel` now; the moderators' feed hears it.
    pub fn follow(&mut self, channel: &str, login: &str) {
        let now = SystemTime::now();
        if let Some(chan) = self.world.channels.get_mut(channel) {
            chan.followers.insert(login.into(), now);
        }
        let mut event = self.user_fields("broadcaster_user", channel);
        event.extend(self.user_fields("user", login));
        event.insert("followed_at".into(), json!(rfc3339(now)));
        self.tell_channel("channel.follow", channel, event);
    }

    /// `moderator` warns `login` in `channel` for `reason`: the feeds hear it
    /// (`channel.warning.send`, `channel.moderate`), and a chatter that is not one of the
    /// accounts acknowledges it a few seconds later.
    pub fn warn(
        &mut self,
        channel: &str,
        moderator: &str,
        login: &str,
        reason: &str,
        now: Instant,
    ) {
        self.actions.warnings.push(super::Warned {
            channel: channel.into(),
            user: login.into(),
            by: moderator.into(),
            reason: reason.to_owned(),
        });
        let mut event = self.user_fields("broadcaster_user", channel);
        event.extend(self.user_fields("moderator_user", moderator));
        event.extend(self.user_fields("user", login));
        event.insert("reason".into(), json!(reason));
        event.insert("chat_rules_cited".into(), Value::Null);
        self.tell_channel("channel.warning.send", channel, event);
        let mut object = self.user_fields("user", login);
        object.insert("reason".into(), json!(reason));
        object.insert("chat_rules_cited".into(), Value::Null);
        self.moderated(channel, moderator, "warn", Value::Object(object));
        if !self.grants.values().any(|g| g.login == login) {
            let at = now + ACKNOWLEDGED_AFTER;
            self.watch.acks.push((channel.into(), login.into(), at));
        }
    }

    /// Warned chatters whose time came acknowledge their warning.
    pub fn acknowledge_due(&mut self, now: Instant) {
        let (due, kept) = std::mem::take(&mut self.watch.acks)
            .into_iter()
            .partition(|(_, _, at)| *at <= now);
        self.watch.acks = kept;
        for (channel, login, _) in due {
            let mut event = self.user_fields("broadcaster_user", &channel);
            event.extend(self.user_fields("user", &login));
            self.tell_channel("channel.warning.acknowledge", &channel, event);
        }
    }

    /// `moderator` turns Shield Mode on or off in `channel`: the feeds hear who.
    pub fn shield(&mut self, channel: &str, moderator: &str, on: bool) {
        if on {
            self.actions.shield.insert(channel.into());
        } else {
            self.actions.shield.remove(channel);
        }
        let mut event = self.user_fields("broadcaster_user", channel);
        event.extend(self.user_fields("moderator_user", moderator));
        let (kind, at) = match on {
            true => ("channel.shield_mode.begin", "started_at"),
            false => ("channel.shield_mode.end", "ended_at"),
        };
        event.insert(at.into(), json!(rfc3339(SystemTime::now())));
        self.tell_channel(kind, channel, event);
    }

    /// `from` whispers `text` to `to`; the recipient's feed hears it.
    pub fn whisper(&mut self, from: &str, to: &str, text: &str) {
        let mut event = self.user_fields("from_user", from);
        event.extend(self.user_fields("to_user", to));
        event.insert("whisper_id".into(), json!(self.eventsub.new_id("w")));
        event.insert("whisper".into(), json!({ "text": text }));
        let to_id = event["to_user_id"].as_str().unwrap_or_default().to_owned();
        let event = Value::Object(event);
        self.eventsub
            .notify("user.whisper.message", "user_id", &to_id, |_| event.clone());
    }
}

impl UnbanAsk {
    /// The request as Helix lists it.
    pub fn json(&self, state: &State) -> Value {
        let mut item = state.user_fields("broadcaster", &self.channel);
        match &self.moderator {
            Some(moderator) => item.extend(state.user_fields("moderator", moderator)),
            None => {
                for key in ["moderator_id", "moderator_login", "moderator_name"] {
                    item.insert(key.into(), Value::Null);
                }
            }
        }
        item.extend(state.user_fields("user", &self.login));
        item.insert("id".into(), json!(self.id));
        item.insert("text".into(), json!(self.text));
        item.insert("status".into(), json!(self.status));
        item.insert("created_at".into(), json!(self.created_at));
        item.insert("resolved_at".into(), json!(self.resolved_at));
        item.insert("resolution_text".into(), json!(self.resolution));
        Value::Object(item)
    }
}

/// Suspicious users the traffic brings: (login, display name, how they are treated).
const SUSPECTS: &[(&str, &str, &str)] = &[
    ("b4nned_again", "B4nned_Again", "active_monitoring"),
    ("sneaky_alt_42", "Sneaky_Alt_42", "restricted"),
];

/// Banned users who ask to be unbanned, and what they write.
const PLEAS: &[(&str, &str)] = &[
    (
        "toxic_tim",
        "i was having a bad day, sorry for what i said. can i come back?",
    ),
    (
        "spammer_sam",
        "my account got hacked and posted links, it wasn't me",
    ),
    (
        "rude_rita",
        "please unban me, i promise to follow the rules this time",
    ),
];

const SUSPECT_LINES: &[&str] = &[
    "hey chat, new here :)",
    "why does everyone keep banning me lol",
    "this streamer owes me money",
    "anyone want free followers? dm me",
];

/// Who whispers to the accounts: (login, display name).
const WHISPERERS: &[(&str, &str)] = &[("mia_plays", "Mia_Plays"), ("tea_time_tom", "TeaTimeTom")];

const WHISPERS: &[&str] = &[
    "hey, someone is spamming links in chat, can you check?",
    "thanks for modding today, you're the best",
    "are you around? the raid is coming in 5",
    "psst, the giveaway code is wrong on screen",
];

impl Traffic {
    /// The next watched event in `channel` (turn by turn: a whisper to each of `accounts`, a
    /// monitored user's message, an unban request, a restricted user's message), and a new
    /// follower each turn; the chat line it makes, if any.
    pub(crate) fn watched(
        &mut self,
        state: &mut State,
        now: Instant,
        channel: &str,
        turn: usize,
        accounts: &[String],
    ) -> Option<String> {
        let (follower, display, color) = self.chatter();
        state.world.add_user(&follower, Some(&display), color);
        state.follow(channel, &follower);
        match turn % 4 {
            0 => {
                // A couple of friends whisper, so conversations go on rather than multiply.
                let (from, display) = WHISPERERS[(turn / 4) % WHISPERERS.len()];
                state.world.add_user(from, Some(display), None);
                let text = self.pick(WHISPERS);
                for to in accounts {
                    state.whisper(from, to, text);
                }
                None
            }
            2 => {
                let (login, plea) = PLEAS[(turn / 4) % PLEAS.len()];
                state.world.add_user(login, None, None);
                state.world.ban(now, channel, login, None);
                state.request_unban(channel, login, plea);
                None
            }
            odd => {
                let (login, display, status) = SUSPECTS[odd / 2];
                state.world.add_user(login, Some(display), None);
                state
                    .watch
                    .suspects
                    .entry((channel.into(), login.into()))
                    .or_insert(status);
                let say = Say {
                    text: self.pick(SUSPECT_LINES).to_owned(),
                    ..Say::default()
                };
                let (said, restricted) = state.suspicious_says(now, channel, login, &say)?;
                (!restricted).then_some(said.broadcast)
            }
        }
    }
}

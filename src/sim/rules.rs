//! Twitch's server-side rules for a message from a real client, in the order Twitch applies
//! them, each refusal with the msg-id and sentence of the NOTICE Twitch sends.

use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::world::{EMOTES, World};

/// A refused message: the NOTICE's msg-id and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub msg_id: &'static str,
    pub text: String,
}

impl Refusal {
    fn new(msg_id: &'static str, text: impl Into<String>) -> Self {
        Refusal {
            msg_id,
            text: text.into(),
        }
    }
}

/// How long an identical message is refused as a duplicate.
const DUPLICATE_WINDOW: Duration = Duration::from_secs(30);

/// Whether `login` may say `text` in `channel` now.
pub fn check(
    world: &mut World,
    now: Instant,
    channel: &str,
    login: &str,
    text: &str,
) -> Result<(), Refusal> {
    match world.ban_state(now, channel, login) {
        Some(None) => {
            return Err(Refusal::new(
                "msg_banned",
                format!("You are permanently banned from talking in {channel}."),
            ));
        }
        Some(Some(left)) => {
            return Err(Refusal::new(
                "msg_timedout",
                format!(
                    "You are timed out for {} more seconds.",
                    left.as_secs().max(1)
                ),
            ));
        }
        None => {}
    }
    let Some(chan) = world.channels.get(channel) else {
        return Err(Refusal::new(
            "msg_room_not_found",
            "The room was not found.",
        ));
    };
    if world.role(chan, login).privileged() {
        return Ok(());
    }
    let modes = chan.modes;
    if modes.subs_only && !chan.subscribers.contains_key(login) {
        return Err(Refusal::new(
            "msg_subsonly",
            format!(
                "This room is in subscribers only mode. To talk, purchase a channel subscription at https://www.twitch.tv/products/{channel}/ticket?ref=subscriber_only_mode_chat."
            ),
        ));
    }
    if let Some(minutes) = modes.followers_only {
        let followed_for = chan
            .followers
            .get(login)
            .map(|since| SystemTime::now().duration_since(*since).unwrap_or_default());
        match followed_for {
            None if minutes == 0 => {
                return Err(Refusal::new(
                    "msg_followersonly_zero",
                    format!(
                        "This room is in followers-only mode. Follow {channel} to join the community!"
                    ),
                ));
            }
            None => {
                return Err(Refusal::new(
                    "msg_followersonly",
                    format!(
                        "This room is in {minutes} minutes followers-only mode. Follow {channel} to join the community!"
                    ),
                ));
            }
            Some(age) if age < Duration::from_secs(minutes * 60) => {
                return Err(Refusal::new(
                    "msg_followersonly_followed",
                    format!(
                        "This room is in {minutes} minutes followers-only mode. You have been following for {} minutes. Continue following to chat!",
                        age.as_secs() / 60
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    if modes.emote_only
        && !text
            .split_whitespace()
            .all(|word| EMOTES.iter().any(|e| e.code == word))
    {
        return Err(Refusal::new(
            "msg_emoteonly",
            "This room is in emote only mode. You can find your currently available emoticons using the smiley in the chat text area.",
        ));
    }
    if let Some((at, last)) = chan.last_said.get(login) {
        let since = now.saturating_duration_since(*at);
        let slow = Duration::from_secs(modes.slow_s);
        if since < slow {
            let left = (slow - since).as_secs_f64().ceil() as u64;
            return Err(Refusal::new(
                "msg_slowmode",
                format!(
                    "This room is in slow mode and you are sending messages too quickly. You will be able to talk again in {left} seconds."
                ),
            ));
        }
        if last == text && since < DUPLICATE_WINDOW {
            return Err(Refusal::new(
                "msg_duplicate",
                "Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.",
            ));
        }
    }
    if modes.unique_chat && chan.log.iter().any(|m| m.text == text) {
        return Err(Refusal::new(
            "msg_r9k",
            "This room is in r9k mode and the message you attempted to send is not unique.",
        ));
    }
    Ok(())
}

//! What the app asks Helix to do for a slash-command or a moderation key: [`run`] turns a
//! [`Call`] (plain data in `twitch::helix`, which the state builds and reads back) into the
//! right endpoint: ids resolved from logins (cached), `moderator_id` our own id, bodies as
//! Twitch documents them.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Helix, HelixError};
use crate::twitch::Login;

pub use crate::twitch::helix::{
    AnnounceColor, Call, Card, ChatSettings, Followed, PendingUnban, Reply, Treatment,
};

/// An unban request, as Get Unban Requests lists it.
#[derive(serde::Deserialize)]
struct Request {
    id: String,
    #[serde(default)]
    user_login: String,
    #[serde(default)]
    user_name: String,
    #[serde(default)]
    text: String,
}

/// The most waiting unban requests fetched for a channel.
const PENDING_UNBANS: usize = 200;

fn q(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn settings_body(change: &ChatSettings) -> Value {
    let mut body = serde_json::Map::new();
    if let Some(slow) = change.slow {
        body.insert("slow_mode".into(), json!(slow.is_some()));
        if let Some(seconds) = slow {
            body.insert("slow_mode_wait_time".into(), json!(seconds));
        }
    }
    if let Some(followers) = change.followers {
        body.insert("follower_mode".into(), json!(followers.is_some()));
        if let Some(minutes) = followers {
            body.insert("follower_mode_duration".into(), json!(minutes));
        }
    }
    for (key, value) in [
        ("subscriber_mode", change.subscribers),
        ("emote_mode", change.emote_only),
        ("unique_chat_mode", change.unique),
    ] {
        if let Some(on) = value {
            body.insert(key.into(), json!(on));
        }
    }
    Value::Object(body)
}

/// Runs `call` in `channel` as the token's user.
pub async fn run(helix: &Helix, channel: &Login, call: &Call) -> Result<Reply, HelixError> {
    let me = helix.me().await?.id;
    let b = helix.user_id(channel).await?;
    let mine = q(&[("broadcaster_id", &b), ("moderator_id", &me)]);
    let done = Ok(Reply::Done);
    match call {
        Call::Ban { user, reason } | Call::Timeout { user, reason, .. } => {
            let mut data = json!({ "user_id": helix.user_id(user).await?, "reason": reason });
            if let Call::Timeout { seconds, .. } = call {
                data["duration"] = json!(seconds);
            }
            let body = json!({ "data": data });
            helix
                .act(Method::POST, "moderation/bans", &mine, Some(body))
                .await?;
            done
        }
        Call::Unban { user } | Call::Untimeout { user } => {
            let mut query = mine;
            query.push(("user_id", helix.user_id(user).await?));
            helix
                .act(Method::DELETE, "moderation/bans", &query, None)
                .await?;
            done
        }
        Call::Delete { message_id } => {
            let mut query = mine;
            query.push(("message_id", message_id.clone()));
            helix
                .act(Method::DELETE, "moderation/chat", &query, None)
                .await?;
            done
        }
        Call::Clear => {
            helix
                .act(Method::DELETE, "moderation/chat", &mine, None)
                .await?;
            done
        }
        Call::Settings(change) => {
            let body = settings_body(change);
            helix
                .act(Method::PATCH, "chat/settings", &mine, Some(body))
                .await?;
            done
        }
        Call::Announce { message, color } => {
            let body = json!({ "message": message, "color": color.as_str() });
            helix
                .act(Method::POST, "chat/announcements", &mine, Some(body))
                .await?;
            done
        }
        Call::Shoutout { to } => {
            let to = helix.user_id(to).await?;
            let query = q(&[
                ("from_broadcaster_id", &b),
                ("to_broadcaster_id", &to),
                ("moderator_id", &me),
            ]);
            helix
                .act(Method::POST, "chat/shoutouts", &query, None)
                .await?;
            done
        }
        Call::Raid { to } => {
            let to = helix.user_id(to).await?;
            let query = q(&[("from_broadcaster_id", &b), ("to_broadcaster_id", &to)]);
            helix.act(Method::POST, "raids", &query, None).await?;
            done
        }
        Call::Unraid => {
            let query = q(&[("broadcaster_id", &b)]);
            helix.act(Method::DELETE, "raids", &query, None).await?;
            done
        }
        Call::Mod { user } | Call::Unmod { user } | Call::Vip { user } | Call::Unvip { user } => {
            let (method, path) = match call {
                Call::Mod { .. } => (Method::POST, "moderation/moderators"),
                Call::Unmod { .. } => (Method::DELETE, "moderation/moderators"),
                Call::Vip { .. } => (Method::POST, "channels/vips"),
                _ => (Method::DELETE, "channels/vips"),
            };
            let user = helix.user_id(user).await?;
            let query = q(&[("broadcaster_id", &b), ("user_id", &user)]);
            helix.act(method, path, &query, None).await?;
            done
        }
        Call::Mods | Call::Vips => {
            let path = if *call == Call::Mods {
                "moderation/moderators"
            } else {
                "channels/vips"
            };
            let (names, total) = helix
                .listed(path, &q(&[("broadcaster_id", &b)]), usize::MAX)
                .await?;
            let total = total.unwrap_or(names.len() as u64);
            Ok(Reply::Names { names, total })
        }
        Call::Chatters => {
            let (names, total) = helix.listed("chat/chatters", &mine, usize::MAX).await?;
            let total = total.unwrap_or(names.len() as u64);
            Ok(Reply::Names { names, total })
        }
        Call::Warn { user, reason } => {
            let body =
                json!({ "data": { "user_id": helix.user_id(user).await?, "reason": reason } });
            helix
                .act(Method::POST, "moderation/warnings", &mine, Some(body))
                .await?;
            done
        }
        Call::Shield { on } => {
            let body = json!({ "is_active": on });
            helix
                .act(Method::PUT, "moderation/shield_mode", &mine, Some(body))
                .await?;
            done
        }
        Call::Color { color } => {
            let query = q(&[("user_id", &me), ("color", color)]);
            helix.act(Method::PUT, "chat/color", &query, None).await?;
            done
        }
        Call::Automod {
            message_id, allow, ..
        } => {
            let body = json!({ "user_id": me, "msg_id": message_id,
                "action": if *allow { "ALLOW" } else { "DENY" } });
            helix
                .act(Method::POST, "moderation/automod/message", &[], Some(body))
                .await?;
            done
        }
        Call::ResolveUnban {
            user,
            approve,
            text,
        } => {
            let mut find = mine.clone();
            find.push(("user_id", helix.user_id(user).await?));
            find.push(("status", "pending".to_owned()));
            let pending: Vec<Request> = helix.get("moderation/unban_requests", &find).await?;
            let Some(request) = pending.into_iter().next() else {
                return Err(HelixError::Refused {
                    status: 404,
                    message: format!("{user} has no unban request waiting"),
                });
            };
            let mut query = mine;
            query.push(("unban_request_id", request.id));
            query.push((
                "status",
                if *approve { "approved" } else { "denied" }.into(),
            ));
            if !text.is_empty() {
                query.push(("resolution_text", text.clone()));
            }
            helix
                .act(Method::PATCH, "moderation/unban_requests", &query, None)
                .await?;
            done
        }
        Call::PendingUnbans => {
            let mut query = mine;
            query.push(("status", "pending".to_owned()));
            let (pending, _) = helix
                .get_all::<Request>("moderation/unban_requests", &query, PENDING_UNBANS)
                .await?;
            let pending = pending
                .into_iter()
                .filter_map(|r| {
                    Some(PendingUnban {
                        login: Login::parse(&r.user_login).ok()?,
                        id: r.id,
                        display: r.user_name,
                        text: r.text,
                    })
                })
                .collect();
            Ok(Reply::Unbans(pending))
        }
        Call::Suspicion { user, treatment } => {
            let user = helix.user_id(user).await?;
            match treatment {
                Treatment::None => {
                    let mut query = mine;
                    query.push(("user_id", user));
                    helix
                        .act(Method::DELETE, "moderation/suspicious_users", &query, None)
                        .await?;
                }
                Treatment::Monitored | Treatment::Restricted => {
                    let status = if *treatment == Treatment::Restricted {
                        "RESTRICTED"
                    } else {
                        "ACTIVE_MONITORING"
                    };
                    let body = json!({ "user_id": user, "status": status });
                    helix
                        .act(
                            Method::POST,
                            "moderation/suspicious_users",
                            &mine,
                            Some(body),
                        )
                        .await?;
                }
            }
            done
        }
        Call::Whisper { to, text } => {
            let to = helix.user_id(to).await?;
            let query = q(&[("from_user_id", &me), ("to_user_id", &to)]);
            let body = json!({ "message": text });
            helix
                .act(Method::POST, "whispers", &query, Some(body))
                .await?;
            done
        }
        Call::Card { user, follows } => {
            let info = helix.user(user).await?;
            let followed = if *follows {
                match helix.followed_at(&b, &info.user.id).await {
                    Ok(Some(at)) => Followed::Since(at),
                    Ok(None) => Followed::No,
                    Err(HelixError::Refused { .. }) => Followed::Unknown,
                    Err(e) => return Err(e),
                }
            } else {
                Followed::Unknown
            };
            Ok(Reply::Card(Card {
                id: info.user.id,
                login: info.user.login,
                display: info.user.display,
                created_at: info.created_at,
                followed,
            }))
        }
    }
}

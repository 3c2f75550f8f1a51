//! EventSub frames as Twitch documents them, and the example payloads of every subscription
//! type in the shared reference (`../shared/twitch-reference/eventsub/*.json`, where it is
//! checked out beside this repository, as in CI), read into typed events.

use serde_json::{Value, json};
use ttvchat::net::auth::SCOPES;
use ttvchat::twitch::eventsub::events::{HoldReason, ModAction, Treatment};
use ttvchat::twitch::eventsub::{Event, Feed, Frame, FrameError};

fn reference() -> Option<Vec<(String, Value)>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/twitch-reference/eventsub");
    let mut files: Vec<(String, Value)> = std::fs::read_dir(dir)
        .ok()?
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).expect("a JSON file"))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Some(files)
}

/// A notification frame around `payload`, as the WebSocket sends it.
fn notification(payload: &Value) -> String {
    let subscription = &payload["subscription"];
    json!({
        "metadata": {
            "message_id": "befa7b53-d79d-478f-86b9-120f112b044e",
            "message_type": "notification",
            "message_timestamp": "2026-11-14T19:03:40.464757833Z",
            "subscription_type": subscription["type"],
            "subscription_version": subscription["version"],
        },
        "payload": payload,
    })
    .to_string()
}

fn event_of(text: &str) -> Event {
    match Frame::parse(text) {
        Ok(Frame::Notification(n)) => n.event,
        other => panic!("not a notification: {other:?}"),
    }
}

#[test]
fn every_reference_payload_of_a_subscribed_feed_reads_as_its_typed_event() {
    let Some(files) = reference() else {
        return;
    };
    let mut seen = Vec::new();
    for (name, file) in &files {
        let payload = &file["payload"];
        let frame = Frame::parse(&notification(payload)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Frame::Notification(n) = frame else {
            panic!("{name}: not a notification");
        };
        assert_eq!(n.subscription.kind, *name);
        if let Some(feed) = n.subscription.feed() {
            seen.push(feed);
            assert!(
                !matches!(n.event, Event::Other { .. }),
                "{name}: a subscribed feed read as Other"
            );
            assert_eq!(feed.version(), n.subscription.version, "{name}");
        } else {
            assert!(matches!(n.event, Event::Other { .. }), "{name}");
        }
        // Every variant the reference lists reads too.
        if let Some(variants) = file["_meta"]["variants"].as_object() {
            for (variant, fields) in variants {
                let fields = fields.as_object().unwrap();
                // A fragment, not event fields.
                if fields.contains_key("type") {
                    continue;
                }
                let mut payload = payload.clone();
                if name == "channel.moderate" {
                    payload["event"]["timeout"] = Value::Null;
                }
                for (k, v) in fields.iter().filter(|(k, _)| *k != "_note") {
                    payload["event"][k] = v.clone();
                }
                let event = event_of(&notification(&payload));
                let names_a_user = fields
                    .values()
                    .any(|v| v.get("user_id").is_some_and(Value::is_string));
                if let Event::Moderate(m) = &event {
                    assert_eq!(m.action.target().is_some(), names_a_user, "{variant}");
                }
            }
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen,
        Feed::ALL.to_vec(),
        "every feed has a reference payload"
    );
}

#[test]
fn held_messages_carry_automod_s_category_or_the_blocked_term_itself() {
    let Some(files) = reference() else {
        return;
    };
    let (_, hold) = files
        .iter()
        .find(|(n, _)| n == "automod.message.hold")
        .unwrap();
    let Event::AutomodHold(held) = event_of(&notification(&hold["payload"])) else {
        panic!("not a hold");
    };
    assert_eq!(held.user.login.as_str(), "pixel_pilgrim");
    assert_eq!(held.text, "this run is so bad LUL");
    assert_eq!(
        held.reason,
        HoldReason::Automod {
            category: "aggressive".into(),
            level: 2
        }
    );
    let mut blocked = hold["payload"].clone();
    for (k, v) in hold["_meta"]["variants"]["reason=blocked_term"]
        .as_object()
        .unwrap()
    {
        blocked["event"][k] = v.clone();
    }
    let Event::AutomodHold(held) = event_of(&notification(&blocked)) else {
        panic!("not a hold");
    };
    assert_eq!(
        held.reason,
        HoldReason::BlockedTerm {
            terms: vec!["blockedterm".into()]
        }
    );
}

#[test]
fn a_mod_action_names_moderator_target_and_reason_and_shared_chat_keeps_its_source() {
    let Some(files) = reference() else {
        return;
    };
    let (_, moderate) = files.iter().find(|(n, _)| n == "channel.moderate").unwrap();
    let Event::Moderate(m) = event_of(&notification(&moderate["payload"])) else {
        panic!("not a mod action");
    };
    assert_eq!(m.moderator.login.as_str(), "quotrok");
    assert_eq!(m.source, None);
    let ModAction::Timeout { user, reason, .. } = &m.action else {
        panic!("not a timeout: {:?}", m.action);
    };
    assert_eq!(
        (user.login.as_str(), reason.as_deref()),
        ("pixel_pilgrim", Some("spam"))
    );

    let mut shared = moderate["payload"].clone();
    shared["event"]["timeout"] = Value::Null;
    for (k, v) in moderate["_meta"]["variants"]["shared_chat_ban"]
        .as_object()
        .unwrap()
    {
        shared["event"][k] = v.clone();
    }
    let Event::Moderate(m) = event_of(&notification(&shared)) else {
        panic!("not a mod action");
    };
    assert_eq!(m.source.unwrap().login.as_str(), "testaccount_420");
    // An empty reason is no reason.
    assert!(matches!(m.action, ModAction::Ban { reason: None, .. }));
}

#[test]
fn suspicious_users_read_monitored_from_either_spelling() {
    let frame = |status: &str| {
        json!({"metadata": {"message_id": "1", "message_type": "notification",
            "message_timestamp": "2026-11-14T19:03:40.1Z",
            "subscription_type": "channel.suspicious_user.update", "subscription_version": "1"},
          "payload": {"subscription": {"id": "s", "status": "enabled",
              "type": "channel.suspicious_user.update", "version": "1", "cost": 0,
              "condition": {"broadcaster_user_id": "1", "moderator_user_id": "2"},
              "transport": {"method": "websocket", "session_id": "x"},
              "created_at": "2026-11-14T19:03:40.1Z"},
            "event": {"broadcaster_user_id": "1", "broadcaster_user_login": "b", "broadcaster_user_name": "B",
              "moderator_user_id": "2", "moderator_user_login": "m", "moderator_user_name": "M",
              "user_id": "3", "user_login": "u", "user_name": "U", "low_trust_status": status}}})
        .to_string()
    };
    for (status, treatment) in [
        ("active_monitoring", Treatment::Monitored),
        ("monitored", Treatment::Monitored),
        ("restricted", Treatment::Restricted),
        ("none", Treatment::None),
    ] {
        let Event::SuspiciousUpdate(u) = event_of(&frame(status)) else {
            panic!("not an update");
        };
        assert_eq!(u.treatment, treatment, "{status}");
    }
}

#[test]
fn session_frames_read_as_documented() {
    let welcome = r#"{"metadata":{"message_id":"96a3f3b5","message_type":"session_welcome","message_timestamp":"2026-11-14T19:02:10.134234626Z"},
        "payload":{"session":{"id":"AgoQ3lw","status":"connected","connected_at":"2026-11-14T19:02:10.102345678Z","keepalive_timeout_seconds":10,"reconnect_url":null,"recovery_url":null}}}"#;
    let Ok(Frame::Welcome(session)) = Frame::parse(welcome) else {
        panic!("not a welcome");
    };
    assert_eq!(session.id, "AgoQ3lw");
    assert_eq!(session.keepalive_timeout_seconds, Some(10));
    assert_eq!(session.reconnect_url, None);

    let reconnect = r#"{"metadata":{"message_id":"84c1","message_type":"session_reconnect","message_timestamp":"2026-11-14T21:10:11.634234626Z"},
        "payload":{"session":{"id":"AgoQ3lw","status":"reconnecting","keepalive_timeout_seconds":null,
        "reconnect_url":"wss://cell-a.eventsub.wss.twitch.tv/ws?challenge=a47&id=AgoQ3lw","connected_at":"2026-11-14T19:02:10.102345678Z"}}}"#;
    let Ok(Frame::Reconnect(session)) = Frame::parse(reconnect) else {
        panic!("not a reconnect");
    };
    assert_eq!(session.keepalive_timeout_seconds, None);
    assert_eq!(
        session.reconnect_url.as_deref(),
        Some("wss://cell-a.eventsub.wss.twitch.tv/ws?challenge=a47&id=AgoQ3lw")
    );

    let keepalive = r#"{"metadata":{"message_id":"84c1e79a","message_type":"session_keepalive","message_timestamp":"2026-11-14T19:02:20.134567812Z"},"payload":{}}"#;
    assert_eq!(
        Frame::parse(keepalive),
        Ok(Frame::Keepalive {
            message_id: "84c1e79a".into()
        })
    );

    let revocation = r#"{"metadata":{"message_id":"d1e2","message_type":"revocation","message_timestamp":"2026-11-14T22:00:00.464757833Z","subscription_type":"channel.moderate","subscription_version":"2"},
        "payload":{"subscription":{"id":"7297","status":"authorization_revoked","type":"channel.moderate","version":"2","cost":0,
        "condition":{"broadcaster_user_id":"141981764","moderator_user_id":"424596340"},
        "transport":{"method":"websocket","session_id":"AgoQ3lw"},"created_at":"2026-11-14T19:02:11.734561293Z"}}}"#;
    let Ok(Frame::Revocation { subscription, .. }) = Frame::parse(revocation) else {
        panic!("not a revocation");
    };
    assert_eq!(subscription.feed(), Some(Feed::Moderate));
    assert_eq!(subscription.status, "authorization_revoked");
}

#[test]
fn frames_that_are_not_eventsub_are_errors_that_say_what_is_wrong() {
    assert!(matches!(
        Frame::parse("PING :tmi"),
        Err(FrameError::Json(_))
    ));
    assert_eq!(
        Frame::parse(
            r#"{"metadata":{"message_id":"1","message_type":"party","message_timestamp":"x"},"payload":{}}"#
        ),
        Err(FrameError::UnknownType("party".into()))
    );
    assert_eq!(
        Frame::parse(r#"{"metadata":{"message_type":"session_keepalive"},"payload":{}}"#),
        Err(FrameError::Missing("metadata.message_id".into()))
    );
}

#[test]
fn the_login_asks_for_every_scope_the_feeds_need() {
    let granted: Vec<String> = SCOPES.iter().map(|s| (*s).to_owned()).collect();
    for feed in Feed::ALL {
        assert_eq!(feed.missing_scope(&granted), None, "{}", feed.kind());
    }
    assert_eq!(
        Feed::AutomodHold.missing_scope(&["chat:read".to_owned()]),
        Some("moderator:manage:automod")
    );
}

#[test]
fn a_moderator_wants_every_channel_feed_and_a_chatter_only_their_own_held_messages() {
    let moderator: Vec<Feed> = Feed::for_channel(true).collect();
    assert_eq!(moderator.len(), 14);
    assert!(!moderator.contains(&Feed::Whisper));
    let chatter: Vec<Feed> = Feed::for_channel(false).collect();
    assert_eq!(chatter, [Feed::UserMessageHold, Feed::UserMessageUpdate]);
    let condition = Feed::AutomodHold.condition("1", "2");
    assert_eq!(
        serde_json::to_value(&condition).unwrap(),
        json!({"broadcaster_user_id": "1", "moderator_user_id": "2"})
    );
    assert_eq!(
        serde_json::to_value(Feed::Whisper.condition("1", "2")).unwrap(),
        json!({"user_id": "2"})
    );
}

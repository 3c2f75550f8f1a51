//! The EventSub driver against the simulator over real sockets and Helix: it subscribes what the
//! login's scopes allow, names what they do not, delivers notifications, and deletes a channel's
//! subscriptions when the channel is left.

use crate::common;

use std::time::Duration;

use common::*;
use tokio::sync::mpsc;
use ttvchat::net::eventsub::EventSubHandle;
use ttvchat::net::eventsub::session::EventSubConfig;
use ttvchat::sim::{Fault, SIM_CLIENT_ID, SimHandle};
use ttvchat::twitch::eventsub::{Event, Feed, FeedEvent, SocketEnd, Unavailable};

const MOD_SCOPES: &[&str] = &[
    "chat:read",
    "chat:edit",
    "moderator:manage:banned_users",
    "moderator:manage:chat_messages",
    "moderator:read:chat_settings",
    "moderator:manage:automod",
    "user:read:whispers",
];

async fn next_event(events: &mut mpsc::Receiver<FeedEvent>) -> FeedEvent {
    tokio::time::timeout(Duration::from_secs(5), events.recv())
        .await
        .expect("an event in time")
        .expect("the driver runs")
}

/// The mod's enabled subscriptions as the simulator lists them.
async fn listed(sim: &SimHandle) -> Vec<serde_json::Value> {
    let listed: serde_json::Value = ttvchat::net::helix::http_client()
        .unwrap()
        .get(format!(
            "{}/eventsub/subscriptions?status=enabled",
            sim.helix_url()
        ))
        .bearer_auth(sim.token("mod_user").unwrap())
        .header("Client-Id", SIM_CLIENT_ID)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    listed["data"].as_array().unwrap().clone()
}

/// The mod's enabled subscriptions: (type, broadcaster).
async fn enabled(sim: &SimHandle) -> Vec<(String, String)> {
    let mut subs: Vec<(String, String)> = listed(sim)
        .await
        .iter()
        .map(|s| {
            (
                s["type"].as_str().unwrap().to_owned(),
                s["condition"]["broadcaster_user_id"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            )
        })
        .collect();
    subs.sort();
    subs
}

#[tokio::test]
async fn a_moderator_s_feeds_are_subscribed_within_the_scopes_and_a_whisper_arrives() {
    let sim = start_sim().await;
    let me = sim.user_id("mod_user").unwrap().to_string();
    let streamer = sim.user_id("streamer").unwrap().to_string();
    let config = EventSubConfig::new(
        sim.eventsub_url(),
        &me,
        MOD_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
    );
    let (handle, mut events) = EventSubHandle::spawn(config, helix_for(&sim, "mod_user"));
    handle.watch(login("streamer"), streamer.clone(), true);

    let mut missing: Vec<Feed> = Vec::new();
    loop {
        let e = next_event(&mut events).await;
        eprintln!("then: {e:?}");
        match e {
            FeedEvent::Connected => break,
            FeedEvent::Unavailable {
                channel,
                feeds,
                reason: Unavailable::MissingScope(_),
            } => {
                assert_eq!(channel, Some(login("streamer")));
                missing.extend(feeds);
            }
            other => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(missing.len(), 12, "{missing:?}");
    assert!(!missing.contains(&Feed::AutomodHold));
    // Every request is answered before the subscriptions are listed.
    for _ in 0..100 {
        if enabled(&sim).await.len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        enabled(&sim).await,
        [
            ("automod.message.hold".to_owned(), streamer.clone()),
            ("automod.message.update".to_owned(), streamer.clone()),
            ("user.whisper.message".to_owned(), String::new()),
        ]
    );

    let sent = ttvchat::net::helix::http_client()
        .unwrap()
        .post(format!(
            "{}/whispers?from_user_id={streamer}&to_user_id={me}",
            sim.helix_url()
        ))
        .bearer_auth(sim.token("streamer").unwrap())
        .header("Client-Id", SIM_CLIENT_ID)
        .json(&serde_json::json!({"message": "are you there?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 204);
    let FeedEvent::Notification(n) = next_event(&mut events).await else {
        panic!("no notification");
    };
    let Event::Whisper(whisper) = n.event else {
        panic!("not a whisper: {:?}", n.event);
    };
    assert_eq!(
        (whisper.from.login.as_str(), whisper.text.as_str()),
        ("streamer", "are you there?")
    );

    handle.unwatch(login("streamer"));
    for _ in 0..100 {
        if enabled(&sim).await.len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        enabled(&sim).await,
        [("user.whisper.message".to_owned(), String::new())]
    );
    drop(handle);
    for _ in 0..100 {
        if enabled(&sim).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        enabled(&sim).await.is_empty(),
        "closing the socket disables the rest"
    );
}

/// The mod's feeds over the driver, connected, with fast retries; `query` goes on the URL.
async fn connected(sim: &SimHandle, query: &str) -> (EventSubHandle, mpsc::Receiver<FeedEvent>) {
    let me = sim.user_id("mod_user").unwrap().to_string();
    let mut config = EventSubConfig::new(
        format!("{}{query}", sim.eventsub_url()),
        &me,
        MOD_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
    );
    config.backoff.initial = Duration::from_millis(100);
    config.keepalive_grace = Duration::from_millis(500);
    let (handle, mut events) = EventSubHandle::spawn(config, helix_for(sim, "mod_user"));
    assert_eq!(next_event(&mut events).await, FeedEvent::Connected);
    (handle, events)
}

async fn whisper(sim: &SimHandle, text: &str) {
    let (from, to) = (
        sim.user_id("streamer").unwrap(),
        sim.user_id("mod_user").unwrap(),
    );
    let sent = ttvchat::net::helix::http_client()
        .unwrap()
        .post(format!(
            "{}/whispers?from_user_id={from}&to_user_id={to}",
            sim.helix_url()
        ))
        .bearer_auth(sim.token("streamer").unwrap())
        .header("Client-Id", SIM_CLIENT_ID)
        .json(&serde_json::json!({ "message": text }))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 204);
}

async fn whispered(events: &mut mpsc::Receiver<FeedEvent>) -> String {
    loop {
        if let FeedEvent::Notification(n) = next_event(events).await
            && let Event::Whisper(w) = n.event
        {
            return w.text;
        }
    }
}

/// The session ids of the mod's enabled subscriptions.
async fn sessions(sim: &SimHandle) -> Vec<String> {
    let listed = listed(sim).await;
    let session = |s: &serde_json::Value| s["transport"]["session_id"].as_str().unwrap().to_owned();
    listed.iter().map(session).collect()
}

#[tokio::test]
async fn a_reconnect_request_hands_over_without_an_outage_or_a_new_subscription() {
    let sim = start_sim().await;
    let (_handle, mut events) = connected(&sim, "").await;
    let before = sessions(&sim).await;
    assert_eq!(before.len(), 1);
    sim.fault(Fault::EventSubReconnect);
    let mut after = before.clone();
    for _ in 0..100 {
        after = sessions(&sim).await;
        if after != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(after.len(), 1, "moved, not made again");
    assert_ne!(after, before, "on the new socket's session");
    whisper(&sim, "after the handover").await;
    assert_eq!(whispered(&mut events).await, "after the handover");
    // No outage was told, and the old socket closed before Twitch's 4004.
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn every_close_code_reconnects_and_subscribes_again() {
    let sim = start_sim().await;
    let (_handle, mut events) = connected(&sim, "").await;
    for code in [4000u16, 4005, 4006, 4007] {
        let before = sessions(&sim).await;
        sim.fault(Fault::EventSubClose(code));
        let FeedEvent::Disconnected { reason, .. } = next_event(&mut events).await else {
            panic!("{code}: no outage told");
        };
        assert_eq!(reason, SocketEnd::Code(code));
        assert_eq!(
            next_event(&mut events).await,
            FeedEvent::Connected,
            "{code}"
        );
        let after = sessions(&sim).await;
        assert_eq!(after.len(), 1);
        assert_ne!(after, before, "{code}: subscribed again on a new session");
    }
    whisper(&sim, "still here").await;
    assert_eq!(whispered(&mut events).await, "still here");
}

#[tokio::test]
async fn silence_past_the_keepalive_is_noticed_and_the_feeds_come_back() {
    let sim = start_sim_with(|c| c.eventsub_keepalive_floor = 1).await;
    let (_handle, mut events) = connected(&sim, "?keepalive_timeout_seconds=1").await;
    sim.fault(Fault::EventSubSilence(Duration::from_millis(1600)));
    let FeedEvent::Disconnected { reason, .. } = next_event(&mut events).await else {
        panic!("silence went unnoticed");
    };
    assert_eq!(reason, SocketEnd::Silent(Duration::from_millis(1500)));
    assert_eq!(next_event(&mut events).await, FeedEvent::Connected);
    // Once Twitch speaks again, notifications flow (whatever reconnects happened meanwhile).
    tokio::time::sleep(Duration::from_secs(2)).await;
    whisper(&sim, "heard again").await;
    assert_eq!(whispered(&mut events).await, "heard again");
}

#[tokio::test]
async fn a_revoked_feed_is_named_with_why() {
    let sim = start_sim().await;
    let (_handle, mut events) = connected(&sim, "").await;
    sim.fault(Fault::EventSubRevoke);
    assert_eq!(
        next_event(&mut events).await,
        FeedEvent::Unavailable {
            channel: None,
            feeds: vec![Feed::Whisper],
            reason: Unavailable::Revoked("authorization_revoked".into()),
        }
    );
    assert!(sessions(&sim).await.is_empty());
}

#[tokio::test]
async fn a_subscription_twitch_still_holds_for_an_ended_session_is_replaced_not_trusted() {
    let sim = start_sim().await;
    // Another socket still holds the whisper subscription (as an ended session's may, for a
    // moment, when the app reconnects faster than Twitch notices).
    let (mut stale, _) = tokio_tungstenite::connect_async(sim.eventsub_url())
        .await
        .unwrap();
    use futures_util::StreamExt;
    let welcome = stale.next().await.unwrap().unwrap().into_text().unwrap();
    let welcome: serde_json::Value = serde_json::from_str(&welcome).unwrap();
    let session = welcome["payload"]["session"]["id"].as_str().unwrap();
    let me = sim.user_id("mod_user").unwrap().to_string();
    let created = ttvchat::net::helix::http_client()
        .unwrap()
        .post(format!("{}/eventsub/subscriptions", sim.helix_url()))
        .bearer_auth(sim.token("mod_user").unwrap())
        .header("Client-Id", SIM_CLIENT_ID)
        .json(
            &serde_json::json!({"type": "user.whisper.message", "version": "1",
            "condition": {"user_id": me},
            "transport": {"method": "websocket", "session_id": session}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 202);
    let (_handle, mut events) = connected(&sim, "").await;
    let now = sessions(&sim).await;
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now[0], session, "the driver's own session holds it now");
    whisper(&sim, "to the live socket").await;
    assert_eq!(whispered(&mut events).await, "to the live socket");
    drop(stale);
}

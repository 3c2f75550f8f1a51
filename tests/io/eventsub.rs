//! The EventSub driver against the simulator over real sockets and Helix: it subscribes what the
//! login's scopes allow, names what they do not, delivers notifications, and deletes a channel's
//! subscriptions when the channel is left.

use crate::common;

use std::time::Duration;

use common::*;
use tokio::sync::mpsc;
use ttvchat::net::eventsub::EventSubHandle;
use ttvchat::net::eventsub::session::EventSubConfig;
use ttvchat::sim::{SIM_CLIENT_ID, SimHandle};
use ttvchat::twitch::eventsub::{Event, Feed, FeedEvent, Unavailable};

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

/// The mod's enabled subscriptions as the simulator lists them: (type, broadcaster).
async fn enabled(sim: &SimHandle) -> Vec<(String, String)> {
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
    let mut subs: Vec<(String, String)> = listed["data"]
        .as_array()
        .unwrap()
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
        match next_event(&mut events).await {
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

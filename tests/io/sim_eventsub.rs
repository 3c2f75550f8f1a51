//! The simulator's EventSub as any client sees it: the welcome's documented fields, keepalive
//! clamping, 4003 for an unused socket and 4001 for a client that talks, and the Helix
//! subscription endpoints with Twitch's checks and error texts; a whisper sent through Helix
//! arrives as a `user.whisper.message` notification.

use crate::common;

use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use ttvchat::sim::{SIM_CLIENT_ID, SimHandle};
use ttvchat::twitch::eventsub::{Event, Frame};

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub(crate) async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame in time")
            .expect("the socket is open")
            .expect("a frame");
        if let Message::Text(text) = frame {
            return serde_json::from_str(&text).expect("JSON");
        }
    }
}

/// Connects and returns the socket and its session id.
pub(crate) async fn connect(sim: &SimHandle, query: &str) -> (Ws, Value) {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{}{query}", sim.eventsub_url()))
        .await
        .unwrap();
    let welcome = next_json(&mut ws).await;
    (ws, welcome)
}

async fn close_code(ws: &mut Ws) -> Option<u16> {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| f.code.into()),
            Ok(Some(Ok(_))) => {}
            _ => return None,
        }
    }
}

pub(crate) async fn helix(
    sim: &SimHandle,
    account: &str,
    method: reqwest::Method,
    query: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let http = ttvchat::net::helix::http_client().unwrap();
    let url = format!("{}/eventsub/subscriptions{query}", sim.helix_url());
    let mut request = http
        .request(method, url)
        .header(
            "Authorization",
            format!("Bearer {}", sim.token(account).unwrap()),
        )
        .header("Client-Id", SIM_CLIENT_ID);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) fn user_id(sim: &SimHandle, login: &str) -> String {
    sim.user_id(login).expect("a scenario user").to_string()
}

fn hold(sim: &SimHandle, session: &str) -> Value {
    json!({"type": "automod.message.hold", "version": "2",
        "condition": {"broadcaster_user_id": user_id(sim, "streamer"),
            "moderator_user_id": user_id(sim, "mod_user")},
        "transport": {"method": "websocket", "session_id": session}})
}

#[tokio::test]
async fn the_welcome_has_twitch_s_fields_and_the_keepalive_is_clamped() {
    let sim = start_sim().await;
    let (_ws, welcome) = connect(&sim, "?keepalive_timeout_seconds=3").await;
    assert_eq!(welcome["metadata"]["message_type"], "session_welcome");
    assert!(welcome["metadata"]["message_id"].is_string());
    let stamp = welcome["metadata"]["message_timestamp"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
        "{stamp}"
    );
    let session = &welcome["payload"]["session"];
    assert_eq!(session["status"], "connected");
    assert_eq!(
        session["keepalive_timeout_seconds"], 10,
        "3 is clamped to 10"
    );
    assert!(session["reconnect_url"].is_null());
    assert!(session["connected_at"].is_string());
    assert!(matches!(
        Frame::parse(&welcome.to_string()),
        Ok(Frame::Welcome(_))
    ));
    let (_ws, welcome) = connect(&sim, "?keepalive_timeout_seconds=9000").await;
    assert_eq!(
        welcome["payload"]["session"]["keepalive_timeout_seconds"],
        600
    );
}

#[tokio::test]
async fn an_unused_socket_is_closed_with_4003_and_a_talking_client_with_4001() {
    let sim = start_sim_with(|c| c.eventsub_keepalive_floor = 1).await;
    let (mut ws, _) = connect(&sim, "?keepalive_timeout_seconds=1").await;
    assert_eq!(close_code(&mut ws).await, Some(4003));
    let (mut ws, _) = connect(&sim, "").await;
    ws.send(Message::text("hello")).await.unwrap();
    assert_eq!(close_code(&mut ws).await, Some(4001));
}

#[tokio::test]
async fn a_used_socket_gets_keepalives_and_stays() {
    let sim = start_sim_with(|c| c.eventsub_keepalive_floor = 1).await;
    let (mut ws, welcome) = connect(&sim, "?keepalive_timeout_seconds=1").await;
    let session = welcome["payload"]["session"]["id"].as_str().unwrap();
    let (status, _) = helix(
        &sim,
        "mod_user",
        reqwest::Method::POST,
        "",
        Some(hold(&sim, session)),
    )
    .await;
    assert_eq!(status, 202);
    let keepalive = next_json(&mut ws).await;
    assert_eq!(keepalive["metadata"]["message_type"], "session_keepalive");
    assert_eq!(keepalive["payload"], json!({}));
}

#[tokio::test]
async fn subscriptions_are_checked_as_twitch_checks_them() {
    let sim = start_sim().await;
    let (ws, welcome) = connect(&sim, "").await;
    let session = welcome["payload"]["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = |account: &'static str, body: Value| {
        let sim = &sim;
        async move { helix(sim, account, reqwest::Method::POST, "", Some(body)).await }
    };

    let (status, created) = post("mod_user", hold(&sim, &session)).await;
    assert_eq!(status, 202);
    let sub = &created["data"][0];
    assert_eq!(sub["status"], "enabled");
    assert_eq!(sub["type"], "automod.message.hold");
    assert_eq!(sub["transport"]["session_id"], session.as_str());
    assert_eq!(sub["cost"], 0);
    assert_eq!(created["max_total_cost"], 10);
    let id = sub["id"].as_str().unwrap().to_owned();

    let (status, body) = post("mod_user", hold(&sim, &session)).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (409, Some("subscription already exists"))
    );

    // A viewer is not a moderator, and the condition names someone else.
    let (status, _) = post("viewer", hold(&sim, &session)).await;
    assert_eq!(status, 403);
    // The scope is the type's: mod_user may not read warnings.
    let mut warnings = hold(&sim, &session);
    warnings["type"] = json!("channel.warning.send");
    warnings["version"] = json!("1");
    let (status, _) = post("mod_user", warnings).await;
    assert_eq!(status, 403);

    let mut unknown = hold(&sim, &session);
    unknown["version"] = json!("9");
    assert_eq!(post("mod_user", unknown).await.0, 400);
    let (status, body) = post("mod_user", hold(&sim, "no-such-session")).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "websocket transport session does not exist or has already disconnected"
    );

    let (status, listed) = helix(&sim, "mod_user", reqwest::Method::GET, "", None).await;
    assert_eq!(status, 200);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["data"][0]["id"], id.as_str());
    let (status, _) = helix(
        &sim,
        "mod_user",
        reqwest::Method::GET,
        "?status=enabled&type=x",
        None,
    )
    .await;
    assert_eq!(status, 400, "one filter at a time");

    // Closing the socket disables its subscriptions; they stay listed.
    drop(ws);
    let mut disabled = Value::Null;
    for _ in 0..50 {
        let (_, listed) = helix(&sim, "mod_user", reqwest::Method::GET, "", None).await;
        disabled = listed["data"][0].clone();
        if disabled["status"] != "enabled" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(disabled["status"], "websocket_disconnected");
    assert!(disabled["transport"]["disconnected_at"].is_string());

    let query = format!("?id={id}");
    assert_eq!(
        helix(&sim, "mod_user", reqwest::Method::DELETE, &query, None)
            .await
            .0,
        204
    );
    assert_eq!(
        helix(&sim, "mod_user", reqwest::Method::DELETE, &query, None)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_whisper_sent_through_helix_arrives_as_a_notification() {
    let sim = start_sim().await;
    let (mut ws, welcome) = connect(&sim, "").await;
    let session = welcome["payload"]["session"]["id"].as_str().unwrap();
    let to = user_id(&sim, "mod_user");
    let subscribe = json!({"type": "user.whisper.message", "version": "1",
        "condition": {"user_id": to},
        "transport": {"method": "websocket", "session_id": session}});
    let (status, _) = helix(&sim, "mod_user", reqwest::Method::POST, "", Some(subscribe)).await;
    assert_eq!(status, 202);
    let http = ttvchat::net::helix::http_client().unwrap();
    let from = user_id(&sim, "streamer");
    let sent = http
        .post(format!(
            "{}/whispers?from_user_id={from}&to_user_id={to}",
            sim.helix_url()
        ))
        .header(
            "Authorization",
            format!("Bearer {}", sim.token("streamer").unwrap()),
        )
        .header("Client-Id", SIM_CLIENT_ID)
        .json(&json!({"message": "psst, one word"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 204);
    let frame = next_json(&mut ws).await;
    assert_eq!(frame["metadata"]["message_type"], "notification");
    assert_eq!(
        frame["metadata"]["subscription_type"],
        "user.whisper.message"
    );
    let Ok(Frame::Notification(n)) = Frame::parse(&frame.to_string()) else {
        panic!("not a notification: {frame}");
    };
    let Event::Whisper(whisper) = n.event else {
        panic!("not a whisper");
    };
    assert_eq!(whisper.from.login.as_str(), "streamer");
    assert_eq!(whisper.to.login.as_str(), "mod_user");
    assert_eq!(whisper.text, "psst, one word");
}

/// Subscribes `account` on `session` to `kind` (version `version`) in #streamer.
pub(crate) async fn subscribe(
    sim: &SimHandle,
    account: &'static str,
    session: &str,
    kind: &str,
    version: &str,
) {
    let body = json!({"type": kind, "version": version,
        "condition": {"broadcaster_user_id": user_id(sim, "streamer"),
            "moderator_user_id": user_id(sim, account)},
        "transport": {"method": "websocket", "session_id": session}});
    let (status, answer) = helix(sim, account, reqwest::Method::POST, "", Some(body)).await;
    assert_eq!(status, 202, "{kind} v{version}: {answer}");
}

pub(crate) async fn notification(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let frame = next_json(ws).await;
        if frame["metadata"]["subscription_type"] == kind {
            return frame;
        }
    }
}

async fn decide(sim: &SimHandle, account: &str, id: &str, action: &str) -> u16 {
    ttvchat::net::helix::http_client()
        .unwrap()
        .post(format!("{}/moderation/automod/message", sim.helix_url()))
        .bearer_auth(sim.token(account).unwrap())
        .header("Client-Id", SIM_CLIENT_ID)
        .json(&json!({"user_id": user_id(sim, account), "msg_id": id, "action": action}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn automod_holds_come_in_each_subscriber_s_version_and_allowing_puts_the_message_in_chat() {
    let sim = start_sim_with(|c| {
        let scenario = SCENARIO.replace(
            "name = \"streamer\"\n",
            "name = \"streamer\"\nautomod_every = \"300ms\"\n",
        );
        c.scenario = ttvchat::sim::Scenario::parse(&scenario, "test").unwrap();
    })
    .await;
    let mut chat = crate::raw::Raw::login(&sim, "viewer", sim.token("viewer")).await;
    chat.join("streamer").await;
    let (mut v2, welcome) = connect(&sim, "").await;
    let session = welcome["payload"]["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    subscribe(&sim, "mod_user", &session, "automod.message.hold", "2").await;
    subscribe(&sim, "mod_user", &session, "automod.message.update", "2").await;
    let (mut v1, welcome) = connect(&sim, "").await;
    let old = welcome["payload"]["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    subscribe(&sim, "mod_user", &old, "automod.message.hold", "1").await;

    let held = notification(&mut v2, "automod.message.hold").await;
    let event = &held["payload"]["event"];
    assert_eq!(held["metadata"]["subscription_version"], "2");
    assert!(event["message"]["text"].is_string());
    assert_eq!(event["reason"], "automod");
    assert!(event["automod"]["level"].is_u64());
    assert!(event["blocked_term"].is_null());
    let held_v1 = notification(&mut v1, "automod.message.hold").await;
    let event_v1 = &held_v1["payload"]["event"];
    assert!(
        event_v1["message"].is_string(),
        "v1 has a flat message: {event_v1}"
    );
    assert!(event_v1["category"].is_string() && event_v1["level"].is_u64());
    for frame in [&held, &held_v1] {
        let Ok(Frame::Notification(n)) = Frame::parse(&frame.to_string()) else {
            panic!("unreadable: {frame}");
        };
        assert!(matches!(n.event, Event::AutomodHold(_)), "{:?}", n.event);
    }

    let id = event["message_id"].as_str().unwrap();
    let text = event["message"]["text"].as_str().unwrap();
    assert_eq!(
        decide(&sim, "viewer", id, "ALLOW").await,
        401,
        "a viewer lacks the scope"
    );
    assert_eq!(decide(&sim, "mod_user", id, "MAYBE").await, 400);
    assert_eq!(decide(&sim, "mod_user", id, "ALLOW").await, 204);
    let said = chat
        .until(|m| m.command() == "PRIVMSG" && m.last_param() == Some(text))
        .await;
    assert!(
        said.contains(event["user_login"].as_str().unwrap()),
        "{said}"
    );
    let update = notification(&mut v2, "automod.message.update").await;
    let update = &update["payload"]["event"];
    assert_eq!(update["message_id"], id);
    assert_eq!(update["status"], "approved");
    assert_eq!(update["moderator_user_login"], "mod_user");
    assert_eq!(
        decide(&sim, "mod_user", id, "DENY").await,
        404,
        "already resolved"
    );
}

#[tokio::test]
async fn a_ban_through_helix_tells_the_moderators_who_and_why() {
    let sim = start_sim().await;
    let (mut ws, welcome) = connect(&sim, "").await;
    let session = welcome["payload"]["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    subscribe(&sim, "streamer", &session, "channel.moderate", "2").await;
    let helix = helix_for(&sim, "mod_user");
    ttvchat::net::helix::calls::run(
        &helix,
        &login("streamer"),
        &ttvchat::net::helix::calls::Call::Timeout {
            user: login("viewer"),
            seconds: 600,
            reason: "spoilers".into(),
        },
    )
    .await
    .unwrap();
    let frame = notification(&mut ws, "channel.moderate").await;
    let Ok(Frame::Notification(n)) = Frame::parse(&frame.to_string()) else {
        panic!("unreadable: {frame}");
    };
    let Event::Moderate(m) = n.event else {
        panic!("not a mod action");
    };
    assert_eq!(m.moderator.login.as_str(), "mod_user");
    let ttvchat::twitch::eventsub::events::ModAction::Timeout { user, reason, .. } = m.action
    else {
        panic!("not a timeout: {:?}", m.action);
    };
    assert_eq!(
        (user.login.as_str(), reason.as_deref()),
        ("viewer", Some("spoilers"))
    );
    // Every per-action object is there, null but the action's own.
    let event = &frame["payload"]["event"];
    assert!(event["ban"].is_null() && event["warn"].is_null());
    assert!(event["source_broadcaster_user_id"].is_null());
}

#[tokio::test]
async fn a_scenario_s_eventsub_fault_closes_sockets_with_its_code() {
    let sim = start_sim_with(|c| {
        let scenario = format!(
            "{SCENARIO}\n[[fault]]\nat = \"400ms\"\nfault = \"eventsub_close\"\ncode = 4000\n"
        );
        c.scenario = ttvchat::sim::Scenario::parse(&scenario, "test").unwrap();
    })
    .await;
    let (mut ws, _) = connect(&sim, "").await;
    assert_eq!(close_code(&mut ws).await, Some(4000));
}

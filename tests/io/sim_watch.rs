//! What the simulator's moderators watch, as any client sees it: the traffic brings, in
//! turn, a whisper to each account, a monitored user's message (in chat and in the feed, one
//! id), an unban request and a restricted user's message (in the feed only); Helix's
//! suspicious-user and unban-request endpoints check and answer as Twitch documents, and
//! tell the feeds who did what.

use crate::common;
use crate::sim_eventsub::{Ws, connect, helix, notification, subscribe, user_id};

use common::*;
use serde_json::{Value, json};
use ttvchat::net::helix::calls::{Call, Reply, Treatment, run};
use ttvchat::sim::{SIM_CLIENT_ID, SimHandle};
use ttvchat::twitch::eventsub::{Event, Frame};

async fn session(sim: &SimHandle) -> (Ws, String) {
    let (ws, welcome) = connect(sim, "").await;
    let id = welcome["payload"]["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (ws, id)
}

fn event(frame: &Value) -> Event {
    let Ok(Frame::Notification(n)) = Frame::parse(&frame.to_string()) else {
        panic!("unreadable: {frame}");
    };
    n.event
}

/// What `chat` saw before a line a moderator says now (anything chat was going to show of
/// what happened before comes first).
async fn said_before_a_marker(sim: &SimHandle, chat: &mut crate::raw::Raw) -> Vec<String> {
    let mut moderator = crate::raw::Raw::login(sim, "mod_user", sim.token("mod_user")).await;
    moderator.join("streamer").await;
    moderator.send("PRIVMSG #streamer :marker").await;
    chat.collect_until(|m| m.command() == "PRIVMSG" && m.last_param() == Some("marker"))
        .await
}

async fn watched_sim() -> SimHandle {
    start_sim_with(|c| {
        let scenario = SCENARIO.replace(
            "name = \"streamer\"\n",
            "name = \"streamer\"\nwatch_every = \"300ms\"\n",
        );
        c.scenario = ttvchat::sim::Scenario::parse(&scenario, "test").unwrap();
    })
    .await
}

#[tokio::test]
async fn the_traffic_brings_a_whisper_a_suspicious_user_and_an_unban_request_in_turn() {
    let sim = watched_sim().await;
    let mut chat = crate::raw::Raw::login(&sim, "viewer", sim.token("viewer")).await;
    chat.join("streamer").await;
    let (mut ws, id) = session(&sim).await;
    let whispers = json!({"type": "user.whisper.message", "version": "1",
        "condition": {"user_id": user_id(&sim, "mod_user")},
        "transport": {"method": "websocket", "session_id": id}});
    let (status, _) = helix(&sim, "mod_user", reqwest::Method::POST, "", Some(whispers)).await;
    assert_eq!(status, 202);
    for kind in [
        "channel.suspicious_user.message",
        "channel.unban_request.create",
    ] {
        subscribe(&sim, "mod_user", &id, kind, "1").await;
    }
    let whisper = notification(&mut ws, "user.whisper.message").await;
    let Event::Whisper(whisper) = event(&whisper) else {
        panic!("not a whisper");
    };
    assert_eq!(whisper.to.login.as_str(), "mod_user");
    assert!(!whisper.text.is_empty());

    // A monitored user: the same message in chat and in the feed, under one id.
    let monitored = notification(&mut ws, "channel.suspicious_user.message").await;
    let Event::SuspiciousMessage(message) = event(&monitored) else {
        panic!("not a suspicious user's message");
    };
    assert_eq!(message.treatment, Treatment::Monitored);
    assert_eq!(message.ban_evasion, "likely");
    let seen = chat
        .until(|m| {
            m.command() == "PRIVMSG" && m.tags().get("id").as_deref() == Some(&*message.message_id)
        })
        .await;
    assert!(seen.contains(message.user.login.as_str()), "{seen}");

    let request = notification(&mut ws, "channel.unban_request.create").await;
    let Event::UnbanRequest(request) = event(&request) else {
        panic!("not an unban request");
    };
    assert!(!request.text.is_empty());

    // A restricted user: the feed has it, chat does not.
    let restricted = notification(&mut ws, "channel.suspicious_user.message").await;
    let Event::SuspiciousMessage(message) = event(&restricted) else {
        panic!("not a suspicious user's message");
    };
    assert_eq!(message.treatment, Treatment::Restricted);
    let lines = said_before_a_marker(&sim, &mut chat).await;
    assert!(
        !lines
            .iter()
            .any(|l| l.contains(message.user.login.as_str())),
        "a restricted user's message reached chat: {lines:?}"
    );
}

#[tokio::test]
async fn an_unban_request_is_listed_resolved_once_with_a_note_and_told_to_the_feeds() {
    let sim = watched_sim().await;
    let mut chat = crate::raw::Raw::login(&sim, "viewer", sim.token("viewer")).await;
    chat.join("streamer").await;
    let (mut ws, id) = session(&sim).await;
    for kind in [
        "channel.unban_request.create",
        "channel.unban_request.resolve",
    ] {
        subscribe(&sim, "mod_user", &id, kind, "1").await;
    }
    subscribe(&sim, "streamer", &id, "channel.moderate", "2").await;
    let created = notification(&mut ws, "channel.unban_request.create").await;
    let Event::UnbanRequest(request) = event(&created) else {
        panic!("not an unban request");
    };
    let broadcaster = user_id(&sim, "streamer");
    let list = |account: &'static str, query: String| {
        let sim = &sim;
        async move {
            let response = ttvchat::net::helix::http_client()
                .unwrap()
                .get(format!(
                    "{}/moderation/unban_requests?{query}",
                    sim.helix_url()
                ))
                .bearer_auth(sim.token(account).unwrap())
                .header("Client-Id", SIM_CLIENT_ID)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let me = user_id(&sim, "mod_user");
    let (status, _) = list(
        "mod_user",
        format!("broadcaster_id={broadcaster}&moderator_id={me}"),
    )
    .await;
    assert_eq!(status, 400, "status is required");
    let (status, pending) = list(
        "mod_user",
        format!("broadcaster_id={broadcaster}&moderator_id={me}&status=pending"),
    )
    .await;
    assert_eq!(status, 200);
    let item = &pending["data"][0];
    assert_eq!(item["id"], request.id.as_str());
    assert_eq!(item["status"], "pending");
    assert!(item["resolved_at"].is_null() && item["moderator_id"].is_null());
    let (status, _) = list(
        "viewer",
        format!(
            "broadcaster_id={broadcaster}&moderator_id={}&status=pending",
            user_id(&sim, "viewer")
        ),
    )
    .await;
    assert_eq!(status, 401, "a viewer's token lacks the scope");

    // The client lists what waits (as it does when it starts moderating a channel).
    let listed = run(
        &helix_for(&sim, "mod_user"),
        &login("streamer"),
        &Call::PendingUnbans,
    )
    .await
    .unwrap();
    let Reply::Unbans(listed) = listed else {
        panic!("{listed:?}");
    };
    assert!(
        listed
            .iter()
            .any(|p| p.id == request.id && p.login == request.user.login && p.text == request.text),
        "{listed:?}"
    );
    // The client's call: read-only scope cannot resolve; the broadcaster can, with a note.
    let user = request.user.login.clone();
    let approve = Call::ResolveUnban {
        user: user.clone(),
        approve: true,
        text: "welcome back, be nice".into(),
    };
    let refused = run(&helix_for(&sim, "mod_user"), &login("streamer"), &approve).await;
    assert!(refused.is_err(), "moderator:read:unban_requests only reads");
    run(&helix_for(&sim, "streamer"), &login("streamer"), &approve)
        .await
        .unwrap();
    let resolved = notification(&mut ws, "channel.unban_request.resolve").await;
    let Event::UnbanResolved(resolved) = event(&resolved) else {
        panic!("not a resolution");
    };
    assert_eq!(resolved.status, "approved");
    assert_eq!(
        resolved.resolution.as_deref(),
        Some("welcome back, be nice")
    );
    assert_eq!(resolved.moderator.unwrap().login.as_str(), "streamer");
    let moderated = notification(&mut ws, "channel.moderate").await;
    assert_eq!(
        moderated["payload"]["event"]["action"],
        "approve_unban_request"
    );
    assert_eq!(
        moderated["payload"]["event"]["unban_request"]["moderator_message"],
        "welcome back, be nice"
    );
    // Decided once: again, nothing waits.
    let again = run(&helix_for(&sim, "streamer"), &login("streamer"), &approve).await;
    assert!(again.is_err());
}

#[tokio::test]
async fn monitoring_and_restricting_through_helix_tell_the_feed_and_change_chat() {
    let sim = start_sim().await;
    let mut watcher = crate::raw::Raw::login(&sim, "streamer", sim.token("streamer")).await;
    watcher.join("streamer").await;
    let mut viewer = crate::raw::Raw::login(&sim, "viewer", sim.token("viewer")).await;
    viewer.join("streamer").await;
    let (mut ws, id) = session(&sim).await;
    subscribe(&sim, "mod_user", &id, "channel.suspicious_user.update", "1").await;
    subscribe(
        &sim,
        "mod_user",
        &id,
        "channel.suspicious_user.message",
        "1",
    )
    .await;
    let helix = helix_for(&sim, "mod_user");
    let restrict = Call::Suspicion {
        user: login("viewer"),
        treatment: Treatment::Restricted,
    };
    run(&helix, &login("streamer"), &restrict).await.unwrap();
    let update = notification(&mut ws, "channel.suspicious_user.update").await;
    let Event::SuspiciousUpdate(update) = event(&update) else {
        panic!("not an update");
    };
    assert_eq!(
        (
            update.moderator.login.as_str(),
            update.user.login.as_str(),
            update.treatment
        ),
        ("mod_user", "viewer", Treatment::Restricted)
    );
    // Restricted: the message reaches the moderators' feed, not chat.
    viewer.send("PRIVMSG #streamer :can anyone see me").await;
    let message = notification(&mut ws, "channel.suspicious_user.message").await;
    assert_eq!(
        message["payload"]["event"]["message"]["text"],
        "can anyone see me"
    );
    assert_eq!(
        message["payload"]["event"]["low_trust_status"],
        "restricted"
    );
    let lines = said_before_a_marker(&sim, &mut watcher).await;
    assert!(
        !lines.iter().any(|l| l.contains("can anyone see me")),
        "{lines:?}"
    );
    // Cleared: chat shows them again.
    let clear = Call::Suspicion {
        user: login("viewer"),
        treatment: Treatment::None,
    };
    run(&helix, &login("streamer"), &clear).await.unwrap();
    let update = notification(&mut ws, "channel.suspicious_user.update").await;
    assert_eq!(
        update["payload"]["event"]["low_trust_status"],
        "no_treatment"
    );
    viewer.send("PRIVMSG #streamer :and now?").await;
    watcher
        .until(|m| m.command() == "PRIVMSG" && m.last_param() == Some("and now?"))
        .await;
    // The broadcaster cannot be made suspicious; a bad status is refused.
    let broadcaster = Call::Suspicion {
        user: login("streamer"),
        treatment: Treatment::Monitored,
    };
    assert!(run(&helix, &login("streamer"), &broadcaster).await.is_err());
    let response = ttvchat::net::helix::http_client()
        .unwrap()
        .post(format!(
            "{}/moderation/suspicious_users?broadcaster_id={}&moderator_id={}",
            sim.helix_url(),
            user_id(&sim, "streamer"),
            user_id(&sim, "mod_user")
        ))
        .bearer_auth(sim.token("mod_user").unwrap())
        .header("Client-Id", SIM_CLIENT_ID)
        .json(&json!({"user_id": user_id(&sim, "viewer"), "status": "WATCHED"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("Must either be ACTIVE_MONITORING or RESTRICTED"),
        "{text}"
    );
}

#[tokio::test]
async fn automod_holds_a_chatter_s_flagged_message_and_tells_them_what_became_of_it() {
    let sim = start_sim_with(|c| {
        let scenario = SCENARIO.replace(
            "name = \"streamer\"\n",
            "name = \"streamer\"\nautomod_every = \"1h\"\n",
        );
        c.scenario = ttvchat::sim::Scenario::parse(&scenario, "test").unwrap();
    })
    .await;
    let mut viewer = crate::raw::Raw::login(&sim, "viewer", sim.token("viewer")).await;
    viewer.join("streamer").await;
    let mut watcher = crate::raw::Raw::login(&sim, "streamer", sim.token("streamer")).await;
    watcher.join("streamer").await;
    let (mut own, id) = session(&sim).await;
    for kind in [
        "channel.chat.user_message_hold",
        "channel.chat.user_message_update",
    ] {
        let body = json!({"type": kind, "version": "1",
            "condition": {"broadcaster_user_id": user_id(&sim, "streamer"),
                "user_id": user_id(&sim, "viewer")},
            "transport": {"method": "websocket", "session_id": id}});
        let (status, answer) = helix(&sim, "viewer", reqwest::Method::POST, "", Some(body)).await;
        assert_eq!(status, 202, "{answer}");
    }
    let (mut moderators, id) = session(&sim).await;
    subscribe(&sim, "mod_user", &id, "automod.message.hold", "2").await;

    viewer.send("PRIVMSG #streamer :you absolute clown").await;
    let notice = viewer.until(|m| m.command() == "NOTICE").await;
    assert!(notice.contains("msg-id=msg_rejected"), "{notice}");
    let held = notification(&mut own, "channel.chat.user_message_hold").await;
    let Event::OwnMessageHeld {
        message_id, text, ..
    } = event(&held)
    else {
        panic!("not our held message");
    };
    assert_eq!(text, "you absolute clown");
    let queued = notification(&mut moderators, "automod.message.hold").await;
    assert_eq!(
        queued["payload"]["event"]["message_id"],
        message_id.as_str()
    );

    let allow = Call::Automod {
        message_id: message_id.clone(),
        allow: true,
        author: "viewer".into(),
    };
    run(&helix_for(&sim, "mod_user"), &login("streamer"), &allow)
        .await
        .unwrap();
    watcher
        .until(|m| m.command() == "PRIVMSG" && m.last_param() == Some("you absolute clown"))
        .await;
    let update = notification(&mut own, "channel.chat.user_message_update").await;
    let Event::OwnMessageUpdate {
        status,
        message_id: updated,
        ..
    } = event(&update)
    else {
        panic!("not an update");
    };
    assert_eq!((status.as_str(), updated), ("approved", message_id));

    // A moderator's words pass.
    let mut moderator = crate::raw::Raw::login(&sim, "mod_user", sim.token("mod_user")).await;
    moderator.join("streamer").await;
    moderator.send("PRIVMSG #streamer :damn, nice play").await;
    watcher
        .until(|m| m.command() == "PRIVMSG" && m.last_param() == Some("damn, nice play"))
        .await;
}

#[tokio::test]
async fn a_warning_and_shield_mode_through_helix_reach_the_moderators_feeds() {
    let sim = start_sim().await;
    let (mut ws, id) = session(&sim).await;
    for kind in [
        "channel.warning.send",
        "channel.shield_mode.begin",
        "channel.shield_mode.end",
    ] {
        subscribe(&sim, "streamer", &id, kind, "1").await;
    }
    subscribe(&sim, "streamer", &id, "channel.moderate", "2").await;
    let helix = helix_for(&sim, "streamer");
    let warn = Call::Warn {
        user: login("viewer"),
        reason: "no spoilers".into(),
    };
    run(&helix, &login("streamer"), &warn).await.unwrap();
    let sent = notification(&mut ws, "channel.warning.send").await;
    let Event::WarningSent(sent) = event(&sent) else {
        panic!("not a warning");
    };
    assert_eq!(
        (sent.user.login.as_str(), sent.reason.as_deref()),
        ("viewer", Some("no spoilers"))
    );
    let moderated = notification(&mut ws, "channel.moderate").await;
    assert_eq!(
        moderated["payload"]["event"]["warn"]["reason"],
        "no spoilers"
    );
    for on in [true, false] {
        run(&helix, &login("streamer"), &Call::Shield { on })
            .await
            .unwrap();
        let kind = if on { "begin" } else { "end" };
        let frame = notification(&mut ws, &format!("channel.shield_mode.{kind}")).await;
        let Event::ShieldMode {
            moderator,
            on: told,
            ..
        } = event(&frame)
        else {
            panic!("not Shield Mode");
        };
        assert_eq!((moderator.login.as_str(), told), ("streamer", on));
    }
}

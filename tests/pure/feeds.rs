//! The live feeds in the reducer: started once the login is known, each channel followed as
//! moderator or chatter as its room id and our role become known, held messages allowed or
//! denied from the keyboard (and only held ones), other moderators' actions merged with
//! Twitch's chat line about the same action, and feeds that cannot run named.

use crate::reducer;

use std::time::Duration;

use reducer::*;
use serde_json::{Value, json};
use ttvchat::state::keymap::KeyCode;
use ttvchat::state::message::HoldState;
use ttvchat::state::{AppState, Effect, Mode, Msg, update};
use ttvchat::twitch::Login;
use ttvchat::twitch::eventsub::{Feed, FeedEvent, Frame, SocketEnd, Unavailable};
use ttvchat::twitch::helix::{Call, Failure, Reply};

pub(crate) fn login(name: &str) -> Login {
    Login::parse(name).unwrap()
}

pub(crate) fn user(prefix: &str, login: &str, id: &str) -> Value {
    json!({format!("{prefix}_id"): id, format!("{prefix}_login"): login,
        format!("{prefix}_name"): login})
}

pub(crate) fn merged(parts: &[Value]) -> Value {
    let mut out = serde_json::Map::new();
    for part in parts {
        for (k, v) in part.as_object().unwrap() {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// A notification of `kind` with `event`, sent at 19:03:40 UTC.
pub(crate) fn notify(state: &mut AppState, kind: &str, version: &str, event: Value) {
    let frame = json!({
        "metadata": {"message_id": format!("n-{}", fastrand::u64(..)), "message_type": "notification",
            "message_timestamp": "2026-11-14T19:03:40.000000000Z",
            "subscription_type": kind, "subscription_version": version},
        "payload": {"subscription": {"id": "s", "status": "enabled", "type": kind,
            "version": version, "cost": 0, "condition": {},
            "transport": {"method": "websocket", "session_id": "x"},
            "created_at": "2026-11-14T19:02:11Z"}, "event": event}});
    let Ok(Frame::Notification(n)) = Frame::parse(&frame.to_string()) else {
        panic!("not a notification");
    };
    update(state, Msg::Feed(FeedEvent::Notification(n)));
}

/// Logged in with Helix in #chan (room id 42), a moderator there, feeds started.
pub(crate) fn moderated() -> AppState {
    let mut state = app(&["chan"]).with_helix();
    state.account.login = Some("me".into());
    line(
        &mut state,
        "@room-id=42;slow=0 :tmi.twitch.tv ROOMSTATE #chan",
    );
    line(
        &mut state,
        "@badges=moderator/1;color=;display-name=Me;emote-sets=0 :tmi.twitch.tv USERSTATE #chan",
    );
    update(
        &mut state,
        Msg::Validated {
            user_id: "1".into(),
            scopes: [
                "moderator:manage:automod",
                "moderator:manage:unban_requests",
                "moderator:manage:suspicious_users",
                "user:manage:whispers",
            ]
            .map(String::from)
            .to_vec(),
        },
    );
    state
}

pub(crate) fn hold(state: &mut AppState, id: &str, text: &str) {
    let event = merged(&[
        user("broadcaster_user", "chan", "42"),
        user("user", "pixel_pilgrim", "7"),
        json!({"message_id": id, "message": {"text": text, "fragments": []},
            "reason": "automod", "automod": {"category": "aggressive", "level": 2, "boundaries": []},
            "blocked_term": null, "held_at": "2026-11-14T19:03:40Z"}),
    ]);
    notify(state, "automod.message.hold", "2", event);
}

/// The screen at 100x20.
pub(crate) fn screen(state: &AppState) -> String {
    reducer::screen(state, 100, 20)
}

pub(crate) fn hold_state(state: &AppState) -> Option<HoldState> {
    chats(state, 0)
        .iter()
        .rev()
        .find_map(|c| c.held.as_ref().map(|h| h.state.clone()))
}

#[test]
fn the_feeds_start_once_the_login_is_known_and_follow_each_channel_by_role() {
    let mut state = app(&["chan", "other"]).with_helix();
    line(
        &mut state,
        "@room-id=42;slow=0 :tmi.twitch.tv ROOMSTATE #chan",
    );
    line(
        &mut state,
        "@badges=moderator/1;color=;display-name=Me;emote-sets=0 :tmi.twitch.tv USERSTATE #chan",
    );
    let effects = update(
        &mut state,
        Msg::Validated {
            user_id: "1".into(),
            scopes: vec!["chat:read".into()],
        },
    );
    assert_eq!(
        effects,
        [
            Effect::StartFeeds {
                user_id: "1".into(),
                scopes: vec!["chat:read".into()]
            },
            Effect::Watch {
                channel: login("chan"),
                broadcaster_id: "42".into(),
                moderator: true
            },
        ],
        "#other's room id is not known yet"
    );
    let effects = line(
        &mut state,
        "@room-id=43;slow=0 :tmi.twitch.tv ROOMSTATE #other",
    );
    assert_eq!(
        effects,
        [Effect::Watch {
            channel: login("other"),
            broadcaster_id: "43".into(),
            moderator: false
        }]
    );
    // The hourly check starts nothing again; the same role asks nothing again.
    let again = update(
        &mut state,
        Msg::Validated {
            user_id: "1".into(),
            scopes: vec![],
        },
    );
    assert!(again.is_empty());
    assert!(
        line(
            &mut state,
            "@room-id=43;slow=0 :tmi.twitch.tv ROOMSTATE #other"
        )
        .is_empty()
    );
    // Losing the sword: chatter's feeds only.
    let effects = line(
        &mut state,
        "@badges=;color=;display-name=Me;emote-sets=0 :tmi.twitch.tv USERSTATE #chan",
    );
    assert_eq!(
        effects,
        [Effect::Watch {
            channel: login("chan"),
            broadcaster_id: "42".into(),
            moderator: false
        }]
    );
    type_text(&mut state, "/part");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(
        effects.contains(&Effect::Unwatch(login("chan"))),
        "{effects:?}"
    );
}

#[test]
fn anonymous_or_without_helix_the_feeds_do_not_start() {
    let mut state = app(&["chan"]);
    let effects = update(
        &mut state,
        Msg::Validated {
            user_id: "1".into(),
            scopes: vec![],
        },
    );
    assert!(effects.is_empty());
}

#[test]
fn a_held_message_is_allowed_in_two_keys_and_the_line_says_by_whom() {
    let mut state = moderated();
    say(&mut state, "chan", "bob", "m-1", "hello");
    hold(&mut state, "h-1", "this run is so bad LUL");
    say(&mut state, "chan", "carol", "m-2", "gg");
    let shown = screen(&state);
    assert!(shown.contains("⚑ AutoMod: aggressive, level 2"), "{shown}");
    assert!(shown.contains("a allows, D denies"), "{shown}");

    alt(&mut state, 'a');
    assert_eq!(state.mode, Mode::Select);
    let effects = key(&mut state, KeyCode::Char('a'));
    let call = Call::Automod {
        message_id: "h-1".into(),
        allow: true,
        author: "pixel_pilgrim".into(),
    };
    assert_eq!(
        effects,
        [Effect::Helix {
            channel: login("chan"),
            call: call.clone()
        }]
    );
    assert_eq!(hold_state(&state), Some(HoldState::Asked(true)));
    assert!(screen(&state).contains("allowing…"));
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call,
            result: Ok(Reply::Done),
        },
    );
    assert_eq!(
        hold_state(&state),
        Some(HoldState::Resolved {
            allowed: true,
            by: "Me".into()
        })
    );
    assert!(screen(&state).contains("✓ allowed by Me"));
    // Once resolved, the key does nothing to it and says why.
    assert!(key(&mut state, KeyCode::Char('a')).is_empty());
    assert!(
        systems(&state, 0)
            .last()
            .unwrap()
            .contains("no longer waits")
    );
}

#[test]
fn allow_and_deny_act_only_on_held_messages() {
    let mut state = moderated();
    say(&mut state, "chan", "bob", "m-1", "hello");
    ctrl(&mut state, 's');
    assert!(key(&mut state, KeyCode::Char('a')).is_empty());
    assert!(key(&mut state, KeyCode::Char('D')).is_empty());
    assert!(
        systems(&state, 0)
            .last()
            .unwrap()
            .starts_with("Select a message AutoMod holds")
    );
    // Nothing held: Alt-A says so and stays in typing.
    key(&mut state, KeyCode::Esc);
    alt(&mut state, 'a');
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(
        state.feedback.as_ref().map(|(_, t)| t.as_str()),
        Some("Nothing waits here: no held message or unban request in #chan.")
    );
}

#[test]
fn another_moderator_s_decision_and_an_expiry_show_on_the_held_line() {
    let mut state = moderated();
    hold(&mut state, "h-1", "first");
    hold(&mut state, "h-2", "second");
    let update_event = |id: &str, status: &str, moderator: bool| {
        let mut parts = vec![
            user("broadcaster_user", "chan", "42"),
            user("user", "pixel_pilgrim", "7"),
            json!({"message_id": id, "status": status, "message": {"text": "x", "fragments": []},
                "reason": "automod", "automod": null, "blocked_term": null,
                "held_at": "2026-11-14T19:03:40Z"}),
        ];
        parts.push(if moderator {
            user("moderator_user", "quotrok", "9")
        } else {
            json!({"moderator_user_id": null, "moderator_user_login": null, "moderator_user_name": null})
        });
        merged(&parts)
    };
    notify(
        &mut state,
        "automod.message.update",
        "2",
        update_event("h-1", "denied", true),
    );
    notify(
        &mut state,
        "automod.message.update",
        "2",
        update_event("h-2", "expired", false),
    );
    let shown = screen(&state);
    assert!(shown.contains("✗ denied by quotrok"), "{shown}");
    assert!(shown.contains("expired"), "{shown}");
    // The queue is empty now.
    alt(&mut state, 'a');
    assert_eq!(state.mode, Mode::Input);
}

#[test]
fn a_held_message_resolved_meanwhile_says_so_when_allowing_fails() {
    let mut state = moderated();
    hold(&mut state, "h-1", "first");
    alt(&mut state, 'a');
    let effects = key(&mut state, KeyCode::Char('D'));
    let Some(Effect::Helix { call, .. }) = effects.first().cloned() else {
        panic!("no call");
    };
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call,
            result: Err(Failure::NotFound {
                message: "msg_id not found".into(),
            }),
        },
    );
    assert_eq!(hold_state(&state), Some(HoldState::Expired));
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "Could not deny the held message: it was already decided or expired."
    );
}

fn timeout_event() -> Value {
    merged(&[
        user("broadcaster_user", "chan", "42"),
        user("moderator_user", "quotrok", "9"),
        json!({"source_broadcaster_user_id": null, "source_broadcaster_user_login": null,
            "source_broadcaster_user_name": null, "action": "timeout",
            "timeout": {"user_id": "7", "user_login": "bob", "user_name": "Bob",
                "reason": "spam", "expires_at": "2026-11-14T19:13:40.000000000Z"}}),
    ])
}

#[test]
fn another_moderator_s_timeout_is_one_line_with_who_and_why_in_either_order() {
    let mut state = moderated();
    say(&mut state, "chan", "bob", "m-1", "spam spam");
    line(
        &mut state,
        "@ban-duration=600;room-id=42;target-user-id=7;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #chan :bob",
    );
    notify(&mut state, "channel.moderate", "2", timeout_event());
    let about_bob: Vec<String> = systems(&state, 0)
        .into_iter()
        .filter(|s| s.contains("bob") || s.contains("Bob"))
        .collect();
    assert_eq!(about_bob, ["quotrok timed out Bob for 10m: spam"]);

    let mut state = moderated();
    notify(&mut state, "channel.moderate", "2", timeout_event());
    line(
        &mut state,
        "@ban-duration=600;room-id=42;target-user-id=7;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #chan :bob",
    );
    let about_bob: Vec<String> = systems(&state, 0)
        .into_iter()
        .filter(|s| s.contains("bob") || s.contains("Bob"))
        .collect();
    assert_eq!(about_bob, ["quotrok timed out Bob for 10m: spam"]);
}

#[test]
fn a_mode_change_by_another_moderator_is_one_line_and_a_later_change_is_its_own() {
    let mut state = moderated();
    let slow = |seconds: Option<u64>| {
        let action = if seconds.is_some() { "slow" } else { "slowoff" };
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("moderator_user", "quotrok", "9"),
            json!({"action": action,
                "slow": seconds.map(|s| json!({"wait_time_seconds": s}))}),
        ])
    };
    notify(&mut state, "channel.moderate", "2", slow(Some(30)));
    line(
        &mut state,
        "@room-id=42;slow=30 :tmi.twitch.tv ROOMSTATE #chan",
    );
    notify(&mut state, "channel.moderate", "2", slow(None));
    line(
        &mut state,
        "@room-id=42;slow=0 :tmi.twitch.tv ROOMSTATE #chan",
    );
    assert_eq!(
        systems(&state, 0)
            .into_iter()
            .filter(|s| s.contains("low mode"))
            .collect::<Vec<_>>(),
        [
            "quotrok turned slow mode on (30s).",
            "quotrok turned slow mode off."
        ]
    );
}

#[test]
fn feeds_that_cannot_run_are_named_with_the_fix_and_an_outage_is_told() {
    let mut state = moderated();
    update(
        &mut state,
        Msg::Feed(FeedEvent::Unavailable {
            channel: Some(login("chan")),
            feeds: vec![Feed::AutomodHold, Feed::AutomodUpdate],
            reason: Unavailable::MissingScope("moderator:manage:automod".into()),
        }),
    );
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "Not available: the AutoMod queue (the login lacks the scope moderator:manage:automod; run `ttvchat login` to grant it)."
    );
    update(
        &mut state,
        Msg::Feed(FeedEvent::Disconnected {
            reason: SocketEnd::Code(4005),
            retry_in: Duration::from_secs(3),
        }),
    );
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "Live feeds (AutoMod queue, mod log, whispers) lost: a network timeout (4005); trying again in 3s."
    );
    update(&mut state, Msg::Feed(FeedEvent::Connected));
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "Live feeds connected again."
    );
    update(&mut state, Msg::Feed(FeedEvent::Connected));
    assert_eq!(
        systems(&state, 0)
            .iter()
            .filter(|s| s.contains("connected again"))
            .count(),
        1
    );
}

#[test]
fn warnings_and_shield_mode_are_told_in_their_channel() {
    let mut state = moderated();
    notify(
        &mut state,
        "channel.warning.acknowledge",
        "1",
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("user", "bob", "7"),
        ]),
    );
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "bob acknowledged the warning."
    );
    notify(
        &mut state,
        "channel.shield_mode.begin",
        "1",
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("moderator_user", "quotrok", "9"),
            json!({"started_at": "2026-11-14T19:00:03Z"}),
        ]),
    );
    assert_eq!(state.channels[0].shield, Some(true));
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "quotrok turned on Shield Mode."
    );
}

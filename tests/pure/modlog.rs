//! The mod log (F4): every moderator's action in the channel, ours included, with who and
//! why, filtered as the moderator types (`by:`, `on:`, an action, any word); and the user
//! card's moderation history and suspicious status from what was seen.

use crate::feeds::{merged, moderated, notify, user};
use crate::reducer::*;

use serde_json::{Value, json};
use ttvchat::state::keymap::KeyCode;
use ttvchat::state::{AppState, Overlay};

fn action(moderator: &str, action: &str, object: Value) -> Value {
    let mut parts = vec![
        user("broadcaster_user", "chan", "42"),
        user("moderator_user", moderator, "9"),
        json!({"source_broadcaster_user_id": null, "source_broadcaster_user_login": null,
            "source_broadcaster_user_name": null, "action": action}),
    ];
    if !object.is_null() {
        parts.push(json!({ action: object }));
    }
    merged(&parts)
}

fn target(login: &str, extra: Value) -> Value {
    let mut object = user("user", login, "7");
    for (k, v) in extra.as_object().unwrap() {
        object[k] = v.clone();
    }
    object
}

/// #chan after four actions: nightbot bans bob (spam), quotrok times out carol, quotrok
/// deletes bob's message, we turn slow mode on.
fn acted() -> AppState {
    let mut state = moderated();
    for (moderator, kind, object) in [
        ("nightbot", "ban", target("bob", json!({"reason": "spam"}))),
        (
            "quotrok",
            "timeout",
            target(
                "carol",
                json!({"reason": "caps", "expires_at": "2026-11-14T19:13:40Z"}),
            ),
        ),
        (
            "quotrok",
            "delete",
            target(
                "bob",
                json!({"message_id": "m-1", "message_body": "buy followers"}),
            ),
        ),
        ("me", "slow", json!({"wait_time_seconds": 30})),
    ] {
        notify(
            &mut state,
            "channel.moderate",
            "2",
            action(moderator, kind, object),
        );
    }
    state
}

fn shown_actions(state: &AppState) -> Vec<&'static str> {
    let shown = screen(state, 120, 30);
    [
        "nightbot banned bob: spam",
        "quotrok timed out carol for 10m: caps",
        "quotrok deleted a message from bob: buy followers",
        "me turned slow mode on (30s).",
    ]
    .into_iter()
    .filter(|line| shown.contains(line))
    .collect()
}

#[test]
fn the_mod_log_lists_every_action_ours_too_and_filters_as_you_type() {
    let mut state = acted();
    // Our own slow mode change makes no chat line of its own (ROOMSTATE tells it) but is in
    // the mod log.
    key(&mut state, KeyCode::F(4));
    assert!(matches!(state.overlay, Some(Overlay::ModLog { .. })));
    assert_eq!(
        shown_actions(&state).len(),
        4,
        "{}",
        screen(&state, 120, 30)
    );
    assert!(screen(&state, 120, 30).contains("4 of 4"));
    type_text(&mut state, "by:quotrok");
    assert_eq!(
        shown_actions(&state),
        [
            "quotrok timed out carol for 10m: caps",
            "quotrok deleted a message from bob: buy followers"
        ]
    );
    // Another word narrows further; the letters are the filter's, not keys.
    type_text(&mut state, " on:bob");
    assert_eq!(
        shown_actions(&state),
        ["quotrok deleted a message from bob: buy followers"]
    );
    key(&mut state, KeyCode::Char('u'));
    ctrl(&mut state, 'u');
    type_text(&mut state, "timeout");
    assert_eq!(
        shown_actions(&state),
        ["quotrok timed out carol for 10m: caps"]
    );
    type_text(&mut state, "zzz");
    assert!(screen(&state, 120, 30).contains("nothing matches"));
    for _ in 0..3 {
        key(&mut state, KeyCode::Backspace);
    }
    assert_eq!(shown_actions(&state).len(), 1);
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.overlay, None);
}

#[test]
fn the_mod_log_says_when_there_is_nothing_to_show() {
    let mut state = moderated();
    key(&mut state, KeyCode::F(4));
    assert!(screen(&state, 120, 30).contains("no moderator has acted yet"));
    let mut state = app(&["chan"]);
    key(&mut state, KeyCode::F(4));
    assert!(screen(&state, 120, 30).contains("only moderators see the mod log"));
    // Tiny windows draw it without panicking.
    let state = acted();
    let mut state = state;
    key(&mut state, KeyCode::F(4));
    for (w, h) in [(20, 6), (60, 15), (250, 70)] {
        screen(&state, w, h);
    }
}

#[test]
fn the_user_card_shows_what_moderators_did_to_them_and_whether_they_are_suspicious() {
    let mut state = acted();
    notify(
        &mut state,
        "channel.suspicious_user.update",
        "1",
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("moderator_user", "quotrok", "9"),
            user("user", "bob", "7"),
            json!({"low_trust_status": "restricted"}),
        ]),
    );
    type_text(&mut state, "/user bob");
    key(&mut state, KeyCode::Enter);
    let card = screen(&state, 120, 40);
    assert!(
        card.contains("restricted: only moderators see their messages"),
        "{card}"
    );
    assert!(card.contains("nightbot banned bob: spam"), "{card}");
    assert!(
        card.contains("quotrok deleted a message from bob"),
        "{card}"
    );
    assert_eq!(
        card.matches("carol").count(),
        1,
        "only the chat's line: {card}"
    );
}

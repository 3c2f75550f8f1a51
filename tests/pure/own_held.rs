//! Our own message AutoMod holds: Twitch's NOTICE marks the line "held by AutoMod" (not a
//! failure to send again); the live feeds name it and say what a moderator decided, in
//! either order; an approved message chat brings back is not shown twice.

use crate::feeds::{merged, moderated, notify, screen, user};
use crate::reducer::*;

use serde_json::json;
use ttvchat::net::chat::{ChatEvent, SendStatus};
use ttvchat::state::keymap::KeyCode;
use ttvchat::state::message::{OwnHold, SendState};
use ttvchat::state::{AppState, Effect, Msg, update};
use ttvchat::twitch::chat::MessageId;

fn send(state: &mut AppState, text: &str) -> MessageId {
    type_text(state, text);
    let effects = key(state, KeyCode::Enter);
    let [Effect::Send { id, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    *id
}

fn rejected(state: &mut AppState, id: MessageId) {
    let status = SendStatus::Rejected {
        msg_id: "msg_rejected".into(),
        reason: "Hey! Your message is being checked by mods and has not been sent.".into(),
    };
    update(state, Msg::Chat(ChatEvent::Outgoing { id, status }));
}

fn own(state: &mut AppState, kind: &str, status: Option<&str>, text: &str) {
    let mut parts = vec![
        user("broadcaster_user", "chan", "42"),
        user("user", "me", "1"),
        json!({"message_id": "held-1", "message": {"text": text, "fragments": []}}),
    ];
    if let Some(status) = status {
        parts.push(json!({ "status": status }));
    }
    notify(state, kind, "1", merged(&parts));
}

fn shown(state: &AppState) -> Option<SendState> {
    chats(state, 0).last().and_then(|c| c.send.clone())
}

#[test]
fn our_held_message_says_held_by_automod_then_approved_and_is_not_shown_twice() {
    let mut state = moderated();
    let id = send(&mut state, "you absolute clown");
    rejected(&mut state, id);
    assert_eq!(shown(&state), Some(SendState::Held(OwnHold::Waiting)));
    assert!(screen(&state).contains("held by AutoMod"));
    // Not a failure: the retry key has nothing to send again.
    assert!(ctrl(&mut state, 'r').is_empty());
    own(
        &mut state,
        "channel.chat.user_message_hold",
        None,
        "you absolute clown",
    );
    assert_eq!(
        chats(&state, 0).last().unwrap().id.as_deref(),
        Some("held-1")
    );
    own(
        &mut state,
        "channel.chat.user_message_update",
        Some("approved"),
        "you absolute clown",
    );
    assert_eq!(shown(&state), Some(SendState::Held(OwnHold::Approved)));
    assert!(screen(&state).contains("✓ approved by a moderator"));
    // Chat then brings it from us: the line already says so.
    say(&mut state, "chan", "me", "held-1", "you absolute clown");
    assert_eq!(chats(&state, 0).len(), 1);
}

#[test]
fn the_feeds_may_tell_first_and_a_denial_or_expiry_says_not_sent() {
    let mut state = moderated();
    let id = send(&mut state, "what the hell");
    own(
        &mut state,
        "channel.chat.user_message_hold",
        None,
        "what the hell",
    );
    assert_eq!(shown(&state), Some(SendState::Held(OwnHold::Waiting)));
    rejected(&mut state, id);
    assert_eq!(shown(&state), Some(SendState::Held(OwnHold::Waiting)));
    own(
        &mut state,
        "channel.chat.user_message_update",
        Some("denied"),
        "what the hell",
    );
    assert_eq!(shown(&state), Some(SendState::Held(OwnHold::Denied)));
    assert!(screen(&state).contains("denied by a moderator"));

    let mut state = moderated();
    let id = send(&mut state, "damn");
    rejected(&mut state, id);
    own(&mut state, "channel.chat.user_message_hold", None, "damn");
    own(
        &mut state,
        "channel.chat.user_message_update",
        Some("invalid"),
        "damn",
    );
    assert_eq!(shown(&state), Some(SendState::Held(OwnHold::Expired)));
    // Someone else's same words are theirs.
    say(&mut state, "chan", "bob", "m-9", "damn");
    assert_eq!(chats(&state, 0).len(), 2);
}

//! What the feeds open and mark: unban requests waiting in their channel and in the queue tab
//! (decided from either, by us or another moderator), whisper conversations (a tab each,
//! counted, replied to with the keyboard), and suspicious users' messages marked, with
//! `/monitor` and `/restrict` told once.

use crate::feeds::{hold, login, merged, moderated, notify, screen, user};
use crate::reducer::*;

use serde_json::json;
use ttvchat::state::channel::Kind;
use ttvchat::state::keymap::KeyCode;
use ttvchat::state::message::{HoldKind, HoldState, Level};
use ttvchat::state::{AppState, Effect, Mode, Msg, update};
use ttvchat::twitch::helix::{Call, Failure, PendingUnban, Reply, Treatment};

fn unban_request(state: &mut AppState, id: &str, login: &str, text: &str) {
    notify(
        state,
        "channel.unban_request.create",
        "1",
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("user", login, "7"),
            json!({"id": id, "text": text, "created_at": "2026-11-14T18:55:02Z"}),
        ]),
    );
}

fn queue_index(state: &AppState) -> usize {
    state
        .channels
        .iter()
        .position(|c| c.kind == Kind::Queue)
        .expect("a queue tab")
}

fn answer(state: &mut AppState, channel: &str, call: Call, result: Result<Reply, Failure>) {
    update(
        state,
        Msg::Helix {
            channel: login(channel),
            call,
            result,
        },
    );
}

#[test]
fn an_unban_request_waits_in_its_channel_and_the_queue_and_one_key_approves_it() {
    let mut state = moderated();
    unban_request(&mut state, "60", "bob", "i was joking\u{1b}[2J please");
    let queue = queue_index(&state);
    assert_eq!(state.channels[queue].unread, 1);
    assert_eq!(state.channels[0].mentions, 0, "#chan is focused");
    let shown = screen(&state);
    assert!(shown.contains("⚖ unban request"), "{shown}");
    assert!(shown.contains("i was joking[2J please"), "{shown}");
    assert!(shown.contains("a approves, D denies"), "{shown}");
    // Selected and approved in two keys, from the channel's tab.
    alt(&mut state, 'a');
    let effects = key(&mut state, KeyCode::Char('a'));
    let call = Call::ResolveUnban {
        user: login("bob"),
        approve: true,
        text: String::new(),
    };
    assert_eq!(
        effects,
        [Effect::Helix {
            channel: login("chan"),
            call: call.clone()
        }]
    );
    answer(&mut state, "chan", call, Ok(Reply::Done));
    for tab in [0, queue] {
        let held = chats(&state, tab)[0].held.clone().unwrap();
        assert_eq!(held.kind, HoldKind::Unban);
        assert_eq!(
            held.state,
            HoldState::Resolved {
                allowed: true,
                by: "Me".into()
            }
        );
    }
    assert!(screen(&state).contains("✓ approved by Me"));
}

#[test]
fn the_queue_tab_gathers_every_channel_and_decides_in_the_right_one() {
    let mut state = moderated();
    hold(&mut state, "h-1", "first");
    unban_request(&mut state, "61", "carol", "sorry");
    let queue = queue_index(&state);
    assert_eq!(chats(&state, queue).len(), 2);
    state.focus = queue;
    let shown = screen(&state);
    assert!(shown.contains("⚑ queue"), "{shown}");
    assert!(
        shown.contains("⚑ AutoMod #chan: aggressive, level 2"),
        "{shown}"
    );
    assert!(shown.contains("⚖ unban request #chan"), "{shown}");
    // Typing chat here goes nowhere and keeps the text; a command for a channel has none here.
    type_text(&mut state, "hello");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert_eq!(state.input.text, "hello");
    state.input.take();
    type_text(&mut state, "/user carol");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert_eq!(
        systems(&state, queue).last().unwrap(),
        "/user works in a channel's tab, not in ⚑ queue."
    );
    // Alt-A picks the oldest waiting line; D denies it in #chan, not in "queue".
    alt(&mut state, 'a');
    assert_eq!(state.mode, Mode::Select);
    let effects = key(&mut state, KeyCode::Char('D'));
    let [Effect::Helix { channel, call }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(channel, &login("chan"));
    assert!(matches!(call, Call::Automod { allow: false, .. }));
    // Another moderator approves carol meanwhile: both lines say so.
    notify(
        &mut state,
        "channel.unban_request.resolve",
        "1",
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("moderator_user", "quotrok", "9"),
            user("user", "carol", "8"),
            json!({"id": "61", "resolution_text": "ok", "status": "approved"}),
        ]),
    );
    let resolved = HoldState::Resolved {
        allowed: true,
        by: "quotrok".into(),
    };
    for tab in [0, queue] {
        let unban = chats(&state, tab)
            .into_iter()
            .find_map(|c| c.held.clone().filter(|h| h.kind == HoldKind::Unban))
            .unwrap();
        assert_eq!(unban.state, resolved);
    }
}

#[test]
fn approving_an_unban_request_nobody_made_says_so() {
    let mut state = moderated();
    type_text(&mut state, "/approve-unban dave welcome back");
    let effects = key(&mut state, KeyCode::Enter);
    let call = Call::ResolveUnban {
        user: login("dave"),
        approve: true,
        text: "welcome back".into(),
    };
    assert!(effects.contains(&Effect::Helix {
        channel: login("chan"),
        call: call.clone()
    }));
    let failure = Failure::NotFound {
        message: "dave has no unban request waiting".into(),
    };
    answer(&mut state, "chan", call, Err(failure));
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "Could not approve dave's unban request: dave has no unban request waiting"
    );
}

fn whisper(state: &mut AppState, from: &str, text: &str) {
    notify(
        state,
        "user.whisper.message",
        "1",
        merged(&[
            user("from_user", from, "7"),
            user("to_user", "me", "1"),
            json!({"whisper_id": format!("w-{text}"), "whisper": {"text": text}}),
        ]),
    );
}

#[test]
fn a_whisper_opens_a_conversation_counted_and_told_and_typing_there_whispers_back() {
    let mut state = moderated();
    whisper(&mut state, "bob", "psst\u{7} are you there");
    let tab = state
        .channels
        .iter()
        .position(|c| matches!(&c.kind, Kind::Whisper { display } if display == "bob"))
        .expect("a conversation tab");
    assert_eq!(
        (state.channels[tab].unread, state.channels[tab].mentions),
        (1, 1)
    );
    assert_eq!(
        state.feedback,
        Some((
            Level::Notice,
            format!("✉ bob whispers (tab {}): psst are you there", tab + 1)
        ))
    );
    assert!(screen(&state).contains("✉ bob"));
    // A second whisper goes into the same tab.
    whisper(&mut state, "bob", "hello?");
    assert_eq!(state.channels.len(), tab + 1);
    assert_eq!(state.channels[tab].unread, 2);
    // There, what we type is whispered to bob.
    state.focus = tab;
    type_text(&mut state, "yes, what's up");
    let effects = key(&mut state, KeyCode::Enter);
    let call = Call::Whisper {
        to: login("bob"),
        text: "yes, what's up".into(),
    };
    assert_eq!(
        effects,
        [Effect::Helix {
            channel: login("bob"),
            call: call.clone()
        }]
    );
    answer(&mut state, "bob", call, Ok(Reply::Done));
    let lines = chats(&state, tab);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2].author.login, "me");
    assert_eq!(lines[2].text, "yes, what's up");
    // Commands that act in a channel say they need one; /part closes the conversation.
    type_text(&mut state, "/ban carol");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert_eq!(
        systems(&state, tab).last().unwrap(),
        "/ban works in a channel's tab, not in ✉ bob."
    );
    // bob's card opens from his conversation.
    type_text(&mut state, "/user bob");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Helix { call: Call::Card { user, .. }, .. }] if *user == login("bob")),
        "{effects:?}"
    );
    key(&mut state, KeyCode::Esc);
    type_text(&mut state, "/part");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert!(state.channels.iter().all(|c| c.kind == Kind::Room));
}

#[test]
fn a_whisper_from_a_channel_tab_lands_in_its_conversation_and_a_refusal_keeps_the_text() {
    let mut state = moderated();
    type_text(&mut state, "/w bob hi there");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Helix { call, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    answer(&mut state, "chan", call.clone(), Ok(Reply::Done));
    let tab = state.channels.len() - 1;
    assert_eq!(
        state.channels[tab].kind,
        Kind::Whisper {
            display: "bob".into()
        }
    );
    assert_eq!(chats(&state, tab)[0].text, "hi there");
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        &format!("You whispered to bob (tab {}): hi there", tab + 1)
    );
    assert_eq!(
        state.focus, 0,
        "the conversation opens without taking the focus"
    );
    let failure = Failure::Refused {
        status: 400,
        message: "The user that you're sending the whisper to doesn't allow whisper messages"
            .into(),
    };
    answer(&mut state, "chan", call.clone(), Err(failure));
    let said = systems(&state, 0);
    assert!(
        said.last().unwrap().ends_with("Not sent: hi there"),
        "{said:?}"
    );
}

fn suspicious(state: &mut AppState, id: &str, status: &str, text: &str) {
    notify(
        state,
        "channel.suspicious_user.message",
        "1",
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("user", "pixel_pilgrim", "7"),
            json!({"low_trust_status": status, "shared_ban_channel_ids": null,
                "types": ["ban_evader"], "ban_evasion_evaluation": "likely",
                "message": {"message_id": id, "text": text, "fragments": []}}),
        ]),
    );
}

#[test]
fn a_suspicious_user_s_messages_are_marked_whichever_comes_first() {
    let mut state = moderated();
    // Chat first, then the feed's word on it.
    say(&mut state, "chan", "pixel_pilgrim", "m-1", "hello chat");
    suspicious(&mut state, "m-1", "active_monitoring", "hello chat");
    let marked = chats(&state, 0)[0].suspect.clone().unwrap();
    assert!(!marked.restricted);
    assert_eq!(marked.why.as_deref(), Some("likely ban evader"));
    assert_eq!(chats(&state, 0).len(), 1, "not shown twice");
    // Their next message is marked as it arrives.
    say(&mut state, "chan", "pixel_pilgrim", "m-2", "again");
    assert!(chats(&state, 0)[1].suspect.is_some());
    assert!(screen(&state).contains("⚠ monitored: likely ban evader"));
    // Restricted: chat never brings it, so the feed's copy is shown, marked.
    suspicious(&mut state, "m-3", "restricted", "only mods see this");
    let last = chats(&state, 0).last().cloned().unwrap();
    assert_eq!(last.text, "only mods see this");
    assert!(last.suspect.as_ref().unwrap().restricted);
    // Someone else chatting is not marked.
    say(&mut state, "chan", "bob", "m-4", "hi");
    assert!(chats(&state, 0).last().unwrap().suspect.is_none());
}

#[test]
fn monitoring_someone_is_told_once_and_marks_their_messages() {
    let mut state = moderated();
    type_text(&mut state, "/monitor pixel_pilgrim");
    let effects = key(&mut state, KeyCode::Enter);
    let call = Call::Suspicion {
        user: login("pixel_pilgrim"),
        treatment: Treatment::Monitored,
    };
    assert!(effects.contains(&Effect::Helix {
        channel: login("chan"),
        call: call.clone()
    }));
    answer(&mut state, "chan", call, Ok(Reply::Done));
    // Twitch's news of our own change is the same line.
    notify(
        &mut state,
        "channel.suspicious_user.update",
        "1",
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("moderator_user", "me", "1"),
            user("user", "pixel_pilgrim", "7"),
            json!({"low_trust_status": "active_monitoring"}),
        ]),
    );
    let told: Vec<String> = systems(&state, 0)
        .into_iter()
        .filter(|s| s.contains("monitoring pixel_pilgrim"))
        .collect();
    assert_eq!(
        told,
        ["me is monitoring pixel_pilgrim: their messages are marked for moderators."]
    );
    say(&mut state, "chan", "pixel_pilgrim", "m-1", "hello");
    assert!(chats(&state, 0)[0].suspect.is_some());
    // Cleared: no longer marked.
    type_text(&mut state, "/unmonitor pixel_pilgrim");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Helix { call, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    answer(&mut state, "chan", call.clone(), Ok(Reply::Done));
    say(&mut state, "chan", "pixel_pilgrim", "m-2", "hello again");
    assert!(chats(&state, 0)[1].suspect.is_none());
}

#[test]
fn moderation_keys_act_in_the_right_channel_from_the_queue_and_not_at_all_from_a_conversation() {
    let mut state = moderated();
    state
        .account
        .scopes
        .as_mut()
        .unwrap()
        .push("moderator:manage:banned_users".into());
    // A whisper from someone whose login is also a channel we moderate: its tab is not that
    // channel, and a key there moderates nobody.
    whisper(&mut state, "chan", "hi from the broadcaster");
    let conversation = state.channels.len() - 1;
    state.focus = conversation;
    ctrl(&mut state, 's');
    assert!(key(&mut state, KeyCode::Char('t')).is_empty());
    assert!(
        systems(&state, conversation)
            .last()
            .unwrap()
            .contains("whisper conversation")
    );
    key(&mut state, KeyCode::Esc);
    // In the queue, t times out the held message's author in its channel, with no message of
    // the queue's mistaken for one of the channel's.
    hold(&mut state, "h-1", "first");
    state.focus = queue_index(&state);
    alt(&mut state, 'a');
    let effects = key(&mut state, KeyCode::Char('t'));
    assert_eq!(
        effects,
        [Effect::Helix {
            channel: login("chan"),
            call: Call::Timeout {
                user: login("pixel_pilgrim"),
                seconds: 600,
                reason: String::new()
            }
        }]
    );
}

#[test]
fn new_followers_are_counted_in_the_room_bar_for_a_minute() {
    let mut state = moderated();
    let follow = |state: &mut AppState, login: &str| {
        notify(
            state,
            "channel.follow",
            "2",
            merged(&[
                user("broadcaster_user", "chan", "42"),
                user("user", login, "7"),
                json!({"followed_at": "2026-11-14T19:05:11Z"}),
            ]),
        );
    };
    follow(&mut state, "amy");
    assert!(screen(&state).contains("1 new follower"));
    let later = state.now + 30_000;
    update(&mut state, Msg::Tick(later));
    follow(&mut state, "bob");
    follow(&mut state, "cleo");
    assert!(screen(&state).contains("3 new followers/min"));
    let later = state.now + 30_000;
    update(&mut state, Msg::Tick(later));
    assert!(screen(&state).contains("2 new followers/min"));
    let later = state.now + 30_000;
    update(&mut state, Msg::Tick(later));
    assert!(!screen(&state).contains("follower"));
}

#[test]
fn a_warning_is_one_line_whichever_feeds_tell_it_and_ours_stays_ours() {
    let mut state = moderated();
    let warned = |moderator: &str| {
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("moderator_user", moderator, "9"),
            user("user", "bob", "7"),
            json!({"reason": "cut it out", "chat_rules_cited": null}),
        ])
    };
    let moderate = |moderator: &str| {
        merged(&[
            user("broadcaster_user", "chan", "42"),
            user("moderator_user", moderator, "9"),
            json!({"source_broadcaster_user_id": null, "source_broadcaster_user_login": null,
                "source_broadcaster_user_name": null, "action": "warn",
                "warn": {"user_id": "7", "user_login": "bob", "user_name": "bob",
                    "reason": "cut it out", "chat_rules_cited": null}}),
        ])
    };
    notify(&mut state, "channel.warning.send", "1", warned("quotrok"));
    notify(&mut state, "channel.moderate", "2", moderate("quotrok"));
    let about_bob = |state: &AppState| -> Vec<String> {
        systems(state, 0)
            .into_iter()
            .filter(|s| s.contains("warned"))
            .collect()
    };
    assert_eq!(about_bob(&state), ["quotrok warned bob: cut it out"]);
    // Ours: Helix's confirmation, then both feeds: still one line, in our words.
    let mut state = moderated();
    let call = Call::Warn {
        user: login("bob"),
        reason: "cut it out".into(),
    };
    answer(&mut state, "chan", call, Ok(Reply::Done));
    notify(&mut state, "channel.moderate", "2", moderate("me"));
    notify(&mut state, "channel.warning.send", "1", warned("me"));
    assert_eq!(about_bob(&state), ["You warned bob: cut it out"]);
}

#[test]
fn unban_requests_made_before_we_came_are_listed_once_when_we_moderate() {
    let mut state = app(&["chan"]).with_helix();
    state.account.login = Some("me".into());
    update(
        &mut state,
        Msg::Validated {
            user_id: "1".into(),
            scopes: vec!["moderator:read:unban_requests".into()],
        },
    );
    line(
        &mut state,
        "@room-id=42;slow=0 :tmi.twitch.tv ROOMSTATE #chan",
    );
    let effects = line(
        &mut state,
        "@badges=moderator/1;color=;display-name=Me;emote-sets=0 :tmi.twitch.tv USERSTATE #chan",
    );
    assert!(effects.contains(&Effect::Helix {
        channel: login("chan"),
        call: Call::PendingUnbans
    }));
    // One came through the feed meanwhile; Helix lists it and an older one.
    unban_request(&mut state, "61", "carol", "sorry");
    let pending = |id: &str, who: &str, text: &str| PendingUnban {
        id: id.into(),
        login: login(who),
        display: who.into(),
        text: text.into(),
    };
    let listed = vec![
        pending("60", "bob", "i was joking\u{1b}[2J"),
        pending("61", "carol", "sorry"),
    ];
    answer(
        &mut state,
        "chan",
        Call::PendingUnbans,
        Ok(Reply::Unbans(listed)),
    );
    let waiting: Vec<(String, String)> = chats(&state, 0)
        .iter()
        .map(|c| (c.author.login.clone(), c.text.clone()))
        .collect();
    assert_eq!(
        waiting,
        [
            ("carol".to_owned(), "sorry".to_owned()),
            ("bob".to_owned(), "i was joking[2J".to_owned())
        ]
    );
    assert_eq!(chats(&state, queue_index(&state)).len(), 2);
    // A viewer asks nothing.
    let mut viewer = app(&["chan"]).with_helix();
    update(
        &mut viewer,
        Msg::Validated {
            user_id: "1".into(),
            scopes: vec!["moderator:read:unban_requests".into()],
        },
    );
    let effects = line(
        &mut viewer,
        "@room-id=42;slow=0 :tmi.twitch.tv ROOMSTATE #chan",
    );
    assert!(!effects.contains(&Effect::Helix {
        channel: login("chan"),
        call: Call::PendingUnbans
    }));
}

#[test]
fn alt_q_goes_to_the_queue_and_alt_w_to_the_whispers_with_news() {
    let mut state = moderated();
    alt(&mut state, 'q');
    assert_eq!(state.focus, 0);
    assert!(
        state
            .feedback
            .as_ref()
            .unwrap()
            .1
            .starts_with("Nothing has waited")
    );
    alt(&mut state, 'w');
    assert!(
        state
            .feedback
            .as_ref()
            .unwrap()
            .1
            .starts_with("No whisper conversation yet")
    );
    whisper(&mut state, "bob", "one");
    whisper(&mut state, "carol", "two");
    hold(&mut state, "h-1", "first");
    alt(&mut state, 'q');
    assert_eq!(state.channels[state.focus].kind, Kind::Queue);
    // bob's and carol's both have news: the last tab with news first, then the other.
    alt(&mut state, 'w');
    assert_eq!(state.channels[state.focus].name, login("carol"));
    assert_eq!(state.channels[state.focus].unread, 0);
    alt(&mut state, 'w');
    assert_eq!(state.channels[state.focus].name, login("bob"));
}

#[test]
fn a_refused_whisper_is_told_in_its_conversation_even_after_the_user_moved_on() {
    let mut state = moderated();
    whisper(&mut state, "bob", "hi");
    let tab = state.channels.len() - 1;
    state.focus = tab;
    type_text(&mut state, "see you later");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Helix { channel, call }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    // The user goes back to #chan before Twitch answers.
    state.focus = 0;
    let failure = Failure::Refused {
        status: 400,
        message: "The message field must not contain an empty string.".into(),
    };
    answer(&mut state, channel.as_str(), call.clone(), Err(failure));
    assert!(
        systems(&state, tab)
            .last()
            .unwrap()
            .ends_with("Not sent: see you later"),
        "{:?}",
        systems(&state, tab)
    );
    assert!(
        !systems(&state, 0)
            .iter()
            .any(|s| s.contains("see you later"))
    );
}

//! Moderation in the reducer: keys on the selected message and in the user card, commands,
//! who may do what (role, scopes), the ban question, Helix answers turned into confirmations or
//! Twitch's message, the hourly token check and signing out.

use crate::reducer;

use reducer::*;
use ttvchat::net::helix::calls::{Call, Card, Followed, Reply};
use ttvchat::state::keymap::KeyCode;
use ttvchat::state::{AppState, Effect, Mode, Msg, Overlay, VALIDATE_EVERY_MS, update};
use ttvchat::twitch::Login;
use ttvchat::twitch::helix::Failure;

fn login(name: &str) -> Login {
    Login::parse(name).unwrap()
}

/// Logged in with Helix, in #chan, where our USERSTATE carries `badges` (`moderator/1`, or
/// nothing), with a message from bob to act on.
fn room(badges: &str, scopes: Option<&[&str]>) -> AppState {
    let mut state = app(&["chan"]).with_helix();
    state.account.scopes = scopes.map(|s| s.iter().map(|s| s.to_string()).collect());
    line(
        &mut state,
        &format!(
            "@badges={badges};color=;display-name=Me;emote-sets=0 :tmi.twitch.tv USERSTATE #chan"
        ),
    );
    say(
        &mut state,
        "chan",
        "bob",
        "m-1",
        "buy followers at example.com",
    );
    state
}

fn select_newest(state: &mut AppState) {
    ctrl(state, 's');
    assert_eq!(state.mode, Mode::Select);
}

fn helix_effects(effects: &[Effect]) -> Vec<Call> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Helix { call, .. } => Some(call.clone()),
            _ => None,
        })
        .collect()
}

fn last_system(state: &AppState) -> String {
    systems(state, 0).last().cloned().unwrap_or_default()
}

#[test]
fn a_moderator_times_out_the_selected_messages_author_and_sees_it_confirmed() {
    let mut state = room("moderator/1", None);
    select_newest(&mut state);
    let effects = key(&mut state, KeyCode::Char('t'));
    let timeout = Call::Timeout {
        user: login("bob"),
        seconds: 600,
        reason: String::new(),
    };
    assert_eq!(helix_effects(&effects), std::slice::from_ref(&timeout));
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call: timeout.clone(),
            result: Ok(Reply::Done),
        },
    );
    assert_eq!(last_system(&state), "You timed out bob for 10m.");
    // Preset 5 is an hour; d deletes the message itself.
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('5'))),
        [Call::Timeout {
            user: login("bob"),
            seconds: 3600,
            reason: String::new(),
        }]
    );
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('d'))),
        [Call::Delete {
            message_id: "m-1".into()
        }]
    );
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call: timeout,
            result: Err(Failure::Refused {
                status: 400,
                message: "user is already banned".into(),
            }),
        },
    );
    assert_eq!(last_system(&state), "bob is already banned from #chan.");
}

#[test]
fn a_viewer_is_told_why_not_and_nothing_is_sent() {
    let mut state = room("", None);
    select_newest(&mut state);
    for c in ['t', 'b', 'd', 'u', 'w', '3'] {
        let effects = key(&mut state, KeyCode::Char(c));
        assert!(helix_effects(&effects).is_empty(), "{c}");
        assert!(state.overlay.is_none());
        assert!(
            last_system(&state).contains("is for moderators, and you are not a moderator in #chan"),
            "{c}: {}",
            last_system(&state)
        );
    }
    let mut state = room("", None);
    type_text(&mut state, "/slow 10");
    assert!(helix_effects(&key(&mut state, KeyCode::Enter)).is_empty());
    assert_eq!(
        last_system(&state),
        "/slow is for moderators, and you are not a moderator in #chan."
    );
    type_text(&mut state, "/raid other");
    key(&mut state, KeyCode::Enter);
    assert_eq!(
        last_system(&state),
        "/raid is for the broadcaster of #chan only."
    );
}

#[test]
fn missing_scopes_are_named() {
    let mut state = room("moderator/1", Some(&["chat:read", "chat:edit"]));
    type_text(&mut state, "/ban bob");
    assert!(helix_effects(&key(&mut state, KeyCode::Enter)).is_empty());
    assert_eq!(
        last_system(&state),
        "/ban needs the moderator:manage:banned_users scope, which your login did not grant: run `ttvchat login` again."
    );
}

#[test]
fn ban_asks_first_and_warn_asks_for_a_reason() {
    let mut state = room("moderator/1", None);
    select_newest(&mut state);
    assert!(helix_effects(&key(&mut state, KeyCode::Char('b'))).is_empty());
    assert!(
        matches!(&state.overlay, Some(Overlay::Confirm { question, .. }) if question == "Ban bob from #chan?")
    );
    key(&mut state, KeyCode::Esc);
    assert!(state.overlay.is_none(), "Esc says no");
    assert_eq!(state.mode, Mode::Select, "and the selection stays");
    key(&mut state, KeyCode::Char('b'));
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('y'))),
        [Call::Ban {
            user: login("bob"),
            reason: String::new()
        }]
    );
    assert_eq!(state.mode, Mode::Select, "ready for the next one");
    key(&mut state, KeyCode::Char('w'));
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(state.input.text, "/warn bob ");
    type_text(&mut state, "no ads");
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Enter)),
        [Call::Warn {
            user: login("bob"),
            reason: "no ads".into()
        }]
    );
}

#[test]
fn enter_opens_the_user_card_which_fills_in_and_acts() {
    let mut state = room("moderator/1", None);
    select_newest(&mut state);
    let effects = key(&mut state, KeyCode::Enter);
    assert_eq!(
        helix_effects(&effects),
        [Call::Card {
            user: login("bob"),
            follows: true
        }]
    );
    let card = Card {
        id: "42".into(),
        login: login("bob"),
        display: "Bob".into(),
        created_at: Some(T0 - 86_400_000 * 400),
        followed: Followed::Since(T0 - 86_400_000 * 3),
    };
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call: Call::Card {
                user: login("bob"),
                follows: true,
            },
            result: Ok(Reply::Card(card.clone())),
        },
    );
    assert!(matches!(&state.overlay, Some(Overlay::Card(view)) if view.info == Some(card)));
    // The card's keys act on its user: u lifts a ban, and the card closes.
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('u'))),
        [Call::Unban { user: login("bob") }]
    );
    assert!(state.overlay.is_none());
    assert_eq!(state.mode, Mode::Select, "back to the selection");
    // /user opens it too.
    key(&mut state, KeyCode::Esc);
    type_text(&mut state, "/user bob");
    key(&mut state, KeyCode::Enter);
    assert!(matches!(&state.overlay, Some(Overlay::Card(view)) if view.login == login("bob")));
}

#[test]
fn tab_completes_command_names_and_help_explains_one() {
    let mut state = room("moderator/1", None);
    type_text(&mut state, "/untim");
    key(&mut state, KeyCode::Tab);
    assert_eq!(state.input.text, "/untimeout ");
    state.input.set("/help slow");
    key(&mut state, KeyCode::Enter);
    assert_eq!(
        last_system(&state),
        "/slow [seconds] — slow mode: one message per 3 to 120 seconds (30 unless given). Moderators and the broadcaster only; needs the moderator:manage:chat_settings scope."
    );
}

#[test]
fn reply_and_lists_and_settings_confirm_in_the_channel() {
    let mut state = room("broadcaster/1", None);
    type_text(&mut state, "/reply bob no thanks");
    let effects = key(&mut state, KeyCode::Enter);
    let Some(Effect::Send { message, .. }) = effects.first() else {
        panic!("a reply is sent: {effects:?}");
    };
    assert_eq!(message.reply_to.as_deref(), Some("m-1"));
    assert_eq!(message.text, "no thanks");
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call: Call::Mods,
            result: Ok(Reply::Names {
                names: vec!["ann".into(), "bob".into()],
                total: 2,
            }),
        },
    );
    assert_eq!(last_system(&state), "Moderators of #chan (2): ann, bob");
    type_text(&mut state, "/slow 45");
    let effects = key(&mut state, KeyCode::Enter);
    let [call] = helix_effects(&effects).try_into().unwrap();
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call,
            result: Ok(Reply::Done),
        },
    );
    assert_eq!(last_system(&state), "You turned slow mode on (45s).");
}

#[test]
fn the_token_is_checked_at_start_then_hourly_and_a_dead_login_signs_out() {
    let mut state = room("moderator/1", None);
    let effects = update(&mut state, Msg::Tick(T0));
    assert!(effects.contains(&Effect::Validate), "at start");
    let effects = update(&mut state, Msg::Tick(T0 + VALIDATE_EVERY_MS - 1));
    assert!(!effects.contains(&Effect::Validate));
    let effects = update(&mut state, Msg::Tick(T0 + VALIDATE_EVERY_MS));
    assert!(effects.contains(&Effect::Validate));
    update(
        &mut state,
        Msg::Validated {
            user_id: "1".into(),
            scopes: vec!["chat:read".into()],
        },
    );
    assert_eq!(state.account.scopes, Some(vec!["chat:read".to_owned()]));
    let effects = update(
        &mut state,
        Msg::SignedOut {
            reason: "invalid access token".into(),
        },
    );
    assert_eq!(effects, [Effect::SignOut]);
    assert!(last_system(&state).contains("no longer works (invalid access token)"));
    assert!(state.account.signed_out.is_some());
    // Nothing more is asked of Helix, and typing is kept with an explanation.
    assert!(update(&mut state, Msg::Tick(T0 + 10 * VALIDATE_EVERY_MS)).is_empty());
    type_text(&mut state, "hello");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert_eq!(state.input.text, "hello");
}

#[test]
fn feedback_that_lands_below_the_paused_view_shows_on_the_status_line_until_the_next_key() {
    let mut state = room("moderator/1", None);
    select_newest(&mut state);
    let delete = Call::Delete {
        message_id: "m-1".into(),
    };
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('d'))),
        std::slice::from_ref(&delete)
    );
    // Chat moves on below the selection before Twitch answers.
    say(&mut state, "chan", "ann", "m-2", "hello");
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call: delete,
            result: Err(Failure::Refused {
                status: 400,
                message: "You may not delete another moderator's messages.".into(),
            }),
        },
    );
    assert_eq!(state.channels[0].below_anchor(), 2, "out of sight below");
    let (_, text) = state.feedback.clone().expect("feedback on the status line");
    assert_eq!(
        text,
        "Twitch does not let moderators delete other moderators' messages."
    );
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.feedback, None, "a key clears it");
    // Live chat shows system lines where they land: no feedback needed.
    line(
        &mut state,
        "@msg-id=slow_on :tmi.twitch.tv NOTICE #chan :This room is now in slow mode.",
    );
    assert_eq!(state.feedback, None);
}

#[test]
fn a_new_name_color_shows_on_our_next_message() {
    let mut state = room("", None);
    type_text(&mut state, "/color BlueViolet");
    let color = Call::Color {
        color: "blue_violet".into(),
    };
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Enter)),
        std::slice::from_ref(&color)
    );
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call: color,
            result: Ok(Reply::Done),
        },
    );
    assert_eq!(last_system(&state), "Your name color is now blue_violet.");
    type_text(&mut state, "how do I look");
    key(&mut state, KeyCode::Enter);
    let ours = chats(&state, 0).last().unwrap().author.color;
    assert_eq!(ours.map(|c| c.to_string()).as_deref(), Some("#8A2BE2"));
}

/// The chat line of the selected entry in the focused channel: (author login, Twitch id).
fn selected_chat(state: &AppState) -> Option<(String, Option<String>)> {
    let chan = state.focused()?;
    match &chan.entry(chan.selected?)?.body {
        ttvchat::state::message::Body::Chat(chat) => {
            Some((chat.author.login.clone(), chat.id.clone()))
        }
        _ => None,
    }
}

#[test]
fn a_flood_past_a_tiny_scrollback_never_slides_the_selection_to_someone_else() {
    let mut state = room("moderator/1", None);
    state.settings.scrollback = 20;
    say(&mut state, "chan", "tinygoblin6035", "sel", "hello chat");
    select_newest(&mut state);
    let on_screen: Vec<u64> = {
        let chan = &state.channels[0];
        let (from, _) = chan.held.expect("the view is held");
        chan.messages
            .iter()
            .map(|e| e.seq)
            .filter(|s| *s >= from)
            .collect()
    };
    for i in 0..500 {
        say(
            &mut state,
            "chan",
            "xxtinycactusxx",
            &format!("f-{i}"),
            "spam spam",
        );
    }
    assert_eq!(
        selected_chat(&state),
        Some(("tinygoblin6035".into(), Some("sel".into())))
    );
    let chan = &state.channels[0];
    for seq in &on_screen {
        assert!(chan.entry(*seq).is_some(), "what was on screen stays");
    }
    assert!(
        chan.messages.len() <= 20 + state.message_rows(),
        "the cap holds for the rest: {}",
        chan.messages.len()
    );
    assert!(chan.below_anchor() > 0, "new messages wait below");
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('t'))),
        [Call::Timeout {
            user: login("tinygoblin6035"),
            seconds: 600,
            reason: String::new(),
        }]
    );
    // Back to live chat: the cap applies to everything again.
    key(&mut state, KeyCode::Esc);
    say(&mut state, "chan", "xxtinycactusxx", "after", "more");
    assert_eq!(state.channels[0].messages.len(), 20);
    assert_eq!(state.channels[0].anchor, None);
}

#[test]
fn moving_the_selection_in_a_flood_keeps_to_real_messages() {
    let mut state = room("moderator/1", None);
    state.settings.scrollback = 10;
    for i in 0..10 {
        say(
            &mut state,
            "chan",
            &format!("user{i}"),
            &format!("m{i}"),
            "hi",
        );
    }
    select_newest(&mut state);
    for i in 0..50 {
        say(&mut state, "chan", "flood", &format!("f{i}"), "spam");
    }
    // Down walks into what waited below, past the gap the cap left, one message at a time.
    key(&mut state, KeyCode::Down);
    let (author, _) = selected_chat(&state).expect("a real message");
    assert_eq!(author, "flood");
    key(&mut state, KeyCode::Up);
    assert_eq!(selected_chat(&state).unwrap().0, "user9");
    key(&mut state, KeyCode::Up);
    assert_eq!(selected_chat(&state).unwrap().0, "user8");
}

#[test]
fn a_selection_whose_message_is_gone_clears_and_acts_on_nobody() {
    let mut state = room("moderator/1", None);
    select_newest(&mut state);
    state.channels[0].messages.clear();
    say(
        &mut state,
        "chan",
        "someone_else",
        "m-2",
        "I took its place",
    );
    let effects = key(&mut state, KeyCode::Char('t'));
    assert!(helix_effects(&effects).is_empty());
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(
        last_system(&state),
        "The selected message is no longer here, so nothing was done. Select again (Ctrl-S)."
    );
}

#[test]
fn typing_in_select_mode_goes_to_the_input_line_and_moderates_nobody() {
    let mut state = room("moderator/1", None);
    select_newest(&mut state);
    let mut effects = Vec::new();
    for c in "hi there".chars() {
        effects.extend(key(&mut state, KeyCode::Char(c)));
    }
    assert!(helix_effects(&effects).is_empty(), "{effects:?}");
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(state.input.text, "hi there");
    assert!(state.input.reply.is_none());
    // `/` starts a command from select mode too.
    state.input.take();
    select_newest(&mut state);
    type_text(&mut state, "/slow");
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(state.input.text, "/slow");
}

#[test]
fn the_card_deletes_the_message_it_was_opened_from_not_a_newer_one() {
    let mut state = room("moderator/1", None);
    select_newest(&mut state);
    key(&mut state, KeyCode::Enter);
    say(
        &mut state,
        "chan",
        "bob",
        "m-2",
        "a newer message the card did not open on",
    );
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('d'))),
        [Call::Delete {
            message_id: "m-1".into()
        }]
    );
    // By name: the newest message when the card opened, which it marks.
    key(&mut state, KeyCode::Esc);
    type_text(&mut state, "/user bob");
    key(&mut state, KeyCode::Enter);
    say(
        &mut state,
        "chan",
        "bob",
        "m-3",
        "arrived after the card opened",
    );
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('d'))),
        [Call::Delete {
            message_id: "m-2".into()
        }]
    );
    // Someone who said nothing here: nothing to delete.
    type_text(&mut state, "/user carol");
    key(&mut state, KeyCode::Enter);
    say(
        &mut state,
        "chan",
        "carol",
        "m-4",
        "first words after the card opened",
    );
    assert!(helix_effects(&key(&mut state, KeyCode::Char('d'))).is_empty());
    assert_eq!(
        last_system(&state),
        "No message of carol is on the card, so nothing was deleted."
    );
}

#[test]
fn a_timeout_length_that_does_not_read_as_one_is_refused_not_made_the_reason() {
    let mut state = room("moderator/1", None);
    for bad in [
        "/timeout bob 1hr",
        "/timeout bob 10 m",
        "/timeout bob 3x spam",
    ] {
        type_text(&mut state, bad);
        let effects = key(&mut state, KeyCode::Enter);
        if bad == "/timeout bob 10 m" {
            // `10` is a length; `m` is then the reason, as Twitch reads it.
            assert_eq!(
                helix_effects(&effects),
                [Call::Timeout {
                    user: login("bob"),
                    seconds: 10,
                    reason: "m".into()
                }]
            );
            continue;
        }
        assert!(helix_effects(&effects).is_empty(), "{bad}");
        assert_eq!(state.input.text, bad, "the line stays to be fixed");
        assert!(last_system(&state).contains("is not a duration"), "{bad}");
        assert!(last_system(&state).contains("1h30m"), "the accepted forms");
        state.input.take();
    }
    type_text(&mut state, "/timeout bob 1h30m spam links");
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Enter)),
        [Call::Timeout {
            user: login("bob"),
            seconds: 5400,
            reason: "spam links".into()
        }]
    );
}

#[test]
fn the_ban_question_names_the_login_and_only_y_bans() {
    let mut state = room("moderator/1", None);
    for (login, id) in [("xiaolei1", "c-1"), ("xiaolei2", "c-2")] {
        line(
            &mut state,
            &format!(
                "@badges=;color=;display-name=小雷;emotes=;id={id};tmi-sent-ts={T0} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #chan :你好"
            ),
        );
    }
    select_newest(&mut state);
    key(&mut state, KeyCode::Char('b'));
    assert!(
        matches!(&state.overlay, Some(Overlay::Confirm { question, .. }) if question == "Ban 小雷 (xiaolei2) from #chan?"),
        "{:?}",
        state.overlay
    );
    assert!(helix_effects(&key(&mut state, KeyCode::Enter)).is_empty());
    assert!(
        matches!(state.overlay, Some(Overlay::Confirm { .. })),
        "Enter is no answer"
    );
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Char('y'))),
        [Call::Ban {
            user: login("xiaolei2"),
            reason: String::new()
        }]
    );
}

#[test]
fn a_message_over_500_characters_is_refused_and_kept() {
    let mut state = room("moderator/1", None);
    let long = "a".repeat(559);
    type_text(&mut state, &long);
    let effects = key(&mut state, KeyCode::Enter);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Send { .. })));
    assert_eq!(state.input.text, long);
    assert!(
        last_system(&state).contains("59 characters over Twitch's limit of 500"),
        "{}",
        last_system(&state)
    );
    state.input.take();
    type_text(&mut state, &format!("/me {}", "b".repeat(501)));
    key(&mut state, KeyCode::Enter);
    assert!(
        state.input.text.starts_with("/me bbb"),
        "{}",
        state.input.text
    );
    state.input.take();
    type_text(&mut state, &"c".repeat(500));
    let effects = key(&mut state, KeyCode::Enter);
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { .. })));
}

#[test]
fn warn_keeps_the_draft_for_after_or_for_esc() {
    let mut state = room("moderator/1", None);
    type_text(&mut state, "half a thought");
    select_newest(&mut state);
    key(&mut state, KeyCode::Char('w'));
    assert_eq!(state.input.text, "/warn bob ");
    assert!(last_system(&state).contains("Your draft comes back"));
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.input.text, "half a thought", "Esc brings it back");
    select_newest(&mut state);
    key(&mut state, KeyCode::Char('w'));
    type_text(&mut state, "no ads");
    assert_eq!(
        helix_effects(&key(&mut state, KeyCode::Enter)),
        [Call::Warn {
            user: login("bob"),
            reason: "no ads".into()
        }]
    );
    assert_eq!(state.input.text, "half a thought", "and after the warning");
}

/// #chan where we moderate, with 40 messages `m0` .. `m39` from `user0` .. `user39`, on a
/// screen with 30 rows for messages.
fn forty(state: &mut AppState) {
    update(
        state,
        Msg::Resize {
            width: 120,
            height: 35,
        },
    );
    for n in 0..40 {
        say(
            state,
            "chan",
            &format!("user{n}"),
            &format!("m{n}"),
            &format!("message {n}"),
        );
    }
}

fn labels(state: &AppState) -> Vec<(String, u64)> {
    match &state.mode {
        Mode::Hints { labels, .. } => labels.clone(),
        other => panic!("not in hint mode: {other:?}"),
    }
}

/// The label hint mode gave the message `text`.
fn label_of(state: &AppState, text: &str) -> String {
    let chan = &state.channels[0];
    labels(state)
        .into_iter()
        .find(|(_, seq)| {
            matches!(&chan.entry(*seq).unwrap().body,
                ttvchat::state::message::Body::Chat(c) if c.text == text)
        })
        .map(|(label, _)| label)
        .unwrap_or_else(|| panic!("no label on {text}"))
}

#[test]
fn hint_mode_reaches_any_visible_message_in_three_keys_and_holds_it_through_a_flood() {
    let mut state = room("moderator/1", None);
    forty(&mut state);
    ctrl(&mut state, 'g');
    let all = labels(&state);
    assert_eq!(
        all.len(),
        state.message_rows(),
        "a label for each row that can show"
    );
    assert!(all.iter().all(|(l, _)| (1..=2).contains(&l.len())));
    assert_eq!(
        label_of(&state, "message 39"),
        "a",
        "the newest gets the first letter"
    );
    // An older message on screen: its label, typed while a flood arrives, selects exactly it.
    let target = label_of(&state, "message 12");
    assert_eq!(target.len(), 2, "{target}");
    let mut chars = target.chars();
    key(&mut state, KeyCode::Char(chars.next().unwrap()));
    for n in 0..50 {
        say(&mut state, "chan", "flooder", &format!("f{n}"), "spam spam");
    }
    key(&mut state, KeyCode::Char(chars.next().unwrap()));
    assert_eq!(state.mode, Mode::Select);
    assert_eq!(selected_chat(&state).unwrap().0, "user12");
    let effects = key(&mut state, KeyCode::Char('t'));
    assert_eq!(
        helix_effects(&effects),
        [Call::Timeout {
            user: login("user12"),
            seconds: 600,
            reason: String::new(),
        }]
    );
}

#[test]
fn hint_mode_refuses_a_label_that_is_not_there_and_esc_goes_back_to_live_chat() {
    let mut state = room("moderator/1", None);
    forty(&mut state);
    alt(&mut state, 'f');
    let first = label_of(&state, "message 12").chars().next().unwrap();
    key(&mut state, KeyCode::Char(first));
    // A letter no label goes on with: refused, still in hint mode, nothing selected.
    let taken: Vec<String> = labels(&state).into_iter().map(|(l, _)| l).collect();
    let wrong = ('a'..='z')
        .find(|c| !taken.iter().any(|l| l.starts_with(&format!("{first}{c}"))))
        .unwrap();
    let effects = key(&mut state, KeyCode::Char(wrong));
    assert!(effects.is_empty());
    assert!(matches!(state.mode, Mode::Hints { .. }));
    assert!(
        state
            .feedback
            .as_ref()
            .unwrap()
            .1
            .contains("No message has the label")
    );
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(state.channels[0].anchor, None, "live chat again");
    assert_eq!(state.input.text, "", "no letter of a label was typed");
}

#[test]
fn f_in_select_mode_shows_labels_and_y_copies_to_the_clipboard() {
    let mut state = room("moderator/1", None);
    forty(&mut state);
    select_newest(&mut state);
    key(&mut state, KeyCode::Char('f'));
    let label = label_of(&state, "message 30");
    type_text(&mut state, &label);
    assert_eq!(selected_chat(&state).unwrap().0, "user30");
    let effects = key(&mut state, KeyCode::Char('y'));
    assert_eq!(effects, [Effect::Clipboard("message 30".into())]);
    assert_eq!(state.mode, Mode::Select, "still selecting after a copy");
    assert!(
        state
            .feedback
            .as_ref()
            .unwrap()
            .1
            .starts_with("Copied 10 characters")
    );
}

#[test]
fn rebound_moderation_keys_act_and_the_old_ones_type() {
    let config = ttvchat::config::Config::parse(
        "[keys.select]\ndelete = [\"t\"]\ntimeout = [\"z\"]\n",
        None,
    )
    .unwrap();
    let mut state = room("moderator/1", None);
    state.settings = config.settings;
    select_newest(&mut state);
    let effects = key(&mut state, KeyCode::Char('t'));
    assert_eq!(
        helix_effects(&effects),
        [Call::Delete {
            message_id: "m-1".into()
        }]
    );
    key(&mut state, KeyCode::Char('z'));
    let effects = key(&mut state, KeyCode::Char('d'));
    assert!(helix_effects(&effects).is_empty(), "d is no longer a key");
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(state.input.text, "d");
}

#[test]
fn in_a_short_channel_every_message_gets_a_label_the_newest_first() {
    let mut state = room("moderator/1", None);
    update(
        &mut state,
        Msg::Resize {
            width: 120,
            height: 40,
        },
    );
    for n in 0..3 {
        say(
            &mut state,
            "chan",
            "amy",
            &format!("a{n}"),
            &format!("hello {n}"),
        );
    }
    ctrl(&mut state, 'g');
    assert_eq!(label_of(&state, "hello 2"), "a");
    assert_eq!(label_of(&state, "hello 0"), "d");
    assert_eq!(labels(&state).len(), state.channels[0].messages.len());
}

#[test]
fn our_timeout_and_twitchs_echo_of_it_are_one_line_whichever_comes_first() {
    let mut state = room("moderator/1", None);
    say(&mut state, "chan", "xiaolei", "m-2", "你好");
    // The display name is in other letters: lines name both.
    line(
        &mut state,
        "@badges=;display-name=小雷;id=m-3;tmi-sent-ts=1700000000000 :xiaolei!xiaolei@xiaolei.tmi.twitch.tv PRIVMSG #chan :再见",
    );
    let timeout = |user: &str| Call::Timeout {
        user: login(user),
        seconds: 600,
        reason: String::new(),
    };
    let done = |state: &mut AppState, call: Call| {
        update(
            state,
            Msg::Helix {
                channel: login("chan"),
                call,
                result: Ok(Reply::Done),
            },
        )
    };
    // The echo first, then our confirmation: the echo's line becomes ours.
    line(
        &mut state,
        "@ban-duration=600;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #chan :bob",
    );
    assert_eq!(last_system(&state), "bob was timed out for 10m.");
    done(&mut state, timeout("bob"));
    // Our confirmation first, then the echo: nothing more.
    done(&mut state, timeout("xiaolei"));
    line(
        &mut state,
        "@ban-duration=600;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #chan :xiaolei",
    );
    assert_eq!(
        systems(&state, 0)
            .iter()
            .filter(|l| l.contains("timed out"))
            .collect::<Vec<_>>(),
        [
            "You timed out bob for 10m.",
            "You timed out 小雷 (xiaolei) for 10m."
        ]
    );
    // Someone else's timeout, a minute later, is its own line.
    update(&mut state, Msg::Tick(T0 + 60_000));
    line(
        &mut state,
        "@ban-duration=60;tmi-sent-ts=1700000060000 :tmi.twitch.tv CLEARCHAT #chan :bob",
    );
    assert_eq!(last_system(&state), "bob was timed out for 1m.");
}

#[test]
fn what_twitch_would_refuse_or_what_is_already_so_is_said_before_sending() {
    let mut state = room("moderator/1", None);
    line(
        &mut state,
        "@badges=moderator/1;display-name=Mia;id=m-9;tmi-sent-ts=1700000000000 :mia!mia@mia.tmi.twitch.tv PRIVMSG #chan :I keep order",
    );
    line(
        &mut state,
        "@emote-only=0;followers-only=-1;r9k=0;room-id=1;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #chan",
    );
    for (command, said) in [
        (
            "/timeout mia 10m",
            "Mia is a moderator of #chan, and Twitch does not let a moderator be timed out (the broadcaster can /unmod them first). Nothing was sent.",
        ),
        (
            "/ban chan",
            "chan is the broadcaster of #chan, and Twitch does not let the broadcaster be banned. Nothing was sent.",
        ),
        (
            "/slowoff",
            "Nothing to change in #chan: slow mode is off already. Nothing was sent.",
        ),
        (
            "/followersoff",
            "Nothing to change in #chan: followers-only mode is off already. Nothing was sent.",
        ),
    ] {
        type_text(&mut state, command);
        let effects = key(&mut state, KeyCode::Enter);
        assert!(helix_effects(&effects).is_empty(), "{command}");
        assert_eq!(last_system(&state), said, "{command}");
    }
    // The same from the keys: selecting Mia's message and pressing b asks nothing, bans no one.
    select_newest(&mut state);
    let effects = key(&mut state, KeyCode::Char('b'));
    assert!(helix_effects(&effects).is_empty());
    assert_eq!(state.overlay, None);
    assert!(last_system(&state).starts_with("Mia is a moderator of #chan"));
    // What is not so yet goes out.
    key(&mut state, KeyCode::Esc);
    type_text(&mut state, "/slow 30");
    assert_eq!(helix_effects(&key(&mut state, KeyCode::Enter)).len(), 1);
}

#[test]
fn the_user_list_takes_keys_narrows_to_what_is_typed_and_opens_cards() {
    let mut state = room("moderator/1", None);
    for name in ["amy", "anna", "bert", "annabel"] {
        say(&mut state, "chan", name, &format!("id-{name}"), "hi");
    }
    key(&mut state, KeyCode::F(2));
    assert!(state.show_users);
    type_text(&mut state, "ann");
    assert_eq!(
        state.mode,
        Mode::Users {
            filter: "ann".into(),
            selected: 0
        }
    );
    assert_eq!(
        state.input.text, "",
        "typing finds names, it does not write"
    );
    key(&mut state, KeyCode::Down);
    key(&mut state, KeyCode::Down);
    let effects = key(&mut state, KeyCode::Enter);
    // anna, annabel: the second stays marked past the end.
    assert!(
        matches!(&state.overlay, Some(Overlay::Card(view)) if view.login.as_str() == "annabel")
    );
    assert!(
        matches!(&effects[..], [Effect::Helix { call: Call::Card { user, .. }, .. }] if user.as_str() == "annabel")
    );
    key(&mut state, KeyCode::Esc);
    assert!(matches!(state.mode, Mode::Users { .. }), "back in the list");
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Input);
    assert!(
        state.show_users,
        "the list stays, the keys go back to typing"
    );
    key(&mut state, KeyCode::F(2));
    assert!(!state.show_users, "F2 hides it");
    key(&mut state, KeyCode::F(2));
    assert!(state.show_users && matches!(state.mode, Mode::Users { .. }));
}

#[test]
fn chatters_go_into_the_user_list_all_of_them() {
    let mut state = room("moderator/1", None);
    let names: Vec<String> = (0..1500).map(|n| format!("viewer{n}")).collect();
    update(
        &mut state,
        Msg::Helix {
            channel: login("chan"),
            call: Call::Chatters,
            result: Ok(Reply::Names {
                names: names.clone(),
                total: 1500,
            }),
        },
    );
    assert_eq!(
        last_system(&state),
        "Chatters of #chan: 1500, all in the user list (type to find a name)."
    );
    assert!(state.show_users);
    assert!(matches!(state.mode, Mode::Users { .. }));
    assert!(state.channels[0].members.contains_key("viewer1499"));
    type_text(&mut state, "viewer1499");
    assert_eq!(
        state.channels[0].listed_login("viewer1499", 0).as_deref(),
        Some("viewer1499")
    );
}

#[test]
fn a_window_too_narrow_for_the_user_list_says_so_and_never_hides_keys_in_it() {
    let mut state = room("moderator/1", None);
    update(
        &mut state,
        Msg::Resize {
            width: 40,
            height: 20,
        },
    );
    key(&mut state, KeyCode::F(2));
    assert!(!state.show_users);
    assert_eq!(
        state.feedback.as_ref().unwrap().1,
        "The user list needs a window 52 columns wide."
    );
    update(
        &mut state,
        Msg::Resize {
            width: 100,
            height: 20,
        },
    );
    key(&mut state, KeyCode::F(2));
    assert!(matches!(state.mode, Mode::Users { .. }));
    update(
        &mut state,
        Msg::Resize {
            width: 40,
            height: 20,
        },
    );
    assert_eq!(
        state.mode,
        Mode::Input,
        "typing again, not into a list that is not shown"
    );
    type_text(&mut state, "hi");
    assert_eq!(state.input.text, "hi");
}

#[test]
fn each_kind_of_helix_failure_is_told_in_its_own_words() {
    let mut state = room("moderator/1", None);
    let timeout = Call::Timeout {
        user: login("bob"),
        seconds: 600,
        reason: String::new(),
    };
    let told = |state: &mut AppState, failure: Failure| {
        update(
            state,
            Msg::Helix {
                channel: login("chan"),
                call: timeout.clone(),
                result: Err(failure),
            },
        );
        last_system(state)
    };
    assert_eq!(
        told(
            &mut state,
            Failure::MissingScope {
                scope: "moderator:manage:banned_users".into()
            }
        ),
        "Could not time out bob: your login lacks the moderator:manage:banned_users permission. Log in again (ttvchat login) to grant it."
    );
    assert_eq!(
        told(&mut state, Failure::RateLimited { retry_in: 30 }),
        "Could not time out bob: Twitch is rate limiting ttvchat; try again in 30s."
    );
    assert_eq!(
        told(
            &mut state,
            Failure::NotAllowed {
                message: "The user in moderator_id is not one of the broadcaster's moderators."
                    .into()
            }
        ),
        "Could not time out bob: The user in moderator_id is not one of the broadcaster's moderators."
    );
    assert_eq!(
        told(
            &mut state,
            Failure::Network {
                message: "connection refused".into()
            }
        ),
        "Could not time out bob: Twitch could not be reached (connection refused)."
    );
    assert_eq!(
        told(
            &mut state,
            Failure::LoggedOut {
                message: "invalid token".into()
            }
        ),
        "Could not time out bob: Twitch no longer accepts your login (invalid token). Log in again (ttvchat login)."
    );
}

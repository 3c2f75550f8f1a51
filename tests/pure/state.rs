//! Reducer scenarios: sequences of messages (raw Twitch lines, keys, send outcomes) into
//! `state::update`, with assertions on the state and on the effects out. No I/O, no clock.

use crate::reducer;

use std::time::Duration;

use reducer::*;

use ttvchat::net::chat::{ChatEvent, DisconnectReason, DropReason, SendStatus};
use ttvchat::net::outbox::OutgoingMessage;
use ttvchat::state::channel::Group;
use ttvchat::state::keymap::{Key, KeyCode, Mods};
use ttvchat::state::message::{AlertKind, Body, Level, SendState};
use ttvchat::state::{AppState, Connection, Effect, Mode, Msg, Overlay, Settings, update};
use ttvchat::twitch::Login;

#[test]
fn chat_lands_in_its_channel_and_counts_as_unread_elsewhere() {
    let mut state = app(&["a", "b"]);
    say(&mut state, "a", "ann", "1", "hello");
    say(&mut state, "b", "bob", "2", "hey @Me are you there");
    say(&mut state, "b", "bob", "3", "anyone?");
    assert_eq!(chats(&state, 0)[0].text, "hello");
    assert_eq!(
        state.channels[0].unread, 0,
        "the focused tab has nothing unread"
    );
    assert_eq!(
        (state.channels[1].unread, state.channels[1].mentions),
        (2, 1)
    );
    assert!(chats(&state, 1)[0].mention);
    alt(&mut state, '2');
    assert_eq!(state.focus, 1);
    assert_eq!(
        (state.channels[1].unread, state.channels[1].mentions),
        (0, 0)
    );
    assert_eq!(state.channels[1].members["bob"].group, Group::Others);
}

#[test]
fn the_user_list_groups_people_from_names_joins_chat_and_our_userstate() {
    let mut state = app(&["cozy"]);
    line(&mut state, ":me.tmi.twitch.tv 353 me = #cozy :me cozy ann");
    line(&mut state, ":me.tmi.twitch.tv 353 me = #cozy :bob");
    line(&mut state, ":dan!dan@dan.tmi.twitch.tv JOIN #cozy");
    line(
        &mut state,
        "@badge-info=;badges=moderator/1;color=;display-name=Me;emote-sets=0;mod=1;subscriber=0;user-type=mod :tmi.twitch.tv USERSTATE #cozy",
    );
    let raw = format!(
        "@badges=vip/1;display-name=Ann;id=1;tmi-sent-ts={T0} :ann!ann@ann.tmi.twitch.tv PRIVMSG #cozy :hi"
    );
    line(&mut state, &raw);
    let chan = &state.channels[0];
    let group = |login: &str| chan.members[login].group;
    assert_eq!(group("cozy"), Group::Broadcaster);
    assert_eq!(group("me"), Group::Moderators, "our USERSTATE badges");
    assert_eq!(chan.members["me"].display, "Me");
    assert_eq!(group("ann"), Group::Vips, "her badges when she chats");
    assert_eq!(group("bob"), Group::Others);
    assert_eq!(group("dan"), Group::Others);
    assert_eq!(
        chan.group_counts().map(|(_, n)| n),
        [1, 1, 1, 0, 2],
        "broadcaster, moderators, VIPs, subscribers, others"
    );
    line(&mut state, ":dan!dan@dan.tmi.twitch.tv PART #cozy");
    line(&mut state, ":ann!ann@ann.tmi.twitch.tv PART #cozy");
    let chan = &state.channels[0];
    assert!(!chan.members.contains_key("dan"), "left");
    assert!(
        chan.members.contains_key("ann"),
        "still listed: she chatted a moment ago"
    );
}

#[test]
fn deletes_timeouts_bans_and_clears_grey_out_but_keep_messages() {
    let mut state = app(&["a"]);
    say(&mut state, "a", "ann", "m1", "first");
    say(&mut state, "a", "bob", "m2", "spam");
    say(&mut state, "a", "bob", "m3", "more spam");
    line(
        &mut state,
        "@login=ann;target-msg-id=m1 :tmi.twitch.tv CLEARMSG #a :first",
    );
    let gone: Vec<bool> = state.channels[0].messages.iter().map(|e| e.gone).collect();
    assert_eq!(gone, [true, false, false]);
    line(
        &mut state,
        "@ban-duration=600;target-user-id=9 :tmi.twitch.tv CLEARCHAT #a :bob",
    );
    assert!(
        state.channels[0]
            .messages
            .iter()
            .filter(|e| matches!(&e.body, Body::Chat(c) if c.author.login == "bob"))
            .all(|e| e.gone)
    );
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "bob was timed out for 10m."
    );
    line(
        &mut state,
        "@target-user-id=9 :tmi.twitch.tv CLEARCHAT #a :bob",
    );
    assert_eq!(systems(&state, 0).last().unwrap(), "bob was banned.");
    say(&mut state, "a", "cat", "m4", "hi");
    line(&mut state, ":tmi.twitch.tv CLEARCHAT #a");
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "The chat was cleared by a moderator."
    );
    assert!(chats(&state, 0).len() == 4, "nothing is removed");
}

#[test]
fn room_state_updates_are_partial_and_announced_after_the_first() {
    let mut state = app(&["a"]);
    line(
        &mut state,
        "@emote-only=0;followers-only=-1;r9k=0;room-id=1;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #a",
    );
    assert!(
        systems(&state, 0).is_empty(),
        "the join's full ROOMSTATE is not news"
    );
    line(&mut state, "@room-id=1;slow=30 :tmi.twitch.tv ROOMSTATE #a");
    line(
        &mut state,
        "@followers-only=10;room-id=1 :tmi.twitch.tv ROOMSTATE #a",
    );
    let modes = state.channels[0].modes;
    assert_eq!(modes.slow_s, Some(30));
    assert_eq!(modes.followers_only, Some(Some(10)));
    assert_eq!(
        modes.subs_only,
        Some(false),
        "untouched by the partial updates"
    );
    assert_eq!(
        systems(&state, 0),
        [
            "Slow mode is on: one message every 30s.",
            "Followers-only mode is on: 10 minutes of following."
        ]
    );
}

#[test]
fn a_rejoin_repeating_the_room_state_says_nothing_and_only_changes_are_told() {
    let mut state = app(&["a"]);
    let full = |slow: u32| {
        format!(
            "@emote-only=0;followers-only=-1;r9k=0;room-id=1;slow={slow};subs-only=0 :tmi.twitch.tv ROOMSTATE #a"
        )
    };
    line(&mut state, &full(0));
    line(&mut state, "@room-id=1;slow=30 :tmi.twitch.tv ROOMSTATE #a");
    assert_eq!(systems(&state, 0).len(), 1);
    // Reconnects: Twitch sends every mode again on each join.
    for _ in 0..5 {
        line(&mut state, &full(30));
    }
    assert_eq!(
        systems(&state, 0),
        ["Slow mode is on: one message every 30s."]
    );
    line(&mut state, &full(0));
    assert_eq!(systems(&state, 0).last().unwrap(), "Slow mode is off.");
    assert_eq!(systems(&state, 0).len(), 2);
}

#[test]
fn scrollback_is_capped_and_the_view_stays_valid() {
    let mut state = AppState::new(
        Settings {
            scrollback: 50,
            ..Settings::default()
        },
        &[Login::parse("a").unwrap()],
        T0,
    );
    for i in 0..40 {
        say(
            &mut state,
            "a",
            "ann",
            &format!("id{i}"),
            &format!("message {i}"),
        );
    }
    update(&mut state, Msg::Key(Key::plain(KeyCode::PageUp)));
    let anchor = state.channels[0].anchor.expect("scrolled up");
    for i in 40..200 {
        say(
            &mut state,
            "a",
            "ann",
            &format!("id{i}"),
            &format!("message {i}"),
        );
    }
    let chan = &state.channels[0];
    assert_eq!(chan.messages.len(), 50);
    assert_eq!(chats(&state, 0)[0].text, "message 150");
    assert!(chan.anchor.unwrap() >= anchor && chan.index_of(chan.anchor.unwrap()).is_some());
    assert_eq!(
        chan.below_anchor(),
        49,
        "the view holds on the oldest kept message"
    );
    ctrl(&mut state, 'c');
    update(
        &mut state,
        Msg::Key(Key {
            code: KeyCode::End,
            mods: Mods {
                ctrl: true,
                ..Mods::default()
            },
        }),
    );
    assert_eq!(state.channels[0].anchor, None, "back to live");
}

#[test]
fn sending_shows_pending_then_confirmed_or_failed_and_retry_resends() {
    let mut state = app(&["a"]);
    type_text(&mut state, "hello there");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Send { id, message }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        message,
        &OutgoingMessage {
            channel: Login::parse("a").unwrap(),
            text: "hello there".into(),
            action: false,
            reply_to: None
        }
    );
    assert_eq!(chats(&state, 0)[0].send, Some(SendState::Pending(*id)));
    assert!(state.input.is_empty());
    let wait = Duration::from_secs(3);
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing {
            id: *id,
            status: SendStatus::Throttled { wait },
        }),
    );
    assert!(state.throttled);
    assert_eq!(chats(&state, 0)[0].send, Some(SendState::Throttled(*id, 3)));
    let confirmed = SendStatus::Confirmed {
        message_id: Some("twitch-id".into()),
    };
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing {
            id: *id,
            status: confirmed,
        }),
    );
    assert!(!state.throttled);
    assert_eq!(chats(&state, 0)[0].send, Some(SendState::Confirmed));
    assert_eq!(chats(&state, 0)[0].id.as_deref(), Some("twitch-id"));

    type_text(&mut state, "/me waves");
    let effects = key(&mut state, KeyCode::Enter);
    let [
        Effect::Send {
            id: second,
            message,
        },
    ] = effects.as_slice()
    else {
        panic!()
    };
    assert!(message.action && message.text == "waves");
    let rejected = SendStatus::Rejected {
        msg_id: "msg_slowmode".into(),
        reason: "This room is in slow mode.".into(),
    };
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing {
            id: *second,
            status: rejected,
        }),
    );
    assert!(
        matches!(&chats(&state, 0)[1].send, Some(SendState::Failed { reason, .. }) if reason == "This room is in slow mode.")
    );
    let effects = ctrl(&mut state, 'r');
    let [
        Effect::Send {
            id: third,
            message: again,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_ne!(third, second);
    assert!(
        state
            .feedback
            .as_ref()
            .unwrap()
            .1
            .starts_with("Sending again: "),
        "{:?}",
        state.feedback
    );
    assert_eq!(again, message, "the same message goes out again");
    assert_eq!(chats(&state, 0)[1].send, Some(SendState::Pending(*third)));
    assert_eq!(
        chats(&state, 0).len(),
        2,
        "retrying does not duplicate the line"
    );
    let dropped = SendStatus::Dropped {
        reason: DropReason::QueueFull,
    };
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing {
            id: *third,
            status: dropped,
        }),
    );
    assert!(matches!(
        &chats(&state, 0)[1].send,
        Some(SendState::Failed { .. })
    ));
}

#[test]
fn selection_moves_over_messages_and_replies_or_copies() {
    let mut state = app(&["a"]);
    say(&mut state, "a", "ann", "m1", "what time is it");
    say(&mut state, "a", "bob", "m2", "lunch time");
    ctrl(&mut state, 's');
    assert_eq!(state.mode, Mode::Select);
    key(&mut state, KeyCode::Up);
    key(&mut state, KeyCode::Char('r'));
    assert_eq!(state.mode, Mode::Input);
    assert_eq!(
        state.input.reply.as_ref().map(|(id, _)| id.as_str()),
        Some("m1")
    );
    assert_eq!(state.input.text, "@ann ");
    type_text(&mut state, "noon");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Send { message, .. }] = effects.as_slice() else {
        panic!()
    };
    assert_eq!(message.reply_to.as_deref(), Some("m1"));
    assert_eq!(message.text, "@ann noon");
    assert_eq!(
        chats(&state, 0)[2].reply.as_ref().map(|r| r.name.as_str()),
        Some("ann")
    );

    ctrl(&mut state, 's');
    key(&mut state, KeyCode::Up);
    key(&mut state, KeyCode::Char('c'));
    assert_eq!(state.input.text, "lunch time");
    key(&mut state, KeyCode::Esc);
}

#[test]
fn gift_bombs_group_into_one_alert() {
    let mut state = app(&["a"]);
    let mystery = "@display-name=Giver;login=giver;msg-id=submysterygift;msg-param-mass-gift-count=3;msg-param-origin-id=g1;msg-param-sub-plan=1000;msg-param-community-gift-id=g1 :tmi.twitch.tv USERNOTICE #a";
    line(&mut state, mystery);
    for who in ["x", "y", "z"] {
        let gift = format!(
            "@display-name=Giver;login=giver;msg-id=subgift;msg-param-recipient-display-name={who};msg-param-recipient-user-name={who};msg-param-sub-plan=1000;msg-param-community-gift-id=g1 :tmi.twitch.tv USERNOTICE #a"
        );
        line(&mut state, &gift);
    }
    let alerts: Vec<_> = state.channels[0]
        .messages
        .iter()
        .filter_map(|e| match &e.body {
            Body::Alert(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].kind, AlertKind::Gift);
    assert_eq!(alerts[0].title, "Giver is gifting 3 subs at Tier 1");
    assert_eq!(alerts[0].gift.as_ref().unwrap().recipients, ["x", "y", "z"]);
}

#[test]
fn tab_completes_recent_chatters_first_then_emotes() {
    let mut state = app(&["a"]);
    say(&mut state, "a", "alice", "1", "hi");
    say(&mut state, "a", "albert", "2", "hello");
    line(
        &mut state,
        "@display-name=Zed;emotes=25:0-4 :zed!zed@zed.tmi.twitch.tv PRIVMSG #a :Kappa",
    );
    type_text(&mut state, "hey @al");
    key(&mut state, KeyCode::Tab);
    assert_eq!(
        state.input.text, "hey @albert ",
        "the most recent chatter first"
    );
    key(&mut state, KeyCode::Tab);
    assert_eq!(state.input.text, "hey @alice ");
    type_text(&mut state, "Ka");
    key(&mut state, KeyCode::Tab);
    assert_eq!(state.input.text, "hey @alice Kappa ");
}

#[test]
fn search_jumps_to_older_matches() {
    let mut state = app(&["a"]);
    for (i, text) in ["apple pie", "banana", "apple juice", "cherry"]
        .iter()
        .enumerate()
    {
        say(&mut state, "a", "ann", &i.to_string(), text);
    }
    ctrl(&mut state, 'f');
    type_text(&mut state, "apple");
    let seq_of = |state: &AppState, text: &str| {
        state.channels[0]
            .messages
            .iter()
            .find(|e| matches!(&e.body, Body::Chat(c) if c.text == text))
            .unwrap()
            .seq
    };
    assert_eq!(
        state.channels[0].anchor,
        Some(seq_of(&state, "apple juice"))
    );
    key(&mut state, KeyCode::Enter);
    assert_eq!(state.channels[0].anchor, Some(seq_of(&state, "apple pie")));
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Input);
}

#[test]
fn commands_join_part_quit_and_explain_mistakes() {
    let mut state = app(&["a"]);
    type_text(&mut state, "/join #b c");
    let effects = key(&mut state, KeyCode::Enter);
    assert_eq!(
        effects,
        [
            Effect::Join(Login::parse("b").unwrap()),
            Effect::Join(Login::parse("c").unwrap())
        ]
    );
    assert_eq!(state.channels.len(), 3);
    assert_eq!(state.focus, 2);
    type_text(&mut state, "/part");
    assert_eq!(
        key(&mut state, KeyCode::Enter),
        [Effect::Part(Login::parse("c").unwrap())]
    );
    assert_eq!(state.channels.len(), 2);
    type_text(&mut state, "/dance now");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert_eq!(
        systems(&state, state.focus).last().unwrap(),
        "unknown command /dance (/help lists the commands)"
    );
    assert_eq!(
        state.input.text, "/dance now",
        "the mistyped line stays for fixing"
    );
    ctrl(&mut state, 'u');
    type_text(&mut state, "/quit");
    assert_eq!(key(&mut state, KeyCode::Enter), [Effect::Quit]);
}

#[test]
fn anonymous_users_keep_their_text_and_are_told_why() {
    let mut state = app(&["a"]);
    connect(&mut state, "justinfan123", true);
    type_text(&mut state, "can I talk");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert_eq!(state.input.text, "can I talk");
    assert!(
        systems(&state, 0)
            .last()
            .unwrap()
            .starts_with("Read-only: log in to chat")
    );
}

#[test]
fn the_connection_story_is_told() {
    let mut state = app(&["a"]);
    assert_eq!(state.connection, Connection::Connected);
    let lost = ChatEvent::Disconnected {
        reason: DisconnectReason::PingTimeout,
        retry_in: Some(Duration::from_secs(4)),
    };
    update(&mut state, Msg::Chat(lost));
    assert_eq!(
        state.connection,
        Connection::Reconnecting {
            at: T0 + 4000,
            reason: "no answer to PING".into()
        }
    );
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "Disconnected (no answer to PING); reconnecting in 4s."
    );
    assert!(!state.channels[0].joined);
    // Attempts that fail update the same line, which counts them.
    for n in 0..5 {
        update(&mut state, Msg::Tick(T0 + 10_000 * (n + 1)));
        update(
            &mut state,
            Msg::Chat(ChatEvent::Connecting {
                attempt: n as u32 + 2,
            }),
        );
        let again = ChatEvent::Disconnected {
            reason: DisconnectReason::PingTimeout,
            retry_in: Some(Duration::from_secs(8)),
        };
        update(&mut state, Msg::Chat(again));
    }
    assert_eq!(
        systems(&state, 0),
        ["Disconnected (no answer to PING); reconnecting, attempt 6, next in 8s."]
    );
    update(&mut state, Msg::Tick(T0 + 62_000));
    update(&mut state, Msg::Chat(ChatEvent::Connecting { attempt: 7 }));
    connect(&mut state, "me", false);
    assert_eq!(
        systems(&state, 0),
        ["Connected again as me after 6 attempts (lost for 1m 2s)."]
    );
    // The next outage has a line of its own.
    let lost = ChatEvent::Disconnected {
        reason: DisconnectReason::PingTimeout,
        retry_in: Some(Duration::ZERO),
    };
    update(&mut state, Msg::Chat(lost));
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "Disconnected (no answer to PING); reconnecting now."
    );
    assert_eq!(systems(&state, 0).len(), 2);
    connect(&mut state, "me", false);
    update(
        &mut state,
        Msg::Chat(ChatEvent::Joined {
            channel: Login::parse("a").unwrap(),
        }),
    );
    assert!(state.channels[0].joined);
    let failed = ChatEvent::JoinFailed {
        channel: Login::parse("a").unwrap(),
        reason: "This channel has been suspended.".into(),
    };
    update(&mut state, Msg::Chat(failed));
    let last = state.channels[0].messages.back().unwrap();
    assert!(matches!(&last.body, Body::System(s) if s.level == Level::Error));
}

fn help(scroll: usize, filter: &str) -> Option<Overlay> {
    Some(Overlay::Help {
        scroll,
        filter: filter.to_owned(),
    })
}

#[test]
fn only_f1_opens_help_so_question_marks_can_be_sent() {
    let mut state = app(&["a"]);
    key(&mut state, KeyCode::Char('?'));
    assert_eq!(state.overlay, None, "? on an empty line is typed");
    type_text(&mut state, "??");
    assert_eq!(state.input.text, "???");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(
        matches!(&effects[..], [Effect::Send { message, .. }] if message.text == "???"),
        "{effects:?}"
    );
    key(&mut state, KeyCode::F(1));
    assert_eq!(state.overlay, help(0, ""));
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.overlay, None);
    key(&mut state, KeyCode::F(1));
    key(&mut state, KeyCode::F(1));
    assert_eq!(state.overlay, None, "F1 closes it again");
}

#[test]
fn typing_in_help_filters_it() {
    let mut state = app(&["a"]);
    key(&mut state, KeyCode::F(1));
    type_text(&mut state, "ban");
    assert_eq!(state.overlay, help(0, "ban"));
    assert_eq!(state.input.text, "", "keys go to the help, not the input");
    let rows = ttvchat::state::help::lines(&state.settings, "ban");
    let all = ttvchat::state::help::lines(&state.settings, "").len();
    assert!(rows.len() < all / 4, "{} of {all}", rows.len());
    use ttvchat::state::help::HelpLine;
    assert!(rows.iter().all(|r| match r {
        HelpLine::Row { keys, what } => format!("{keys} {what}").to_lowercase().contains("ban"),
        HelpLine::Heading(_) => true,
        _ => false,
    }));
    assert!(rows.contains(&HelpLine::Row {
        keys: "b".into(),
        what: "ban its author (asks first; only y bans)".into()
    }));
    key(&mut state, KeyCode::Backspace);
    assert_eq!(state.overlay, help(0, "ba"));
    ctrl(&mut state, 'u');
    assert_eq!(state.overlay, help(0, ""));
}

#[test]
fn help_scrolls_by_row_and_page_and_stops_at_its_last_page() {
    let mut state = app(&["a"]);
    update(
        &mut state,
        Msg::Resize {
            width: 40,
            height: 11,
        },
    );
    let total = ttvchat::state::help::lines(&state.settings, "").len();
    let last = total - 6;
    let scroll = |state: &AppState| match &state.overlay {
        Some(Overlay::Help { scroll, .. }) => *scroll,
        _ => panic!("the help closed"),
    };
    key(&mut state, KeyCode::F(1));
    key(&mut state, KeyCode::Up);
    assert_eq!(scroll(&state), 0);
    key(&mut state, KeyCode::Down);
    key(&mut state, KeyCode::Down);
    assert_eq!(scroll(&state), 2);
    key(&mut state, KeyCode::PageDown);
    assert_eq!(scroll(&state), 7, "a page is the six rows shown, less one");
    key(&mut state, KeyCode::End);
    assert_eq!(scroll(&state), last, "six rows fit in eleven");
    key(&mut state, KeyCode::Down);
    key(&mut state, KeyCode::PageDown);
    assert_eq!(scroll(&state), last, "never past the last page");
    key(&mut state, KeyCode::PageUp);
    assert_eq!(scroll(&state), last - 5);
    key(&mut state, KeyCode::Home);
    assert_eq!(scroll(&state), 0);
}

#[test]
fn stream_information_is_fetched_at_start_then_every_minute() {
    let mut state = app(&["a", "b"]).with_helix();
    let all = vec![Login::parse("a").unwrap(), Login::parse("b").unwrap()];
    assert_eq!(
        update(&mut state, Msg::Tick(T0 + 10)),
        [Effect::FetchStreams(all.clone()), Effect::Validate],
        "the token is checked at start too"
    );
    assert!(update(&mut state, Msg::Tick(T0 + 30_000)).is_empty());
    assert_eq!(
        update(&mut state, Msg::Tick(T0 + 60_010)),
        [Effect::FetchStreams(all)]
    );
    let info = ttvchat::state::channel::StreamInfo {
        live: true,
        viewers: 42,
        started_at: Some(T0),
        title: "t".into(),
        category: "c".into(),
    };
    update(
        &mut state,
        Msg::Stream {
            channel: Login::parse("b").unwrap(),
            info: Some(info.clone()),
        },
    );
    assert_eq!(state.channels[1].stream, Some(info));
    let mut without = app(&["a"]);
    assert!(
        update(&mut without, Msg::Tick(T0 + 120_000)).is_empty(),
        "no Helix, no requests"
    );
}

#[test]
fn selecting_pauses_live_chat_and_the_view_follows_the_selection() {
    let mut state = app(&["a"]);
    update(
        &mut state,
        Msg::Resize {
            width: 80,
            height: 25,
        },
    );
    let say_n = |state: &mut AppState, range: std::ops::Range<u32>| {
        for i in range {
            say(state, "a", "ann", &i.to_string(), &format!("message {i}"));
        }
    };
    say_n(&mut state, 0..100);
    ctrl(&mut state, 's');
    for _ in 0..5 {
        key(&mut state, KeyCode::Up);
    }
    let selected = state.channels[0].selected;
    // Chat goes on, but the selected message stays where it is on screen.
    say_n(&mut state, 100..140);
    let chan = &state.channels[0];
    assert_eq!(chan.anchor, Some(99), "the view is paused at the bottom");
    assert_eq!(chan.selected, selected);
    assert_eq!(chan.below_anchor(), 40, "new messages wait below, counted");
    for _ in 0..30 {
        key(&mut state, KeyCode::Up);
    }
    let chan = &state.channels[0];
    let (selected, anchor) = (chan.selected.unwrap(), chan.anchor.unwrap());
    assert!(
        anchor > selected && anchor - selected < 10,
        "the selection stays on screen: {selected} {anchor}"
    );
    key(&mut state, KeyCode::End);
    assert_eq!(state.channels[0].anchor, Some(139), "still paused");
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.channels[0].anchor, None, "live again after selecting");
    // Scrolled up before selecting: leaving selection keeps the reading place.
    key(&mut state, KeyCode::PageUp);
    let reading = state.channels[0].anchor;
    assert!(reading.is_some());
    ctrl(&mut state, 's');
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.channels[0].anchor, reading);
}

#[test]
fn the_wheel_scrolls_three_messages_a_notch_and_scrolls_the_help_when_it_shows() {
    let mut state = app(&["a"]);
    for n in 0..30 {
        say(
            &mut state,
            "a",
            "amy",
            &format!("m{n}"),
            &format!("line {n}"),
        );
    }
    let last = state.channels[0].messages.back().unwrap().seq;
    update(&mut state, Msg::Wheel { up: true });
    assert_eq!(state.channels[0].anchor, Some(last - 3));
    update(&mut state, Msg::Wheel { up: true });
    update(&mut state, Msg::Wheel { up: false });
    assert_eq!(state.channels[0].anchor, Some(last - 3));
    update(&mut state, Msg::Wheel { up: false });
    assert_eq!(state.channels[0].anchor, None, "back to live chat");
    key(&mut state, KeyCode::F(1));
    update(&mut state, Msg::Wheel { up: false });
    assert_eq!(state.overlay, help(3, ""));
    assert_eq!(
        state.channels[0].anchor, None,
        "the messages stay put under the help"
    );
}

fn found(state: &AppState) -> Option<(usize, usize)> {
    match &state.mode {
        Mode::Search { found, .. } => *found,
        other => panic!("not searching: {other:?}"),
    }
}

#[test]
fn search_counts_its_matches_finds_alert_bodies_says_when_nothing_matches_and_clears() {
    let mut state = app(&["a"]);
    for (i, text) in ["apple pie", "banana", "apple juice", "cherry"]
        .iter()
        .enumerate()
    {
        say(&mut state, "a", "ann", &i.to_string(), text);
    }
    line(
        &mut state,
        "@display-name=Sub;login=sub;msg-id=resub;msg-param-cumulative-months=5;msg-param-sub-plan=1000;system-msg=Sub\\ssubscribed :tmi.twitch.tv USERNOTICE #a :apple crumble forever",
    );
    ctrl(&mut state, 'f');
    type_text(&mut state, "apple");
    assert_eq!(found(&state), Some((1, 3)), "the resub message is a match");
    key(&mut state, KeyCode::Enter);
    assert_eq!(found(&state), Some((2, 3)));
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Enter);
    assert_eq!(found(&state), Some((3, 3)), "no further than the oldest");
    assert_eq!(
        state.feedback.as_ref().unwrap().1,
        "No older match for “apple” (3 in all)."
    );
    type_text(&mut state, "zzz");
    assert_eq!(found(&state), None);
    assert_eq!(
        state.feedback.as_ref().unwrap().1,
        "No match for “applezzz” here."
    );
    ctrl(&mut state, 'u');
    assert!(matches!(&state.mode, Mode::Search { query, .. } if query.is_empty()));
    type_text(&mut state, "cherry");
    assert_eq!(found(&state), Some((1, 1)));
}

#[test]
fn slips_are_answered_and_keep_what_was_typed() {
    let mut state = app(&["a"]);
    type_text(&mut state, "/reply nobody thanks for the raid");
    key(&mut state, KeyCode::Enter);
    assert_eq!(state.input.text, "/reply nobody thanks for the raid");
    assert!(
        systems(&state, 0)
            .last()
            .unwrap()
            .contains("nobody has said nothing here")
    );
    ctrl(&mut state, 'u');
    type_text(&mut state, "/part #elsewhere");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(effects.is_empty());
    assert_eq!(
        systems(&state, 0).last().unwrap(),
        "#elsewhere is not open here, so there is nothing to leave."
    );
    ctrl(&mut state, 'r');
    assert_eq!(
        state.feedback.as_ref().unwrap().1,
        "No failed message here to send again."
    );
}

#[test]
fn a_waiting_message_can_be_taken_back_to_edit_or_for_good() {
    let mut state = app(&["a"]);
    type_text(&mut state, "/me typo here");
    let [Effect::Send { id, .. }] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let waiting = SendStatus::Throttled {
        wait: Duration::from_secs(10),
    };
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing {
            id,
            status: waiting,
        }),
    );
    type_text(&mut state, "a draft");
    ctrl(&mut state, 's');
    assert_eq!(key(&mut state, KeyCode::Char('e')), [Effect::Cancel(id)]);
    let cancelled = SendStatus::Dropped {
        reason: DropReason::Cancelled,
    };
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing {
            id,
            status: cancelled,
        }),
    );
    assert_eq!(state.input.text, "/me typo here", "back to be edited");
    assert_eq!(state.mode, Mode::Input);
    assert!(
        matches!(&chats(&state, 0)[0].send, Some(SendState::Failed { reason, .. }) if reason == "taken back")
    );
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.input.text, "a draft", "the draft comes back");
    // Someone else's message cannot be taken back; one that went out is too late.
    say(&mut state, "a", "bob", "b1", "hello");
    ctrl(&mut state, 's');
    assert!(key(&mut state, KeyCode::Char('x')).is_empty());
    assert!(
        state
            .feedback
            .as_ref()
            .unwrap()
            .1
            .starts_with("Only your own messages")
    );
    key(&mut state, KeyCode::Esc);
    type_text(&mut state, "quick");
    let [Effect::Send { id, .. }] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    ctrl(&mut state, 's');
    assert_eq!(key(&mut state, KeyCode::Char('x')), [Effect::Cancel(id)]);
    let confirmed = SendStatus::Confirmed { message_id: None };
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing {
            id,
            status: confirmed,
        }),
    );
    assert_eq!(
        state.feedback.as_ref().unwrap().1,
        "Too late to take it back: it had gone out."
    );
}

#[test]
fn a_reply_drops_the_mention_twitch_puts_in_front_as_the_reply_line_names_the_parent() {
    let mut state = app(&["cozy"]);
    let reply = |login: &str, text: &str, emotes: &str| {
        format!(
            "@display-name=Ann;emotes={emotes};id=r1;reply-parent-display-name=Me;reply-parent-msg-body=hello;reply-parent-msg-id=p1;reply-parent-user-login={login};tmi-sent-ts={T0} :ann!ann@ann.tmi.twitch.tv PRIVMSG #cozy :{text}"
        )
    };
    line(&mut state, &reply("me", "@Me  hi Kappa", "25:8-12"));
    let chat = chats(&state, 0)[0].clone();
    assert_eq!(chat.text, "hi Kappa");
    assert_eq!(
        &chat.text[chat.emotes[0].clone()],
        "Kappa",
        "the emote moved along"
    );
    assert!(chat.mention, "a reply to me is still a mention of me");
    assert_eq!(chat.reply.as_ref().map(|r| r.name.as_str()), Some("Me"));
    // Another name, or the mention alone, stays as written.
    line(&mut state, &reply("me", "@Meow hi", ""));
    line(&mut state, &reply("me", "@me", ""));
    let texts: Vec<&str> = chats(&state, 0)[1..]
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(texts, ["@Meow hi", "@me"]);
}

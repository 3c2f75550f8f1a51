//! Panes rendered into buffers: wrapping of CJK, emoji and ZWJ sequences, badge, name and emote
//! styles, struck-out moderation, alerts; whole-screen snapshots with the time pinned; and
//! every terminal size from tiny to huge renders without a panic.

use crate::reducer::{drawn, screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ttvchat::net::chat::ChatEvent;
use ttvchat::state::keymap::{Key, KeyCode};
use ttvchat::state::message::Level;
use ttvchat::state::{AppState, Msg, Settings, update};
use ttvchat::twitch::Login;
use ttvchat::twitch::message::ServerMessage;
use ttvchat::ui;
use ttvchat::ui::capture::rows;
use ttvchat::ui::layouts::Layouts;

/// 2023-11-14 22:13:20 UTC.
const T0: i64 = 1_700_000_000_000;

fn app(channels: &[&str]) -> AppState {
    let logins: Vec<Login> = channels.iter().map(|c| Login::parse(c).unwrap()).collect();
    let mut state = AppState::new(Settings::default(), &logins, T0);
    update(
        &mut state,
        Msg::Chat(ChatEvent::Connected {
            login: Login::parse("me").unwrap(),
            anonymous: false,
            global: None,
        }),
    );
    state
}

fn line(state: &mut AppState, raw: &str) {
    let message = ServerMessage::parse(raw).expect("a valid line");
    update(state, Msg::Chat(ChatEvent::Message(Box::new(message))));
}

fn chat(state: &mut AppState, tags: &str, login: &str, text: &str) {
    line(
        state,
        &format!(
            "@{tags};tmi-sent-ts={T0} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #cozy :{text}"
        ),
    );
}

fn messages(state: &AppState, width: u16, height: u16) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    ui::messages::render(
        state,
        state.focused().unwrap(),
        area,
        &mut buf,
        &mut Layouts::default(),
    );
    buf
}

/// The cell where `needle` starts on the row that contains it.
fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    for (y, row) in rows(buf).iter().enumerate() {
        if let Some(byte) = row.find(needle) {
            let x = ui::wrap::width(&row[..byte]) as u16;
            return (x, y as u16);
        }
    }
    panic!("{needle:?} not on screen: {:#?}", rows(buf));
}

#[test]
fn wide_text_wraps_by_display_width() {
    let mut state = app(&["cozy"]);
    state.settings.show_timestamps = false;
    chat(
        &mut state,
        "display-name=Ann",
        "ann",
        "日本語のテキストです 👨\u{200d}👩\u{200d}👧 family e\u{301}te\u{301}",
    );
    let buf = messages(&state, 20, 3);
    assert_eq!(
        rows(&buf),
        [
            "Ann: 日本語の",
            "  テキストです 👨",
            "  family e\u{301}te\u{301}"
        ],
        "the katakana word moves whole; the ZWJ family shows as its first emoji (its width in \
         every terminal); the accents stay in one piece"
    );
}

#[test]
fn badges_names_emotes_and_actions_are_styled() {
    let mut state = app(&["cozy"]);
    state.settings.show_timestamps = false;
    chat(
        &mut state,
        "badge-info=subscriber/14;badges=moderator/1,subscriber/12;color=#1E90FF;display-name=Mia;emotes=25:6-10",
        "mia",
        "hello Kappa friends",
    );
    chat(
        &mut state,
        "color=#0000FF;display-name=Blue",
        "blue",
        "\u{1}ACTION waves\u{1}",
    );
    chat(
        &mut state,
        "display-name=さくら",
        "sakura_chan",
        "こんにちは",
    );
    let buf = messages(&state, 60, 3);
    let (x, y) = find(&buf, "M S14 Mia: hello Kappa friends");
    assert_eq!(
        buf[(x, y)].bg,
        Color::Rgb(0x00, 0xAD, 0x03),
        "moderator badge"
    );
    assert_eq!(buf[(x + 2, y)].symbol(), "S");
    let name = &buf[(x + 6, y)];
    assert_eq!(name.fg, Color::Rgb(0x1E, 0x90, 0xFF));
    assert!(name.modifier.contains(Modifier::BOLD));
    let (kx, ky) = find(&buf, "Kappa");
    assert_eq!(
        buf[(kx, ky)].fg,
        ui::theme::emote().fg.unwrap(),
        "emote styled"
    );
    assert_ne!(buf[(kx - 2, ky)].fg, buf[(kx, ky)].fg, "plain text is not");
    let (ax, ay) = find(&buf, "* Blue waves");
    let action = &buf[(ax + 7, ay)];
    assert!(action.modifier.contains(Modifier::ITALIC));
    assert_eq!(
        action.fg,
        ui::theme::readable((0, 0, 0xFF)),
        "dark blue lifted for a dark background"
    );
    find(&buf, "さくら (sakura_chan): こんにちは");
}

#[test]
fn moderation_strikes_through_and_says_who_and_how_long() {
    let mut state = app(&["cozy"]);
    state.settings.show_timestamps = false;
    chat(
        &mut state,
        "display-name=Spam;id=s1",
        "spam",
        "buy followers",
    );
    line(
        &mut state,
        "@ban-duration=600 :tmi.twitch.tv CLEARCHAT #cozy :spam",
    );
    let buf = messages(&state, 60, 2);
    let (x, y) = find(&buf, "buy followers");
    assert!(buf[(x, y)].modifier.contains(Modifier::CROSSED_OUT));
    assert_eq!(buf[(x, y)].fg, Color::DarkGray);
    find(&buf, "— Spam was timed out for 10m.");
}

#[test]
fn alerts_carry_an_accent_bar_and_replies_their_context() {
    let mut state = app(&["cozy"]);
    state.settings.show_timestamps = false;
    line(
        &mut state,
        "@display-name=Raider;login=raider;msg-id=raid;msg-param-displayName=Raider;msg-param-login=raider;msg-param-viewerCount=321 :tmi.twitch.tv USERNOTICE #cozy",
    );
    chat(
        &mut state,
        "display-name=Bob;reply-parent-display-name=Ann;reply-parent-msg-body=what\\sa\\svery\\slong\\sparent\\smessage\\sthis\\sis;reply-parent-msg-id=p1;reply-parent-user-login=ann",
        "bob",
        "@Ann yes",
    );
    let buf = messages(&state, 40, 3);
    let (x, y) = find(&buf, "▌ Raider is raiding with 321 viewers");
    assert_eq!(
        buf[(x, y)].fg,
        ui::theme::alert(ttvchat::state::message::AlertKind::Raid)
    );
    let reply = rows(&buf)[1].clone();
    assert!(
        reply.starts_with("↪ replying to @Ann: what a very long"),
        "{reply}"
    );
    assert!(
        reply.ends_with('…') && ui::wrap::width(&reply) <= 40,
        "{reply}"
    );
}

/// A small, busy channel pair with every kind of line.
fn busy() -> AppState {
    let mut state = app(&["cozy", "speedruns"]);
    line(
        &mut state,
        "@emote-only=0;followers-only=10;r9k=0;room-id=1;slow=30;subs-only=0 :tmi.twitch.tv ROOMSTATE #cozy",
    );
    line(&mut state, ":tmi.twitch.tv 353 me = #cozy :me cozy mia bob");
    chat(
        &mut state,
        "badges=broadcaster/1;color=#FF7F50;display-name=Cozy",
        "cozy",
        "welcome in everyone ☕",
    );
    chat(
        &mut state,
        "badge-info=subscriber/14;badges=moderator/1,subscriber/12;color=#1E90FF;display-name=Mia;emotes=25:6-10",
        "mia",
        "hello Kappa",
    );
    chat(
        &mut state,
        "display-name=Bob;first-msg=1",
        "bob",
        "first time here, hi @me",
    );
    line(
        &mut state,
        "@display-name=Gifter;login=gifter;msg-id=submysterygift;msg-param-mass-gift-count=5;msg-param-sub-plan=1000 :tmi.twitch.tv USERNOTICE #cozy",
    );
    line(
        &mut state,
        "@ban-duration=60 :tmi.twitch.tv CLEARCHAT #cozy :bob",
    );
    chat(
        &mut state,
        "display-name=xXLongNameXx;bits=100",
        "xxlongnamexx",
        "Cheer100 a long message that has to wrap across more than one row of the screen",
    );
    line(
        &mut state,
        "@display-name=Other;emotes= :other!other@other.tmi.twitch.tv PRIVMSG #speedruns :over here",
    );
    state
}

#[test]
fn whole_screen_snapshots() {
    let mut state = busy();
    insta::assert_snapshot!("main_80x24", screen(&state, 80, 24));
    update(&mut state, Msg::Key(Key::plain(KeyCode::F(2))));
    insta::assert_snapshot!("users_100x24", screen(&state, 100, 24));
    update(&mut state, Msg::Key(Key::plain(KeyCode::F(2))));
    update(&mut state, Msg::Key(Key::plain(KeyCode::F(1))));
    insta::assert_snapshot!("help_100x40", screen(&state, 100, 40));
}

#[test]
fn help_scrolls_to_its_last_row_in_a_small_window() {
    let mut state = busy();
    update(
        &mut state,
        Msg::Resize {
            width: 40,
            height: 10,
        },
    );
    update(&mut state, Msg::Key(Key::plain(KeyCode::F(1))));
    let top = screen(&state, 40, 10);
    assert!(top.contains("ttvchat help"), "{top}");
    assert!(top.contains("Keys anywhere"), "{top}");
    assert!(top.contains("1–5 of"), "{top}");
    assert!(!top.contains("/quit"), "{top}");
    update(&mut state, Msg::Key(Key::plain(KeyCode::End)));
    let bottom = screen(&state, 40, 10);
    assert!(bottom.contains("/quit"), "{bottom}");
    assert!(bottom.contains("leave ttvchat"), "{bottom}");
    assert!(
        bottom.contains("/vips              list the VIPs"),
        "{bottom}"
    );
    assert!(
        bottom.contains("/unvip user        take a user's…"),
        "{bottom}"
    );
    let total = ttvchat::state::help::lines(&state.settings, "").len();
    let position = format!("{}–{total} of {total}", total - 4);
    assert!(bottom.contains(&position), "{bottom}");
    assert!(!bottom.contains("Keys anywhere"), "{bottom}");
}

#[test]
fn scrolled_to_the_oldest_messages_they_start_at_the_top_once_the_screen_is_full() {
    let mut state = app(&["cozy"]);
    state.settings.show_timestamps = false;
    for n in 1..=3 {
        chat(&mut state, "display-name=Ann", "ann", &format!("line {n}"));
    }
    let ctrl_home = Key {
        code: KeyCode::Home,
        mods: ttvchat::state::keymap::Mods {
            ctrl: true,
            ..Default::default()
        },
    };
    update(&mut state, Msg::Key(ctrl_home));
    let buf = messages(&state, 40, 6);
    assert_eq!(
        rows(&buf)[3..],
        ["Ann: line 1", "Ann: line 2", "Ann: line 3"],
        "all of a short channel shows, where live chat shows it, with no marker"
    );
    for n in 4..=20 {
        chat(&mut state, "display-name=Ann", "ann", &format!("line {n}"));
    }
    let buf = messages(&state, 40, 6);
    let shown = rows(&buf);
    assert_eq!(shown[0], "Ann: line 1");
    assert_eq!(shown[4], "Ann: line 5");
    assert!(
        shown[5].contains("↓ 15 new messages"),
        "the marker counts what is below the screen: {shown:?}"
    );
}

#[test]
fn every_size_renders_without_panic_and_keeps_the_input() {
    let mut state = busy();
    for c in "typing while resizing 日本語 👨\u{200d}👩\u{200d}👧".chars() {
        update(&mut state, Msg::Key(Key::plain(KeyCode::Char(c))));
    }
    let input = state.input.clone();
    let sizes = (1..=250u16)
        .step_by(7)
        .flat_map(|w| (1..=70u16).step_by(3).map(move |h| (w, h)));
    for (w, h) in sizes.chain([(40, 10), (60, 15), (250, 70), (1, 1)]) {
        update(
            &mut state,
            Msg::Resize {
                width: w,
                height: h,
            },
        );
        screen(&state, w, h);
        update(&mut state, Msg::Key(Key::plain(KeyCode::F(1))));
        screen(&state, w, h);
        update(&mut state, Msg::Key(Key::plain(KeyCode::Esc)));
    }
    assert_eq!(state.input, input);
}

#[test]
fn our_messages_show_pending_dim_and_failures_with_their_reason() {
    let mut state = app(&["cozy"]);
    state.settings.show_timestamps = false;
    for c in "first try".chars() {
        update(&mut state, Msg::Key(Key::plain(KeyCode::Char(c))));
    }
    let effects = update(&mut state, Msg::Key(Key::plain(KeyCode::Enter)));
    let [ttvchat::state::Effect::Send { id, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let buf = messages(&state, 80, 1);
    let (x, y) = find(&buf, "first try");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::DIM),
        "pending is dim"
    );
    let status = ttvchat::net::chat::SendStatus::Rejected {
        msg_id: "msg_duplicate".into(),
        reason: "Your message was not sent because it is identical to the previous one".into(),
    };
    update(
        &mut state,
        Msg::Chat(ChatEvent::Outgoing { id: *id, status }),
    );
    let buf = messages(&state, 120, 1);
    let (x, y) = find(
        &buf,
        "✗ Your message was not sent because it is identical to the previous one (Ctrl-R to retry)",
    );
    assert_eq!(buf[(x, y)].fg, Color::LightRed);
}

/// Draws with `view` (its cache warm from earlier frames) and with a fresh view, asserts both
/// frames are identical cell for cell, and returns how many entries the warm view laid out.
fn warm_matches_cold(view: &mut ui::View, state: &AppState, width: u16, height: u16) -> usize {
    let mut warm = Terminal::new(TestBackend::new(width, height)).unwrap();
    warm.draw(|frame| view.render(state, frame)).unwrap();
    let mut cold = Terminal::new(TestBackend::new(width, height)).unwrap();
    cold.draw(|frame| ui::View::default().render(state, frame))
        .unwrap();
    assert_eq!(warm.backend().buffer(), cold.backend().buffer());
    view.layouts().laid_out()
}

#[test]
fn the_layout_cache_lays_out_only_what_changed_and_never_shows_stale_rows() {
    let mut state = busy();
    let mut view = ui::View::default();
    let first = warm_matches_cold(&mut view, &state, 80, 24);
    assert!(first >= 6, "the first frame lays out every visible entry");
    assert_eq!(view.layouts().len(), first);
    assert_eq!(warm_matches_cold(&mut view, &state, 80, 24), 0);

    chat(&mut state, "display-name=Ann;id=a1", "ann", "a fresh line");
    assert_eq!(warm_matches_cold(&mut view, &state, 80, 24), 1);

    line(
        &mut state,
        "@login=ann;target-msg-id=a1 :tmi.twitch.tv CLEARMSG #cozy :a fresh line",
    );
    assert_eq!(
        warm_matches_cold(&mut view, &state, 80, 24),
        1,
        "the deleted line, now struck"
    );

    update(&mut state, Msg::Key(Key::ctrl('s')));
    assert_eq!(state.mode, ttvchat::state::Mode::Select);
    warm_matches_cold(&mut view, &state, 80, 24);
    update(&mut state, Msg::Key(Key::plain(KeyCode::Up)));
    assert_eq!(
        warm_matches_cold(&mut view, &state, 80, 24),
        0,
        "moving the selection lays nothing out"
    );
    update(&mut state, Msg::Key(Key::plain(KeyCode::Esc)));

    assert!(
        warm_matches_cold(&mut view, &state, 61, 24) > 0,
        "new width"
    );
    state.settings.show_timestamps = false;
    assert!(warm_matches_cold(&mut view, &state, 61, 24) > 0, "no clock");
    update(&mut state, Msg::Key(Key::alt(KeyCode::Char('2'))));
    warm_matches_cold(&mut view, &state, 61, 24);
    update(&mut state, Msg::Key(Key::alt(KeyCode::Char('1'))));
    warm_matches_cold(&mut view, &state, 61, 24);
    assert!(view.layouts().len() <= 24, "holds only what one frame drew");
}

#[test]
fn a_login_that_no_longer_works_says_so_in_every_tab_and_the_status_line() {
    let state = app(&["cozy", "speedruns"]).signed_out("me", "Twitch says: invalid access token");
    let screen = screen(&state, 140, 10);
    assert!(
        screen.contains("✗ logged out: run `ttvchat login` (me)"),
        "{screen}"
    );
    assert!(
        screen.contains("Your login as me no longer works (Twitch says: invalid access token)."),
        "{screen}"
    );
    for chan in &state.channels {
        assert_eq!(chan.messages.len(), 1, "{}", chan.name.as_str());
    }
}

#[test]
fn feedback_replaces_the_mode_hints_on_the_status_line() {
    let mut state = app(&["cozy"]);
    state.mode = ttvchat::state::Mode::Select;
    let before = screen(&state, 120, 6);
    assert!(before.contains("SELECT ↑↓ move"), "{before}");
    state.feedback = Some((Level::Notice, "You deleted bob's message.".into()));
    let status = screen(&state, 120, 6).lines().last().unwrap().to_owned();
    assert!(status.contains("You deleted bob's message."), "{status}");
    assert!(!status.contains("SELECT"), "{status}");
}

#[test]
fn an_overlay_border_is_drawn_even_next_to_wide_characters() {
    let mut state = app(&["cozy"]);
    state.settings.show_timestamps = false;
    for login in ["ab", "abc"] {
        for _ in 0..20 {
            chat(&mut state, "", login, &"日本語".repeat(30));
        }
    }
    state.overlay = Some(ttvchat::state::Overlay::Help {
        scroll: 0,
        filter: String::new(),
    });
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|frame| ui::View::default().render(&state, frame))
        .unwrap();
    // The test backend holds what a terminal is sent: the cell after a wide character is never
    // written, so a border there would be missing.
    let buf = terminal.backend().buffer();
    let corner = |symbol: &str| {
        buf.area
            .positions()
            .find(|p| buf[*p].symbol() == symbol)
            .expect("the help box")
    };
    let (top, bottom) = (corner("╭"), corner("╰"));
    assert!(bottom.y - top.y > 10);
    for y in top.y + 1..bottom.y {
        assert_eq!(
            buf[(top.x, y)].symbol(),
            "│",
            "row {y}, after {:?}",
            buf[(top.x - 1, y)].symbol()
        );
    }
}

#[test]
fn a_huge_paste_is_cut_with_a_word_and_the_input_shows_the_rows_around_the_cursor() {
    let mut state = app(&["cozy"]);
    let pasted: String = (0..200_000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    update(&mut state, Msg::Paste(pasted));
    assert_eq!(
        state.input.text.chars().count(),
        ttvchat::state::input::MAX_PASTE
    );
    let note = state.channels[0].messages.back().unwrap();
    let ttvchat::state::message::Body::System(note) = &note.body else {
        panic!("{note:?}")
    };
    assert!(note.text.contains("198000 were left out"), "{}", note.text);
    update(
        &mut state,
        Msg::Resize {
            width: 60,
            height: 15,
        },
    );
    // The cursor is at the end: the input's last rows show, ending in the paste's last letters,
    // with the count of what is over Twitch's limit.
    let text = screen(&state, 60, 15);
    let rows: Vec<&str> = text.lines().collect();
    let input_rows = &rows[rows.len() - 1 - ui::input::MAX_ROWS..rows.len() - 1];
    let tail = &state.input.text[state.input.text.len() - 10..];
    assert!(input_rows.last().unwrap().contains(tail), "{input_rows:?}");
    assert!(input_rows[0].ends_with("-1500"), "{input_rows:?}");
    // At the start, the prompt and the first letters show.
    update(&mut state, Msg::Key(Key::plain(KeyCode::Home)));
    let text = screen(&state, 60, 15);
    let rows: Vec<&str> = text.lines().collect();
    let first = rows[rows.len() - 1 - ui::input::MAX_ROWS];
    assert!(first.starts_with("› abcdefgh"), "{first}");
}

#[test]
fn the_environment_says_what_the_terminal_can_show() {
    let look = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let look = ttvchat::terminal::look(|name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        });
        (look.color, look.unicode)
    };
    let utf8 = ("LANG", "en_US.UTF-8");
    assert_eq!(look(&[("TERM", "xterm-256color"), utf8]), (true, true));
    assert_eq!(
        look(&[("TERM", "xterm-256color")]),
        (true, true),
        "no locale set"
    );
    assert_eq!(look(&[("TERM", "dumb"), utf8]), (false, true));
    assert_eq!(look(&[("TERM", "xterm-mono"), utf8]), (false, true));
    assert_eq!(look(&[("TERM", "vt100"), utf8]), (false, true));
    assert_eq!(
        look(&[("TERM", "xterm"), ("NO_COLOR", "1"), utf8]),
        (false, true)
    );
    assert_eq!(
        look(&[("TERM", "xterm"), ("NO_COLOR", ""), utf8]),
        (true, true)
    );
    assert_eq!(look(&[("TERM", "xterm"), ("LANG", "C")]), (true, false));
    assert_eq!(look(&[("TERM", "xterm"), ("LANG", "POSIX")]), (true, false));
    assert_eq!(
        look(&[("TERM", "xterm"), ("LANG", "C.UTF-8")]),
        (true, true)
    );
    assert_eq!(
        look(&[("TERM", "xterm"), ("LANG", "en_US.UTF-8"), ("LC_ALL", "C")]),
        (true, false),
        "LC_ALL wins"
    );
    assert_eq!(
        look(&[("TERM", "xterm"), ("LC_CTYPE", "de_DE.utf8"), ("LANG", "C")]),
        (true, true),
        "LC_CTYPE before LANG"
    );
}

#[test]
fn without_colors_the_selection_and_badges_show_reversed_and_no_color_is_drawn() {
    let mut state = busy();
    state.settings.look.color = false;
    update(&mut state, Msg::Key(Key::ctrl('s')));
    update(
        &mut state,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| ui::View::default().render(&state, frame))
        .unwrap();
    let buf = terminal.backend().buffer();
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "no colors at all"
    );
    let (x, y) = find(buf, "xXLongNameXx");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "the selection"
    );
    assert!(
        buf[(79, y)].modifier.contains(Modifier::REVERSED),
        "its whole row"
    );
    let (x, y) = find(buf, "hello");
    assert!(
        !buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "others plain"
    );
}

#[test]
fn without_unicode_ascii_stands_in_for_the_apps_symbols() {
    let mut state = busy();
    state.settings.look.unicode = false;
    update(&mut state, Msg::Key(Key::plain(KeyCode::F(1))));
    let text = screen(&state, 100, 40);
    for symbol in [
        "●", "↪", "✦", "›", "↓", "↑", "·", "…", "—", "╭", "╮", "╰", "╯", "─", "│",
    ] {
        assert!(!text.contains(symbol), "{symbol} in\n{text}");
    }
    assert!(text.contains("+ ttvchat help"), "box corners:\n{text}");
    update(&mut state, Msg::Key(Key::plain(KeyCode::Esc)));
    let text = screen(&state, 80, 24);
    assert!(text.contains("* connected"), "{text}");
    assert!(text.contains("\n> "), "the prompt:\n{text}");
    // Chat from the network is left as it was written.
    assert!(text.contains("welcome in everyone ☕"), "{text}");
}

#[test]
fn the_focused_tab_always_shows_whole_and_the_room_bar_names_the_channel() {
    let names = [
        "speedrunsdaily",
        "cozycorner",
        "bigstreamer",
        "nightowl",
        "artcafe",
        "lofibeats",
        "retrogaming",
        "chessmasters",
        "cookingwithfire",
        "modsquad",
        "esportscentral",
        "indiedevlog",
        "musicjam",
        "worldnews",
    ];
    let logins: Vec<Login> = names.iter().map(|n| Login::parse(n).unwrap()).collect();
    let mut state = AppState::new(Settings::default(), &logins, 0);
    for chan in &mut state.channels {
        chan.unread = 120;
    }
    for width in [60, 100, 120] {
        for (focus, name) in names.iter().enumerate() {
            state.focus = focus;
            let text = screen(&state, width, 20);
            let lines: Vec<&str> = text.lines().collect();
            let name = format!("#{name}");
            assert!(
                lines[0].contains(&name),
                "{width} cols, tab {focus}:\n{}",
                lines[0]
            );
            assert!(
                lines[1].starts_with(&format!(" {name}")),
                "{width} cols, tab {focus}:\n{}",
                lines[1]
            );
            assert!(
                lines[0].contains(" 1 #speedrunsdaily") || lines[0].starts_with('‹'),
                "hidden earlier tabs are marked: {}",
                lines[0]
            );
        }
    }
}

/// The style of the `›` at the end of the tab bar, drawn `width` wide.
fn more_marker(state: &AppState, width: u16) -> Option<Color> {
    let buffer = drawn(state, width, 10);
    let cell = &buffer[(width - 1, 0)];
    (cell.symbol() == "›").then_some(cell.fg)
}

#[test]
fn the_marker_of_tabs_that_do_not_fit_says_when_they_have_news() {
    let names = [
        "speedrunsdaily",
        "cozycorner",
        "bigstreamer",
        "nightowl",
        "artcafe",
    ];
    let logins: Vec<Login> = names.iter().map(|n| Login::parse(n).unwrap()).collect();
    let mut state = AppState::new(Settings::default(), &logins, 0);
    let quiet = more_marker(&state, 40).expect("tabs past the edge are marked");
    state.channels[4].unread = 3;
    assert_eq!(more_marker(&state, 40), Some(Color::LightYellow));
    state.channels[4].mentions = 1;
    assert_eq!(more_marker(&state, 40), Some(Color::LightRed));
    assert_ne!(quiet, Color::LightRed);
}

#[test]
fn tab_completion_shows_its_candidates_above_the_input_line() {
    let mut state = app(&["cozy"]);
    for name in ["alice", "alan", "albert", "bob"] {
        chat(&mut state, &format!("display-name={name}"), name, "hi");
    }
    for c in "hey @al".chars() {
        update(&mut state, Msg::Key(Key::plain(KeyCode::Char(c))));
    }
    update(&mut state, Msg::Key(Key::plain(KeyCode::Tab)));
    let text = screen(&state, 60, 12);
    let lines: Vec<&str> = text.lines().collect();
    let row = lines[lines.len() - 3];
    for name in ["@albert", "@alan", "@alice"] {
        assert!(row.contains(name), "{row}");
    }
    assert!(row.contains("1/3"), "{row}");
    assert!(!row.contains("bob"), "{row}");
    // Esc puts back what was typed and the candidates go.
    update(&mut state, Msg::Key(Key::plain(KeyCode::Esc)));
    assert_eq!(state.input.text, "hey @al");
    let text = screen(&state, 60, 12);
    assert!(!text.contains("1/3"), "{text}");
}

#[test]
fn a_flag_in_the_input_shows_as_letters_in_brackets_with_the_cursor_after_it() {
    let mut state = app(&["cozy"]);
    update(&mut state, Msg::Paste("hi 🇩🇪 boss".into()));
    let mut terminal = Terminal::new(TestBackend::new(40, 8)).unwrap();
    terminal
        .draw(|frame| ui::View::default().render(&state, frame))
        .unwrap();
    let text = rows(terminal.backend().buffer()).join("\n");
    let input = text.lines().nth(6).unwrap();
    assert!(input.starts_with("› hi [DE] boss "), "{input}");
    let cursor = terminal.get_cursor_position().unwrap();
    assert_eq!((cursor.x, cursor.y), (14, 6));
}

#[test]
fn shield_mode_and_a_raids_countdown_show_in_the_room_bar() {
    use ttvchat::net::helix::calls::{Call, Reply};
    let mut state = app(&["cozy"]);
    let done = |state: &mut AppState, call: Call| {
        update(
            state,
            Msg::Helix {
                channel: Login::parse("cozy").unwrap(),
                call,
                result: Ok(Reply::Done),
            },
        );
    };
    done(&mut state, Call::Shield { on: true });
    done(
        &mut state,
        Call::Raid {
            to: Login::parse("friend").unwrap(),
        },
    );
    let bar = |state: &AppState| screen(state, 100, 10).lines().nth(1).unwrap().to_owned();
    let shown = bar(&state);
    assert!(shown.starts_with(" #cozy"), "{shown}");
    assert!(
        shown
            .trim_end()
            .ends_with(" SHIELD MODE · raiding friend in 1m 30s"),
        "{shown}"
    );
    update(&mut state, Msg::Tick(T0 + 31_500));
    assert!(
        bar(&state)
            .trim_end()
            .ends_with(" SHIELD MODE · raiding friend in 59s"),
        "{}",
        bar(&state)
    );
    update(&mut state, Msg::Tick(T0 + 91_000));
    done(&mut state, Call::Shield { on: false });
    assert!(
        !bar(&state).contains("SHIELD") && !bar(&state).contains("raiding"),
        "{}",
        bar(&state)
    );
}

#[test]
fn a_long_notice_cut_on_the_status_line_reads_in_full_in_the_log() {
    let mut state = app(&["cozy"]);
    for n in 0..30 {
        chat(&mut state, "display-name=Amy", "amy", &format!("line {n}"));
    }
    // Paused (scrolled up), a notice lands below the view and shows on the status line.
    update(&mut state, Msg::Key(Key::plain(KeyCode::PageUp)));
    let long = "This room is in followers-only mode. Follow cozy to join the community, and then wait ten minutes before you chat here; moderators and VIPs are exempt.";
    line(
        &mut state,
        &format!("@msg-id=followers_on :tmi.twitch.tv NOTICE #cozy :{long}"),
    );
    let text = screen(&state, 80, 20);
    let status = text.lines().last().unwrap();
    assert!(status.ends_with("(F3 in full)"), "{status}");
    update(&mut state, Msg::Key(Key::plain(KeyCode::F(3))));
    let text = screen(&state, 80, 20);
    let joined: String = text
        .lines()
        .filter_map(|l| l.split('│').nth(1))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains("wait ten minutes before you chat here; moderators and VIPs"),
        "{text}"
    );
    assert!(text.contains("said in #cozy"), "{text}");
}

#[test]
fn joining_many_channels_shows_progress_and_a_further_connections_outage_shows_in_its_channels() {
    let mut state = app(&["alpha", "beta"]);
    let chat = |state: &mut AppState, event: ChatEvent| {
        update(state, Msg::Chat(event));
    };
    chat(
        &mut state,
        ChatEvent::JoinProgress {
            joined: 120,
            wanted: 500,
        },
    );
    let status = screen(&state, 120, 20);
    assert!(status.contains("joining 120 of 500 channels"), "{status}");
    chat(
        &mut state,
        ChatEvent::JoinProgress {
            joined: 500,
            wanted: 500,
        },
    );
    assert!(!screen(&state, 120, 20).contains("joining"));

    let beta = Login::parse("beta").unwrap();
    chat(
        &mut state,
        ChatEvent::ChannelsLost {
            channels: vec![beta.clone()],
            reason: ttvchat::net::chat::DisconnectReason::Closed,
            retry_in: std::time::Duration::from_secs(2),
        },
    );
    assert!(!state.channels[1].joined);
    let lost = "Disconnected: the server closed the connection. Joining again in 2s.";
    let shown = |state: &AppState, channel: usize| -> Vec<String> {
        state.channels[channel]
            .messages
            .iter()
            .filter_map(|m| match &m.body {
                ttvchat::state::message::Body::System(s) => Some(s.text.clone()),
                _ => None,
            })
            .collect()
    };
    assert!(shown(&state, 1).contains(&lost.to_owned()));
    assert!(
        !shown(&state, 0).contains(&lost.to_owned()),
        "alpha's connection is fine"
    );
    chat(&mut state, ChatEvent::Joined { channel: beta });
    assert!(state.channels[1].joined);
    let beta_lines = shown(&state, 1);
    assert!(
        beta_lines.contains(&"Connected again.".to_owned()),
        "{beta_lines:?}"
    );
    assert!(
        !beta_lines.contains(&lost.to_owned()),
        "the outage line says how it ended"
    );
}

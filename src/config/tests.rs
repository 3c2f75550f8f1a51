//! The config file read as users write it: defaults, every kind of mistake said at once with
//! its key, and the keys table.

use super::*;
use crate::state::keymap::{Action, Key, KeyMode};

#[test]
fn the_documented_default_is_the_default() {
    let config = Config::parse(DEFAULT_CONFIG, None).unwrap();
    assert_eq!(config.irc_url, TWITCH_IRC_URL);
    assert_eq!(config.settings, Settings::default());
    assert_eq!(config.twitch.auth_url, AUTH_URL);
    assert_eq!(config.twitch.helix_url, HELIX_URL);
    assert_eq!(config.twitch.eventsub_url, EVENTSUB_URL);
    assert_eq!(config.twitch.token_store, TokenStore::Keyring);
    assert_eq!(
        (
            config.twitch.client_id.as_str(),
            config.twitch.account.as_deref()
        ),
        ("", None)
    );
}

#[test]
fn errors_name_the_key_and_the_file() {
    let path = Some(PathBuf::from("/tmp/x.toml"));
    for (text, key) in [
        ("[ui]\nscrolback = 5\n", "scrolback"),
        ("[ui]\nscrollback = \"lots\"\n", "scrollback"),
        ("[chat]\nchannels = [\"no way\"]\n", "chat.channels"),
        (
            "[chat]\nchannels_per_connection = 0\n",
            "chat.channels_per_connection must be at least 1",
        ),
        (
            "[chat]\nchannels_per_connection = \"many\"\n",
            "chat.channels_per_connection must be a whole number",
        ),
        ("[keys.normal]\nfly = [\"f5\"]\n", "keys.normal.fly"),
        ("[keys.normal]\nquit = [\"hyper-q\"]\n", "keys.normal.quit"),
        ("[keys.nowhere]\nquit = [\"f5\"]\n", "keys.nowhere"),
        ("[keys]\nquit = [\"ctrl-q\"]\n", "[keys.normal]"),
        (
            "[moderation]\ntimeouts = [\"soon\"]\n",
            "moderation.timeouts",
        ),
        ("[moderation]\ntimeouts = [\"3w\"]\n", "moderation.timeouts"),
        ("[moderation]\ntimeout = [\"1m\"]\n", "timeout"),
        ("[twitch]\ntoken_store = \"vault\"\n", "token_store"),
        ("[twitch]\nhelix_url = \"ftp://x\"\n", "twitch.helix_url"),
        (
            "[twitch]\neventsub_url = \"https://x\"\n",
            "twitch.eventsub_url",
        ),
        ("[twitch]\nclientid = \"x\"\n", "clientid"),
    ] {
        let error = Config::parse(text, path.clone()).unwrap_err().to_string();
        assert!(error.starts_with("config /tmp/x.toml: "), "{error}");
        assert!(error.contains(key), "{key}: {error}");
    }
}

#[test]
fn moderation_keys_and_presets_are_configurable() {
    let text = "[keys.select]\nban = [\"B\"]\n[moderation]\ntimeouts = [\"30s\", \"2h\"]\n";
    let config = Config::parse(text, None).unwrap();
    let keys = &config.settings.keymap;
    let key = |k| Key::parse(k).unwrap();
    assert_eq!(keys.action(KeyMode::Select, &key("B")), Some(Action::Ban));
    assert_eq!(keys.action(KeyMode::Select, &key("b")), None);
    // The card has its own table: rebinding in select mode leaves it alone.
    assert_eq!(keys.action(KeyMode::Card, &key("b")), Some(Action::Ban));
    assert_eq!(config.settings.timeouts, [30, 7200]);
}

#[test]
fn keys_can_be_rebound() {
    let config = Config::parse("[keys.normal]\nquit = [\"ctrl-q\"]\n", None).unwrap();
    let keys = &config.settings.keymap;
    assert_eq!(
        keys.action(KeyMode::Normal, &Key::ctrl('q')),
        Some(Action::Quit)
    );
    assert_eq!(keys.action(KeyMode::Normal, &Key::ctrl('c')), None);
}

#[test]
fn a_key_bound_twice_is_an_error_naming_both_actions_and_the_key() {
    for (text, expected) in [
        (
            "[keys.select]\ndelete = [\"t\"]\n",
            "keys.select: 't' is bound to both select.delete and select.timeout",
        ),
        (
            "[keys.normal]\nsearch = [\"ctrl-s\"]\n",
            "keys.normal: 'Ctrl-S' is bound to both normal.search and normal.select",
        ),
        // The normal keys work while typing: one of them may not be an input key too.
        (
            "[keys.normal]\nsearch = [\"ctrl-u\"]\n",
            "'Ctrl-U' is bound to both input.clear_line and normal.search",
        ),
        // A letter is typed in the input line, so it cannot be a normal key.
        (
            "[keys.normal]\nquit = [\"q\"]\n",
            "keys.normal.quit: 'q' is typed",
        ),
    ] {
        let error = Config::parse(text, None).unwrap_err().to_string();
        assert!(error.contains(expected), "{text}: {error}");
    }
    // Rebinding both sides of a swap is fine.
    let swap = "[keys.select]\ndelete = [\"t\"]\ntimeout = [\"d\"]\n";
    let keys = Config::parse(swap, None).unwrap().settings.keymap;
    assert_eq!(
        keys.action(KeyMode::Select, &Key::parse("t").unwrap()),
        Some(Action::DeleteMessage)
    );
}

#[test]
fn every_mistake_of_a_file_is_told_at_once() {
    let text =
        "[keys.select]\ndelete = [\"t\"]\nban = [\"hyper-b\"]\n[keys.normal]\nfly = [\"f5\"]\n";
    let error = Config::parse(text, None).unwrap_err().to_string();
    for part in ["keys.select: 't'", "keys.select.ban", "keys.normal.fly"] {
        assert!(error.contains(part), "{part}: {error}");
    }
}

#[test]
fn mistakes_are_told_in_words_and_all_at_once() {
    let text = "[ui]\nscrollback = \"lots\"\nscrolback = 5\ntimestamps = \"yes\"\n[chat]\nchannels = [\"no way\"]\n[uii]\nx = 1\n";
    let error = Config::parse(text, Some(PathBuf::from("/tmp/c.toml")))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("config /tmp/c.toml: 5 mistakes:\n"),
        "{error}"
    );
    for said in [
        "ui.scrollback must be a whole number, like 10000",
        "ui.scrolback is not a setting; did you mean ui.scrollback?",
        "ui.timestamps must be true or false",
        "chat.channels: ",
        "[uii] is not a section; did you mean ui?",
    ] {
        assert!(error.contains(said), "{said}: {error}");
    }
    let error = Config::parse("[ui]\nscrollback = = 5\n", None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("line 2, column 14 is not valid TOML"),
        "{error}"
    );
}

use super::*;

#[test]
fn rebinding_replaces_the_defaults_in_that_mode_only() {
    let over = |mode: &str, action: &str, keys: &[&str]| Override {
        mode: mode.into(),
        action: action.into(),
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
    };
    let map = Keymap::with(&[over("normal", "next_tab", &["f6"])]).unwrap();
    assert_eq!(map.action(KeyMode::Normal, &Key::ctrl('n')), None);
    assert_eq!(
        map.action(KeyMode::Normal, &Key::plain(KeyCode::F(6))),
        Some(Action::NextTab)
    );
    let map = Keymap::with(&[over("select", "timeout_3", &["z"])]).unwrap();
    let z = Key::plain(KeyCode::Char('z'));
    assert_eq!(map.action(KeyMode::Select, &z), Some(Action::Preset(3)));
    assert_eq!(map.action(KeyMode::Card, &z), None);
    assert_eq!(
        map.action(KeyMode::Select, &Key::plain(KeyCode::Char('3'))),
        None
    );
}

#[test]
fn the_defaults_have_no_conflicts_and_every_mode_has_keys() {
    let table = described();
    assert_eq!(
        Keymap::default().conflicts(&table, &[]),
        Vec::<KeymapError>::new()
    );
    for mode in KeyMode::ALL {
        assert!(table.iter().any(|d| d.mode == mode), "{mode:?}");
        assert_eq!(KeyMode::from_name(mode.name()), Some(mode));
    }
    let names: std::collections::HashSet<(KeyMode, &str)> =
        table.iter().map(|d| (d.mode, d.name.as_str())).collect();
    assert_eq!(names.len(), table.len(), "a name is used twice in a mode");
}

#[test]
fn every_default_key_reads_back_from_its_config_form() {
    for d in described() {
        for key in d.defaults {
            assert_eq!(Key::parse(&key.config()), Ok(key), "{}", key.config());
        }
    }
}

#[test]
fn hints_name_arrows_as_arrows() {
    let map = Keymap::default();
    assert_eq!(map.hint(KeyMode::Select, Action::Up).as_deref(), Some("↑"));
    assert_eq!(
        map.hint(KeyMode::Normal, Action::Retry).as_deref(),
        Some("Ctrl-R")
    );
    assert_eq!(
        map.hint(KeyMode::Normal, Action::Tab(4)).as_deref(),
        Some("Alt-4")
    );
}

//! The README's key tables and the documented config's key defaults are made from the keymap:
//! these tests fail when either drifts from it. `TTVCHAT_UPDATE_DOCS=1 cargo test --test pure docs`
//! writes them anew.

use std::path::Path;

use ttvchat::state::help::{config_defaults, markdown};

/// Checks (or, asked to, rewrites) the part of `file` between `start` and `end` against
/// `expected`.
fn generated(file: &str, start: &str, end: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{file} lacks {start}"))
        + start.len();
    let to = text
        .find(end)
        .unwrap_or_else(|| panic!("{file} lacks {end}"));
    let body = format!("\n{expected}");
    if std::env::var_os("TTVCHAT_UPDATE_DOCS").is_some() {
        let new = format!("{}{body}{}", &text[..from], &text[to..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert!(
        text[from..to] == body,
        "{file} is out of date with the keymap: run TTVCHAT_UPDATE_DOCS=1 cargo test --test pure docs\n\nexpected:{body}"
    );
}

#[test]
fn the_readme_key_tables_are_the_keymap() {
    generated(
        "README.md",
        "<!-- keys: made from the keymap by tests/pure/docs.rs -->",
        "<!-- keys end -->",
        &markdown(),
    );
}

#[test]
fn the_documented_config_lists_the_keymap_defaults() {
    generated(
        "assets/config.toml",
        "# The defaults (made from the keymap by tests/pure/docs.rs):",
        "# (end of the key defaults)",
        &config_defaults(),
    );
}

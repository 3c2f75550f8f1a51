//! Emote range vectors: Twitch's inclusive code point ranges become byte ranges of the text,
//! whatever comes before them, and bad ranges are clamped or skipped without failing.

use ttvchat::twitch::emotes::parse_emotes;

/// (case, text, emotes tag, the emote codes expected in order).
const CASES: &[(&str, &str, &str, &[&str])] = &[
    ("one emote", "Kappa", "25:0-4", &["Kappa"]),
    (
        "same emote twice",
        "Kappa hi Kappa",
        "25:0-4,9-13",
        &["Kappa", "Kappa"],
    ),
    (
        "sorted by position, not tag order",
        "LUL then Kappa then LUL",
        "25:9-13/425618:0-2,20-22",
        &["LUL", "Kappa", "LUL"],
    ),
    ("emoji before", "👉 <3 👉 <3", "483:2-3,7-8", &["<3", "<3"]),
    (
        "emoji glued to the emote",
        "😂Kappa😂",
        "25:1-5",
        &["Kappa"],
    ),
    (
        "ZWJ family emoji (7 code points) before",
        "👨‍👩‍👧‍👦 Kappa",
        "25:8-12",
        &["Kappa"],
    ),
    (
        "combining marks before",
        "e\u{301}e\u{301} Kappa",
        "25:5-9",
        &["Kappa"],
    ),
    ("CJK before", "你好世界 Kappa", "25:5-9", &["Kappa"]),
    (
        "flag (two regional indicators)",
        "🇩🇪 PogChamp",
        "88:3-10",
        &["PogChamp"],
    ),
    (
        "invisible tag character first",
        "\u{E0000} Kappa",
        "25:2-6",
        &["Kappa"],
    ),
    (
        "non-numeric id",
        "cool emoteCool",
        "emotesv2_abc:5-13",
        &["emoteCool"],
    ),
    (
        "id containing a slash",
        "x pajaW_/3.0",
        "80481_/3:2-7",
        &["pajaW_"],
    ),
    (
        "end past the text is clamped",
        "hi Kappa",
        "25:3-9",
        &["Kappa"],
    ),
    ("start past the text is dropped", "hi", "25:5-9", &[]),
    ("end before start is skipped", "Kappa", "25:4-0", &[]),
    (
        "overlap with the previous is dropped",
        "Kappa",
        "25:0-4/1:2-3",
        &["Kappa"],
    ),
    (
        "malformed ranges are skipped",
        "Kappa Kappa",
        "25:x-4,6-10,7,-",
        &["Kappa"],
    ),
    (
        "overlong numbers are skipped",
        "Kappa",
        "25:0-99999999999999999999999",
        &[],
    ),
    (
        "max usize end clamps",
        "Kappa",
        "25:0-18446744073709551615",
        &["Kappa"],
    ),
    ("empty tag", "Kappa", "", &[]),
    ("no colon", "Kappa", "25", &[]),
    ("empty id", "Kappa", ":0-4", &[]),
    ("empty text", "", "25:0-4", &[]),
];

#[test]
fn emote_ranges_become_byte_ranges_of_the_text() {
    for (case, text, tag, want) in CASES {
        let emotes = parse_emotes(tag, text);
        let got: Vec<&str> = emotes.iter().map(|e| e.code(text)).collect();
        assert_eq!(&got, want, "{case}");
        for e in &emotes {
            assert!(
                text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end),
                "{case}: {:?} splits a character",
                e.range
            );
            assert!(e.range.start < e.range.end, "{case}: empty range");
        }
    }
}

#[test]
fn emote_ids_are_kept() {
    let emotes = parse_emotes("25:0-4/emotesv2_ff:6-8", "Kappa hey");
    let ids: Vec<&str> = emotes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["25", "emotesv2_ff"]);
    assert_eq!(emotes[1].range, 6..9);
}

#[test]
fn byte_ranges_count_utf8_bytes() {
    // "é" is two bytes, "👉" four: the emote starts at byte 2 + 1 + 4 + 1 = 8.
    let text = "é 👉 Kappa";
    let emotes = parse_emotes("25:4-8", text);
    assert_eq!(emotes[0].range, 8..13);
}

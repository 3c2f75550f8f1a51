//! Bytes a terminal sends, as key and paste events: UTF-8 text, control keys, `ESC`-prefixed
//! Alt keys, the CSI and SS3 sequences of xterm-like terminals (arrows, Home/End, PgUp/PgDn,
//! Insert/Delete, F1-F12, with their Shift/Alt/Ctrl modifiers), SGR mouse reports and
//! bracketed paste. Sans-IO:
//! bytes in, events out; an incomplete sequence waits for more bytes, and [`Decoder::flush`]
//! settles it when no more come (a lone `ESC` is the Esc key). Unknown sequences are dropped
//! whole, never typed as text.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

const ESC: u8 = 0x1b;
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
/// The most of one paste that is kept; the rest is read and dropped.
pub const PASTE_MAX: usize = 1 << 20;

#[derive(Debug, Default)]
pub struct Decoder {
    /// Bytes not yet decoded: the start of a sequence or a character still arriving.
    pending: Vec<u8>,
    /// Inside a bracketed paste: what it holds so far.
    paste: Option<Vec<u8>>,
}

/// What the front of the buffer holds.
enum Parsed {
    /// An event (or nothing, for a sequence we ignore) and how many bytes it took.
    Done(Option<Event>, usize),
    /// A sequence that may still be completed by more bytes.
    Incomplete,
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(code, modifiers)))
}

impl Decoder {
    /// Decodes `bytes` (one read) after what was pending; keeps an incomplete sequence for
    /// later. A lone `ESC` that ends a read is the Esc key at once, as terminals send a whole
    /// sequence in one write, unless `more` says the read stopped short of all there was.
    pub fn feed(&mut self, bytes: &[u8], more: bool) -> Vec<Event> {
        self.pending.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            if let Some(paste) = &mut self.paste {
                let rest = &self.pending[at..];
                match find(rest, PASTE_END) {
                    Some(end) => {
                        keep_pasted(paste, &rest[..end]);
                        let text = String::from_utf8_lossy(paste).into_owned();
                        events.push(Event::Paste(text));
                        self.paste = None;
                        at += end + PASTE_END.len();
                    }
                    None => {
                        // Keep what could be the start of the end marker.
                        let keep = partial_suffix(rest, PASTE_END);
                        keep_pasted(paste, &rest[..rest.len() - keep]);
                        at = self.pending.len() - keep;
                        break;
                    }
                }
                continue;
            }
            if self.pending[at..].starts_with(PASTE_START) {
                self.paste = Some(Vec::new());
                at += PASTE_START.len();
                continue;
            }
            match parse(&self.pending[at..]) {
                Parsed::Done(event, used) => {
                    events.extend(event);
                    at += used;
                }
                Parsed::Incomplete => break,
            }
        }
        self.pending.drain(..at);
        if !more && self.pending == [ESC] {
            events.extend(self.flush());
        }
        events
    }

    /// Whether bytes wait for the rest of their sequence.
    pub fn is_waiting(&self) -> bool {
        !self.pending.is_empty() && self.paste.is_none()
    }

    /// No more bytes came: what is pending is taken as it stands (a lone `ESC` is Esc, `ESC x`
    /// is Alt-x, a cut-off sequence is dropped).
    pub fn flush(&mut self) -> Vec<Event> {
        if self.paste.is_some() {
            return Vec::new();
        }
        let pending = std::mem::take(&mut self.pending);
        match pending.as_slice() {
            [] => Vec::new(),
            [ESC] => key(KeyCode::Esc, KeyModifiers::NONE).into_iter().collect(),
            [ESC, b'[' | b'O'] => {
                let c = char::from(pending[1]);
                key(KeyCode::Char(c), alt_char_mods(c))
                    .into_iter()
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

fn keep_pasted(paste: &mut Vec<u8>, bytes: &[u8]) {
    let room = PASTE_MAX.saturating_sub(paste.len());
    paste.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How many bytes at the end of `bytes` could begin `marker`.
fn partial_suffix(bytes: &[u8], marker: &[u8]) -> usize {
    (1..marker.len().min(bytes.len() + 1))
        .rev()
        .find(|&n| bytes.ends_with(&marker[..n]))
        .unwrap_or(0)
}

fn alt_char_mods(c: char) -> KeyModifiers {
    if c.is_uppercase() {
        KeyModifiers::ALT | KeyModifiers::SHIFT
    } else {
        KeyModifiers::ALT
    }
}

fn parse(bytes: &[u8]) -> Parsed {
    match bytes[0] {
        ESC => parse_escape(bytes),
        _ => match parse_plain(bytes) {
            Some((event, used)) => Parsed::Done(event, used),
            None => Parsed::Incomplete,
        },
    }
}

/// A key that does not start with `ESC`: a control byte or one UTF-8 character.
fn parse_plain(bytes: &[u8]) -> Option<(Option<Event>, usize)> {
    let none = KeyModifiers::NONE;
    let ctrl = KeyModifiers::CONTROL;
    let event = match bytes[0] {
        b'\r' => key(KeyCode::Enter, none),
        b'\t' => key(KeyCode::Tab, none),
        0x7f => key(KeyCode::Backspace, none),
        0x08 => key(KeyCode::Backspace, ctrl),
        0x00 => key(KeyCode::Char(' '), ctrl),
        c @ 0x01..=0x1a => key(KeyCode::Char(char::from(c - 1 + b'a')), ctrl),
        c @ 0x1c..=0x1f => key(KeyCode::Char(char::from(c - 0x1c + b'4')), ctrl),
        _ => {
            let len = utf8_len(bytes[0]);
            let encoded = bytes.get(..len)?;
            return Some(match std::str::from_utf8(encoded) {
                Ok(text) => {
                    let c = text.chars().next().expect("one character");
                    let mods = if c.is_uppercase() {
                        KeyModifiers::SHIFT
                    } else {
                        none
                    };
                    (key(KeyCode::Char(c), mods), len)
                }
                Err(_) => (None, 1),
            });
        }
    };
    Some((event, 1))
}

/// The length of the UTF-8 character that starts with `first` (1 for a stray byte).
fn utf8_len(first: u8) -> usize {
    match first {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 1,
    }
}

fn parse_escape(bytes: &[u8]) -> Parsed {
    match bytes.get(1) {
        None => Parsed::Incomplete,
        Some(b'[') => parse_csi(bytes),
        Some(b'O') => match bytes.get(2) {
            None => Parsed::Incomplete,
            Some(&last) => Parsed::Done(final_key(last, KeyModifiers::NONE), 3),
        },
        // Esc pressed twice: the first is Esc, the second starts afresh.
        Some(&ESC) => Parsed::Done(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        Some(_) => match parse_plain(&bytes[1..]) {
            None => Parsed::Incomplete,
            Some((event, used)) => {
                let event = event.map(|event| match event {
                    Event::Key(mut k) => {
                        k.modifiers |= KeyModifiers::ALT;
                        Event::Key(k)
                    }
                    other => other,
                });
                Parsed::Done(event, used + 1)
            }
        },
    }
}

/// `ESC [ params final`: parameters are digits, `;` and `:`, the final byte is 0x40-0x7e.
fn parse_csi(bytes: &[u8]) -> Parsed {
    let body = &bytes[2..];
    let mut end = None;
    for (i, b) in body.iter().enumerate() {
        match b {
            0x40..=0x7e => {
                end = Some(i);
                break;
            }
            // Parameters and intermediates.
            0x20..=0x3f => {}
            // Anything else breaks the sequence off; that byte is read afresh.
            _ => return Parsed::Done(None, 2 + i),
        }
    }
    let Some(end) = end else {
        return Parsed::Incomplete;
    };
    let used = 2 + end + 1;
    let params = std::str::from_utf8(&body[..end]).unwrap_or("");
    if let Some(mouse) = params.strip_prefix('<') {
        return Parsed::Done(sgr_mouse(mouse, body[end] == b'm'), used);
    }
    let mut numbers = params
        .split(';')
        .map(|p| p.split(':').next().unwrap_or("").parse::<u16>().ok());
    let first = numbers.next().flatten();
    let mods = modifiers(numbers.next().flatten());
    let event = match body[end] {
        b'~' => tilde_key(first.unwrap_or(0), mods),
        b'Z' => key(KeyCode::BackTab, KeyModifiers::SHIFT | mods),
        last => final_key(last, mods),
    };
    Parsed::Done(event, used)
}

/// An SGR mouse report (`ESC [ < button ; column ; row M`, `m` on release): the button's low
/// bits name it, 4/8/16 add Shift/Alt/Ctrl, 32 is a drag, 64 the wheel. Columns and rows count
/// from 1.
fn sgr_mouse(params: &str, release: bool) -> Option<Event> {
    let mut numbers = params.split(';').map(|p| p.parse::<u16>().ok());
    let (button, column, row) = (numbers.next()??, numbers.next()??, numbers.next()??);
    let modifiers = modifier_bits(button >> 2);
    let which = match button & 3 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        _ => MouseButton::Right,
    };
    let kind = match (button & 64 != 0, button & 32 != 0, release) {
        (true, _, _) => match button & 3 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        },
        (false, true, _) if button & 3 == 3 => MouseEventKind::Moved,
        (false, true, _) => MouseEventKind::Drag(which),
        (false, false, true) => MouseEventKind::Up(which),
        (false, false, false) => MouseEventKind::Down(which),
    };
    Some(Event::Mouse(MouseEvent {
        kind,
        column: column.saturating_sub(1),
        row: row.saturating_sub(1),
        modifiers,
    }))
}

/// xterm's modifier parameter: 1 + (Shift 1, Alt 2, Ctrl 4).
fn modifiers(param: Option<u16>) -> KeyModifiers {
    modifier_bits(param.unwrap_or(1).saturating_sub(1))
}

/// Shift 1, Alt 2, Ctrl 4 (the order of xterm's key and mouse reports alike).
fn modifier_bits(bits: u16) -> KeyModifiers {
    let mut mods = KeyModifiers::NONE;
    for (bit, m) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
    ] {
        if bits & bit != 0 {
            mods |= m;
        }
    }
    mods
}

/// The keys named by a sequence's last byte (`ESC [ 1;5 A`, `ESC O P`).
fn final_key(last: u8, mods: KeyModifiers) -> Option<Event> {
    let code = match last {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    };
    key(code, mods)
}

/// `ESC [ n ~` keys.
fn tilde_key(n: u16, mods: KeyModifiers) -> Option<Event> {
    let code = match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((n - 10) as u8),
        17..=21 => KeyCode::F((n - 11) as u8),
        23 | 24 => KeyCode::F((n - 12) as u8),
        _ => return None,
    };
    key(code, mods)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: KeyModifiers = KeyModifiers::NONE;
    const CTRL: KeyModifiers = KeyModifiers::CONTROL;
    const ALT: KeyModifiers = KeyModifiers::ALT;
    const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

    fn k(code: KeyCode, mods: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, mods))
    }

    fn decode(bytes: &[u8]) -> Vec<Event> {
        let mut decoder = Decoder::default();
        let mut events = decoder.feed(bytes, false);
        events.extend(decoder.flush());
        events
    }

    #[test]
    fn sgr_mouse_reports() {
        let mouse = |kind, column, row, modifiers| {
            Event::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers,
            })
        };
        let none = KeyModifiers::NONE;
        assert_eq!(
            decode(b"\x1b[<0;10;5M\x1b[<0;10;5m"),
            [
                mouse(MouseEventKind::Down(MouseButton::Left), 9, 4, none),
                mouse(MouseEventKind::Up(MouseButton::Left), 9, 4, none),
            ]
        );
        assert_eq!(
            decode(b"\x1b[<64;1;1M\x1b[<65;120;40M"),
            [
                mouse(MouseEventKind::ScrollUp, 0, 0, none),
                mouse(MouseEventKind::ScrollDown, 119, 39, none),
            ]
        );
        assert_eq!(
            decode(b"\x1b[<18;3;4M\x1b[<32;3;5M"),
            [
                mouse(
                    MouseEventKind::Down(MouseButton::Right),
                    2,
                    3,
                    KeyModifiers::CONTROL
                ),
                mouse(MouseEventKind::Drag(MouseButton::Left), 2, 4, none),
            ]
        );
        // Cut short, it waits; garbled, it is dropped and typing goes on.
        let mut decoder = Decoder::default();
        assert!(decoder.feed(b"\x1b[<0;10", true).is_empty());
        assert_eq!(decoder.feed(b";5M", false).len(), 1);
        assert_eq!(
            decode(b"\x1b[<0;;5Mhi"),
            [
                key(KeyCode::Char('h'), none).unwrap(),
                key(KeyCode::Char('i'), none).unwrap()
            ]
        );
    }

    #[test]
    fn keys_terminals_send() {
        use KeyCode::*;
        let rows: &[(&[u8], Event)] = &[
            (b"a", k(Char('a'), NONE)),
            (b"A", k(Char('A'), SHIFT)),
            ("é".as_bytes(), k(Char('é'), NONE)),
            ("小".as_bytes(), k(Char('小'), NONE)),
            ("😀".as_bytes(), k(Char('😀'), NONE)),
            (b"\r", k(Enter, NONE)),
            (b"\t", k(Tab, NONE)),
            (b"\x7f", k(Backspace, NONE)),
            (b"\x08", k(Backspace, CTRL)),
            (b"\x03", k(Char('c'), CTRL)),
            (b"\x13", k(Char('s'), CTRL)),
            (b"\x15", k(Char('u'), CTRL)),
            (b"\x00", k(Char(' '), CTRL)),
            (b"\x1b", k(Esc, NONE)),
            (b"\x1bs", k(Char('s'), ALT)),
            (b"\x1b1", k(Char('1'), ALT)),
            (b"\x1bS", k(Char('S'), ALT | SHIFT)),
            (b"\x1b[", k(Char('['), ALT)),
            (b"\x1b[A", k(Up, NONE)),
            (b"\x1b[B", k(Down, NONE)),
            (b"\x1b[C", k(Right, NONE)),
            (b"\x1b[D", k(Left, NONE)),
            (b"\x1bOA", k(Up, NONE)),
            (b"\x1b[H", k(Home, NONE)),
            (b"\x1b[F", k(End, NONE)),
            (b"\x1b[1~", k(Home, NONE)),
            (b"\x1b[4~", k(End, NONE)),
            (b"\x1b[2~", k(Insert, NONE)),
            (b"\x1b[3~", k(Delete, NONE)),
            (b"\x1b[5~", k(PageUp, NONE)),
            (b"\x1b[6~", k(PageDown, NONE)),
            (b"\x1b[1;2A", k(Up, SHIFT)),
            (b"\x1b[1;5A", k(Up, CTRL)),
            (b"\x1b[1;3D", k(Left, ALT)),
            (b"\x1b[1;5H", k(Home, CTRL)),
            (b"\x1b[5;5~", k(PageUp, CTRL)),
            (b"\x1b[Z", k(BackTab, SHIFT)),
            (b"\x1bOP", k(F(1), NONE)),
            (b"\x1bOS", k(F(4), NONE)),
            (b"\x1b[15~", k(F(5), NONE)),
            (b"\x1b[17~", k(F(6), NONE)),
            (b"\x1b[21~", k(F(10), NONE)),
            (b"\x1b[24~", k(F(12), NONE)),
            (b"\x1b[1;2P", k(F(1), SHIFT)),
        ];
        for (bytes, event) in rows {
            assert_eq!(decode(bytes), vec![event.clone()], "{bytes:?}");
        }
    }

    #[test]
    fn several_keys_in_one_read_and_a_key_split_across_reads() {
        assert_eq!(
            decode(b"hi\x1b[Ax\r"),
            vec![
                k(KeyCode::Char('h'), NONE),
                k(KeyCode::Char('i'), NONE),
                k(KeyCode::Up, NONE),
                k(KeyCode::Char('x'), NONE),
                k(KeyCode::Enter, NONE),
            ]
        );
        let mut decoder = Decoder::default();
        let snowman = "☃".as_bytes();
        assert!(decoder.feed(&snowman[..1], false).is_empty());
        assert!(decoder.is_waiting());
        assert_eq!(
            decoder.feed(&snowman[1..], false),
            vec![k(KeyCode::Char('☃'), NONE)]
        );
        assert!(decoder.feed(b"\x1b[1;", false).is_empty());
        assert!(decoder.is_waiting());
        assert_eq!(decoder.feed(b"5C", false), vec![k(KeyCode::Right, CTRL)]);
        assert!(!decoder.is_waiting());
    }

    #[test]
    fn a_lone_escape_ending_a_read_is_the_esc_key_and_a_double_one_two() {
        let esc = || k(KeyCode::Esc, NONE);
        let mut decoder = Decoder::default();
        assert_eq!(decoder.feed(b"\x1b", false), vec![esc()]);
        // A read cut short: the rest of the sequence is on its way.
        assert!(decoder.feed(b"\x1b", true).is_empty());
        assert_eq!(decoder.feed(b"[A", false), vec![k(KeyCode::Up, NONE)]);
        assert_eq!(decoder.feed(b"\x1b\x1b", false), vec![esc(), esc()]);
        assert_eq!(
            decoder.feed(b"\x1b\x1b2", false),
            vec![esc(), k(KeyCode::Char('2'), ALT)]
        );
        assert_eq!(
            decoder.feed(b"\x1b\x1b[A", false),
            vec![esc(), k(KeyCode::Up, NONE)]
        );
    }

    #[test]
    fn bracketed_paste_is_one_event_however_it_arrives() {
        let text = "line one\r\nline \x1b[A two ☃";
        let bytes = [PASTE_START, text.as_bytes(), PASTE_END, b"z"].concat();
        assert_eq!(
            decode(&bytes),
            vec![Event::Paste(text.into()), k(KeyCode::Char('z'), NONE)]
        );
        for split in 1..bytes.len() {
            let mut decoder = Decoder::default();
            let mut events = decoder.feed(&bytes[..split], true);
            if split >= PASTE_START.len() {
                // Inside the paste, a pause is no reason to end it.
                events.extend(decoder.flush());
            }
            events.extend(decoder.feed(&bytes[split..], false));
            assert_eq!(
                events,
                vec![Event::Paste(text.into()), k(KeyCode::Char('z'), NONE)],
                "split at {split}"
            );
        }
    }

    #[test]
    fn unknown_or_broken_sequences_are_dropped_not_typed() {
        assert_eq!(decode(b"\x1b[99~a"), vec![k(KeyCode::Char('a'), NONE)]);
        assert_eq!(decode(b"\x1b[?1;2c"), vec![]);
        assert_eq!(decode(b"\x1b[12"), vec![]);
        assert_eq!(decode(b"\xffb"), vec![k(KeyCode::Char('b'), NONE)]);
        assert_eq!(
            decode(b"\x1b[1\x03b"),
            vec![k(KeyCode::Char('c'), CTRL), k(KeyCode::Char('b'), NONE)]
        );
    }
}

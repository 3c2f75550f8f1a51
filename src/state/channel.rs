//! One channel tab: its capped message list, who is there, the room's chat modes, stream
//! information, unread and mention counters, and where the user is looking (scroll anchor,
//! selection). Pure data and small helpers; `update` decides when they change.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::message::{About, BadgeKind, Body, Entry, Millis, Suspect, System};
use crate::twitch::Login;

/// Chat modes from ROOMSTATE; `None` until Twitch says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoomModes {
    pub slow_s: Option<u64>,
    /// Minutes of following required; `Some(None)` is off.
    pub followers_only: Option<Option<u64>>,
    pub subs_only: Option<bool>,
    pub emote_only: Option<bool>,
    pub unique_chat: Option<bool>,
}

/// The stream behind the channel (from Helix).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamInfo {
    pub live: bool,
    pub viewers: u64,
    pub started_at: Option<Millis>,
    pub title: String,
    pub category: String,
}

/// The user-list groups, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Broadcaster,
    Moderators,
    Vips,
    Subscribers,
    Others,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Broadcaster,
        Group::Moderators,
        Group::Vips,
        Group::Subscribers,
        Group::Others,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::Broadcaster => "Broadcaster",
            Group::Moderators => "Moderators",
            Group::Vips => "VIPs",
            Group::Subscribers => "Subscribers",
            Group::Others => "Chatters",
        }
    }
}

/// Someone in the channel, as far as we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub display: String,
    pub group: Group,
}

/// What a tab holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A channel's chat.
    Room,
    /// A whisper conversation with the user the tab is named after (their display name).
    Whisper { display: String },
    /// What waits for a moderator (held messages, unban requests) in every channel.
    Queue,
}

/// A moderator's action, as the mod log and the user card tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModRecord {
    pub at: Millis,
    /// Who acted (login).
    pub moderator: String,
    /// What they did, as Twitch names it (`ban`, `timeout`, `delete`, `slow`, ...).
    pub action: String,
    /// Whom it was done to (login), if anyone.
    pub target: Option<String>,
    /// The line that tells it, with the reason.
    pub text: String,
}

impl ModRecord {
    /// Whether every word of `filter` is in it: `by:name` in the moderator, `on:name` in the
    /// user acted on, any other word in the action or the line (case aside).
    pub fn matches(&self, filter: &str) -> bool {
        let text = self.text.to_lowercase();
        filter.split_whitespace().all(|word| {
            let word = word.to_lowercase();
            if let Some(name) = word.strip_prefix("by:") {
                self.moderator.contains(name)
            } else if let Some(name) = word.strip_prefix("on:") {
                self.target.as_ref().is_some_and(|t| t.contains(name))
            } else {
                self.action.contains(&word) || text.contains(&word)
            }
        })
    }
}

/// How long new followers are counted for the room bar.
pub const FOLLOWS_WINDOW: Millis = 60_000;

/// How many moderators' actions a channel remembers.
const MOD_LOG: usize = 2000;

/// How many recent chatters are remembered for completion.
const RECENT_CHATTERS: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub name: Login,
    pub kind: Kind,
    pub messages: VecDeque<Entry>,
    next_seq: u64,
    /// Currently joined (false while reconnecting or after a failed join).
    pub joined: bool,
    pub modes: RoomModes,
    pub stream: Option<StreamInfo>,
    pub members: BTreeMap<String, Member>,
    /// Logins that chatted, most recent first.
    pub recent: VecDeque<String>,
    /// Emote codes seen here.
    pub emotes: BTreeSet<String>,
    pub unread: u32,
    pub mentions: u32,
    /// `None`: following live chat. `Some(seq)`: the bottom of the view is this entry.
    pub anchor: Option<u64>,
    /// The entry picked in selection mode, by its seq: its identity, never an index.
    pub selected: Option<u64>,
    /// While selecting, what is held on screen: the oldest entry shown and how many entries
    /// from it at least (down to the anchor, or the screen's worth when the history is shorter
    /// and newer entries fill it). They stay whatever the scrollback cap says, so the selection
    /// and the rows around it never move or change.
    pub held: Option<(u64, usize)>,
    /// Selection mode paused live chat: leaving it follows live chat again.
    pub resume_live: bool,
    /// Our own badges here (from USERSTATE), shown on what we send.
    pub my_badges: Vec<BadgeKind>,
    /// Shield Mode, as far as we know (`None`: not known).
    pub shield: Option<bool>,
    /// A raid we started: to whom, and when Twitch's countdown ends.
    pub raid: Option<(String, Millis)>,
    /// The broadcaster's user id (from ROOMSTATE): what the live feeds are asked for.
    pub room_id: Option<String>,
    /// The live feeds followed here, as moderator (true) or chatter (false).
    pub watching: Option<bool>,
    /// Users Twitch or a moderator marked suspicious here, by login.
    pub suspects: BTreeMap<String, Suspect>,
    /// The moderators' actions seen here, oldest first.
    pub modlog: VecDeque<ModRecord>,
    /// When each of the last minute's new followers followed (from the live feeds).
    pub follows: VecDeque<Millis>,
}

/// How many of the newest entries are searched for a line about the same action.
const SAME_ACTION_ENTRIES: usize = 500;

impl Channel {
    /// How to name `login` here: the display name seen for them, with the login when it is in
    /// other letters (`小雷 (xiaolei)`); the login when they were not seen.
    pub fn display_of(&self, login: &str) -> String {
        let display = self
            .members
            .get(login)
            .map(|m| m.display.clone())
            .or_else(|| {
                let recent = self.messages.iter().rev().take(SAME_ACTION_ENTRIES);
                recent.into_iter().find_map(|e| match &e.body {
                    Body::Chat(c) if c.author.login == login => Some(c.author.display.clone()),
                    _ => None,
                })
            });
        match display {
            Some(d) if d.eq_ignore_ascii_case(login) => d,
            Some(d) => format!("{d} ({login})"),
            None => login.to_owned(),
        }
    }

    /// The recent line (at most [`About::window`] before `now`) that tells of `about`.
    pub fn line_about(&mut self, about: &About, now: Millis) -> Option<&mut System> {
        let window = about.window();
        // Looked for among the newest few hundred: an echo lands right after the action.
        self.messages
            .iter_mut()
            .rev()
            .take(SAME_ACTION_ENTRIES)
            .take_while(|e| now.saturating_sub(e.at) <= window)
            .find_map(|e| match &mut e.body {
                Body::System(system) if system.about.as_ref() == Some(about) => Some(system),
                _ => None,
            })
    }

    /// Whether this is the chat of channel `name` (not a whisper conversation).
    pub fn is_room(&self, name: &(impl AsRef<str> + ?Sized)) -> bool {
        self.kind == Kind::Room && self.name.as_str() == name.as_ref()
    }

    /// Remembers a moderator's action (the oldest go past [`MOD_LOG`]).
    pub fn record(&mut self, record: ModRecord) {
        if self.modlog.len() == MOD_LOG {
            self.modlog.pop_front();
        }
        self.modlog.push_back(record);
    }

    /// Someone followed at `now`; those older than a minute are forgotten.
    pub fn followed(&mut self, now: Millis) {
        while self
            .follows
            .front()
            .is_some_and(|at| now - at > FOLLOWS_WINDOW)
        {
            self.follows.pop_front();
        }
        self.follows.push_back(now);
    }

    /// How many followed in the minute before `now`.
    pub fn follows_in_a_minute(&self, now: Millis) -> usize {
        self.follows
            .iter()
            .filter(|at| now - **at < FOLLOWS_WINDOW)
            .count()
    }

    /// The actions that match `filter` (see [`ModRecord::matches`]), oldest first.
    pub fn mod_log(&self, filter: &str) -> Vec<&ModRecord> {
        self.modlog.iter().filter(|r| r.matches(filter)).collect()
    }

    /// How the tab is named: `#channel`, or `✉ name` for a whisper conversation (`@name`
    /// without symbols beyond ASCII).
    pub fn label(&self, unicode: bool) -> String {
        match (&self.kind, unicode) {
            (Kind::Room, _) => format!("#{}", self.name),
            (Kind::Whisper { display }, true) => format!("✉ {display}"),
            (Kind::Whisper { display }, false) => format!("@{display}"),
            (Kind::Queue, true) => "⚑ queue".into(),
            (Kind::Queue, false) => "! queue".into(),
        }
    }

    /// The queue tab: what waits for a moderator in every channel.
    pub fn queue(name: Login) -> Channel {
        Channel {
            kind: Kind::Queue,
            joined: true,
            ..Channel::new(name)
        }
    }

    /// A whisper conversation with `login` (shown as `display`).
    pub fn whisper(login: Login, display: String) -> Channel {
        Channel {
            kind: Kind::Whisper { display },
            joined: true,
            ..Channel::new(login)
        }
    }

    pub fn new(name: Login) -> Channel {
        Channel {
            name,
            kind: Kind::Room,
            messages: VecDeque::new(),
            next_seq: 0,
            joined: false,
            modes: RoomModes::default(),
            stream: None,
            members: BTreeMap::new(),
            recent: VecDeque::new(),
            emotes: BTreeSet::new(),
            unread: 0,
            mentions: 0,
            anchor: None,
            selected: None,
            held: None,
            resume_live: false,
            my_badges: Vec::new(),
            shield: None,
            raid: None,
            room_id: None,
            watching: None,
            suspects: BTreeMap::new(),
            modlog: VecDeque::new(),
            follows: VecDeque::new(),
        }
    }

    /// Adds an entry at the bottom, dropping the oldest past `cap`; returns its seq.
    pub fn push(&mut self, at: Millis, body: Body, cap: usize) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.messages.push_back(Entry {
            seq,
            at,
            body,
            gone: false,
        });
        self.trim(cap.max(1));
        seq
    }

    /// The held entries, as an index range.
    fn held_range(&self) -> Option<(usize, usize)> {
        let (first, count) = self.held?;
        let from = self.index_of(first)?;
        let to = self.index_of(self.anchor?)?.max(from + count - 1);
        Some((from, to.min(self.messages.len() - 1)))
    }

    /// Drops the oldest entries that are not held until at most `cap` of those are left: first
    /// those above the held ones, then those waiting below them.
    fn trim(&mut self, cap: usize) {
        let len = self.messages.len();
        match self.held_range() {
            None => {
                let excess = len.saturating_sub(cap);
                self.messages.drain(..excess);
                let first = self.messages.front().map(|e| e.seq);
                if let (Some(anchor), Some(first)) = (&mut self.anchor, first) {
                    *anchor = (*anchor).max(first);
                }
            }
            Some((from, to)) => {
                let mut excess = len.saturating_sub(cap + (to - from + 1));
                let above = excess.min(from);
                self.messages.drain(..above);
                excess -= above;
                let below = to - above + 1;
                self.messages.drain(below..below + excess);
            }
        }
    }

    /// Where the entry `seq` is in the list, if it is still there.
    pub fn index_of(&self, seq: u64) -> Option<usize> {
        self.messages.binary_search_by_key(&seq, |e| e.seq).ok()
    }

    pub fn entry(&self, seq: u64) -> Option<&Entry> {
        self.messages.get(self.index_of(seq)?)
    }

    pub fn entry_mut(&mut self, seq: u64) -> Option<&mut Entry> {
        let index = self.index_of(seq)?;
        self.messages.get_mut(index)
    }

    /// The entry `steps` entries older (negative) or newer than `seq`, stopping at either end.
    pub fn step(&self, seq: u64, steps: isize) -> Option<u64> {
        let index = self.index_of(seq)?;
        let last = self.messages.len().checked_sub(1)?;
        let to = index.saturating_add_signed(steps).min(last);
        Some(self.messages[to].seq)
    }

    /// Holds what is on screen while selecting: the selection and the `rows` entries up to
    /// the anchor (each takes a row at least, so they fill the screen), or from the oldest
    /// entry on when there are fewer.
    pub fn hold_view(&mut self, rows: usize) {
        self.held = match (self.anchor.and_then(|a| self.index_of(a)), self.selected) {
            (Some(bottom), Some(selected)) => {
                let top = self.messages[(bottom + 1).saturating_sub(rows)].seq;
                Some((top.min(selected), rows.max(1)))
            }
            _ => None,
        };
    }

    /// Entries below the anchor while scrolled up: the "N new messages".
    pub fn below_anchor(&self) -> usize {
        match self.anchor.and_then(|a| self.index_of(a)) {
            Some(index) => self.messages.len() - 1 - index,
            None => 0,
        }
    }

    /// Remembers who chatted (for completion and the user list).
    pub fn saw_chatter(&mut self, login: &str, display: &str, group: Group) {
        if let Some(pos) = self.recent.iter().position(|l| l == login) {
            self.recent.remove(pos);
        }
        self.recent.push_front(login.to_owned());
        self.recent.truncate(RECENT_CHATTERS);
        self.set_member(login, display, group);
    }

    /// Puts someone in the user list, in `group`.
    pub fn set_member(&mut self, login: &str, display: &str, group: Group) {
        self.members.insert(
            login.to_owned(),
            Member {
                display: display.to_owned(),
                group,
            },
        );
    }

    /// Members per group, in display order.
    /// The user list as shown: each group with its members that contain `filter` (any case),
    /// by name; groups without one are left out. Names are `(login, display)`.
    pub fn listed(&self, filter: &str) -> Vec<(Group, Vec<(&str, &str)>)> {
        let needle = filter.to_lowercase();
        Group::ALL
            .into_iter()
            .filter_map(|group| {
                let mut names: Vec<(&str, &str)> = self
                    .members
                    .iter()
                    .filter(|(login, m)| {
                        m.group == group
                            && (login.contains(&needle)
                                || m.display.to_lowercase().contains(&needle))
                    })
                    .map(|(login, m)| (login.as_str(), m.display.as_str()))
                    .collect();
                names.sort_by_key(|(_, display)| display.to_lowercase());
                (!names.is_empty()).then_some((group, names))
            })
            .collect()
    }

    /// The login of the `index`-th name of [`Channel::listed`].
    pub fn listed_login(&self, filter: &str, index: usize) -> Option<String> {
        let listed = self.listed(filter);
        let mut names = listed.iter().flat_map(|(_, names)| names);
        names.nth(index).map(|(login, _)| (*login).to_owned())
    }

    pub fn group_counts(&self) -> [(Group, usize); 5] {
        Group::ALL.map(|g| (g, self.members.values().filter(|m| m.group == g).count()))
    }
}

//! What the message list holds: chat lines, alerts and system lines, built from the typed Twitch
//! messages with every piece of network text sanitised. Pure data; the views decide the looks.

use std::ops::Range;

use crate::twitch::Login;
use crate::twitch::badges::Badge;
use crate::twitch::chat::MessageId;
use crate::twitch::privmsg::{Privmsg, Sender};
use crate::twitch::tags::Rgb;
use crate::twitch::usernotice::{AnnouncementColor, SubPlan, UserNotice, UserNoticeKind};

use super::text::{sanitize, sanitize_with_ranges};

/// Milliseconds since the Unix epoch: how time enters the state, as data.
pub type Millis = i64;

/// One line of a channel's message list.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Increasing per channel; stays with the entry while older ones are dropped.
    pub seq: u64,
    pub at: Millis,
    pub body: Body,
    /// Deleted or cleared by moderation: still shown, greyed and struck.
    pub gone: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Chat(Chat),
    Alert(Alert),
    System(System),
}

/// Who wrote a chat line.
#[derive(Debug, Clone, PartialEq)]
pub struct Author {
    pub login: String,
    /// The display name; localized names (`さくら`) differ from the login in more than case.
    pub display: String,
    pub color: Option<Rgb>,
    pub badges: Vec<BadgeKind>,
}

impl Author {
    pub fn from_sender(sender: &Sender) -> Author {
        let display = sender
            .display_name
            .as_deref()
            .map(|d| sanitize(d.trim()).into_owned())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| sender.login.to_string());
        Author {
            login: sanitize(&sender.login).into_owned(),
            display,
            color: sender.color,
            badges: badges(&sender.badges, &sender.badge_info),
        }
    }

    /// Whether the display name is more than a change of case of the login.
    pub fn is_localized(&self) -> bool {
        !self.display.eq_ignore_ascii_case(&self.login)
    }
}

/// A badge as the message list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadgeKind {
    Broadcaster,
    Moderator,
    Vip,
    /// Tier 1, 2 or 3 and the months from `badge-info` when known.
    Subscriber {
        tier: u8,
        months: Option<u64>,
    },
    Founder,
    Prime,
    Turbo,
    Staff,
    Partner,
    Bits(u64),
    Predictions {
        pink: bool,
    },
    Other(String),
}

pub fn badges(badges: &[Badge], info: &[Badge]) -> Vec<BadgeKind> {
    let months = |name: &str| {
        info.iter()
            .find(|b| b.name == name)
            .and_then(|b| b.version.parse().ok())
    };
    badges
        .iter()
        .map(|b| match b.name.as_str() {
            "broadcaster" => BadgeKind::Broadcaster,
            "moderator" => BadgeKind::Moderator,
            "vip" => BadgeKind::Vip,
            "subscriber" => BadgeKind::Subscriber {
                tier: match b.version.parse::<u32>().unwrap_or(0) / 1000 {
                    2 => 2,
                    3 => 3,
                    _ => 1,
                },
                months: months("subscriber"),
            },
            "founder" => BadgeKind::Founder,
            "premium" => BadgeKind::Prime,
            "turbo" => BadgeKind::Turbo,
            "staff" | "admin" | "global_mod" => BadgeKind::Staff,
            "partner" => BadgeKind::Partner,
            "bits" => BadgeKind::Bits(b.version.parse().unwrap_or(1)),
            "predictions" => BadgeKind::Predictions {
                pink: b.version.starts_with("pink"),
            },
            other => BadgeKind::Other(sanitize(other).into_owned()),
        })
        .collect()
}

/// A chat message, ours or someone else's.
#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    /// Twitch's message id (for replies, deletion); ours get it when Twitch confirms.
    pub id: Option<String>,
    pub author: Author,
    pub text: String,
    /// Byte ranges of `text` that are emotes.
    pub emotes: Vec<Range<usize>>,
    pub action: bool,
    /// It mentions the logged-in user.
    pub mention: bool,
    /// The sender's first message in this channel ever.
    pub first: bool,
    pub bits: Option<u64>,
    /// A paid (hype chat) message: the amount, formatted.
    pub paid: Option<String>,
    pub reply: Option<ReplyTo>,
    /// Set for messages we sent.
    pub send: Option<SendState>,
    /// Held by AutoMod for moderators to allow or deny (not in chat), or an unban request.
    pub held: Option<Box<Hold>>,
    /// Sent by a user the channel treats as suspicious.
    pub suspect: Option<Box<Suspect>>,
}

/// What waits for a moderator's decision, as moderators see it: a message AutoMod holds, or
/// a banned user's request to be unbanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// The id to allow or deny it with (Twitch's message or unban request id).
    pub id: String,
    /// The channel it waits in (the queue tab shows every channel's).
    pub channel: Login,
    pub kind: HoldKind,
    /// Why: AutoMod's category and level, or the blocked term; empty for an unban request.
    pub reason: String,
    pub state: HoldState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldKind {
    Automod,
    Unban,
}

/// How a suspicious user's messages are marked for moderators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspect {
    /// Restricted: only moderators see their messages; otherwise monitored.
    pub restricted: bool,
    /// Why Twitch thinks so, when it says ("likely ban evader", "banned in a shared channel").
    pub why: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldState {
    Pending,
    /// We asked Helix to allow (true) or deny it.
    Asked(bool),
    /// Allowed (true) or denied, by this moderator.
    Resolved {
        allowed: bool,
        by: String,
    },
    Expired,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplyTo {
    pub name: String,
    pub text: String,
}

/// What became of a message we sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendState {
    Pending(MessageId),
    /// Waiting for the rate limit or slow mode, about this many seconds.
    Throttled(MessageId, u64),
    Confirmed,
    /// Refused or dropped; one key sends it again.
    Failed {
        id: MessageId,
        reason: String,
    },
    /// AutoMod holds it for the channel's moderators to decide.
    Held(OwnHold),
}

/// What became of our message AutoMod holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnHold {
    Waiting,
    Approved,
    Denied,
    /// Nobody decided in time (or Twitch found it invalid): not sent.
    Expired,
}

impl Chat {
    /// A plain line from `author` (a feed's: a held message, a whisper), nothing else marked.
    pub fn plain(author: Author, text: String) -> Chat {
        Chat {
            id: None,
            author,
            text,
            emotes: Vec::new(),
            action: false,
            mention: false,
            first: false,
            bits: None,
            paid: None,
            reply: None,
            send: None,
            held: None,
            suspect: None,
        }
    }

    pub fn from_privmsg(msg: &Privmsg, me: Option<&str>) -> Chat {
        let ranges: Vec<Range<usize>> = msg.emotes.iter().map(|e| e.range.clone()).collect();
        let (text, emotes) = sanitize_with_ranges(&msg.text, &ranges);
        let mention = me.is_some_and(|me| mentions(&text, me));
        let parent = msg.reply.as_ref().and_then(|r| r.user_login.as_deref());
        let (text, emotes) = match parent {
            Some(parent) => without_reply_mention(text, emotes, parent),
            None => (text, emotes),
        };
        let reply = msg.reply.as_ref().map(|r| ReplyTo {
            name: sanitize(
                r.display_name
                    .as_deref()
                    .or(r.user_login.as_deref())
                    .unwrap_or("someone"),
            )
            .into_owned(),
            text: sanitize(r.text.as_deref().unwrap_or("")).into_owned(),
        });
        let paid = msg.hype_chat.as_ref().map(|h| {
            let value = h.amount as f64 / 10f64.powi(h.exponent as i32);
            format!("{value:.2} {}", sanitize(&h.currency))
        });
        Chat {
            id: msg
                .message_id
                .as_deref()
                .map(|id| sanitize(id).into_owned()),
            author: Author::from_sender(&msg.sender),
            mention,
            text,
            emotes,
            action: msg.is_action,
            first: msg.first_msg,
            bits: msg.bits,
            paid,
            reply,
            send: None,
            held: None,
            suspect: None,
        }
    }
}

/// A reply's text without the `@parent ` Twitch puts in front of it (the reply line names the
/// parent already, as Twitch's own chat shows it), emote ranges moved along.
fn without_reply_mention(
    text: String,
    emotes: Vec<Range<usize>>,
    parent: &str,
) -> (String, Vec<Range<usize>>) {
    let named = text.strip_prefix('@').is_some_and(|rest| {
        rest.get(..parent.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(parent))
            && rest[parent.len()..].starts_with(' ')
    });
    let after = 1 + parent.len();
    let cut = text.len() - text.get(after..).unwrap_or_default().trim_start().len();
    if !named || cut == text.len() {
        return (text, emotes);
    }
    let emotes = emotes
        .into_iter()
        .filter(|r| r.start >= cut)
        .map(|r| r.start - cut..r.end - cut)
        .collect();
    (text[cut..].to_owned(), emotes)
}

/// Whether `text` names `login` as a word (`@login`, `login,`, any case).
pub fn mentions(text: &str, login: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word.eq_ignore_ascii_case(login))
}

/// A channel event that stands out from chat.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    /// What happened, in words ("Mia subscribed for 12 months").
    pub title: String,
    /// The user's own message with it, if any.
    pub message: Option<String>,
    /// Gift bombs: the community gift id and who received so far.
    pub gift: Option<GiftGroup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    Sub,
    Gift,
    Raid,
    Announcement(AnnounceColor),
    Bits,
    Milestone,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnounceColor {
    Primary,
    Blue,
    Green,
    Orange,
    Purple,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftGroup {
    pub id: String,
    pub count: u64,
    pub recipients: Vec<String>,
}

fn plan_name(plan: &SubPlan) -> &'static str {
    match plan {
        SubPlan::Prime => "with Prime",
        SubPlan::Tier2 => "at Tier 2",
        SubPlan::Tier3 => "at Tier 3",
        SubPlan::Tier1 | SubPlan::Other(_) => "at Tier 1",
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Alert {
    pub fn from_usernotice(notice: &UserNotice) -> Alert {
        let who = Author::from_sender(&notice.sender).display;
        let message = notice
            .text
            .as_deref()
            .map(|t| sanitize(t).into_owned())
            .filter(|t| !t.is_empty());
        let system = || {
            notice
                .system_msg
                .as_deref()
                .map(|s| sanitize(s).into_owned())
                .unwrap_or_else(|| format!("{who}: {}", sanitize(&notice.msg_id)))
        };
        let (kind, title, gift) = match &notice.kind {
            UserNoticeKind::Sub(sub) => (
                AlertKind::Sub,
                format!("{who} subscribed {}", plan_name(&sub.plan)),
                None,
            ),
            UserNoticeKind::Resub(sub) => {
                let months = sub.cumulative_months.unwrap_or(1);
                let mut title = format!(
                    "{who} resubscribed {} for {}",
                    plan_name(&sub.plan),
                    plural(months, "month", "months")
                );
                if let Some(streak) = sub.streak_months.filter(|s| *s > 1) {
                    title.push_str(&format!(", {streak} in a row"));
                }
                (AlertKind::Sub, title, None)
            }
            UserNoticeKind::SubGift(gift) => {
                let to = gift
                    .recipient_display_name
                    .as_deref()
                    .or(gift.recipient_login.as_deref())
                    .map(|n| sanitize(n).into_owned())
                    .unwrap_or_else(|| "someone".to_owned());
                let from = if gift.anonymous {
                    "An anonymous gifter".to_owned()
                } else {
                    who.clone()
                };
                let group = gift.community_gift_id.as_deref().map(|id| GiftGroup {
                    id: sanitize(id).into_owned(),
                    count: 1,
                    recipients: vec![to.clone()],
                });
                (
                    AlertKind::Gift,
                    format!("{from} gifted a sub {} to {to}", plan_name(&gift.plan)),
                    group,
                )
            }
            UserNoticeKind::SubMysteryGift(gift) => {
                let count = gift.count.unwrap_or(1);
                let from = if gift.anonymous {
                    "An anonymous gifter".to_owned()
                } else {
                    who.clone()
                };
                let mut title = format!(
                    "{from} is gifting {} {}",
                    plural(count, "sub", "subs"),
                    plan_name(&gift.plan)
                );
                if let Some(total) = gift.sender_total.filter(|t| *t > count) {
                    title.push_str(&format!(" ({total} in the channel)"));
                }
                let group = gift.community_gift_id.as_deref().map(|id| GiftGroup {
                    id: sanitize(id).into_owned(),
                    count,
                    recipients: Vec::new(),
                });
                (AlertKind::Gift, title, group)
            }
            UserNoticeKind::Raid {
                display_name,
                login,
                viewer_count,
                ..
            } => {
                let raider = display_name
                    .as_deref()
                    .or(login.as_deref())
                    .map(|n| sanitize(n).into_owned())
                    .unwrap_or(who.clone());
                let viewers = viewer_count.unwrap_or(0);
                (
                    AlertKind::Raid,
                    format!(
                        "{raider} is raiding with {}",
                        plural(viewers, "viewer", "viewers")
                    ),
                    None,
                )
            }
            UserNoticeKind::Announcement { color } => {
                let color = match color {
                    AnnouncementColor::Blue => AnnounceColor::Blue,
                    AnnouncementColor::Green => AnnounceColor::Green,
                    AnnouncementColor::Orange => AnnounceColor::Orange,
                    AnnouncementColor::Purple => AnnounceColor::Purple,
                    AnnouncementColor::Primary | AnnouncementColor::Other(_) => {
                        AnnounceColor::Primary
                    }
                };
                (
                    AlertKind::Announcement(color),
                    format!("Announcement from {who}"),
                    None,
                )
            }
            UserNoticeKind::BitsBadgeTier { threshold } => (
                AlertKind::Bits,
                format!(
                    "{who} just earned the {} bits badge",
                    threshold.unwrap_or(0)
                ),
                None,
            ),
            UserNoticeKind::ViewerMilestone {
                category, value, ..
            } if category.as_deref() == Some("watch-streak") => (
                AlertKind::Milestone,
                format!(
                    "{who} watched {} in a row",
                    plural(value.unwrap_or(1), "stream", "streams")
                ),
                None,
            ),
            UserNoticeKind::ViewerMilestone { .. } => (AlertKind::Milestone, system(), None),
            UserNoticeKind::GiftPaidUpgrade { .. }
            | UserNoticeKind::AnonGiftPaidUpgrade { .. }
            | UserNoticeKind::PrimePaidUpgrade { .. } => (AlertKind::Sub, system(), None),
            UserNoticeKind::Unraid
            | UserNoticeKind::Ritual { .. }
            | UserNoticeKind::Other { .. } => (AlertKind::Other, system(), None),
        };
        Alert {
            kind,
            title,
            message,
            gift,
        }
    }
}

/// A line from Twitch's server or from ttvchat itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct System {
    pub level: Level,
    pub text: String,
    /// What it tells of, when that may have more news: Twitch's echo of an action and our own
    /// confirmation of it are then one line, and so is a whole outage.
    pub about: Option<About>,
}

/// What a line tells of, so that later news of the same thing updates it instead of adding
/// another: a moderation action on someone (by login), or the connection being lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    Banned(String),
    TimedOut(String),
    /// A room mode changed, with its new value: `slow:30`, `followers:off`, `emoteonly:on`.
    Mode(String),
    /// The chat was cleared.
    Cleared,
    /// The connection is down; the line counts the attempts to get it back.
    Outage,
    /// How a user is treated as suspicious changed.
    Suspicion(String),
    /// A user was warned.
    Warned(String),
}

impl About {
    /// How long after the line news of the same thing still goes into it.
    pub fn window(&self) -> Millis {
        match self {
            About::Banned(_)
            | About::TimedOut(_)
            | About::Mode(_)
            | About::Cleared
            | About::Suspicion(_)
            | About::Warned(_) => 30_000,
            About::Outage => Millis::MAX,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Connection news, joins.
    Info,
    /// Twitch's NOTICEs, moderation lines.
    Notice,
    /// Something failed.
    Error,
}

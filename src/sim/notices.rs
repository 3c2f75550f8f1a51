//! USERNOTICE lines: subs, resubs, gifts and gift bombs, raids, announcements, bits badge
//! tiers and watch streaks, with the `msg-param-*` tags and `system-msg` sentences Twitch sends.

use super::lines::{Tagged, badges, color, emotes_tag, hash_channel, now_ms, user_type};
use super::world::{Channel, Role, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Prime,
    Tier1,
    Tier2,
    Tier3,
}

impl Plan {
    fn param(self) -> &'static str {
        match self {
            Plan::Prime => "Prime",
            Plan::Tier1 => "1000",
            Plan::Tier2 => "2000",
            Plan::Tier3 => "3000",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Plan::Prime => "Prime",
            Plan::Tier1 => "Tier 1",
            Plan::Tier2 => "Tier 2",
            Plan::Tier3 => "Tier 3",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Plan::Prime => "with Prime",
            Plan::Tier1 => "at Tier 1",
            Plan::Tier2 => "at Tier 2",
            Plan::Tier3 => "at Tier 3",
        }
    }
}

/// A channel event, as USERNOTICE carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A sub (months 1) or resub, with an optional message.
    Sub {
        months: u32,
        streak: Option<u32>,
        plan: Plan,
        message: Option<String>,
    },
    SubGift {
        recipient: String,
        recipient_display: String,
        recipient_id: u64,
        plan: Plan,
        gift_id: Option<String>,
        sender_total: u64,
    },
    MysteryGift {
        count: u32,
        plan: Plan,
        gift_id: String,
        sender_total: u64,
    },
    Raid {
        viewers: u64,
    },
    Announcement {
        text: String,
        color: &'static str,
    },
    BitsBadgeTier {
        threshold: u64,
    },
    WatchStreak {
        streak: u32,
    },
}

pub fn usernotice(channel: &Channel, user: &User, role: Role, id: &str, notice: &Notice) -> String {
    let (info, badges) = badges(channel, user, role);
    let name = user.display_name.as_str();
    let mut line = Tagged::new()
        .tag("badge-info", info)
        .tag("badges", badges)
        .tag("color", color(user))
        .tag("display-name", name)
        .tag("emotes", "")
        .tag("flags", "")
        .tag("id", id)
        .tag("login", user.login.as_str())
        .member(channel, user, role)
        .tag("room-id", channel.id.to_string())
        .tag("tmi-sent-ts", now_ms())
        .tag("user-id", user.id.to_string())
        .tag("user-type", user_type(role));
    let (msg_id, system, text): (&str, String, Option<&str>) = match notice {
        Notice::Sub {
            months,
            streak,
            plan,
            message,
        } => {
            line = line
                .tag("msg-param-cumulative-months", months.to_string())
                .tag(
                    "msg-param-should-share-streak",
                    if streak.is_some() { "1" } else { "0" },
                )
                .tag("msg-param-sub-plan", plan.param())
                .tag("msg-param-sub-plan-name", "Channel Subscription");
            if let Some(s) = streak {
                line = line.tag("msg-param-streak-months", s.to_string());
            }
            let mut system = format!("{name} subscribed {}.", plan.words());
            if *months > 1 {
                system.push_str(&format!(" They've subscribed for {months} months"));
                match streak {
                    Some(s) => system.push_str(&format!(", currently on a {s} month streak!")),
                    None => system.push('!'),
                }
            }
            let kind = if *months > 1 { "resub" } else { "sub" };
            (kind, system, message.as_deref())
        }
        Notice::SubGift {
            recipient,
            recipient_display,
            recipient_id,
            plan,
            gift_id,
            sender_total,
        } => {
            line = line
                .tag("msg-param-gift-months", "1")
                .tag("msg-param-months", "1")
                .tag(
                    "msg-param-recipient-display-name",
                    recipient_display.as_str(),
                )
                .tag("msg-param-recipient-id", recipient_id.to_string())
                .tag("msg-param-recipient-user-name", recipient.as_str())
                .tag("msg-param-sender-count", sender_total.to_string())
                .tag("msg-param-sub-plan", plan.param())
                .tag("msg-param-sub-plan-name", "Channel Subscription");
            if let Some(g) = gift_id {
                line = line.tag("msg-param-community-gift-id", g.as_str());
            }
            let system = format!(
                "{name} gifted a {} sub to {recipient_display}!",
                plan.name()
            );
            ("subgift", system, None)
        }
        Notice::MysteryGift {
            count,
            plan,
            gift_id,
            sender_total,
        } => {
            line = line
                .tag("msg-param-community-gift-id", gift_id.as_str())
                .tag("msg-param-mass-gift-count", count.to_string())
                .tag("msg-param-sender-count", sender_total.to_string())
                .tag("msg-param-sub-plan", plan.param());
            let system = format!(
                "{name} is gifting {count} {} Subs to {}'s community! They've gifted a total of {sender_total} in the channel!",
                plan.name(),
                channel.login
            );
            ("submysterygift", system, None)
        }
        Notice::Raid { viewers } => {
            line = line
                .tag("msg-param-displayName", name)
                .tag("msg-param-login", user.login.as_str())
                .tag(
                    "msg-param-profileImageURL",
                    format!(
                        "https://static-cdn.jtvnw.net/jtv_user_pictures/{}-profile_image-70x70.png",
                        user.login
                    ),
                )
                .tag("msg-param-viewerCount", viewers.to_string());
            (
                "raid",
                format!("{viewers} raiders from {name} have joined!"),
                None,
            )
        }
        Notice::Announcement { text, color } => {
            line = line.tag("msg-param-color", *color);
            ("announcement", String::new(), Some(text.as_str()))
        }
        Notice::BitsBadgeTier { threshold } => {
            line = line.tag("msg-param-threshold", threshold.to_string());
            (
                "bitsbadgetier",
                "bits badge tier notification".to_owned(),
                None,
            )
        }
        Notice::WatchStreak { streak } => {
            line = line
                .tag("msg-param-category", "watch-streak")
                .tag("msg-param-copoReward", "350")
                .tag("msg-param-value", streak.to_string());
            (
                "viewermilestone",
                format!("{name} watched {streak} consecutive streams and sparked a watch streak!"),
                None,
            )
        }
    };
    let emotes = text.map(emotes_tag).unwrap_or_default();
    line = line
        .set("emotes", emotes)
        .tag("msg-id", msg_id)
        .tag("system-msg", system);
    let chan = hash_channel(&channel.login);
    match text {
        Some(text) => line.finish(Some("tmi.twitch.tv"), "USERNOTICE", &[&chan], Some(text)),
        None => line.finish(Some("tmi.twitch.tv"), "USERNOTICE", &[&chan], None),
    }
}

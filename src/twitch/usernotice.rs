//! USERNOTICE: subs, gifts, raids, announcements and the other channel events, each a typed
//! [`UserNoticeKind`] built from its `msg-param-*` tags. Unknown kinds keep every tag.
//!
//! In a shared chat session Twitch wraps events from the other channels as `sharedchatnotice`
//! with the real kind in `source-msg-id`; the kind is decoded from that, so a mirrored raid is
//! still a raid.

use super::emotes::{Emote, parse_emotes};
use super::irc::IrcMessage;
use super::privmsg::{Sender, SharedChat, unwrap_optional_action};
use super::tags::{Known, channel_name, flag, number, text};
use compact_str::CompactString;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserNotice {
    pub channel: CompactString,
    pub channel_id: Option<CompactString>,
    /// The user the event is about (`login` tag): the subscriber, gifter or raider.
    pub sender: Sender,
    /// The `msg-id` tag as sent (`sharedchatnotice` for mirrored events).
    pub msg_id: CompactString,
    pub kind: UserNoticeKind,
    /// Twitch's own sentence for the event.
    pub system_msg: Option<CompactString>,
    /// What the user wrote with it (a resub message, an announcement), `/me` unwrapped.
    pub text: Option<CompactString>,
    pub is_action: bool,
    /// Sorted byte ranges into `text`.
    pub emotes: Vec<Emote>,
    pub message_id: Option<CompactString>,
    pub sent_at_ms: Option<i64>,
    pub shared_chat: Option<SharedChat>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserNoticeKind {
    Sub(Subscription),
    Resub(Subscription),
    SubGift(SubGift),
    SubMysteryGift(MysteryGift),
    GiftPaidUpgrade {
        gifter_login: Option<CompactString>,
        gifter_name: Option<CompactString>,
        promo: Option<Promo>,
    },
    AnonGiftPaidUpgrade {
        promo: Option<Promo>,
    },
    PrimePaidUpgrade {
        plan: SubPlan,
    },
    Raid {
        login: Option<CompactString>,
        display_name: Option<CompactString>,
        viewer_count: Option<u64>,
        profile_image_url: Option<CompactString>,
    },
    Unraid,
    Announcement {
        color: AnnouncementColor,
    },
    BitsBadgeTier {
        threshold: Option<u64>,
    },
    ViewerMilestone {
        category: Option<CompactString>,
        value: Option<u64>,
        reward: Option<u64>,
    },
    Ritual {
        name: Option<CompactString>,
    },
    /// Any other kind, with every tag of the line (unescaped) so nothing is lost.
    Other {
        msg_id: CompactString,
        tags: Vec<(String, String)>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubPlan {
    Prime,
    Tier1,
    Tier2,
    Tier3,
    Other(CompactString),
}

impl SubPlan {
    fn parse(plan: Option<CompactString>) -> SubPlan {
        match plan.as_deref() {
            Some("Prime") => SubPlan::Prime,
            Some("1000") => SubPlan::Tier1,
            Some("2000") => SubPlan::Tier2,
            Some("3000") => SubPlan::Tier3,
            _ => SubPlan::Other(plan.unwrap_or_default()),
        }
    }
}

/// A sub or resub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub cumulative_months: Option<u64>,
    /// Present only when the user chose to share their streak.
    pub streak_months: Option<u64>,
    pub plan: SubPlan,
    pub plan_name: Option<CompactString>,
    /// Months bought at once, when more than one.
    pub multimonth_duration: Option<u64>,
    pub was_gifted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubGift {
    /// Gifted by an anonymous user (`anonsubgift`, or the `ananonymousgifter` account).
    pub anonymous: bool,
    pub recipient_login: Option<CompactString>,
    pub recipient_display_name: Option<CompactString>,
    pub recipient_id: Option<CompactString>,
    /// The recipient's cumulative months.
    pub months: Option<u64>,
    pub gift_months: Option<u64>,
    pub plan: SubPlan,
    pub plan_name: Option<CompactString>,
    /// The gifter's total gifts in the channel, when they share it.
    pub sender_total: Option<u64>,
    /// Shared by the mystery gift and the individual gifts of one gift bomb.
    pub community_gift_id: Option<CompactString>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysteryGift {
    pub anonymous: bool,
    pub count: Option<u64>,
    pub plan: SubPlan,
    pub sender_total: Option<u64>,
    pub community_gift_id: Option<CompactString>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promo {
    pub name: CompactString,
    pub gift_total: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnouncementColor {
    Primary,
    Blue,
    Green,
    Orange,
    Purple,
    Other(CompactString),
}

const ANONYMOUS_GIFTER: &str = "ananonymousgifter";

impl UserNotice {
    /// `None` when the line lacks the channel.
    pub(crate) fn from_irc(msg: &IrcMessage<'_>, tags: &Known<'_>) -> Option<UserNotice> {
        let mut params = msg.params();
        let channel = channel_name(params.next()?);
        let (body, is_action) = unwrap_optional_action(params.next());
        let sender = Sender::from_tags(text(tags.login).unwrap_or_default(), tags);
        let msg_id = text(tags.msg_id).unwrap_or_default();
        let shared_chat = SharedChat::from_tags(tags);
        let kind_name = match (msg_id.as_str(), text(tags.source_msg_id)) {
            ("sharedchatnotice", Some(source_kind)) => source_kind,
            _ => msg_id.clone(),
        };
        let kind = UserNoticeKind::from_params(&kind_name, &sender.login, msg, tags);
        Some(UserNotice {
            channel,
            channel_id: text(tags.room_id),
            system_msg: text(tags.system_msg),
            emotes: match (body, tags.emotes) {
                (Some(body), Some(e)) => parse_emotes(e.raw(), body),
                _ => Vec::new(),
            },
            text: body.map(CompactString::from),
            is_action,
            message_id: text(tags.id),
            sent_at_ms: number(tags.tmi_sent_ts),
            sender,
            msg_id,
            kind,
            shared_chat,
        })
    }
}

impl UserNoticeKind {
    fn from_params(kind: &str, login: &str, msg: &IrcMessage<'_>, t: &Known<'_>) -> Self {
        let plan = || SubPlan::parse(t.param("sub-plan"));
        let subscription = || Subscription {
            cumulative_months: t.param_number("cumulative-months"),
            streak_months: flag_param(t, "should-share-streak")
                .then(|| t.param_number("streak-months"))
                .flatten(),
            plan: plan(),
            plan_name: t.param("sub-plan-name"),
            multimonth_duration: t
                .param_number("multimonth-duration")
                .filter(|&m: &u64| m > 1),
            was_gifted: t.param("was-gifted").as_deref() == Some("true"),
        };
        let promo = || {
            t.param("promo-name").map(|name| Promo {
                name,
                gift_total: t.param_number("promo-gift-total"),
            })
        };
        match kind {
            "sub" => UserNoticeKind::Sub(subscription()),
            "resub" => UserNoticeKind::Resub(subscription()),
            "subgift" | "anonsubgift" => UserNoticeKind::SubGift(SubGift {
                anonymous: kind == "anonsubgift" || login == ANONYMOUS_GIFTER,
                recipient_login: t.param("recipient-user-name"),
                recipient_display_name: t.param("recipient-display-name"),
                recipient_id: t.param("recipient-id"),
                months: t.param_number("months"),
                gift_months: t.param_number("gift-months"),
                plan: plan(),
                plan_name: t.param("sub-plan-name"),
                sender_total: t.param_number("sender-count").filter(|&n: &u64| n > 0),
                community_gift_id: t.param("community-gift-id"),
            }),
            "submysterygift" | "anonsubmysterygift" => {
                UserNoticeKind::SubMysteryGift(MysteryGift {
                    anonymous: kind == "anonsubmysterygift" || login == ANONYMOUS_GIFTER,
                    count: t.param_number("mass-gift-count"),
                    plan: plan(),
                    sender_total: t.param_number("sender-count").filter(|&n: &u64| n > 0),
                    community_gift_id: t.param("community-gift-id"),
                })
            }
            "giftpaidupgrade" => UserNoticeKind::GiftPaidUpgrade {
                gifter_login: t.param("sender-login"),
                gifter_name: t.param("sender-name"),
                promo: promo(),
            },
            "anongiftpaidupgrade" => UserNoticeKind::AnonGiftPaidUpgrade { promo: promo() },
            "primepaidupgrade" => UserNoticeKind::PrimePaidUpgrade { plan: plan() },
            "raid" => UserNoticeKind::Raid {
                login: t.param("login"),
                display_name: t.param("displayName"),
                viewer_count: t.param_number("viewerCount"),
                profile_image_url: t.param("profileImageURL"),
            },
            "unraid" => UserNoticeKind::Unraid,
            "announcement" => UserNoticeKind::Announcement {
                color: match t.param("color").as_deref() {
                    None | Some("PRIMARY") => AnnouncementColor::Primary,
                    Some("BLUE") => AnnouncementColor::Blue,
                    Some("GREEN") => AnnouncementColor::Green,
                    Some("ORANGE") => AnnouncementColor::Orange,
                    Some("PURPLE") => AnnouncementColor::Purple,
                    Some(other) => AnnouncementColor::Other(CompactString::from(other)),
                },
            },
            "bitsbadgetier" => UserNoticeKind::BitsBadgeTier {
                threshold: t.param_number("threshold"),
            },
            "viewermilestone" => UserNoticeKind::ViewerMilestone {
                category: t.param("category"),
                value: t.param_number("value"),
                reward: t.param_number("copoReward"),
            },
            "ritual" => UserNoticeKind::Ritual {
                name: t.param("ritual-name"),
            },
            _ => UserNoticeKind::Other {
                msg_id: CompactString::from(kind),
                tags: msg.tags().to_owned_pairs(),
            },
        }
    }
}

fn flag_param(t: &Known<'_>, name: &str) -> bool {
    flag(
        t.msg_params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v),
    )
}

//! The subscriptions ttvchat makes: each feed's type, version, condition and scopes, and which
//! feeds a role in a channel wants. Facts from Twitch's subscription-type reference.

use serde::Serialize;

/// The `condition` of a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Condition {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broadcaster_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderator_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// One subscription type at the version ttvchat speaks, in the order they are placed when
/// Twitch's limits cannot hold them all: the most needed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feed {
    /// One per account, not per channel.
    Whisper,
    AutomodHold,
    AutomodUpdate,
    Moderate,
    /// Our own messages AutoMod holds.
    UserMessageHold,
    UserMessageUpdate,
    UnbanRequestCreate,
    UnbanRequestResolve,
    SuspiciousMessage,
    SuspiciousUpdate,
    WarningSend,
    WarningAcknowledge,
    ShieldModeBegin,
    ShieldModeEnd,
    Follow,
}

/// Who the feed is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The broadcaster or a moderator of the channel.
    Moderator,
    /// Anyone logged in, per channel.
    Chatter,
    /// The account, once.
    Account,
}

/// The scope groups of `channel.moderate`: one of each.
const MODERATE_SCOPES: &[&[&str]] = &[
    &[
        "moderator:read:blocked_terms",
        "moderator:manage:blocked_terms",
    ],
    &[
        "moderator:read:chat_settings",
        "moderator:manage:chat_settings",
    ],
    &[
        "moderator:read:unban_requests",
        "moderator:manage:unban_requests",
    ],
    &[
        "moderator:read:banned_users",
        "moderator:manage:banned_users",
    ],
    &[
        "moderator:read:chat_messages",
        "moderator:manage:chat_messages",
    ],
    &["moderator:read:warnings", "moderator:manage:warnings"],
    &["moderator:read:moderators", "channel:manage:moderators"],
    &["moderator:read:vips", "channel:manage:vips"],
];

impl Feed {
    pub const ALL: [Feed; 15] = [
        Feed::Whisper,
        Feed::AutomodHold,
        Feed::AutomodUpdate,
        Feed::Moderate,
        Feed::UserMessageHold,
        Feed::UserMessageUpdate,
        Feed::UnbanRequestCreate,
        Feed::UnbanRequestResolve,
        Feed::SuspiciousMessage,
        Feed::SuspiciousUpdate,
        Feed::WarningSend,
        Feed::WarningAcknowledge,
        Feed::ShieldModeBegin,
        Feed::ShieldModeEnd,
        Feed::Follow,
    ];

    /// The subscription type.
    pub fn kind(self) -> &'static str {
        match self {
            Feed::AutomodHold => "automod.message.hold",
            Feed::AutomodUpdate => "automod.message.update",
            Feed::Moderate => "channel.moderate",
            Feed::SuspiciousMessage => "channel.suspicious_user.message",
            Feed::SuspiciousUpdate => "channel.suspicious_user.update",
            Feed::UnbanRequestCreate => "channel.unban_request.create",
            Feed::UnbanRequestResolve => "channel.unban_request.resolve",
            Feed::WarningSend => "channel.warning.send",
            Feed::WarningAcknowledge => "channel.warning.acknowledge",
            Feed::ShieldModeBegin => "channel.shield_mode.begin",
            Feed::ShieldModeEnd => "channel.shield_mode.end",
            Feed::Follow => "channel.follow",
            Feed::UserMessageHold => "channel.chat.user_message_hold",
            Feed::UserMessageUpdate => "channel.chat.user_message_update",
            Feed::Whisper => "user.whisper.message",
        }
    }

    pub fn version(self) -> &'static str {
        match self {
            Feed::AutomodHold | Feed::AutomodUpdate | Feed::Moderate | Feed::Follow => "2",
            _ => "1",
        }
    }

    /// The feed with this type, at ttvchat's version or another Twitch still serves.
    pub fn from_kind(kind: &str, version: &str) -> Option<Feed> {
        let feed = Feed::ALL.into_iter().find(|f| f.kind() == kind)?;
        (feed.version() == version || (kind == "automod.message.hold" && version == "1"))
            .then_some(feed)
    }

    pub fn audience(self) -> Audience {
        match self {
            Feed::UserMessageHold | Feed::UserMessageUpdate => Audience::Chatter,
            Feed::Whisper => Audience::Account,
            _ => Audience::Moderator,
        }
    }

    /// The scopes it needs: one of each group.
    pub fn scopes(self) -> &'static [&'static [&'static str]] {
        match self {
            Feed::AutomodHold | Feed::AutomodUpdate => &[&["moderator:manage:automod"]],
            Feed::Moderate => MODERATE_SCOPES,
            Feed::SuspiciousMessage | Feed::SuspiciousUpdate => {
                &[&["moderator:read:suspicious_users"]]
            }
            Feed::UnbanRequestCreate | Feed::UnbanRequestResolve => &[&[
                "moderator:read:unban_requests",
                "moderator:manage:unban_requests",
            ]],
            Feed::WarningSend | Feed::WarningAcknowledge => {
                &[&["moderator:read:warnings", "moderator:manage:warnings"]]
            }
            Feed::ShieldModeBegin | Feed::ShieldModeEnd => {
                &[&["moderator:read:shield_mode", "moderator:manage:shield_mode"]]
            }
            Feed::Follow => &[&["moderator:read:followers"]],
            Feed::UserMessageHold | Feed::UserMessageUpdate => &[&["user:read:chat"]],
            Feed::Whisper => &[&["user:read:whispers", "user:manage:whispers"]],
        }
    }

    /// The first scope group `granted` does not satisfy, named by its first scope.
    pub fn missing_scope(self, granted: &[String]) -> Option<&'static str> {
        self.scopes()
            .iter()
            .find(|group| !group.iter().any(|s| granted.iter().any(|g| g == s)))
            .map(|group| group[0])
    }

    /// The condition for `user_id` in the channel of `broadcaster_id` (ignored for whispers).
    pub fn condition(self, broadcaster_id: &str, user_id: &str) -> Condition {
        match self.audience() {
            Audience::Moderator => Condition {
                broadcaster_user_id: Some(broadcaster_id.to_owned()),
                moderator_user_id: Some(user_id.to_owned()),
                user_id: None,
            },
            Audience::Chatter => Condition {
                broadcaster_user_id: Some(broadcaster_id.to_owned()),
                moderator_user_id: None,
                user_id: Some(user_id.to_owned()),
            },
            Audience::Account => Condition {
                user_id: Some(user_id.to_owned()),
                ..Condition::default()
            },
        }
    }

    /// What the user loses when this feed stops, in their words.
    pub fn what(self) -> &'static str {
        match self {
            Feed::AutomodHold | Feed::AutomodUpdate => "the AutoMod queue",
            Feed::Moderate => "the mod log",
            Feed::SuspiciousMessage | Feed::SuspiciousUpdate => "suspicious users",
            Feed::UnbanRequestCreate | Feed::UnbanRequestResolve => "unban requests",
            Feed::WarningSend | Feed::WarningAcknowledge => "warnings",
            Feed::ShieldModeBegin | Feed::ShieldModeEnd => "Shield Mode",
            Feed::Follow => "follows",
            Feed::UserMessageHold | Feed::UserMessageUpdate => "your held messages",
            Feed::Whisper => "whispers",
        }
    }

    /// The per-channel feeds for a moderator (or the broadcaster) or a plain chatter.
    pub fn for_channel(moderator: bool) -> impl Iterator<Item = Feed> {
        Feed::ALL.into_iter().filter(move |f| match f.audience() {
            Audience::Moderator => moderator,
            Audience::Chatter => true,
            Audience::Account => false,
        })
    }
}

//! The command table: every slash-command ttvchat knows, in the order `/help` lists them.

use super::{Role, Spec};

const fn spec(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    help: &'static str,
    role: Role,
    scopes: &'static [&'static str],
) -> Spec {
    Spec {
        name,
        aliases,
        usage,
        help,
        role,
        scopes,
    }
}

const BANS: &[&str] = &["moderator:manage:banned_users"];
const MESSAGES: &[&str] = &["moderator:manage:chat_messages"];
const SETTINGS: &[&str] = &["moderator:manage:chat_settings"];
const ANNOUNCE: &[&str] = &["moderator:manage:announcements"];
const MODS: &[&str] = &["channel:manage:moderators"];
const VIPS: &[&str] = &["channel:manage:vips"];
const RAIDS: &[&str] = &["channel:manage:raids"];
const SUSPICIOUS: &[&str] = &["moderator:manage:suspicious_users"];
const UNBAN_REQUESTS: &[&str] = &["moderator:manage:unban_requests"];
const NONE: &[&str] = &[];
use Role::{Anyone, Broadcaster, Moderator};

#[rustfmt::skip]
pub const COMMANDS: &[Spec] = &[
    spec("join", &[], "/join #channel [#channel ...]", "join channels (each gets a tab)", Anyone, NONE),
    spec("part", &["leave"], "/part [#channel]", "leave this channel, or the one named", Anyone, NONE),
    spec("me", &[], "/me text", "say something as an action", Anyone, NONE),
    spec("reply", &[], "/reply user text", "reply to the user's newest message here", Anyone, NONE),
    spec("w", &["whisper"], "/w user text", "whisper to a user", Anyone, &["user:manage:whispers"]),
    spec("user", &["usercard"], "/user user", "open the user's card", Anyone, NONE),
    spec("color", &[], "/color name|#RRGGBB", "change your name color", Anyone, &["user:manage:chat_color"]),
    spec("ban", &[], "/ban user [reason]", "ban a user from this chat", Moderator, BANS),
    spec("unban", &[], "/unban user", "lift a user's ban", Moderator, BANS),
    spec("timeout", &[], "/timeout user [duration] [reason]", "time a user out (10m unless a duration like 600, 30s, 10m, 1h30m, 2d, 1w is given)", Moderator, BANS),
    spec("untimeout", &[], "/untimeout user", "end a user's timeout", Moderator, BANS),
    spec("delete", &[], "/delete message-id", "delete one message (or press d on it)", Moderator, MESSAGES),
    spec("clear", &[], "/clear", "delete every message in this chat", Moderator, MESSAGES),
    spec("slow", &[], "/slow [seconds]", "slow mode: one message per 3 to 120 seconds (30 unless given)", Moderator, SETTINGS),
    spec("slowoff", &[], "/slowoff", "turn slow mode off", Moderator, SETTINGS),
    spec("followers", &[], "/followers [duration]", "followers-only mode, for followers of at least this long (minutes, or 10m, 1h, 1w)", Moderator, SETTINGS),
    spec("followersoff", &[], "/followersoff", "turn followers-only mode off", Moderator, SETTINGS),
    spec("subscribers", &["subs"], "/subscribers", "subscribers-only mode", Moderator, SETTINGS),
    spec("subscribersoff", &["subsoff"], "/subscribersoff", "turn subscribers-only mode off", Moderator, SETTINGS),
    spec("emoteonly", &[], "/emoteonly", "emote-only mode", Moderator, SETTINGS),
    spec("emoteonlyoff", &[], "/emoteonlyoff", "turn emote-only mode off", Moderator, SETTINGS),
    spec("uniquechat", &["r9kbeta"], "/uniquechat", "unique-chat mode: no repeated messages", Moderator, SETTINGS),
    spec("uniquechatoff", &["r9kbetaoff"], "/uniquechatoff", "turn unique-chat mode off", Moderator, SETTINGS),
    spec("announce", &[], "/announce text", "announce in the channel's accent color", Moderator, ANNOUNCE),
    spec("announceblue", &[], "/announceblue text", "a blue announcement", Moderator, ANNOUNCE),
    spec("announcegreen", &[], "/announcegreen text", "a green announcement", Moderator, ANNOUNCE),
    spec("announceorange", &[], "/announceorange text", "an orange announcement", Moderator, ANNOUNCE),
    spec("announcepurple", &[], "/announcepurple text", "a purple announcement", Moderator, ANNOUNCE),
    spec("shoutout", &["so"], "/shoutout channel", "give another streamer a shoutout", Moderator, &["moderator:manage:shoutouts"]),
    spec("warn", &[], "/warn user reason", "warn a user; they must acknowledge it to chat again", Moderator, &["moderator:manage:warnings"]),
    spec("monitor", &[], "/monitor user", "mark the user's messages for moderators (suspicious)", Moderator, SUSPICIOUS),
    spec("restrict", &[], "/restrict user", "only moderators see the user's messages (suspicious)", Moderator, SUSPICIOUS),
    spec("unmonitor", &[], "/unmonitor user", "stop monitoring the user", Moderator, SUSPICIOUS),
    spec("unrestrict", &[], "/unrestrict user", "stop restricting the user", Moderator, SUSPICIOUS),
    spec("approve-unban", &["approve"], "/approve-unban user [text]", "approve the user's unban request, with a note to them", Moderator, UNBAN_REQUESTS),
    spec("deny-unban", &["deny"], "/deny-unban user [text]", "deny the user's unban request, with a note to them", Moderator, UNBAN_REQUESTS),
    spec("shield", &[], "/shield", "turn Shield Mode on", Moderator, &["moderator:manage:shield_mode"]),
    spec("shieldoff", &[], "/shieldoff", "turn Shield Mode off", Moderator, &["moderator:manage:shield_mode"]),
    spec("chatters", &[], "/chatters", "list who is in this chat", Moderator, &["moderator:read:chatters"]),
    spec("raid", &[], "/raid channel", "send your viewers to another channel", Broadcaster, RAIDS),
    spec("unraid", &[], "/unraid", "cancel the raid", Broadcaster, RAIDS),
    spec("mod", &[], "/mod user", "make a user a moderator", Broadcaster, MODS),
    spec("unmod", &[], "/unmod user", "take a user's moderator status", Broadcaster, MODS),
    spec("mods", &[], "/mods", "list the moderators", Broadcaster, &["moderation:read", "channel:manage:moderators"]),
    spec("vip", &[], "/vip user", "make a user a VIP", Broadcaster, VIPS),
    spec("unvip", &[], "/unvip user", "take a user's VIP status", Broadcaster, VIPS),
    spec("vips", &[], "/vips", "list the VIPs", Broadcaster, &["channel:read:vips", "channel:manage:vips"]),
    spec("help", &[], "/help [command]", "show keys and commands, or explain one command", Anyone, NONE),
    spec("quit", &["exit"], "/quit", "leave ttvchat", Anyone, NONE),
];

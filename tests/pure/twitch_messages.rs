//! Typed Twitch layer vectors (our own lines): one or more rows per command, and the nasty
//! cases (missing tags, empty tags, escapes, overlong numbers, localized names, shared chat).

use ttvchat::twitch::badges::Badge;
use ttvchat::twitch::message::{Cap, Membership, Names, ServerMessage};
use ttvchat::twitch::privmsg::Privmsg;
use ttvchat::twitch::room::{ClearChatAction, FollowersOnly};
use ttvchat::twitch::tags::Rgb;
use ttvchat::twitch::usernotice::{AnnouncementColor, SubPlan, UserNotice, UserNoticeKind};

fn parse(line: &str) -> ServerMessage {
    ServerMessage::parse(line).unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

fn privmsg(line: &str) -> Privmsg {
    match parse(line) {
        ServerMessage::Privmsg(m) => m,
        other => panic!("not a PRIVMSG: {other:?}"),
    }
}

fn usernotice(line: &str) -> UserNotice {
    match parse(line) {
        ServerMessage::UserNotice(m) => m,
        other => panic!("not a USERNOTICE: {other:?}"),
    }
}

fn badge(name: &str, version: &str) -> Badge {
    Badge {
        name: name.into(),
        version: version.into(),
    }
}

const CHAT: &str = "@badge-info=subscriber/14;badges=moderator/1,subscriber/12,bits/1000;\
color=#1E90FF;display-name=Mia_Plays;emotes=;first-msg=0;flags=;id=7f3c1a8e-1111-4e0b-9a51-0c5c0c1d2e3f;\
mod=1;returning-chatter=0;room-id=22484632;subscriber=1;tmi-sent-ts=1700000000123;turbo=0;\
user-id=11223344;user-type=mod :mia_plays!mia_plays@mia_plays.tmi.twitch.tv PRIVMSG #cozycorner :good morning chat";

#[test]
fn privmsg_carries_sender_room_and_message_facts() {
    let m = privmsg(CHAT);
    assert_eq!(m.channel, "cozycorner");
    assert_eq!(m.channel_id.as_deref(), Some("22484632"));
    assert_eq!(m.sender.login, "mia_plays");
    assert_eq!(m.sender.display_name.as_deref(), Some("Mia_Plays"));
    assert_eq!(m.sender.user_id.as_deref(), Some("11223344"));
    assert_eq!(
        m.sender.color,
        Some(Rgb {
            r: 0x1E,
            g: 0x90,
            b: 0xFF
        })
    );
    assert_eq!(
        m.sender.badges,
        [
            badge("moderator", "1"),
            badge("subscriber", "12"),
            badge("bits", "1000")
        ]
    );
    assert_eq!(m.sender.badge_info, [badge("subscriber", "14")]);
    assert_eq!(m.text, "good morning chat");
    assert!(!m.is_action && !m.first_msg && !m.returning_chatter);
    assert_eq!(
        m.message_id.as_deref(),
        Some("7f3c1a8e-1111-4e0b-9a51-0c5c0c1d2e3f")
    );
    assert_eq!(m.sent_at_ms, Some(1_700_000_000_123));
    assert_eq!(m.bits, None);
    assert!(m.emotes.is_empty() && m.reply.is_none() && m.hype_chat.is_none());
    assert!(m.shared_chat.is_none());
}

#[test]
fn privmsg_action_first_message_and_bits() {
    let m = privmsg(
        "@badges=;color=;display-name=newbie42;emotes=;first-msg=1;id=a1;room-id=5;user-id=9 \
         :newbie42!newbie42@newbie42.tmi.twitch.tv PRIVMSG #c :\x01ACTION waves hello\x01",
    );
    assert!(m.is_action && m.first_msg);
    assert_eq!(m.text, "waves hello");
    assert_eq!(m.sender.color, None, "an empty color tag means no color");
    assert!(m.sender.badges.is_empty());

    let empty_action = privmsg(":a!a@a PRIVMSG #c :\x01ACTION\x01");
    assert!(empty_action.is_action);
    assert_eq!(empty_action.text, "");
    let unclosed = privmsg(":a!a@a PRIVMSG #c :\x01ACTION shrugs");
    assert!(unclosed.is_action);
    assert_eq!(unclosed.text, "shrugs");
    let not_action = privmsg(":a!a@a PRIVMSG #c :\x01ACTIONS speak\x01");
    assert!(!not_action.is_action);

    let cheer = privmsg(
        "@bits=500;display-name=Big;id=b2;user-id=3 :big!big@big.tmi.twitch.tv PRIVMSG #c :Cheer500 gg",
    );
    assert_eq!(cheer.bits, Some(500));
}

#[test]
fn privmsg_reply_tags_unescape_and_name_the_thread() {
    let m = privmsg(
        "@display-name=Replier;id=r1;reply-parent-display-name=Original\\sPoster;\
         reply-parent-msg-body=is\\sthis\\son\\:\\syes!;reply-parent-msg-id=p1;reply-parent-user-id=77;\
         reply-parent-user-login=original_poster;reply-thread-parent-msg-id=t1;\
         reply-thread-parent-user-login=thread_starter;room-id=5;user-id=8 \
         :replier!replier@replier.tmi.twitch.tv PRIVMSG #c :@Original_Poster it is",
    );
    let reply = m.reply.expect("reply parent");
    assert_eq!(reply.message_id, "p1");
    assert_eq!(reply.user_login.as_deref(), Some("original_poster"));
    assert_eq!(reply.user_id.as_deref(), Some("77"));
    assert_eq!(reply.display_name.as_deref(), Some("Original Poster"));
    assert_eq!(reply.text.as_deref(), Some("is this on; yes!"));
    assert_eq!(reply.thread_message_id.as_deref(), Some("t1"));
    assert_eq!(reply.thread_user_login.as_deref(), Some("thread_starter"));
    assert_eq!(m.text, "@Original_Poster it is");
}

#[test]
fn privmsg_hype_chat_and_shared_chat() {
    let hype = privmsg(
        "@display-name=Fan;id=h1;pinned-chat-paid-amount=500;pinned-chat-paid-currency=USD;\
         pinned-chat-paid-exponent=2;pinned-chat-paid-is-system-message=0;pinned-chat-paid-level=TWO;\
         room-id=5;user-id=8 :fan!fan@fan.tmi.twitch.tv PRIVMSG #c :take my money",
    );
    let paid = hype.hype_chat.expect("hype chat");
    assert_eq!(
        (paid.amount, paid.exponent, paid.currency.as_str()),
        (500, 2, "USD")
    );
    assert_eq!(paid.level.as_deref(), Some("TWO"));
    assert!(!paid.is_system_message);

    let mirrored = privmsg(
        "@badges=;display-name=Guest;id=s1;room-id=100;source-badges=subscriber/3;\
         source-badge-info=subscriber/5;source-id=orig-1;source-only=0;source-room-id=200;user-id=8 \
         :guest!guest@guest.tmi.twitch.tv PRIVMSG #host :hi from the other side",
    );
    let shared = mirrored.shared_chat.expect("shared chat");
    assert_eq!(shared.source_room_id, "200");
    assert_eq!(shared.source_message_id.as_deref(), Some("orig-1"));
    assert_eq!(shared.source_badges, [badge("subscriber", "3")]);
    assert!(shared.is_mirrored(mirrored.channel_id.as_deref()));

    let own = privmsg(
        "@id=s2;room-id=100;source-room-id=100;source-id=s2 :me!me@me PRIVMSG #host :at home",
    );
    assert!(!own.shared_chat.unwrap().is_mirrored(Some("100")));
}

#[test]
fn missing_empty_and_malformed_tags_never_fail_the_message() {
    let bare = privmsg(":lurker!lurker@lurker.tmi.twitch.tv PRIVMSG #c :no tags at all");
    assert_eq!(bare.sender.login, "lurker");
    assert_eq!(bare.sender.display_name, None);
    assert_eq!(bare.message_id, None);
    assert_eq!(bare.sent_at_ms, None);

    let odd = privmsg(
        "@badges=subscriber24,/3,vip/1;bits=99999999999999999999999;color=blue;display-name=;\
         emotes=25:a-b,3-1,4;id=;tmi-sent-ts=-6795364578871 :odd!odd@odd PRIVMSG #c :weird tags",
    );
    assert_eq!(odd.sender.badges, [badge("vip", "1")]);
    assert_eq!(odd.bits, None, "an overlong number is no number");
    assert_eq!(odd.sender.color, None);
    assert_eq!(odd.sender.display_name, None);
    assert_eq!(odd.message_id, None);
    assert!(odd.emotes.is_empty());
    assert_eq!(odd.sent_at_ms, Some(-6_795_364_578_871));
}

#[test]
fn display_names_are_kept_verbatim() {
    let localized = privmsg(
        "@display-name=한국어이름;user-id=1 :korean_login!korean_login@k PRIVMSG #c :안녕하세요",
    );
    assert_eq!(localized.sender.display_name.as_deref(), Some("한국어이름"));
    assert_eq!(localized.sender.login, "korean_login");
    let spaced = privmsg("@display-name=Trailing\\s :trailing!t@t PRIVMSG #c :x");
    assert_eq!(spaced.sender.display_name.as_deref(), Some("Trailing "));
}

#[test]
fn badge_versions_may_contain_slashes_and_escapes() {
    let m = privmsg(
        "@badge-info=predictions/Day\\s3/3\\sgoes\\sdown;badges=predictions/pink-2 :p!p@p PRIVMSG #c :x",
    );
    assert_eq!(
        m.sender.badge_info,
        [badge("predictions", "Day 3/3 goes down")]
    );
    assert_eq!(m.sender.badges, [badge("predictions", "pink-2")]);
}

fn notice_kind(msg_id: &str, params: &str) -> (UserNotice, UserNoticeKind) {
    let line = format!(
        "@badge-info=;badges=;color=#8A2BE2;display-name=Gifter;id=n1;login=gifter;{params}\
         msg-id={msg_id};room-id=5;system-msg=Something\\shappened.;tmi-sent-ts=1700000000000;user-id=42 \
         :tmi.twitch.tv USERNOTICE #c"
    );
    let notice = usernotice(&line);
    let kind = notice.kind.clone();
    (notice, kind)
}

#[test]
fn usernotice_sub_and_resub() {
    let (notice, kind) = notice_kind(
        "sub",
        "msg-param-cumulative-months=1;msg-param-should-share-streak=0;msg-param-sub-plan=Prime;\
         msg-param-sub-plan-name=Channel\\sSubscription;",
    );
    assert_eq!(notice.channel, "c");
    assert_eq!(notice.sender.login, "gifter");
    assert_eq!(notice.system_msg.as_deref(), Some("Something happened."));
    assert_eq!(notice.text, None);
    let UserNoticeKind::Sub(sub) = kind else {
        panic!("{kind:?}")
    };
    assert_eq!(sub.plan, SubPlan::Prime);
    assert_eq!(sub.cumulative_months, Some(1));
    assert_eq!(sub.plan_name.as_deref(), Some("Channel Subscription"));

    let line = "@display-name=Loyal;emotes=25:12-16;id=n2;login=loyal;msg-id=resub;\
                msg-param-cumulative-months=27;msg-param-should-share-streak=1;msg-param-streak-months=9;\
                msg-param-sub-plan=2000;msg-param-multimonth-duration=3;room-id=5;\
                system-msg=loyal\\ssubscribed :tmi.twitch.tv USERNOTICE #c :27 months 🎉 Kappa";
    let resub = usernotice(line);
    assert_eq!(resub.text.as_deref(), Some("27 months 🎉 Kappa"));
    assert_eq!(
        resub.emotes[0].code(resub.text.as_deref().unwrap()),
        "Kappa"
    );
    let UserNoticeKind::Resub(sub) = resub.kind else {
        panic!()
    };
    assert_eq!(sub.cumulative_months, Some(27));
    assert_eq!(sub.streak_months, Some(9));
    assert_eq!(sub.plan, SubPlan::Tier2);
    assert_eq!(sub.multimonth_duration, Some(3));

    let (_, hidden) = notice_kind(
        "resub",
        "msg-param-should-share-streak=0;msg-param-streak-months=9;msg-param-sub-plan=1000;",
    );
    let UserNoticeKind::Resub(sub) = hidden else {
        panic!()
    };
    assert_eq!(sub.streak_months, None, "an unshared streak stays private");
}

#[test]
fn usernotice_gifts() {
    let (_, kind) = notice_kind(
        "subgift",
        "msg-param-months=4;msg-param-recipient-display-name=Lucky;msg-param-recipient-id=77;\
         msg-param-recipient-user-name=lucky;msg-param-sender-count=12;msg-param-sub-plan=1000;\
         msg-param-gift-months=1;msg-param-community-gift-id=bomb1;",
    );
    let UserNoticeKind::SubGift(gift) = kind else {
        panic!("{kind:?}")
    };
    assert!(!gift.anonymous);
    assert_eq!(gift.recipient_login.as_deref(), Some("lucky"));
    assert_eq!(gift.recipient_display_name.as_deref(), Some("Lucky"));
    assert_eq!(gift.recipient_id.as_deref(), Some("77"));
    assert_eq!(gift.months, Some(4));
    assert_eq!(gift.sender_total, Some(12));
    assert_eq!(gift.plan, SubPlan::Tier1);
    assert_eq!(gift.community_gift_id.as_deref(), Some("bomb1"));

    let (_, kind) = notice_kind(
        "anonsubgift",
        "msg-param-recipient-user-name=lucky;msg-param-sub-plan=3000;",
    );
    let UserNoticeKind::SubGift(gift) = kind else {
        panic!()
    };
    assert!(gift.anonymous);
    assert_eq!(gift.plan, SubPlan::Tier3);

    let (_, kind) = notice_kind(
        "submysterygift",
        "msg-param-mass-gift-count=50;msg-param-sender-count=0;msg-param-sub-plan=1000;\
         msg-param-community-gift-id=bomb1;",
    );
    let UserNoticeKind::SubMysteryGift(bomb) = kind else {
        panic!()
    };
    assert_eq!(bomb.count, Some(50));
    assert_eq!(
        bomb.sender_total, None,
        "0 means the gifter hides the total"
    );
    assert_eq!(bomb.community_gift_id.as_deref(), Some("bomb1"));

    let anonymous = usernotice(
        "@login=ananonymousgifter;msg-id=submysterygift;msg-param-mass-gift-count=5 \
         :tmi.twitch.tv USERNOTICE #c",
    );
    let UserNoticeKind::SubMysteryGift(bomb) = anonymous.kind else {
        panic!()
    };
    assert!(bomb.anonymous);
}

#[test]
fn usernotice_upgrades() {
    let (_, kind) = notice_kind(
        "giftpaidupgrade",
        "msg-param-sender-login=santa;msg-param-sender-name=Santa;msg-param-promo-name=Winter;\
         msg-param-promo-gift-total=300;",
    );
    let UserNoticeKind::GiftPaidUpgrade {
        gifter_login,
        gifter_name,
        promo,
    } = kind
    else {
        panic!()
    };
    assert_eq!(gifter_login.as_deref(), Some("santa"));
    assert_eq!(gifter_name.as_deref(), Some("Santa"));
    let promo = promo.unwrap();
    assert_eq!(
        (promo.name.as_str(), promo.gift_total),
        ("Winter", Some(300))
    );

    let (_, kind) = notice_kind("anongiftpaidupgrade", "");
    assert_eq!(kind, UserNoticeKind::AnonGiftPaidUpgrade { promo: None });

    let (_, kind) = notice_kind("primepaidupgrade", "msg-param-sub-plan=1000;");
    assert_eq!(
        kind,
        UserNoticeKind::PrimePaidUpgrade {
            plan: SubPlan::Tier1
        }
    );
}

#[test]
fn usernotice_raid_announcement_and_the_rest() {
    let (_, kind) = notice_kind(
        "raid",
        "msg-param-displayName=Raid\\sLeader;msg-param-login=raid_leader;msg-param-viewerCount=1234;\
         msg-param-profileImageURL=https://example.invalid/p.png;",
    );
    let UserNoticeKind::Raid {
        login,
        display_name,
        viewer_count,
        profile_image_url,
    } = kind
    else {
        panic!()
    };
    assert_eq!(login.as_deref(), Some("raid_leader"));
    assert_eq!(display_name.as_deref(), Some("Raid Leader"));
    assert_eq!(viewer_count, Some(1234));
    assert!(profile_image_url.is_some());

    assert_eq!(notice_kind("unraid", "").1, UserNoticeKind::Unraid);

    let announce = usernotice(
        "@display-name=Mod;login=mod;msg-id=announcement;msg-param-color=PURPLE;room-id=5 \
         :tmi.twitch.tv USERNOTICE #c :Giveaway at 8pm!",
    );
    assert_eq!(announce.text.as_deref(), Some("Giveaway at 8pm!"));
    assert_eq!(
        announce.kind,
        UserNoticeKind::Announcement {
            color: AnnouncementColor::Purple
        }
    );
    assert_eq!(
        notice_kind("announcement", "").1,
        UserNoticeKind::Announcement {
            color: AnnouncementColor::Primary
        }
    );

    assert_eq!(
        notice_kind("bitsbadgetier", "msg-param-threshold=10000;").1,
        UserNoticeKind::BitsBadgeTier {
            threshold: Some(10000)
        }
    );
    assert_eq!(
        notice_kind(
            "viewermilestone",
            "msg-param-category=watch-streak;msg-param-value=7;msg-param-copoReward=450;"
        )
        .1,
        UserNoticeKind::ViewerMilestone {
            category: Some("watch-streak".into()),
            value: Some(7),
            reward: Some(450)
        }
    );
    assert_eq!(
        notice_kind("ritual", "msg-param-ritual-name=new_chatter;").1,
        UserNoticeKind::Ritual {
            name: Some("new_chatter".into())
        }
    );
}

#[test]
fn unknown_usernotice_kinds_keep_every_tag() {
    let (notice, kind) = notice_kind("brandnewthing", "msg-param-fancy=yes\\splease;");
    assert_eq!(notice.msg_id, "brandnewthing");
    let UserNoticeKind::Other { msg_id, tags } = kind else {
        panic!()
    };
    assert_eq!(msg_id, "brandnewthing");
    assert!(tags.contains(&("msg-param-fancy".into(), "yes please".into())));
    assert!(tags.contains(&("login".into(), "gifter".into())));
}

#[test]
fn shared_chat_notices_are_decoded_by_their_source_kind() {
    let notice = usernotice(
        "@login=raider;msg-id=sharedchatnotice;source-msg-id=raid;msg-param-viewerCount=40;\
         msg-param-login=raider;room-id=100;source-room-id=200;source-id=x \
         :tmi.twitch.tv USERNOTICE #host",
    );
    assert_eq!(notice.msg_id, "sharedchatnotice");
    assert!(matches!(
        notice.kind,
        UserNoticeKind::Raid {
            viewer_count: Some(40),
            ..
        }
    ));
    assert!(notice.shared_chat.unwrap().is_mirrored(Some("100")));
}

#[test]
fn roomstate_full_and_partial() {
    let ServerMessage::RoomState(full) = parse(
        "@emote-only=0;followers-only=-1;r9k=0;room-id=5;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #c",
    ) else {
        panic!()
    };
    assert_eq!(full.channel, "c");
    assert_eq!(full.emote_only, Some(false));
    assert_eq!(full.followers_only, Some(FollowersOnly::Off));
    assert_eq!(full.r9k, Some(false));
    assert_eq!(full.slow_s, Some(0));
    assert_eq!(full.subs_only, Some(false));

    let ServerMessage::RoomState(slow) = parse("@room-id=5;slow=30 :tmi.twitch.tv ROOMSTATE #c")
    else {
        panic!()
    };
    assert_eq!(slow.slow_s, Some(30));
    assert_eq!(
        (
            slow.emote_only,
            slow.followers_only,
            slow.r9k,
            slow.subs_only
        ),
        (None, None, None, None),
        "absent keys mean unchanged"
    );

    let ServerMessage::RoomState(followers) =
        parse("@followers-only=10 :tmi.twitch.tv ROOMSTATE #c")
    else {
        panic!()
    };
    assert_eq!(followers.followers_only, Some(FollowersOnly::Minutes(10)));
    let ServerMessage::RoomState(any) = parse("@followers-only=0 :tmi.twitch.tv ROOMSTATE #c")
    else {
        panic!()
    };
    assert_eq!(any.followers_only, Some(FollowersOnly::Minutes(0)));
}

#[test]
fn clearchat_timeout_ban_and_full_clear() {
    let ServerMessage::ClearChat(timeout) = parse(
        "@ban-duration=600;room-id=5;target-user-id=66;tmi-sent-ts=17 :tmi.twitch.tv CLEARCHAT #c :spammer",
    ) else {
        panic!()
    };
    assert_eq!(
        timeout.action,
        ClearChatAction::Timeout {
            login: "spammer".into(),
            user_id: Some("66".into()),
            duration_s: 600
        }
    );
    assert_eq!(timeout.sent_at_ms, Some(17));

    let ServerMessage::ClearChat(ban) =
        parse("@room-id=5;target-user-id=66 :tmi.twitch.tv CLEARCHAT #c :spammer")
    else {
        panic!()
    };
    assert!(matches!(ban.action, ClearChatAction::Ban { ref login, .. } if login == "spammer"));

    let ServerMessage::ClearChat(middle) =
        parse("@ban-duration=1;room-id=5 :tmi.twitch.tv CLEARCHAT #c spammer")
    else {
        panic!()
    };
    assert!(matches!(
        middle.action,
        ClearChatAction::Timeout { duration_s: 1, .. }
    ));

    let ServerMessage::ClearChat(all) = parse("@room-id=5 :tmi.twitch.tv CLEARCHAT #c") else {
        panic!()
    };
    assert_eq!(all.action, ClearChatAction::ClearAll);
}

#[test]
fn clearmsg_names_the_deleted_message() {
    let ServerMessage::ClearMsg(m) = parse(
        "@login=oops;room-id=;target-msg-id=m-1;tmi-sent-ts=9 :tmi.twitch.tv CLEARMSG #c :\x01ACTION said a bad word\x01",
    ) else {
        panic!()
    };
    assert_eq!(m.channel, "c");
    assert_eq!(m.channel_id, None);
    assert_eq!(m.login.as_deref(), Some("oops"));
    assert_eq!(m.target_message_id.as_deref(), Some("m-1"));
    assert_eq!(m.text.as_deref(), Some("said a bad word"));
    assert!(m.is_action);
}

#[test]
fn notices_with_and_without_channel_and_text() {
    let ServerMessage::Notice(slow) = parse(
        "@msg-id=msg_slowmode :tmi.twitch.tv NOTICE #c :This room is in slow mode and you are sending messages too quickly. You will be able to talk again in 12 seconds.",
    ) else {
        panic!()
    };
    assert_eq!(slow.channel.as_deref(), Some("c"));
    assert_eq!(slow.msg_id.as_deref(), Some("msg_slowmode"));
    assert!(slow.text.unwrap().contains("12 seconds"));

    let ServerMessage::Notice(login) =
        parse(":tmi.twitch.tv NOTICE * :Login authentication failed")
    else {
        panic!()
    };
    assert_eq!(login.channel, None);
    assert_eq!(login.msg_id, None);
    assert_eq!(login.text.as_deref(), Some("Login authentication failed"));

    let ServerMessage::Notice(bare) = parse("@msg-id=subs_on :tmi.twitch.tv NOTICE #c") else {
        panic!()
    };
    assert_eq!(bare.text, None);
}

#[test]
fn userstate_and_globaluserstate_describe_us() {
    let ServerMessage::UserState(us) = parse(
        "@badge-info=;badges=vip/1;color=#FF4500;display-name=Me;emote-sets=0,33,e3a7-uuid;id=sent-1;\
         mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #c",
    ) else {
        panic!()
    };
    assert_eq!(us.channel, "c");
    assert!(us.vip && !us.moderator && !us.subscriber);
    assert_eq!(us.emote_sets, ["0", "33", "e3a7-uuid"]);
    assert_eq!(us.message_id.as_deref(), Some("sent-1"));
    assert_eq!(
        us.color,
        Some(Rgb {
            r: 255,
            g: 69,
            b: 0
        })
    );

    let ServerMessage::UserState(modded) =
        parse("@badges=moderator/1;mod=1;emote-sets= :tmi.twitch.tv USERSTATE #c")
    else {
        panic!()
    };
    assert!(modded.moderator && !modded.vip);
    assert!(modded.emote_sets.is_empty());

    let ServerMessage::GlobalUserState(g) = parse(
        "@badge-info=;badges=turbo/1;color=;display-name=Me;emote-sets=0;user-id=123;user-type= :tmi.twitch.tv GLOBALUSERSTATE",
    ) else {
        panic!()
    };
    assert_eq!(g.user_id.as_deref(), Some("123"));
    assert_eq!(g.display_name.as_deref(), Some("Me"));
    assert_eq!(g.badges, [badge("turbo", "1")]);
    assert_eq!(g.color, None);
}

#[test]
fn whisper_join_part_names_and_connection_messages() {
    let ServerMessage::Whisper(w) = parse(
        "@badges=;color=#00FF00;display-name=Pal;emotes=25:5-9;message-id=3;thread-id=1_2;user-id=2 \
         :pal!pal@pal.tmi.twitch.tv WHISPER me :psst Kappa",
    ) else {
        panic!()
    };
    assert_eq!(w.sender.login, "pal");
    assert_eq!(w.recipient, "me");
    assert_eq!(w.emotes[0].code(&w.text), "Kappa");
    assert_eq!(w.message_id.as_deref(), Some("3"));
    assert_eq!(w.thread_id.as_deref(), Some("1_2"));

    let membership = Membership {
        channel: "c".into(),
        login: "ann".into(),
    };
    assert_eq!(
        parse(":ann!ann@ann.tmi.twitch.tv JOIN #c"),
        ServerMessage::Join(membership.clone())
    );
    assert_eq!(
        parse(":ann!ann@ann.tmi.twitch.tv PART #c"),
        ServerMessage::Part(membership)
    );
    assert_eq!(
        parse(":me.tmi.twitch.tv 353 me = #c :ann bob  cy"),
        ServerMessage::Names(Names {
            channel: "c".into(),
            names: vec!["ann".into(), "bob".into(), "cy".into()]
        })
    );
    assert_eq!(
        parse(":me.tmi.twitch.tv 366 me #c :End of /NAMES list"),
        ServerMessage::EndOfNames {
            channel: "c".into()
        }
    );
    assert_eq!(
        parse("PING :tmi.twitch.tv"),
        ServerMessage::Ping {
            argument: Some("tmi.twitch.tv".into())
        }
    );
    assert_eq!(parse("PING"), ServerMessage::Ping { argument: None });
    assert_eq!(
        parse(":tmi.twitch.tv PONG tmi.twitch.tv :keepalive-7"),
        ServerMessage::Pong {
            argument: Some("keepalive-7".into())
        }
    );
    assert_eq!(parse(":tmi.twitch.tv RECONNECT"), ServerMessage::Reconnect);
    assert_eq!(
        parse(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands"),
        ServerMessage::Cap(Cap {
            subcommand: "ACK".into(),
            capabilities: vec!["twitch.tv/tags".into(), "twitch.tv/commands".into()]
        })
    );
    assert_eq!(
        parse(":tmi.twitch.tv CAP * NAK :twitch.tv/bogus").kind(),
        "cap"
    );
    assert_eq!(
        parse(":tmi.twitch.tv 001 justinfan123 :Welcome, GLHF!"),
        ServerMessage::Welcome {
            nick: "justinfan123".into(),
            text: Some("Welcome, GLHF!".into())
        }
    );
}

#[test]
fn anything_else_is_other_and_keeps_the_line() {
    let ServerMessage::Other(host) = parse("@x=1\\s2 :tmi.twitch.tv HOSTTARGET #c :other 10")
    else {
        panic!()
    };
    assert_eq!(host.command, "HOSTTARGET");
    assert_eq!(host.params, ["#c", "other 10"]);
    assert_eq!(host.tags, [("x".to_owned(), "1 2".to_owned())]);
    assert_eq!(host.source.as_deref(), Some("tmi.twitch.tv"));

    for line in [
        ":a!a@a PRIVMSG #c",
        ":a!a@a PRIVMSG",
        ":tmi.twitch.tv ROOMSTATE",
        ":tmi.twitch.tv 353 me =",
        ":tmi.twitch.tv 376 me :>",
        "JOIN #c",
    ] {
        assert_eq!(parse(line).kind(), "other", "{line:?}");
    }
}

#[test]
fn lower_case_commands_are_recognised() {
    assert_eq!(parse("ping :x").kind(), "ping");
    assert_eq!(parse(":a!a@a privmsg #c :hi").kind(), "privmsg");
}

#[test]
fn huge_lines_parse_whole() {
    let text = "word ".repeat(20_000);
    let emotes = (0..2000)
        .map(|i| format!("{}-{}", i * 5, i * 5 + 3))
        .collect::<Vec<_>>()
        .join(",");
    let tags = (0..500)
        .map(|i| format!("k{i}=v{i}"))
        .collect::<Vec<_>>()
        .join(";");
    let line = format!("@{tags};emotes=1:{emotes} :big!big@big PRIVMSG #c :{text}");
    let m = privmsg(&line);
    assert_eq!(m.text.len(), 100_000);
    assert_eq!(m.emotes.len(), 2000);
    assert!(m.emotes.iter().all(|e| e.code(&m.text) == "word"));
}

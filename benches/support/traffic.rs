//! A deterministic generator of realistic Twitch chat traffic, for benchmarks and for big sample
//! logs (`cargo run --release --example gen_traffic`). Lines look like what Twitch sends: full
//! tag sets, badges, colors, emotes behind emoji, replies, /me, bits, subs, gifts, raids,
//! moderation and room-state changes.

/// xorshift64*: small, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const NAMES: &[&str] = &[
    "pixelpanda",
    "NightOwl_42",
    "kappa_kid",
    "StreamSniper",
    "mochi_mochi",
    "xXGamerXx",
    "CozyCarla",
    "lurk_lord",
    "Bananaboat",
    "quietquinn",
    "Ragnar0k",
    "tea_time_tom",
    "ZeldaFan99",
    "midnightmia",
    "CaptainCrunchy",
    "sleepy_sam",
    "Frostbyte",
    "glimmer",
    "noodle_nate",
    "VioletVibes",
];
const LOCALIZED: &[(&str, &str)] = &[
    ("sakura_chan", "さくら"),
    ("minjun_kr", "민준"),
    ("lei_cn", "小雷"),
];
const COLORS: &[&str] = &[
    "#FF0000", "#0000FF", "#008000", "#B22222", "#FF7F50", "#9ACD32", "#FF4500", "#2E8B57",
    "#DAA520", "#D2691E", "#5F9EA0", "#1E90FF", "#FF69B4", "#8A2BE2", "#00FF7F", "",
];
const WORDS: &[&str] = &[
    "lol", "that", "was", "insane", "gg", "wp", "chat", "is", "this", "real", "no", "way", "clip",
    "it", "streamer", "so", "good", "today", "hi", "hello", "what", "did", "i", "just", "watch",
    "bro", "pog", "let's", "go", "nice", "play", "omg", "true", "LMAO", "the", "boss", "fight",
];
const EMOTES: &[(&str, &str)] = &[
    ("25", "Kappa"),
    ("88", "PogChamp"),
    ("425618", "LUL"),
    ("305954156", "PogChamp"),
    ("emotesv2_dcd06b30a5c24f6eb871e8f5edbd44f7", "DinoDance"),
    ("1902", "Keepo"),
    ("354", "4Head"),
];
const EMOJI: &[&str] = &["😂", "👉", "🔥", "❤️", "👨‍👩‍👧", "🇩🇪", "✨"];
const BADGES: &[&str] = &[
    "",
    "subscriber/12",
    "subscriber/3000",
    "moderator/1,subscriber/24",
    "vip/1",
    "premium/1",
    "subscriber/6,bits/1000",
    "broadcaster/1,subscriber/0",
    "turbo/1",
    "founder/0",
    "subscriber/3,sub-gifter/5",
    "predictions/blue-1",
];

pub struct Traffic {
    rng: Rng,
    seq: u64,
    ts: u64,
}

impl Traffic {
    pub fn new(seed: u64) -> Traffic {
        Traffic {
            rng: Rng::new(seed),
            seq: 0,
            ts: 1_700_000_000_000,
        }
    }

    fn uuid(&mut self) -> String {
        self.seq += 1;
        let r = self.rng.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            r as u32,
            (r >> 32) as u16,
            self.seq & 0xfff,
            (r >> 48) & 0xfff,
            self.seq * 7919
        )
    }

    fn user(&mut self) -> (String, String, u64) {
        if self.rng.chance(5) {
            let (login, display) = LOCALIZED[self.rng.below(LOCALIZED.len())];
            return (
                login.into(),
                display.into(),
                500 + self.rng.below(50) as u64,
            );
        }
        let i = self.rng.below(NAMES.len());
        (
            NAMES[i].to_lowercase(),
            NAMES[i].into(),
            10_000 + i as u64 * 37,
        )
    }

    /// Chat text after `prefix` and its `emotes` tag, with emoji sometimes before the emotes.
    fn text(&mut self, prefix: &str) -> (String, String) {
        let mut text = prefix.to_owned();
        let mut emotes: Vec<(String, usize, usize)> = Vec::new();
        let mut cp = prefix.chars().count();
        for i in 0..1 + self.rng.below(14) {
            if i > 0 || !prefix.is_empty() {
                text.push(' ');
                cp += 1;
            }
            let word = if self.rng.chance(15) {
                let (id, code) = EMOTES[self.rng.below(EMOTES.len())];
                emotes.push((id.into(), cp, cp + code.chars().count() - 1));
                code
            } else if self.rng.chance(8) {
                self.rng.pick(EMOJI)
            } else {
                self.rng.pick(WORDS)
            };
            text.push_str(word);
            cp += word.chars().count();
        }
        let tag = emotes
            .iter()
            .map(|(id, s, e)| format!("{id}:{s}-{e}"))
            .collect::<Vec<_>>()
            .join("/");
        (text, tag)
    }

    /// One typical tagged PRIVMSG, as most of Twitch chat is.
    pub fn privmsg(&mut self, channel: &str) -> String {
        let (login, display, uid) = self.user();
        let badges = self.rng.pick(BADGES);
        let badge_info = if badges.contains("subscriber") {
            format!("subscriber/{}", 1 + self.rng.below(60))
        } else {
            String::new()
        };
        let mut extra = String::new();
        let mut prefix = String::new();
        if self.rng.chance(4) {
            let bits = 1 + self.rng.below(1000);
            extra.push_str(&format!("bits={bits};"));
            prefix = format!("Cheer{bits}");
        }
        if self.rng.chance(8) {
            let (plogin, pdisplay, puid) = self.user();
            let parent_id = self.uuid();
            extra.push_str(&format!(
                "reply-parent-display-name={pdisplay};reply-parent-msg-body=what\\sdo\\syou\\smean\\:\\sreally?;\
                 reply-parent-msg-id={parent_id};reply-parent-user-id={puid};reply-parent-user-login={plogin};\
                 reply-thread-parent-msg-id={parent_id};reply-thread-parent-user-login={plogin};"
            ));
            prefix = format!("@{pdisplay} {prefix}").trim_end().to_owned();
        }
        let (mut text, emotes) = self.text(&prefix);
        if self.rng.chance(5) {
            text = format!("\x01ACTION {text}\x01");
        }
        self.ts += 1 + self.rng.below(400) as u64;
        let id = self.uuid();
        let nonce = (u128::from(self.rng.next()) << 64) | u128::from(self.rng.next());
        format!(
            "@badge-info={badge_info};badges={badges};{extra}client-nonce={nonce:032x};color={color};\
             display-name={display};emotes={emotes};first-msg={first};flags=;id={id};mod={moderator};\
             returning-chatter=0;room-id=71092938;subscriber={sub};tmi-sent-ts={ts};turbo=0;user-id={uid};\
             user-type={utype} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{channel} :{text}",
            color = self.rng.pick(COLORS),
            first = u8::from(self.rng.chance(2)),
            moderator = u8::from(badges.contains("moderator")),
            sub = u8::from(badges.contains("subscriber")),
            ts = self.ts,
            utype = if badges.contains("moderator") {
                "mod"
            } else {
                ""
            },
        )
    }

    fn usernotice(&mut self, channel: &str) -> String {
        let (login, display, uid) = self.user();
        let (rlogin, rdisplay, ruid) = self.user();
        let (params, system, text) = match self.rng.below(7) {
            0 => (
                "msg-id=sub;msg-param-cumulative-months=1;msg-param-should-share-streak=0;msg-param-sub-plan=Prime;".to_owned(),
                format!("{display}\\ssubscribed\\swith\\sPrime."),
                None,
            ),
            1 => (
                format!("msg-id=resub;msg-param-cumulative-months={};msg-param-should-share-streak=1;msg-param-streak-months=4;msg-param-sub-plan=1000;", 2 + self.rng.below(80)),
                format!("{display}\\ssubscribed\\sat\\sTier\\s1.\\sThey've\\ssubscribed\\sfor\\s14\\smonths!"),
                Some(self.text("").0),
            ),
            2 => (
                format!("msg-id=subgift;msg-param-months=3;msg-param-recipient-display-name={rdisplay};msg-param-recipient-id={ruid};msg-param-recipient-user-name={rlogin};msg-param-sender-count=20;msg-param-sub-plan=1000;msg-param-community-gift-id=77;"),
                format!("{display}\\sgifted\\sa\\sTier\\s1\\ssub\\sto\\s{rdisplay}!"),
                None,
            ),
            3 => (
                "msg-id=submysterygift;msg-param-mass-gift-count=20;msg-param-sender-count=100;msg-param-sub-plan=1000;msg-param-community-gift-id=77;".to_owned(),
                format!("{display}\\sis\\sgifting\\s20\\sTier\\s1\\sSubs!"),
                None,
            ),
            4 => (
                format!("msg-id=raid;msg-param-displayName={display};msg-param-login={login};msg-param-viewerCount={};", self.rng.below(5000)),
                format!("{display}\\sis\\sraiding!"),
                None,
            ),
            5 => (
                "msg-id=announcement;msg-param-color=PURPLE;".to_owned(),
                String::new(),
                Some(self.text("").0),
            ),
            _ => (
                "msg-id=viewermilestone;msg-param-category=watch-streak;msg-param-value=5;msg-param-copoReward=350;".to_owned(),
                format!("{display}\\swatched\\s5\\sconsecutive\\sstreams!"),
                None,
            ),
        };
        self.ts += 1;
        let id = self.uuid();
        let trailing = text.map(|t| format!(" :{t}")).unwrap_or_default();
        format!(
            "@badge-info=subscriber/3;badges=subscriber/3,premium/1;color={color};display-name={display};emotes=;\
             flags=;id={id};login={login};mod=0;{params}room-id=71092938;subscriber=1;system-msg={system};\
             tmi-sent-ts={ts};user-id={uid};user-type= :tmi.twitch.tv USERNOTICE #{channel}{trailing}",
            color = self.rng.pick(COLORS),
            ts = self.ts,
        )
    }

    /// One line of a realistic mix: mostly chat, some events, moderation and housekeeping.
    pub fn line(&mut self, channel: &str) -> String {
        match self.rng.below(100) {
            0..=84 => self.privmsg(channel),
            85..=89 => self.usernotice(channel),
            90 => {
                let (login, _, uid) = self.user();
                format!(
                    "@ban-duration=600;room-id=71092938;target-user-id={uid};tmi-sent-ts={} :tmi.twitch.tv CLEARCHAT #{channel} :{login}",
                    self.ts
                )
            }
            91 => {
                let (login, _, _) = self.user();
                let id = self.uuid();
                format!(
                    "@login={login};room-id=;target-msg-id={id};tmi-sent-ts={} :tmi.twitch.tv CLEARMSG #{channel} :oops wrong chat",
                    self.ts
                )
            }
            92 => format!(
                "@room-id=71092938;slow={} :tmi.twitch.tv ROOMSTATE #{channel}",
                self.rng.below(3) * 30
            ),
            93..=95 => {
                let (login, _, _) = self.user();
                let verb = if self.rng.chance(50) { "JOIN" } else { "PART" };
                format!(":{login}!{login}@{login}.tmi.twitch.tv {verb} #{channel}")
            }
            96 => "PING :tmi.twitch.tv".to_owned(),
            97 => format!(
                "@badge-info=;badges=moderator/1;color=#1E90FF;display-name=Me;emote-sets=0,33,42;id={};mod=1;subscriber=0;user-type=mod :tmi.twitch.tv USERSTATE #{channel}",
                self.uuid()
            ),
            98 => format!(
                "@msg-id=msg_slowmode :tmi.twitch.tv NOTICE #{channel} :This room is in slow mode and you are sending messages too quickly. You will be able to talk again in 12 seconds."
            ),
            _ => format!(
                "@emote-only=0;followers-only=10;r9k=0;room-id=71092938;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #{channel}"
            ),
        }
    }
}

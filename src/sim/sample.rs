//! The simulator's traffic without a server: the lines it would send for the built-in
//! scenario's channels, one at a time. Benchmarks parse them, and `examples/gen_traffic.rs`
//! writes big logs of them for `ttvchat parse --summary`.

use std::collections::VecDeque;

use tokio::time::Instant;

use super::SimConfig;
use super::lines;
use super::scenario::Scenario;
use super::setup;
use super::traffic::Traffic;
use super::world::{Name, World};

/// A deterministic stream of realistic Twitch lines over several channels.
pub struct Sample {
    world: World,
    traffic: Traffic,
    rng: fastrand::Rng,
    /// Channels with generated chatters, taken in turn.
    channels: Vec<Name>,
    turn: usize,
    /// The rest of a multi-line event (a gift bomb).
    queued: VecDeque<String>,
}

impl Sample {
    pub fn new(seed: u64) -> Sample {
        let config = SimConfig {
            scenario: Scenario {
                seed: Some(seed),
                ..Scenario::builtin()
            },
            ..SimConfig::default()
        };
        let world = setup::build(&config).world;
        let channels = world
            .channels
            .values()
            .filter(|c| !c.chatters.is_empty())
            .map(|c| c.login.clone())
            .collect();
        Sample {
            world,
            traffic: Traffic::new(seed),
            rng: fastrand::Rng::with_seed(seed),
            channels,
            turn: 0,
            queued: VecDeque::new(),
        }
    }

    fn next_channel(&mut self) -> Name {
        self.turn = (self.turn + 1) % self.channels.len();
        self.channels[self.turn].clone()
    }

    /// A chat message as generated chatters send it (the common case).
    pub fn privmsg(&mut self) -> String {
        loop {
            let channel = self.next_channel();
            if let Some(line) = self.traffic.chat(&mut self.world, Instant::now(), &channel) {
                return line;
            }
        }
    }

    /// A line of a realistic mix: mostly chat, then channel events (subs, gifts, raids,
    /// moderation, mode changes), membership, keepalive, our own USERSTATE and NOTICEs.
    pub fn line(&mut self) -> String {
        if let Some(line) = self.queued.pop_front() {
            return line;
        }
        let channel = self.next_channel();
        let chan = &self.world.channels[&channel];
        let roll = self.rng.u32(..100);
        let chatter = || chan.chatters[(roll as usize * 7) % chan.chatters.len()].clone();
        match roll {
            0..=84 => self.privmsg(),
            85..=91 => {
                self.queued.extend(
                    self.traffic
                        .event(&mut self.world, Instant::now(), &channel),
                );
                self.queued.pop_front().unwrap_or_else(|| self.privmsg())
            }
            92..=93 => lines::join(&chatter(), &channel),
            94..=95 => lines::part(&chatter(), &channel),
            96 => "PING :tmi.twitch.tv".to_owned(),
            97 => {
                let user = &self.world.users["ttvchat_mod"];
                let role = self.world.role(chan, &user.login);
                lines::userstate(chan, user, role, None)
            }
            98 => lines::notice(
                Some(&channel),
                Some("msg_slowmode"),
                "This room is in slow mode and you are sending messages too quickly. You will be able to talk again in 12 seconds.",
            ),
            _ => lines::roomstate(chan, None),
        }
    }
}

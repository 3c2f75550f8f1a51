//! Builds the simulator's starting world from a scenario: accounts and their tokens, channels
//! with their roles and modes, generated regulars, firehose channels, and each channel's plan.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, SystemTime};

use compact_str::format_compact;
use tokio::time::Instant;

use super::oauth::{Logins, Renewal, secret};
use super::scenario::{ChannelSpec, Scripted};
use super::traffic::Traffic;
use super::world::{Channel, Modes, Name, World};
use super::{DemoAccount, Grant, SimConfig};
use crate::twitch::tags::Rgb;

/// How each channel's traffic runs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub channel: Name,
    pub chat_rate: f64,
    pub events_every: Option<Duration>,
    pub automod_every: Option<Duration>,
    pub watch_every: Option<Duration>,
    pub script: Vec<Scripted>,
    /// Plain chat only, as fast as asked.
    pub firehose: bool,
}

pub struct Setup {
    pub world: World,
    pub grants: HashMap<String, Grant>,
    pub logins: Logins,
    pub accounts: Vec<DemoAccount>,
    pub verified_bots: HashSet<Name>,
    pub plans: Vec<Plan>,
    pub seed: u64,
}

fn channel(world: &mut World, spec: &ChannelSpec) -> Channel {
    let display = spec.display_name.clone().map(Name::from);
    let id = world.add_user(&spec.name, display.as_deref(), None).id;
    let now = SystemTime::now();
    Channel {
        login: spec.name.as_str().into(),
        id,
        title: spec.title.clone(),
        category: spec.category.clone(),
        category_id: 500_000 + spec.category.len() as u64 * 7_919,
        live: spec.live,
        started_at: now - spec.uptime,
        viewers: spec.viewers,
        moderators: spec.moderators.iter().map(|s| s.as_str().into()).collect(),
        vips: spec.vips.iter().map(|s| s.as_str().into()).collect(),
        subscribers: spec
            .subscribers
            .iter()
            .map(|(k, v)| (k.as_str().into(), *v))
            .collect(),
        followers: spec
            .followers
            .iter()
            .map(|(k, ago)| (k.as_str().into(), now - *ago))
            .collect(),
        modes: Modes {
            emote_only: spec.emote_only,
            followers_only: u64::try_from(spec.followers_only).ok(),
            unique_chat: spec.unique_chat,
            slow_s: spec.slow,
            subs_only: spec.subs_only,
        },
        bans: HashMap::new(),
        log: VecDeque::new(),
        last_said: HashMap::new(),
        // The regulars a scenario names have chatted here before.
        spoken: spec
            .moderators
            .iter()
            .chain(&spec.vips)
            .chain(spec.subscribers.keys())
            .chain(spec.followers.keys())
            .map(|s| Name::from(s.as_str()))
            .collect(),
        chatters: Vec::new(),
        automod: spec.automod_every.is_some(),
    }
}

pub fn build(config: &SimConfig) -> Setup {
    let scenario = &config.scenario;
    let seed = scenario.seed.unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    let mut traffic = Traffic::new(seed);
    let mut world = World::default();
    let mut grants = HashMap::new();
    let mut logins = Logins::default();
    let mut accounts = Vec::new();
    let mut verified_bots = HashSet::new();
    let expires_at = Instant::now() + Duration::from_secs(4 * 3600);
    for spec in &scenario.accounts {
        let color = spec.color.as_deref().and_then(Rgb::parse);
        let user_id = world
            .add_user(&spec.login, spec.display_name.as_deref(), color)
            .id;
        let token = spec.token.clone().unwrap_or_else(|| secret(&mut rng, 30));
        grants.insert(
            token.clone(),
            Grant {
                login: spec.login.as_str().into(),
                user_id,
                scopes: spec.scopes.clone(),
                expires_at,
            },
        );
        let refresh_token = secret(&mut rng, 50);
        logins.renewals.insert(
            refresh_token.clone(),
            Renewal {
                login: spec.login.as_str().into(),
                user_id,
                scopes: spec.scopes.clone(),
            },
        );
        if spec.verified_bot {
            verified_bots.insert(Name::from(spec.login.as_str()));
        }
        accounts.push(DemoAccount {
            login: spec.login.clone(),
            role: spec.role.clone(),
            token,
            refresh_token,
        });
    }
    let mut plans = Vec::new();
    for spec in &scenario.channels {
        let chan = channel(&mut world, spec);
        world.channels.insert(chan.login.clone(), chan);
        traffic.populate(&mut world, &spec.name, spec.chatters);
        plans.push(Plan {
            channel: spec.name.as_str().into(),
            chat_rate: spec.chat_rate,
            events_every: spec.events_every,
            automod_every: spec.automod_every,
            watch_every: spec.watch_every,
            script: spec.script.clone(),
            firehose: false,
        });
    }
    if let Some(firehose) = config.firehose {
        let count = firehose.channels.max(1);
        for i in 1..=count {
            let name = format_compact!("fire{i}");
            let spec = ChannelSpec {
                name: name.to_string(),
                display_name: None,
                title: format!("Firehose {i}"),
                category: "Just Chatting".into(),
                live: true,
                viewers: 100_000,
                uptime: Duration::from_secs(3600),
                chat_rate: 0.0,
                chatters: 500,
                events_every: None,
                automod_every: None,
                watch_every: None,
                moderators: Vec::new(),
                vips: Vec::new(),
                subscribers: Default::default(),
                followers: Default::default(),
                slow: 0,
                followers_only: -1,
                subs_only: false,
                emote_only: false,
                unique_chat: false,
                script: Vec::new(),
            };
            let chan = channel(&mut world, &spec);
            world.channels.insert(name.clone(), chan);
            traffic.populate(&mut world, &name, spec.chatters);
            plans.push(Plan {
                channel: name,
                chat_rate: firehose.rate / count as f64,
                events_every: None,
                automod_every: None,
                watch_every: None,
                script: Vec::new(),
                firehose: true,
            });
        }
    }
    Setup {
        world,
        grants,
        logins,
        accounts,
        verified_bots,
        plans,
        seed,
    }
}

//! A local Twitch: chat over WebSocket, a little Helix and OAuth over HTTP, a model of channels
//! and users, generated and scripted traffic, and faults on demand. It runs in-process for the
//! demo, tests and benchmarks ([`Sim::start`]) and standalone as `ttvchat sim`.
//!
//! It speaks the real protocols over real sockets on loopback; nothing here is a shortcut the
//! client could take. It records what clients send so tests can assert on it.

mod accept;
mod eventsub;
pub mod faults;
mod feeds;
pub mod limits;
pub mod lines;
pub mod notices;
pub mod rules;
pub mod sample;
pub mod scenario;
pub mod traffic;
mod watch;
mod wire;
pub mod world;

mod helix;
mod http;
mod irc;
mod oauth;
mod record;
mod schedule;
mod setup;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub use faults::Fault;
use faults::{Conditions, Control};
pub use limits::Limits;
use limits::Tally;
use record::Recorder;
pub use record::{SimEvent, Stamped};
pub use scenario::Scenario;
use world::{Name, World};

/// The client id every simulator token belongs to (what `/oauth2/validate` reports).
pub const SIM_CLIENT_ID: &str = "ttvchatsim0demo0client0id00000";

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where chat listens; HTTP (Helix, OAuth) listens on the same address, next port (or any
    /// free port when this one is 0).
    pub listen: SocketAddr,
    pub scenario: Scenario,
    pub firehose: Option<Firehose>,
    /// The server-side limits on what clients send.
    pub limits: Limits,
    /// How often the server PINGs an idle connection, and how long it waits for the PONG.
    pub ping_every: Duration,
    pub pong_within: Duration,
    /// Seconds between device-login polls the OAuth side asks for (Twitch: 5).
    pub device_interval: Duration,
    /// How long after RECONNECT the server closes the connection.
    pub reconnect_grace: Duration,
    /// Lines queued for one client before it counts as too slow and is dropped.
    pub client_queue: usize,
    /// The shortest EventSub keepalive a client may ask for, in seconds (Twitch: 10).
    pub eventsub_keepalive_floor: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            scenario: Scenario::builtin(),
            firehose: None,
            limits: Limits::default(),
            ping_every: Duration::from_secs(300),
            pong_within: Duration::from_secs(10),
            reconnect_grace: Duration::from_secs(5),
            device_interval: Duration::from_secs(5),
            client_queue: 100_000,
            eventsub_keepalive_floor: 10,
        }
    }
}

/// Chat at `rate` messages per second spread over `channels` extra channels (`fire1`, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Firehose {
    pub rate: f64,
    pub channels: usize,
}

/// An account that can log in, and its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub login: String,
    pub role: String,
    pub token: String,
    pub refresh_token: String,
}

/// What an OAuth token grants.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub login: Name,
    pub user_id: u64,
    pub scopes: Vec<String>,
    pub expires_at: Instant,
}

/// A line queued for a client, with when it was queued (for the delay fault).
pub(crate) type Outbound = (Instant, Arc<str>);

pub(crate) struct Conn {
    pub login: Option<Name>,
    pub out: mpsc::Sender<Outbound>,
    pub control: mpsc::UnboundedSender<Control>,
    pub membership: bool,
}

/// Everything behind the lock: the model, tokens, connections and who is in which channel.
pub(crate) struct State {
    pub world: World,
    pub grants: HashMap<String, Grant>,
    pub logins: oauth::Logins,
    pub conns: HashMap<u64, Conn>,
    pub members: HashMap<Name, BTreeSet<u64>>,
    /// When a client first joined each channel (scripts run from then).
    pub activated: HashMap<Name, Instant>,
    /// JOIN attempts per user (by nick), over all their connections.
    pub joins: HashMap<Name, Tally>,
    /// Accounts with a verified bot's JOIN limit.
    pub verified_bots: HashSet<Name>,
    /// What Helix calls did beyond the world's chat: raids, Shield Mode, whispers, warnings.
    pub actions: Actions,
    /// Faults of the HTTP side (rate limiting, slow answers).
    pub http_faults: HttpFaults,
    /// EventSub sockets and subscriptions.
    pub eventsub: eventsub::EventSubs,
    /// Messages AutoMod holds, oldest first.
    pub held: Vec<feeds::HeldMessage>,
    /// Suspicious users and unban requests.
    pub watch: watch::Watch,
    next_conn: u64,
}

/// What Helix calls changed that no chat line shows, for tests and the demo to look at.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    /// Raids in progress: from channel -> to channel.
    pub raids: HashMap<Name, Name>,
    /// Channels in Shield Mode.
    pub shield: BTreeSet<Name>,
    /// Whispers sent, oldest first.
    pub whispers: Vec<Whispered>,
    /// Warnings given, oldest first.
    pub warnings: Vec<Warned>,
}

/// A whisper the simulator accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whispered {
    pub from: Name,
    pub to: Name,
    pub text: String,
}

/// A warning a moderator gave in a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warned {
    pub channel: Name,
    pub user: Name,
    pub by: Name,
    pub reason: String,
}

/// Faults of Helix, for tests of the client's patience.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct HttpFaults {
    /// This many of the next Helix requests get 429, with a reset a second away.
    pub rate_limited: u32,
    /// Until then, every Helix answer comes this much later.
    pub stall: Option<(Duration, Instant)>,
}

impl State {
    pub fn new_conn_id(&mut self) -> u64 {
        self.next_conn += 1;
        self.next_conn
    }

    /// Queues `line` for one connection; a full queue marks it too slow.
    pub fn send_to(&self, conn: u64, line: Arc<str>, now: Instant) {
        if let Some(c) = self.conns.get(&conn)
            && c.out.try_send((now, line)).is_err()
        {
            let _ = c.control.send(Control::TooSlow);
        }
    }

    /// Queues `line` for every member of `channel` but `except`.
    pub fn broadcast(&self, channel: &str, line: &str, except: Option<u64>, now: Instant) {
        let Some(members) = self.members.get(channel) else {
            return;
        };
        let line: Arc<str> = Arc::from(line);
        for &conn in members {
            if Some(conn) != except {
                self.send_to(conn, line.clone(), now);
            }
        }
    }

    /// Who is in a channel's chat: logged-in users there and its regulars. Anonymous
    /// (`justinfan`) connections are not users, and Twitch does not list them.
    pub fn chatters_of(&self, channel: &str) -> Vec<String> {
        let connected = self
            .members
            .get(channel)
            .into_iter()
            .flatten()
            .filter_map(|id| self.conns.get(id)?.login.as_ref())
            .filter(|login| self.world.users.contains_key(login.as_str()))
            .map(|login| login.to_string());
        let regulars = self
            .world
            .channels
            .get(channel)
            .into_iter()
            .flat_map(|c| c.chatters.iter().map(|l| l.to_string()));
        connected.chain(regulars).collect()
    }

    pub fn has_members(&self, channel: &str) -> bool {
        self.members.get(channel).is_some_and(|m| !m.is_empty())
    }
}

pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub conditions: Conditions,
    pub record: Recorder,
    pub config: SimConfig,
    /// Generated traffic (chat, events, scripts) is held while set.
    pub paused: AtomicBool,
    /// Lines written to clients' sockets, over all connections.
    pub lines_sent: AtomicU64,
    /// Where HTTP (Helix, OAuth, the approval page) listens.
    pub http_addr: SocketAddr,
    /// Where chat (and EventSub at `/ws`) listens.
    pub chat_addr: SocketAddr,
    /// The scenario's accounts, by login.
    pub account_logins: Vec<String>,
}

impl Shared {
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    pub fn accounts(&self) -> &[String] {
        &self.account_logins
    }

    pub fn fault(&self, fault: Fault) {
        let now = Instant::now();
        let eventsub = match fault {
            Fault::EventSubReconnect => Some(eventsub::EsOut::Reconnect),
            Fault::EventSubClose(code) => Some(eventsub::EsOut::Close(code)),
            Fault::EventSubRevoke => {
                self.state().eventsub.revoke_all("authorization_revoked");
                None
            }
            _ => None,
        };
        if let Some(out) = eventsub {
            for session in self.state().eventsub.sessions.values() {
                let _ = session.out.send(out.clone());
            }
        }
        if let Some(control) = self.conditions.apply(fault, now) {
            for conn in self.state().conns.values() {
                let _ = conn.control.send(control);
            }
        }
    }
}

/// The simulator.
pub struct Sim;

impl Sim {
    /// Binds the listeners, builds the world from the scenario and starts serving.
    pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
        let irc_listener = TcpListener::bind(config.listen).await?;
        let irc_addr = irc_listener.local_addr()?;
        let http_port = if config.listen.port() == 0 {
            0
        } else {
            config.listen.port().wrapping_add(1)
        };
        let http_listener =
            TcpListener::bind(SocketAddr::new(config.listen.ip(), http_port)).await?;
        let http_addr = http_listener.local_addr()?;

        let setup = setup::build(&config);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                world: setup.world,
                grants: setup.grants,
                logins: setup.logins,
                conns: HashMap::new(),
                members: HashMap::new(),
                activated: HashMap::new(),
                joins: HashMap::new(),
                verified_bots: setup.verified_bots,
                actions: Actions::default(),
                http_faults: HttpFaults::default(),
                eventsub: eventsub::EventSubs::default(),
                held: Vec::new(),
                watch: watch::Watch::default(),
                next_conn: 0,
            }),
            conditions: Conditions::default(),
            record: Recorder::default(),
            config: config.clone(),
            paused: AtomicBool::new(false),
            lines_sent: AtomicU64::new(0),
            http_addr,
            chat_addr: irc_addr,
            account_logins: setup.accounts.iter().map(|a| a.login.clone()).collect(),
        });
        let tasks = vec![
            tokio::spawn(accept::accept_loop(shared.clone(), irc_listener)),
            tokio::spawn(http::serve(shared.clone(), http_listener)),
            tokio::spawn(schedule::run(
                shared.clone(),
                setup.plans,
                config.scenario.faults.clone(),
                setup.seed,
            )),
        ];
        Ok(SimHandle {
            irc_addr,
            http_addr,
            accounts: setup.accounts,
            shared,
            tasks,
        })
    }
}

/// A running simulator; dropping it stops everything and closes every connection.
pub struct SimHandle {
    irc_addr: SocketAddr,
    http_addr: SocketAddr,
    accounts: Vec<DemoAccount>,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl SimHandle {
    pub fn irc_url(&self) -> String {
        format!("ws://{}", self.irc_addr)
    }

    /// The EventSub WebSocket (on the chat port, path `/ws`).
    pub fn eventsub_url(&self) -> String {
        format!("ws://{}/ws", self.irc_addr)
    }

    pub fn helix_url(&self) -> String {
        format!("http://{}/helix", self.http_addr)
    }

    pub fn auth_url(&self) -> String {
        format!("http://{}/oauth2", self.http_addr)
    }

    pub fn accounts(&self) -> &[DemoAccount] {
        &self.accounts
    }

    /// The user id of `login`, if the world has them.
    pub fn user_id(&self, login: &str) -> Option<u64> {
        self.shared.state().world.users.get(login).map(|u| u.id)
    }

    /// The token of the account `login`.
    pub fn token(&self, login: &str) -> Option<&str> {
        self.accounts
            .iter()
            .find(|a| a.login == login)
            .map(|a| a.token.as_str())
    }

    pub fn fault(&self, fault: Fault) {
        self.shared.fault(fault);
    }

    /// Makes `token` expire now, as if hours had passed: Helix answers 401 until it is refreshed.
    pub fn expire_token(&self, token: &str) {
        if let Some(grant) = self.shared.state().grants.get_mut(token) {
            grant.expires_at = Instant::now();
        }
    }

    /// The next `count` Helix requests are refused with 429 and a `Ratelimit-Reset` a second
    /// away.
    pub fn helix_rate_limit(&self, count: u32) {
        self.shared.state().http_faults.rate_limited = count;
    }

    /// Helix answers `delay` late for the next `lasting`.
    pub fn helix_stall(&self, delay: Duration, lasting: Duration) {
        self.shared.state().http_faults.stall = Some((delay, Instant::now() + lasting));
    }

    /// The Helix requests received so far: method and path (after `/helix/`), oldest first.
    pub fn helix_requests(&self) -> Vec<(String, String)> {
        self.events()
            .into_iter()
            .filter_map(|e| match e.event {
                SimEvent::Helix { method, path } => Some((method, path)),
                _ => None,
            })
            .collect()
    }

    /// What Helix calls did that no chat line shows: raids, Shield Mode, whispers, warnings.
    pub fn actions(&self) -> Actions {
        self.shared.state().actions.clone()
    }

    /// A look at the simulated world (roles, bans, modes, users).
    pub fn world<T>(&self, look: impl FnOnce(&World) -> T) -> T {
        look(&self.shared.state().world)
    }

    /// Revokes every access and refresh token of `login`, as disconnecting the app on Twitch does.
    pub fn revoke(&self, login: &str) {
        let mut state = self.shared.state();
        state.grants.retain(|_, g| g.login != login);
        state.logins.renewals.retain(|_, r| r.login != login);
    }

    /// Everything recorded so far, oldest first.
    pub fn events(&self) -> Vec<Stamped> {
        self.shared.record.snapshot()
    }

    /// Waits until `found` finds something in the record, or `timeout` passes.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        found: impl FnMut(&[Stamped]) -> Option<T>,
    ) -> Option<T> {
        self.shared.record.wait_for(timeout, found).await
    }

    /// Lines clients sent, in order.
    pub fn received(&self) -> Vec<String> {
        self.events()
            .into_iter()
            .filter_map(|s| match s.event {
                SimEvent::Received { line, .. } => Some(line),
                _ => None,
            })
            .collect()
    }

    /// Waits for a client line that satisfies `matches`.
    pub async fn wait_received(
        &self,
        timeout: Duration,
        mut matches: impl FnMut(&str) -> bool,
    ) -> Option<String> {
        self.wait_for(timeout, |events| {
            events.iter().find_map(|s| match &s.event {
                SimEvent::Received { line, .. } if matches(line) => Some(line.clone()),
                _ => None,
            })
        })
        .await
    }

    /// Holds (`true`) or resumes generated chat, events and scripts.
    pub fn pause_traffic(&self, paused: bool) {
        self.shared.paused.store(paused, Ordering::Relaxed);
    }

    /// Lines written to clients' sockets so far, over all connections.
    pub fn lines_sent(&self) -> u64 {
        self.shared.lines_sent.load(Ordering::Relaxed)
    }

    /// How many connections are open now.
    pub fn connection_count(&self) -> usize {
        self.shared.state().conns.len()
    }

    /// The logins in a channel's chat right now (connections that joined it).
    pub fn members(&self, channel: &str) -> Vec<String> {
        let state = self.shared.state();
        state
            .members
            .get(channel)
            .into_iter()
            .flatten()
            .filter_map(|id| state.conns.get(id)?.login.as_ref().map(|l| l.to_string()))
            .collect()
    }

    /// The state, with `login` known to the world (a new chatter if it was not).
    fn state_knowing(&self, login: &str) -> MutexGuard<'_, State> {
        let mut state = self.shared.state();
        if !state.world.users.contains_key(login) {
            let display = World::display_for(login);
            state.world.add_user(login, Some(&display), None);
        }
        state
    }

    /// The ids of the messages AutoMod holds in `channel` now, oldest first.
    pub fn held_ids(&self, channel: &str) -> Vec<String> {
        let state = self.shared.state();
        let held = state.held.iter().filter(|h| h.channel == channel);
        held.map(|h| h.id.clone()).collect()
    }

    /// AutoMod holds `text` from `login` in `channel` now: the moderators' feeds hear of it.
    pub fn hold(&self, channel: &str, login: &str, text: &str) {
        let mut state = self.state_knowing(login);
        state.hold(channel, login, text, "aggressive", 2, Instant::now());
    }

    /// Makes `login` say `text` in `channel` as if from another client; returns the message id.
    pub fn say(&self, channel: &str, login: &str, text: &str) -> Option<String> {
        let now = Instant::now();
        let mut state = self.state_knowing(login);
        let say = world::Say {
            text: text.to_owned(),
            ..world::Say::default()
        };
        let said = state.world.chat(now, channel, login, &say)?;
        state.broadcast(channel, &said.broadcast, None, now);
        Some(said.id)
    }

    /// Runs `change` on the world and broadcasts the lines it returns to `channel`, as a Helix
    /// call or a moderator on another client would.
    pub fn act(&self, channel: &str, change: impl FnOnce(&mut World) -> Option<String>) -> bool {
        let now = Instant::now();
        let mut state = self.shared.state();
        match change(&mut state.world) {
            Some(line) => {
                state.broadcast(channel, &line, None, now);
                true
            }
            None => false,
        }
    }
}

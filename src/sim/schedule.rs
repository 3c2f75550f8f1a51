//! The simulator's clock: every few milliseconds it generates each joined channel's chat at its
//! rate, random events at their interval, scripted events when due (counted from the channel's
//! first JOIN), and the scenario's faults (counted from the start).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};

use super::faults::Fault;
use super::scenario::{FaultName, FaultSpec};
use super::setup::Plan;
use super::traffic::{Acted, Traffic};
use super::{Shared, State};

const TICK: Duration = Duration::from_millis(5);

struct Running {
    plan: Plan,
    /// Messages due but not yet generated.
    owed: f64,
    /// Nobody was in the channel at the last tick.
    empty: bool,
    next_event: Option<Instant>,
    next_hold: Option<Instant>,
    next_watch: Option<Instant>,
    /// Which of the watched events comes next.
    watch_turn: usize,
    fired: Vec<bool>,
}

fn fault(spec: &FaultSpec) -> Fault {
    match spec.fault {
        FaultName::Drop => Fault::Drop,
        FaultName::Reconnect => Fault::Reconnect,
        FaultName::IgnorePing => Fault::IgnorePing(spec.duration),
        FaultName::Silence => Fault::Silence(spec.duration),
        FaultName::Garbage => Fault::Garbage,
        FaultName::Refuse => Fault::Refuse(spec.duration),
        FaultName::Delay => Fault::Delay(Duration::from_secs(2), spec.duration),
        FaultName::EventsubReconnect => Fault::EventSubReconnect,
        FaultName::EventsubClose => Fault::EventSubClose(spec.code),
        FaultName::EventsubSilence => Fault::EventSubSilence(spec.duration),
        FaultName::EventsubRevoke => Fault::EventSubRevoke,
    }
}

pub async fn run(shared: Arc<Shared>, plans: Vec<Plan>, faults: Vec<FaultSpec>, seed: u64) {
    let mut traffic = Traffic::new(seed.wrapping_add(1));
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_add(2));
    let start = Instant::now();
    let mut next_fault: Vec<Option<Instant>> = faults.iter().map(|f| Some(start + f.at)).collect();
    let mut channels: Vec<Running> = plans
        .into_iter()
        .map(|plan| Running {
            fired: vec![false; plan.script.len()],
            plan,
            owed: 0.0,
            empty: true,
            next_event: None,
            next_hold: None,
            next_watch: None,
            watch_turn: 0,
        })
        .collect();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last = Instant::now();
    loop {
        ticker.tick().await;
        let now = Instant::now();
        let elapsed = now - last;
        last = now;
        for (spec, next) in faults.iter().zip(&mut next_fault) {
            if next.is_some_and(|at| at <= now) {
                shared.fault(fault(spec));
                *next = spec.every.map(|every| now + every);
            }
        }
        if shared.paused.load(Ordering::Relaxed) {
            continue;
        }
        let mut state = shared.state();
        if !state.held.is_empty() {
            state.expire_holds(now);
        }
        state.acknowledge_due(now);
        for running in &mut channels {
            let name = running.plan.channel.clone();
            if !state.has_members(&name) {
                // Time goes on with nobody watching: the script's events happen when due (to the
                // world, heard by nobody), and a client joining later gets no stale burst.
                running.owed = 0.0;
                running.empty = true;
                running.next_event = None;
                running.next_hold = None;
                running.next_watch = None;
                if let Some(&activated) = state.activated.get(&name) {
                    play_script(&shared, running, &mut traffic, &mut state, now, activated);
                }
                continue;
            }
            if running.empty && running.plan.chat_rate > 0.0 {
                // Someone just joined: chat is already going on, even in a slow channel.
                running.owed = 1.0;
            }
            running.empty = false;
            let Some(&activated) = state.activated.get(&name) else {
                continue;
            };
            running.owed += running.plan.chat_rate * elapsed.as_secs_f64();
            while running.owed >= 1.0 {
                running.owed -= 1.0;
                let line = if running.plan.firehose {
                    traffic.firehose(&mut state.world, now, &name)
                } else {
                    traffic.chat(&mut state.world, now, &name)
                };
                if let Some(line) = line {
                    state.broadcast(&name, &line, None, now);
                }
            }
            if let Some(every) = running.plan.events_every {
                let due = *running
                    .next_event
                    .get_or_insert_with(|| now + every.mul_f64(rng.f64() + 0.5));
                if due <= now {
                    for line in traffic.event(&mut state.world, now, &name) {
                        state.broadcast(&name, &line, None, now);
                    }
                    told_moderators(&shared, &mut traffic, &mut state, &name);
                    running.next_event = Some(now + every.mul_f64(rng.f64() + 0.5));
                }
            }
            if let Some(every) = running.plan.automod_every {
                let due = *running
                    .next_hold
                    .get_or_insert_with(|| now + every.mul_f64(rng.f64() * 0.5 + 0.25));
                if due <= now {
                    if let Some((login, text, category, level)) =
                        traffic.held(&state.world, now, &name)
                    {
                        state.hold(&name, &login, text, category, level, now);
                    }
                    running.next_hold = Some(now + every.mul_f64(rng.f64() + 0.5));
                }
            }
            if let Some(every) = running.plan.watch_every {
                let due = *running
                    .next_watch
                    .get_or_insert_with(|| now + every.mul_f64(rng.f64() * 0.25 + 0.25));
                if due <= now {
                    let turn = running.watch_turn;
                    running.watch_turn += 1;
                    let accounts = shared.accounts();
                    if let Some(line) = traffic.watched(&mut state, now, &name, turn, accounts) {
                        state.broadcast(&name, &line, None, now);
                    }
                    running.next_watch = Some(now + every.mul_f64(rng.f64() * 0.5 + 0.75));
                }
            }
            play_script(&shared, running, &mut traffic, &mut state, now, activated);
        }
    }
}

/// What the traffic just made some moderator do (a ban or timeout, a deletion, a warning,
/// Shield Mode): their feeds hear who and why.
fn told_moderators(shared: &Shared, traffic: &mut Traffic, state: &mut State, channel: &str) {
    for acted in std::mem::take(&mut traffic.acted) {
        let moderator = traffic.other_moderator(&state.world, channel, shared.accounts());
        match acted {
            Acted::Ban(login, duration) => {
                let reason = traffic.reason();
                state.moderated_ban(channel, &moderator, &login, duration, reason);
            }
            Acted::Delete(login, id, text) => {
                let mut object = state.user_fields("user", &login);
                object.insert("message_id".into(), serde_json::json!(id));
                object.insert("message_body".into(), serde_json::json!(text));
                let object = serde_json::Value::Object(object);
                state.moderated(channel, &moderator, "delete", object);
            }
            Acted::Warn(login, reason) => {
                state.warn(channel, &moderator, &login, &reason, Instant::now());
            }
            Acted::Shield(on) => state.shield(channel, &moderator, on),
        }
    }
}

/// Plays the channel's scripted events that are due, counted from `activated`.
fn play_script(
    shared: &Shared,
    running: &mut Running,
    traffic: &mut Traffic,
    state: &mut State,
    now: Instant,
    activated: Instant,
) {
    let name = &running.plan.channel;
    for (event, fired) in running.plan.script.iter().zip(&mut running.fired) {
        if !*fired && activated + event.at() <= now {
            *fired = true;
            for line in traffic.scripted(&mut state.world, now, name, event) {
                state.broadcast(name, &line, None, now);
            }
            told_moderators(shared, traffic, state, name);
        }
    }
}

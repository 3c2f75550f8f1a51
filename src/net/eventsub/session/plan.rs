//! Which subscriptions the session wants and where they go: the feeds a channel and role
//! want, the scopes they miss, and their places on Twitch's sockets within its limits, the
//! most needed first.

use std::time::Instant;

use super::{Output, Session, State, Sub};
use crate::net::eventsub::socket::{Phase, Socket};
use crate::twitch::Login;
use crate::twitch::eventsub::{Feed, FeedEvent, Unavailable};

impl Session {
    pub(super) fn tell_missing(&mut self, channel: Option<&Login>, missing: &[Feed]) {
        let mut by_scope: Vec<(&'static str, Vec<Feed>)> = Vec::new();
        for feed in missing {
            let scope = feed
                .missing_scope(&self.config.scopes)
                .expect("only feeds that miss a scope");
            match by_scope.iter_mut().find(|(s, _)| *s == scope) {
                Some((_, feeds)) => feeds.push(*feed),
                None => by_scope.push((scope, vec![*feed])),
            }
        }
        for (scope, feeds) in by_scope {
            self.out.push_back(Output::Event(FeedEvent::Unavailable {
                channel: channel.cloned(),
                feeds,
                reason: Unavailable::MissingScope(scope.to_owned()),
            }));
        }
    }

    pub(super) fn want(
        &mut self,
        channel: Option<Login>,
        feeds: impl Iterator<Item = Feed>,
        broadcaster_id: &str,
    ) {
        for feed in feeds {
            let condition = feed.condition(broadcaster_id, &self.config.user_id);
            if !self
                .subs
                .iter()
                .any(|s| s.feed == feed && s.condition == condition)
            {
                self.subs.push(Sub {
                    feed,
                    channel: channel.clone(),
                    condition,
                    socket: None,
                    state: State::Waiting,
                });
            }
        }
    }

    /// Forgets the subscriptions `pred` picks, deleting those that run.
    pub(super) fn drop_where(&mut self, pred: impl Fn(&Sub) -> bool) {
        let mut kept = Vec::with_capacity(self.subs.len());
        for sub in std::mem::take(&mut self.subs) {
            if pred(&sub) {
                self.stop(sub.state);
            } else {
                kept.push(sub);
            }
        }
        self.subs = kept;
    }

    /// Ends a subscription Twitch has or is about to have.
    pub(super) fn stop(&mut self, state: State) {
        match state {
            State::Active(Some(id)) => self.out.push_back(Output::Unsubscribe(id)),
            State::Requested(request) => {
                self.abandoned.insert(request);
            }
            State::Active(None) | State::Waiting => {}
        }
    }

    /// The placed subscription of the least needed feed, if it is less needed than `feed`.
    pub(super) fn least_needed_below(&self, feed: Feed) -> Option<usize> {
        (0..self.subs.len())
            .filter(|&i| self.subs[i].socket.is_some() && self.subs[i].feed > feed)
            .max_by_key(|&i| self.subs[i].feed)
    }

    /// Places unplaced subscriptions on sockets with room, the most needed first; opens
    /// sockets that now have subscriptions, closes those left with none, and names what does
    /// not fit.
    pub(super) fn place(&mut self, now: Instant) {
        let mut order: Vec<usize> = (0..self.subs.len())
            .filter(|&i| self.subs[i].socket.is_none())
            .collect();
        order.sort_by_key(|&i| self.subs[i].feed);
        let mut left_out: Vec<usize> = Vec::new();
        for i in order {
            let load = |s: usize, subs: &[Sub]| subs.iter().filter(|x| x.socket == Some(s)).count();
            let room =
                (0..self.sockets.len()).find(|&s| load(s, &self.subs) < self.config.per_socket);
            let socket = match room {
                Some(s) => s,
                None if self.sockets.len() < self.config.max_sockets => {
                    self.sockets.push(Socket::new(self.config.backoff));
                    self.sockets.len() - 1
                }
                None => match self.least_needed_below(self.subs[i].feed) {
                    Some(victim) => {
                        let socket = self.subs[victim].socket.take();
                        let state = std::mem::replace(&mut self.subs[victim].state, State::Waiting);
                        self.stop(state);
                        left_out.push(victim);
                        socket.expect("a placed subscription")
                    }
                    None => {
                        left_out.push(i);
                        continue;
                    }
                },
            };
            self.subs[i].socket = Some(socket);
        }
        let limit = self.config.per_socket * self.config.max_sockets;
        let mut over: Vec<(Option<Login>, Vec<Feed>)> = Vec::new();
        for &i in &left_out {
            let sub = &self.subs[i];
            match over.iter_mut().find(|(c, _)| *c == sub.channel) {
                Some((_, feeds)) => feeds.push(sub.feed),
                None => over.push((sub.channel.clone(), vec![sub.feed])),
            }
        }
        left_out.sort_unstable();
        for i in left_out.into_iter().rev() {
            self.subs.remove(i);
        }
        for (channel, feeds) in over {
            self.out.push_back(Output::Event(FeedEvent::Unavailable {
                channel,
                feeds,
                reason: Unavailable::OverLimit {
                    subscriptions: limit,
                },
            }));
        }
        for index in 0..self.sockets.len() {
            let used = self.subs.iter().any(|s| s.socket == Some(index));
            match (&self.sockets[index].phase, used) {
                (Phase::Idle, true) => self.open(index, now),
                (Phase::Welcomed { .. }, true) => self.request_waiting(index),
                (Phase::Opening { .. } | Phase::Welcomed { .. }, false) => {
                    let socket = &mut self.sockets[index];
                    let links = socket
                        .link()
                        .into_iter()
                        .chain(socket.handover.map(|(l, _)| l));
                    for link in links.collect::<Vec<_>>() {
                        self.out.push_back(Output::Close(link));
                    }
                    socket.handover = None;
                    socket.phase = Phase::Idle;
                }
                (Phase::Waiting(_), false) => self.sockets[index].phase = Phase::Idle,
                _ => {}
            }
        }
    }
}

//! Token accounting for what Twitch limits: messages per 30 s (20 as a viewer, 100 where we are
//! broadcaster, moderator or VIP; counted per connection, the limit chosen by the target
//! channel), slow mode per channel, and JOINs per 10 s.
//!
//! Pure bookkeeping over instants passed in by the caller: no clock reads, no sleeping, so every
//! rule is tested with plain numbers.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use std::time::Instant;

use crate::twitch::Login;

/// Twitch's published limits. Tests scale the windows down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub message_window: Duration,
    pub viewer_messages: usize,
    pub privileged_messages: usize,
    pub join_window: Duration,
    pub joins: usize,
    /// Added to every window and slow-mode wait, so jitter on the way never makes Twitch see us
    /// one message over.
    pub margin: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            message_window: Duration::from_secs(30),
            viewer_messages: 20,
            privileged_messages: 100,
            join_window: Duration::from_secs(10),
            joins: 20,
            margin: Duration::from_millis(500),
        }
    }
}

/// The times of recent events, to allow at most `limit` per `window`.
#[derive(Debug, Clone)]
pub struct SlidingWindow {
    window: Duration,
    stamps: VecDeque<Instant>,
}

impl SlidingWindow {
    pub fn new(window: Duration) -> Self {
        SlidingWindow {
            window,
            stamps: VecDeque::new(),
        }
    }

    /// The earliest instant at which one more event keeps at most `limit` in any window.
    pub fn next_allowed(&mut self, now: Instant, limit: usize) -> Instant {
        while self
            .stamps
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= self.window)
        {
            self.stamps.pop_front();
        }
        if limit == 0 {
            return now + self.window;
        }
        if self.stamps.len() < limit {
            return now;
        }
        self.stamps[self.stamps.len() - limit] + self.window
    }

    /// How many more events fit right now under `limit`.
    pub fn room(&mut self, now: Instant, limit: usize) -> usize {
        self.next_allowed(now, limit);
        limit.saturating_sub(self.stamps.len())
    }

    pub fn record(&mut self, at: Instant) {
        self.stamps.push_back(at);
    }

    /// Counts the window as full until `until` (after Twitch said we were too fast).
    pub fn saturate(&mut self, now: Instant, limit: usize) {
        self.stamps.clear();
        self.stamps.extend(std::iter::repeat_n(now, limit));
    }
}

/// When the next chat message may go out.
#[derive(Debug, Clone)]
pub struct SendLimiter {
    limits: RateLimits,
    window: SlidingWindow,
    last_in_channel: HashMap<Login, Instant>,
}

impl SendLimiter {
    pub fn new(limits: RateLimits) -> Self {
        SendLimiter {
            limits,
            window: SlidingWindow::new(limits.message_window + limits.margin),
            last_in_channel: HashMap::new(),
        }
    }

    /// The earliest instant a message to `channel` may be sent: the connection's window for the
    /// limit our role there allows, and (unless privileged) the channel's slow mode.
    pub fn ready_at(
        &mut self,
        now: Instant,
        channel: &Login,
        privileged: bool,
        slow: Duration,
    ) -> Instant {
        let limit = if privileged {
            self.limits.privileged_messages
        } else {
            self.limits.viewer_messages
        };
        let window_ready = self.window.next_allowed(now, limit);
        let slow_ready = match self.last_in_channel.get(channel) {
            Some(&last) if !privileged && !slow.is_zero() => last + slow + self.limits.margin,
            _ => now,
        };
        window_ready.max(slow_ready)
    }

    pub fn record(&mut self, at: Instant, channel: &Login) {
        self.window.record(at);
        self.last_in_channel.insert(channel.clone(), at);
    }

    /// Twitch said we were too fast: send nothing more until a whole window has passed.
    pub fn back_off(&mut self, now: Instant) {
        self.window.saturate(now, self.limits.privileged_messages);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn window_allows_the_limit_then_waits_for_the_oldest_to_expire() {
        let t0 = Instant::now();
        let mut w = SlidingWindow::new(secs(30.0));
        for i in 0..20 {
            let at = t0 + secs(f64::from(i));
            assert_eq!(w.next_allowed(at, 20), at);
            w.record(at);
        }
        assert_eq!(w.next_allowed(t0 + secs(20.0), 20), t0 + secs(30.0));
        assert_eq!(w.room(t0 + secs(20.0), 20), 0);
        assert_eq!(w.room(t0 + secs(31.5), 20), 2);
        assert_eq!(w.next_allowed(t0 + secs(20.0), 100), t0 + secs(20.0));
    }

    #[test]
    fn viewers_get_twenty_and_privileged_a_hundred() {
        let limits = RateLimits {
            margin: Duration::ZERO,
            ..RateLimits::default()
        };
        let t0 = Instant::now();
        let chan = Login::parse("c").unwrap();
        let mut send = SendLimiter::new(limits);
        for _ in 0..20 {
            assert_eq!(send.ready_at(t0, &chan, false, Duration::ZERO), t0);
            send.record(t0, &chan);
        }
        assert_eq!(
            send.ready_at(t0, &chan, false, Duration::ZERO),
            t0 + secs(30.0)
        );
        assert_eq!(send.ready_at(t0, &chan, true, Duration::ZERO), t0);
    }

    #[test]
    fn slow_mode_spaces_messages_per_channel_for_viewers_only() {
        let t0 = Instant::now();
        let (a, b) = (Login::parse("a").unwrap(), Login::parse("b").unwrap());
        let mut send = SendLimiter::new(RateLimits::default());
        send.record(t0, &a);
        let margin = RateLimits::default().margin;
        assert_eq!(
            send.ready_at(t0, &a, false, secs(10.0)),
            t0 + secs(10.0) + margin
        );
        assert_eq!(send.ready_at(t0, &a, true, secs(10.0)), t0);
        assert_eq!(send.ready_at(t0, &b, false, secs(10.0)), t0);
    }

    #[test]
    fn back_off_blocks_a_full_window() {
        let limits = RateLimits::default();
        let t0 = Instant::now();
        let chan = Login::parse("c").unwrap();
        let mut send = SendLimiter::new(limits);
        send.back_off(t0);
        let ready = send.ready_at(t0, &chan, true, Duration::ZERO);
        assert_eq!(ready, t0 + limits.message_window + limits.margin);
    }
}

//! Reconnect delays: exponential, capped, with jitter so many clients never reconnect in step,
//! and reset once a session has proved stable.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffPolicy {
    /// The first retry waits about this long.
    pub initial: Duration,
    /// No retry waits longer.
    pub max: Duration,
    /// A session that lasted this long resets the delay to `initial`.
    pub stable_after: Duration,
}

impl Default for BackoffPolicy {
    fn default() -> Self {
        BackoffPolicy {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(60),
            stable_after: Duration::from_secs(60),
        }
    }
}

#[derive(Debug)]
pub struct Backoff {
    policy: BackoffPolicy,
    failures: u32,
    /// The server asked for a reconnect since the last stable session.
    asked: bool,
    rng: fastrand::Rng,
}

impl Backoff {
    pub fn new(policy: BackoffPolicy) -> Self {
        Backoff {
            policy,
            failures: 0,
            asked: false,
            rng: fastrand::Rng::new(),
        }
    }

    /// The wait before the next attempt: `initial * 2^failures`, capped at `max`, then a random
    /// point in its upper half.
    pub fn next_delay(&mut self) -> Duration {
        let base = self
            .policy
            .initial
            .saturating_mul(1 << self.failures.min(20))
            .min(self.policy.max);
        self.failures = self.failures.saturating_add(1);
        let half = base / 2;
        half + half.mul_f64(self.rng.f64())
    }

    /// The wait before reconnecting when the server asked for it (RECONNECT): none the first
    /// time, as Twitch asks before maintenance; but a server that asks again before the new
    /// session proved stable gets the growing waits of any failure.
    pub fn requested(&mut self, lasted: Duration) -> Duration {
        self.session_ended(lasted);
        if std::mem::replace(&mut self.asked, true) {
            self.next_delay()
        } else {
            Duration::ZERO
        }
    }

    /// Forgets past failures if the session that just ended lasted long enough.
    pub fn session_ended(&mut self, lasted: Duration) {
        if lasted >= self.policy.stable_after {
            self.failures = 0;
            self.asked = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_within_jitter_and_cap() {
        let policy = BackoffPolicy {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(8),
            stable_after: Duration::from_secs(60),
        };
        let mut backoff = Backoff::new(policy);
        for base in [1u64, 2, 4, 8, 8, 8] {
            let d = backoff.next_delay();
            let base = Duration::from_secs(base);
            assert!(d >= base / 2 && d <= base, "{d:?} for base {base:?}");
        }
    }

    #[test]
    fn a_stable_session_resets_the_delay() {
        let policy = BackoffPolicy::default();
        let mut backoff = Backoff::new(policy);
        for _ in 0..5 {
            backoff.next_delay();
        }
        backoff.session_ended(Duration::from_secs(5));
        assert!(backoff.next_delay() >= Duration::from_secs(16));
        backoff.session_ended(Duration::from_secs(61));
        assert!(backoff.next_delay() <= Duration::from_secs(1));
    }

    #[test]
    fn a_reconnect_request_is_followed_at_once_unless_they_keep_coming() {
        let policy = BackoffPolicy {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(60),
            stable_after: Duration::from_secs(60),
        };
        let mut backoff = Backoff::new(policy);
        assert_eq!(backoff.requested(Duration::from_secs(5)), Duration::ZERO);
        let waits: Vec<Duration> = (0..6)
            .map(|_| backoff.requested(Duration::from_secs(1)))
            .collect();
        for (wait, base) in waits.iter().zip([1u64, 2, 4, 8, 16, 32]) {
            let base = Duration::from_secs(base);
            assert!(*wait >= base / 2 && *wait <= base, "{wait:?} for {base:?}");
        }
        assert_eq!(backoff.requested(Duration::from_secs(61)), Duration::ZERO);
        let again = backoff.requested(Duration::ZERO);
        assert!(again >= Duration::from_millis(500) && again <= Duration::from_secs(1));
    }

    #[test]
    fn jitter_spreads_clients() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..20 {
            seen.insert(Backoff::new(BackoffPolicy::default()).next_delay());
        }
        assert!(seen.len() > 10);
    }
}

//! The limits Twitch's chat server keeps on what clients send, kept by the simulator on its own
//! terms (it shares no code with the client's limiter, so a bug there shows up as a refusal
//! here): chat messages per 30 s counted per connection, 20 or 100 chosen per message by the
//! sender's role in the target channel (`twitch-irc-facts.md` section 5), and JOIN attempts per
//! 10 s counted per user across all their connections, 20 or 2,000 for a verified bot.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// The server's limits. Tests scale the windows down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub message_window: Duration,
    /// Messages per window where the sender is neither broadcaster, moderator nor VIP.
    pub viewer_messages: usize,
    /// Messages per window where the sender is broadcaster, moderator or VIP.
    pub privileged_messages: usize,
    pub join_window: Duration,
    /// JOIN attempts per window for one user.
    pub joins: usize,
    /// JOIN attempts per window for a verified bot.
    pub verified_bot_joins: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            message_window: Duration::from_secs(30),
            viewer_messages: 20,
            privileged_messages: 100,
            join_window: Duration::from_secs(10),
            joins: 20,
            verified_bot_joins: 2000,
        }
    }
}

/// What happened in the last `window`: admits an event while fewer than a limit did.
#[derive(Debug, Clone)]
pub struct Tally {
    window: Duration,
    times: VecDeque<Instant>,
}

impl Tally {
    pub fn new(window: Duration) -> Self {
        Tally {
            window,
            times: VecDeque::new(),
        }
    }

    /// Counts an event at `now` if fewer than `limit` fell in the window that ends at `now`;
    /// says whether it was admitted. Refused events are not counted.
    pub fn admit(&mut self, now: Instant, limit: usize) -> bool {
        let since = now.checked_sub(self.window);
        while let (Some(&oldest), Some(since)) = (self.times.front(), since) {
            if oldest > since {
                break;
            }
            self.times.pop_front();
        }
        let admitted = self.times.len() < limit;
        if admitted {
            self.times.push_back(now);
        }
        admitted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_admits_up_to_the_limit_in_any_window() {
        let t0 = Instant::now();
        let second = Duration::from_secs(1);
        let mut tally = Tally::new(10 * second);
        assert!((0..3).all(|_| tally.admit(t0, 3)), "three at once");
        assert!(!tally.admit(t0 + 9 * second, 3), "the fourth within 10 s");
        assert!(tally.admit(t0 + 10 * second, 3), "the window moved on");
        assert!(tally.admit(t0 + 10 * second, 3));
        assert!(tally.admit(t0 + 10 * second, 3));
        assert!(!tally.admit(t0 + 19 * second, 3));
        assert!(!tally.admit(t0, 0), "a limit of none admits none");
    }
}

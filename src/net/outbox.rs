//! What the user typed and its fate: a bounded queue of messages waiting to go out, and the
//! messages sent but not yet answered by Twitch (a USERSTATE with the new id, or a NOTICE
//! refusing it). Answers come in order per channel, so the oldest unanswered message of a
//! channel is the one an answer is about.
//!
//! Pure bookkeeping; the session decides when to send.

use std::collections::VecDeque;

use crate::twitch::Login;

pub use crate::twitch::chat::{MessageId, OutgoingMessage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub id: MessageId,
    pub message: OutgoingMessage,
}

#[derive(Debug)]
pub struct Outbox {
    capacity: usize,
    queue: VecDeque<Queued>,
    in_flight: VecDeque<Queued>,
}

impl Outbox {
    pub fn new(capacity: usize) -> Self {
        Outbox {
            capacity,
            queue: VecDeque::new(),
            in_flight: VecDeque::new(),
        }
    }

    /// Queues a message; a full queue gives it back.
    pub fn push(&mut self, queued: Queued) -> Result<(), Queued> {
        if self.queue.len() >= self.capacity {
            return Err(queued);
        }
        self.queue.push_back(queued);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// The first queued message of every channel, in queue order: the candidates to send next
    /// (later messages of a channel wait for the earlier ones).
    pub fn heads(&self) -> Vec<(usize, &Queued)> {
        let mut seen: Vec<&Login> = Vec::new();
        let mut heads = Vec::new();
        for (index, queued) in self.queue.iter().enumerate() {
            if !seen.contains(&&queued.message.channel) {
                seen.push(&queued.message.channel);
                heads.push((index, queued));
            }
        }
        heads
    }

    /// Takes a queued message to send; it waits for Twitch's answer.
    pub fn take(&mut self, index: usize) -> Option<Queued> {
        let queued = self.queue.remove(index)?;
        self.in_flight.push_back(queued.clone());
        Some(queued)
    }

    /// Twitch answered the oldest message in flight to `channel`.
    pub fn answered(&mut self, channel: &Login) -> Option<Queued> {
        let index = self
            .in_flight
            .iter()
            .position(|q| &q.message.channel == channel)?;
        self.in_flight.remove(index)
    }

    /// Puts the oldest message in flight to `channel` back at the front of the queue (Twitch
    /// said we were too fast: it was not sent).
    pub fn retry(&mut self, channel: &Login) -> Option<MessageId> {
        let queued = self.answered(channel)?;
        let id = queued.id;
        self.queue.push_front(queued);
        Some(id)
    }

    /// A connection is gone: every unanswered message to a channel it carried (`on` says which)
    /// may be lost, so they go back to the front of the queue, oldest first, to be sent again.
    pub fn requeue_in_flight(&mut self, on: impl Fn(&Login) -> bool) {
        let (lost, kept): (Vec<_>, Vec<_>) = self
            .in_flight
            .drain(..)
            .partition(|q| on(&q.message.channel));
        self.in_flight = kept.into();
        for queued in lost.into_iter().rev() {
            self.queue.push_front(queued);
        }
    }

    /// Takes a message back before it is sent; `None` once it went out (or was never here).
    pub fn cancel(&mut self, id: MessageId) -> Option<Queued> {
        let index = self.queue.iter().position(|q| q.id == id)?;
        self.queue.remove(index)
    }

    /// Removes every queued message to `channel` (it cannot be joined).
    pub fn drain_channel(&mut self, channel: &Login) -> Vec<Queued> {
        let (gone, kept): (Vec<_>, Vec<_>) = self
            .queue
            .drain(..)
            .partition(|q| &q.message.channel == channel);
        self.queue = kept.into();
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: u64, channel: &str) -> Queued {
        Queued {
            id: MessageId(id),
            message: OutgoingMessage {
                channel: Login::parse(channel).unwrap(),
                text: format!("m{id}"),
                action: false,
                reply_to: None,
            },
        }
    }

    #[test]
    fn a_full_queue_gives_the_message_back() {
        let mut outbox = Outbox::new(2);
        assert!(outbox.push(msg(1, "a")).is_ok());
        assert!(outbox.push(msg(2, "a")).is_ok());
        assert_eq!(outbox.push(msg(3, "a")), Err(msg(3, "a")));
    }

    #[test]
    fn heads_are_the_first_message_per_channel() {
        let mut outbox = Outbox::new(10);
        for (id, chan) in [(1, "a"), (2, "a"), (3, "b"), (4, "c"), (5, "b")] {
            outbox.push(msg(id, chan)).unwrap();
        }
        let heads: Vec<u64> = outbox.heads().iter().map(|(_, q)| q.id.0).collect();
        assert_eq!(heads, [1, 3, 4]);
    }

    #[test]
    fn answers_resolve_the_oldest_in_flight_of_their_channel() {
        let mut outbox = Outbox::new(10);
        for (id, chan) in [(1, "a"), (2, "b"), (3, "a")] {
            outbox.push(msg(id, chan)).unwrap();
        }
        for _ in 0..3 {
            outbox.take(0);
        }
        let a = Login::parse("a").unwrap();
        assert_eq!(outbox.answered(&a).unwrap().id, MessageId(1));
        assert_eq!(outbox.answered(&a).unwrap().id, MessageId(3));
        assert_eq!(outbox.answered(&a), None);
    }

    #[test]
    fn a_lost_connection_requeues_unanswered_messages_first_in_order() {
        let mut outbox = Outbox::new(10);
        for id in 1..=4 {
            outbox.push(msg(id, "a")).unwrap();
        }
        outbox.push(msg(5, "b")).unwrap();
        outbox.take(0);
        outbox.take(0);
        outbox.take(2);
        // Only the connection carrying "a" was lost: "b"'s message still waits for its answer.
        outbox.requeue_in_flight(|c| c.as_str() == "a");
        let order: Vec<u64> = std::iter::from_fn(|| outbox.take(0).map(|q| q.id.0)).collect();
        assert_eq!(order, [1, 2, 3, 4]);
        let b = Login::parse("b").unwrap();
        assert_eq!(outbox.answered(&b).map(|q| q.id), Some(MessageId(5)));
    }

    #[test]
    fn retry_puts_the_message_back_at_the_front() {
        let mut outbox = Outbox::new(10);
        outbox.push(msg(1, "a")).unwrap();
        outbox.push(msg(2, "a")).unwrap();
        outbox.take(0);
        assert_eq!(
            outbox.retry(&Login::parse("a").unwrap()),
            Some(MessageId(1))
        );
        assert_eq!(outbox.take(0).unwrap().id, MessageId(1));
    }

    #[test]
    fn a_queued_message_can_be_taken_back_one_sent_cannot() {
        let mut outbox = Outbox::new(8);
        for id in 1..=3 {
            outbox.push(msg(id, "a")).unwrap();
        }
        assert!(outbox.take(0).is_some());
        assert_eq!(outbox.cancel(MessageId(1)), None, "in flight: too late");
        assert_eq!(outbox.cancel(MessageId(3)), Some(msg(3, "a")));
        assert_eq!(outbox.cancel(MessageId(3)), None);
        let heads: Vec<MessageId> = outbox.heads().iter().map(|(_, q)| q.id).collect();
        assert_eq!(heads, [MessageId(2)]);
    }
}

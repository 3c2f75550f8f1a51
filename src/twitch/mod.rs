//! The Twitch chat protocol, pure: IRCv3 framing ([`irc`]), the typed Twitch layer over it
//! ([`message`] and the modules it builds on), and typed client commands ([`outgoing`]).
//!
//! No I/O, no async runtime, no terminal, no clock: bytes in, values out, so every rule here is
//! tested with plain tables and the hot path stays allocation-light.

pub mod badges;
pub mod chat;
pub mod emotes;
pub mod eventsub;
pub mod helix;
pub mod irc;
pub mod login;
pub mod message;
pub mod outgoing;
pub mod privmsg;
pub mod room;
mod scan;
pub mod tags;
pub mod usernotice;

pub use irc::{IrcMessage, ParseError};
pub use login::Login;
pub use message::ServerMessage;
pub use outgoing::ClientCommand;

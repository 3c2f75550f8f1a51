//! Tests without sockets: the parser and Twitch's messages, the commands, the reducer
//! (scenarios of messages and keys in, state and effects out), the panes and whole screens, the
//! generated documentation, and `ttvchat parse` as a user runs it. One binary, so the tree is
//! linked once for all of them.

mod reducer;
mod session;

mod captured;
mod commands;
mod docs;
mod emotes;
mod eventsub;
mod eventsub_session;
mod feeds;
mod feeds_views;
mod irc_layer;
mod moderation;
mod modlog;
mod never_panics;
mod outgoing;
mod own_held;
mod parse_cli;
mod state;
mod twitch_messages;
mod ui;

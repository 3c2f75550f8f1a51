//! The simulator's Helix for what moderators watch: suspicious users (Add / Remove Suspicious
//! Status) and unban requests (Get / Resolve Unban Requests), with Twitch's checks and errors.

use axum::http::StatusCode;
use serde_json::json;

use super::super::State;
use super::super::http::{Refusal, rfc3339};
use super::super::world::Role;
use super::{Ask, Handled, as_moderator, bad, body, data, page, user_by_id};

pub(super) const PATHS: &[&str] = &["moderation/suspicious_users", "moderation/unban_requests"];

const SUSPICIOUS: &[&str] = &["moderator:manage:suspicious_users"];
const UNBAN_READ: &[&str] = &[
    "moderator:read:unban_requests",
    "moderator:manage:unban_requests",
];
const UNBAN_MANAGE: &[&str] = &["moderator:manage:unban_requests"];

pub(super) fn route(state: &mut State, ask: &Ask) -> Handled {
    let query = &ask.query;
    match (ask.method.as_str(), ask.path.as_str()) {
        ("POST", "moderation/suspicious_users") | ("DELETE", "moderation/suspicious_users") => {
            let channel = as_moderator(state, ask, "broadcaster_id", SUSPICIOUS)?;
            let (user_id, status) = if ask.method == "POST" {
                let body = body(&ask.bytes)?;
                let user_id = body["user_id"]
                    .as_str()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| bad("Validation errors: Missing required fields."))?
                    .to_owned();
                let status = match body["status"].as_str() {
                    Some("ACTIVE_MONITORING") => "active_monitoring",
                    Some("RESTRICTED") => "restricted",
                    _ => {
                        return Err(bad(
                            "The status specified was invalid. Must either be ACTIVE_MONITORING or RESTRICTED",
                        ));
                    }
                };
                (user_id, status)
            } else {
                (query.required("user_id")?, "no_treatment")
            };
            let login = user_by_id(&state.world, &user_id)?;
            let chan = &state.world.channels[&channel];
            if state.world.role(chan, &login) >= Role::Moderator {
                return Err(bad("The status update is not allowed for this user."));
            }
            state.treat(&channel, &ask.grant.login, &login, status);
            data(json!({
                "user_id": user_id,
                "broadcaster_id": state.world.channels[&channel].id.to_string(),
                "moderator_id": ask.grant.user_id.to_string(),
                "updated_at": rfc3339(std::time::SystemTime::now()),
                "status": status.to_ascii_uppercase(),
                "types": ["MANUALLY_ADDED"],
            }))
        }
        ("GET", "moderation/unban_requests") => {
            let channel = as_moderator(state, ask, "broadcaster_id", UNBAN_READ)?;
            let status = query.required("status")?;
            if !["pending", "approved", "denied", "acknowledged", "canceled"]
                .contains(&status.as_str())
            {
                return Err(bad("The status query parameter is not valid."));
            }
            let user = query.get("user_id");
            let items = state
                .watch
                .requests
                .iter()
                .filter(|r| r.channel == channel && r.status == status)
                .map(|r| r.json(state))
                .filter(|r| user.as_ref().is_none_or(|u| r["user_id"] == u.as_str()))
                .collect();
            Ok(page(query, items, 100))
        }
        ("PATCH", "moderation/unban_requests") => {
            let channel = as_moderator(state, ask, "broadcaster_id", UNBAN_MANAGE)?;
            let id = query.required("unban_request_id")?;
            let approve = match query.required("status")?.as_str() {
                "approved" => true,
                "denied" => false,
                _ => return Err(bad("Invalid requested update")),
            };
            let resolution = query.get("resolution_text").filter(|t| !t.is_empty());
            if resolution.as_ref().is_some_and(|t| t.chars().count() > 500) {
                return Err(bad("The resolution text may be at most 500 characters."));
            }
            let Some(index) = state
                .watch
                .requests
                .iter()
                .position(|r| r.id == id && r.channel == channel)
            else {
                return Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "The unban request ID was not found.",
                ));
            };
            if state.watch.requests[index].status != "pending" {
                return Err(bad("Invalid requested update"));
            }
            let resolved = state.resolve_unban(index, &ask.grant.login, approve, resolution);
            data(resolved.json(state))
        }
        _ => Err(Refusal::new(StatusCode::NOT_FOUND, "Not Found")),
    }
}

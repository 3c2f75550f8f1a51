//! Helix lookups with typed answers: users (and the login -> id cache every other call relies
//! on), who we are, streams and channel information for the room bar in batches of 100, the
//! lists behind `/mods`, `/vips` and `/chatters`, and follow dates for the user card.

use serde::Deserialize;

use super::{Helix, HelixError, lock};
use crate::twitch::Login;

/// Helix takes at most this many ids or logins per request.
const BATCH: usize = 100;

/// A Twitch user as Helix names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    pub id: String,
    pub login: Login,
    pub display: String,
}

/// A user and when their account was made (milliseconds since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub user: UserRef,
    pub created_at: Option<i64>,
}

/// A live stream, as `GET /streams` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveStream {
    pub login: Login,
    pub viewers: u64,
    /// Milliseconds since the Unix epoch.
    pub started_at: Option<i64>,
    pub title: String,
    pub category: String,
}

/// A channel's title and category, live or not (`GET /channels`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelInfo {
    pub login: Login,
    pub title: String,
    pub category: String,
}

/// A channel in the room bar: its stream when live, and its title and category either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub login: Login,
    pub live: Option<LiveStream>,
    pub channel: Option<ChannelInfo>,
}

#[derive(Deserialize)]
struct UserJson {
    id: String,
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    created_at: String,
}

#[derive(Deserialize)]
struct StreamJson {
    user_login: String,
    #[serde(default)]
    viewer_count: u64,
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    game_name: String,
}

#[derive(Deserialize)]
struct ChannelJson {
    broadcaster_login: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    game_name: String,
}

/// A user in a list (`/moderation/moderators`, `/channels/vips`, `/chat/chatters`).
#[derive(Deserialize)]
struct ListedJson {
    user_login: String,
    #[serde(default)]
    user_name: String,
}

#[derive(Deserialize)]
struct FollowJson {
    followed_at: String,
}

fn millis(rfc3339: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.timestamp_millis())
}

impl UserJson {
    fn into_info(self) -> Option<UserInfo> {
        let login = Login::parse(&self.login).ok()?;
        Some(UserInfo {
            user: UserRef {
                id: self.id,
                display: if self.display_name.is_empty() {
                    login.as_str().to_owned()
                } else {
                    self.display_name
                },
                login,
            },
            created_at: millis(&self.created_at),
        })
    }
}

impl Helix {
    /// The user the token belongs to (asked once).
    pub async fn me(&self) -> Result<UserRef, HelixError> {
        self.inner
            .me
            .get_or_try_init(|| async {
                let users: Vec<UserJson> = self.get("users", &[]).await?;
                users
                    .into_iter()
                    .find_map(UserJson::into_info)
                    .map(|info| info.user)
                    .ok_or_else(|| HelixError::Decode("no user for this token".into()))
            })
            .await
            .cloned()
    }

    /// Users by login, in batches of 100; those that do not exist are left out. Remembered for
    /// [`Helix::user_id`].
    pub async fn users(&self, logins: &[Login]) -> Result<Vec<UserInfo>, HelixError> {
        let mut found = Vec::new();
        for batch in logins.chunks(BATCH) {
            let query: Vec<(&str, String)> = batch
                .iter()
                .map(|l| ("login", l.as_str().to_owned()))
                .collect();
            let users: Vec<UserJson> = self.get("users", &query).await?;
            found.extend(users.into_iter().filter_map(UserJson::into_info));
        }
        let mut cache = lock(&self.inner.users);
        for info in &found {
            cache.insert(info.user.login.clone(), info.user.clone());
        }
        Ok(found)
    }

    /// One user, or [`HelixError::NoSuchUser`].
    pub async fn user(&self, login: &Login) -> Result<UserInfo, HelixError> {
        self.users(std::slice::from_ref(login))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| HelixError::NoSuchUser(login.as_str().to_owned()))
    }

    /// A user's id, from the cache when looked up before.
    pub async fn user_id(&self, login: &Login) -> Result<String, HelixError> {
        if let Some(user) = lock(&self.inner.users).get(login) {
            return Ok(user.id.clone());
        }
        Ok(self.user(login).await?.user.id)
    }

    /// Ids of these logins (looked up in batches where not cached), in no particular order;
    /// logins that are not users are left out.
    pub async fn user_ids(&self, logins: &[Login]) -> Result<Vec<(Login, String)>, HelixError> {
        let missing: Vec<Login> = {
            let cache = lock(&self.inner.users);
            logins
                .iter()
                .filter(|l| !cache.contains_key(*l))
                .cloned()
                .collect()
        };
        if !missing.is_empty() {
            self.users(&missing).await?;
        }
        let cache = lock(&self.inner.users);
        Ok(logins
            .iter()
            .filter_map(|l| Some((l.clone(), cache.get(l)?.id.clone())))
            .collect())
    }

    /// The live streams among these broadcaster ids, in batches of 100.
    pub async fn streams(&self, ids: &[String]) -> Result<Vec<LiveStream>, HelixError> {
        let mut live = Vec::new();
        for batch in ids.chunks(BATCH) {
            let mut query: Vec<(&str, String)> =
                batch.iter().map(|id| ("user_id", id.clone())).collect();
            query.push(("first", BATCH.to_string()));
            let streams: Vec<StreamJson> = self.get("streams", &query).await?;
            live.extend(streams.into_iter().filter_map(|s| {
                Some(LiveStream {
                    login: Login::parse(&s.user_login).ok()?,
                    viewers: s.viewer_count,
                    started_at: millis(&s.started_at),
                    title: s.title,
                    category: s.game_name,
                })
            }));
        }
        Ok(live)
    }

    /// Title and category of these broadcaster ids, live or not, in batches of 100.
    pub async fn channels(&self, ids: &[String]) -> Result<Vec<ChannelInfo>, HelixError> {
        let mut found = Vec::new();
        for batch in ids.chunks(BATCH) {
            let query: Vec<(&str, String)> = batch
                .iter()
                .map(|id| ("broadcaster_id", id.clone()))
                .collect();
            let channels: Vec<ChannelJson> = self.get("channels", &query).await?;
            found.extend(channels.into_iter().filter_map(|c| {
                Some(ChannelInfo {
                    login: Login::parse(&c.broadcaster_login).ok()?,
                    title: c.title,
                    category: c.game_name,
                })
            }));
        }
        Ok(found)
    }

    /// Live status, title and category of these channels: ids looked up (cached), then
    /// `/streams` and `/channels`, each in batches of 100.
    pub async fn broadcasts(&self, logins: &[Login]) -> Result<Vec<Broadcast>, HelixError> {
        let ids: Vec<String> = self
            .user_ids(logins)
            .await?
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        let live = self.streams(&ids).await?;
        let channels = self.channels(&ids).await?;
        Ok(logins
            .iter()
            .map(|login| Broadcast {
                login: login.clone(),
                live: live.iter().find(|s| s.login == *login).cloned(),
                channel: channels.iter().find(|c| c.login == *login).cloned(),
            })
            .collect())
    }

    /// Display names in a paginated user list (`path` with `query`), up to `limit`, and the
    /// total where Twitch reports one.
    pub(crate) async fn listed(
        &self,
        path: &str,
        query: &[(&str, String)],
        limit: usize,
    ) -> Result<(Vec<String>, Option<u64>), HelixError> {
        let (users, total) = self.get_all::<ListedJson>(path, query, limit).await?;
        let names = users
            .into_iter()
            .map(|u| {
                if u.user_name.eq_ignore_ascii_case(&u.user_login) {
                    u.user_name
                } else {
                    u.user_login
                }
            })
            .collect();
        Ok((names, total))
    }

    /// When `user_id` followed the broadcaster (`None`: does not follow). Needs a moderator's
    /// `moderator:read:followers`.
    pub async fn followed_at(
        &self,
        broadcaster_id: &str,
        user_id: &str,
    ) -> Result<Option<i64>, HelixError> {
        let query = [
            ("broadcaster_id", broadcaster_id.to_owned()),
            ("user_id", user_id.to_owned()),
        ];
        let follows: Vec<FollowJson> = self.get("channels/followers", &query).await?;
        Ok(follows.first().and_then(|f| millis(&f.followed_at)))
    }
}

//! Where accounts are kept. Tokens go to the OS keyring (`keyring`: Keychain, Credential Manager,
//! Secret Service); where no keyring service exists (a headless box, a container) they go to a
//! file only the user can read (0600, checked every time it is read). An index of the logins and
//! which one is the default (no secrets in it) sits beside it so accounts can be listed and one
//! chosen with `--account`. The demo and the tests keep everything in memory.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The keyring service name the tokens are filed under.
const SERVICE: &str = "ttvchat";
const INDEX_FILE: &str = "accounts.json";
const SECRETS_FILE: &str = "credentials.json";

/// A logged-in account: who, for which client id, and its tokens.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub login: String,
    pub user_id: String,
    pub client_id: String,
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("login", &self.login)
            .field("user_id", &self.user_id)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the OS keyring failed: {0}")]
    Keyring(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path} holds tokens but others can read it (mode {mode:o}); run `chmod 600 {path}` or `ttvchat logout`"
    )]
    Exposed { path: String, mode: u32 },
    #[error("{path} is damaged ({message}); run `ttvchat logout --all` and log in again")]
    Damaged { path: String, message: String },
    #[error("no account named {0}; `ttvchat accounts` lists them")]
    NoSuchAccount(String),
}

/// Where the secrets themselves live.
enum Secrets {
    Keyring,
    File(PathBuf),
    Memory(BTreeMap<String, String>),
}

/// The logins, the default one, and nothing secret.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Index {
    default: Option<String>,
    #[serde(default)]
    logins: Vec<String>,
}

/// The accounts ttvchat knows, and where their tokens are kept.
pub struct Accounts {
    index_path: Option<PathBuf>,
    index: Index,
    secrets: Secrets,
}

impl Accounts {
    /// The accounts kept under `dir`: tokens in the OS keyring when it works, else in a 0600 file
    /// there. The second value says why the keyring was not used, for the user to read.
    pub fn open(dir: &Path) -> Result<(Accounts, Option<String>), StoreError> {
        let (secrets, notice) = match keyring::Entry::store_status() {
            Ok(()) => (Secrets::Keyring, None),
            Err(e) => {
                let path = dir.join(SECRETS_FILE);
                let notice = format!(
                    "no OS keyring here ({e}); tokens are kept in {}, readable only by you",
                    path.display()
                );
                (Secrets::File(path), Some(notice))
            }
        };
        Accounts::with(dir, secrets).map(|a| (a, notice))
    }

    /// Tokens in a 0600 file under `dir`, never the keyring.
    pub fn in_file(dir: &Path) -> Result<Accounts, StoreError> {
        Accounts::with(dir, Secrets::File(dir.join(SECRETS_FILE)))
    }

    /// Everything in memory: the demo, and tests (which never touch the real keyring).
    pub fn in_memory() -> Accounts {
        Accounts {
            index_path: None,
            index: Index::default(),
            secrets: Secrets::Memory(BTreeMap::new()),
        }
    }

    fn with(dir: &Path, secrets: Secrets) -> Result<Accounts, StoreError> {
        let index_path = dir.join(INDEX_FILE);
        let index = read_index(&index_path)?;
        Ok(Accounts {
            index_path: Some(index_path),
            index,
            secrets,
        })
    }

    /// Reads the index again: another ttvchat (a `ttvchat login` beside a running app) may
    /// have changed it since, and a change is made to what is there now.
    fn reload(&mut self) -> Result<(), StoreError> {
        if let Some(path) = &self.index_path {
            self.index = read_index(path)?;
        }
        Ok(())
    }

    /// Where the tokens are kept, for messages.
    pub fn kept_in(&self) -> String {
        match &self.secrets {
            Secrets::Keyring => "the OS keyring".to_owned(),
            Secrets::File(path) => format!("{} (readable only by you)", path.display()),
            Secrets::Memory(_) => "memory (gone when ttvchat stops)".to_owned(),
        }
    }

    /// Every stored login, the default first.
    pub fn logins(&self) -> Vec<String> {
        let mut logins = self.index.logins.clone();
        if let Some(default) = &self.index.default {
            logins.retain(|l| l != default);
            logins.insert(0, default.clone());
        }
        logins
    }

    /// The account named `login`, or the default one; `Ok(None)` when none is stored.
    pub fn choose(&self, login: Option<&str>) -> Result<Option<Account>, StoreError> {
        let login = match login {
            Some(login) => login.trim_start_matches('@').to_ascii_lowercase(),
            None => match &self.index.default {
                Some(default) => default.clone(),
                None => return Ok(None),
            },
        };
        let Some(text) = self.get(&login)? else {
            return if self.index.logins.contains(&login) {
                Err(StoreError::Damaged {
                    path: self.kept_in(),
                    message: format!("the tokens of {login} are missing"),
                })
            } else {
                Err(StoreError::NoSuchAccount(login))
            };
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError::Damaged {
                path: self.kept_in(),
                message: e.to_string(),
            })
    }

    /// Stores `account` (replacing its old tokens) and makes it the default: a login.
    pub fn save(&mut self, account: &Account) -> Result<(), StoreError> {
        self.reload()?;
        let text = serde_json::to_string(account).expect("an account serialises");
        self.set(&account.login, &text)?;
        if !self.index.logins.contains(&account.login) {
            self.index.logins.push(account.login.clone());
        }
        self.index.default = Some(account.login.clone());
        self.write_index()
    }

    /// Stores an account's renewed tokens. Nothing else changes: the other accounts and the
    /// default stay as they are now. An account logged out meanwhile stays logged out
    /// (`Ok(false)`: the tokens were not kept).
    pub fn renew(&mut self, account: &Account) -> Result<bool, StoreError> {
        self.reload()?;
        if self.index_path.is_some() && !self.index.logins.contains(&account.login) {
            return Ok(false);
        }
        let text = serde_json::to_string(account).expect("an account serialises");
        self.set(&account.login, &text)?;
        Ok(true)
    }

    /// Forgets `login` everywhere; `Ok(false)` when it was not stored.
    pub fn remove(&mut self, login: &str) -> Result<bool, StoreError> {
        self.reload()?;
        let login = login.trim_start_matches('@').to_ascii_lowercase();
        let known = self.index.logins.contains(&login);
        let had_secret = self.delete(&login)?;
        self.index.logins.retain(|l| *l != login);
        if self.index.default.as_deref() == Some(login.as_str()) {
            self.index.default = self.index.logins.first().cloned();
        }
        self.write_index()?;
        Ok(known || had_secret)
    }

    fn write_index(&self) -> Result<(), StoreError> {
        let Some(path) = &self.index_path else {
            return Ok(());
        };
        let text = serde_json::to_string_pretty(&self.index).expect("the index serialises");
        write_private(path, &text)
    }

    fn get(&self, login: &str) -> Result<Option<String>, StoreError> {
        match &self.secrets {
            Secrets::Keyring => match entry(login)?.get_password() {
                Ok(text) => Ok(Some(text)),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(StoreError::Keyring(e.to_string())),
            },
            Secrets::File(path) => Ok(read_secrets(path)?.remove(login)),
            Secrets::Memory(map) => Ok(map.get(login).cloned()),
        }
    }

    fn set(&mut self, login: &str, text: &str) -> Result<(), StoreError> {
        match &mut self.secrets {
            Secrets::Keyring => entry(login)?
                .set_password(text)
                .map_err(|e| StoreError::Keyring(e.to_string())),
            Secrets::File(path) => {
                let mut all = read_secrets(path)?;
                all.insert(login.to_owned(), text.to_owned());
                write_secrets(path, &all)
            }
            Secrets::Memory(map) => {
                map.insert(login.to_owned(), text.to_owned());
                Ok(())
            }
        }
    }

    fn delete(&mut self, login: &str) -> Result<bool, StoreError> {
        match &mut self.secrets {
            Secrets::Keyring => match entry(login)?.delete_credential() {
                Ok(()) => Ok(true),
                Err(keyring::Error::NoEntry) => Ok(false),
                Err(e) => Err(StoreError::Keyring(e.to_string())),
            },
            Secrets::File(path) => {
                let mut all = read_secrets(path)?;
                let had = all.remove(login).is_some();
                if had {
                    write_secrets(path, &all)?;
                }
                Ok(had)
            }
            Secrets::Memory(map) => Ok(map.remove(login).is_some()),
        }
    }
}

fn entry(login: &str) -> Result<keyring::Entry, StoreError> {
    keyring::Entry::new(SERVICE, login).map_err(|e| StoreError::Keyring(e.to_string()))
}

fn read_index(path: &Path) -> Result<Index, StoreError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| StoreError::Damaged {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Index::default()),
        Err(source) => Err(io(path, source)),
    }
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The secrets file's accounts; refuses a file others can read.
fn read_secrets(path: &Path) -> Result<BTreeMap<String, String>, StoreError> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(source) => return Err(io(path, source)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| io(path, e))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(StoreError::Exposed {
                path: path.display().to_string(),
                mode,
            });
        }
    }
    serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| StoreError::Damaged {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

fn write_secrets(path: &Path, all: &BTreeMap<String, String>) -> Result<(), StoreError> {
    let text = serde_json::to_string_pretty(all).expect("the secrets serialise");
    write_private(path, &text)
}

/// Writes `text` to `path` through a 0600 temporary file renamed into place, so the file is
/// never readable by others and never half written.
fn write_private(path: &Path, text: &str) -> Result<(), StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let tmp = path.with_extension("tmp");
    // A leftover from a crash could have other permissions: start afresh.
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(|e| io(&tmp, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}

//! Badge lists: the `badges`, `badge-info` and `source-badges` tags as `name/version` pairs.
//!
//! Pure parsing; what a badge looks like on screen is the UI's business.

use super::irc::TagValue;
use compact_str::CompactString;

/// One badge as Twitch names it, e.g. `subscriber`/`12` or `predictions`/`blue-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Badge {
    pub name: CompactString,
    pub version: CompactString,
}

/// Parses `name/version,name/version` in tag order. A version may itself contain `/` and escaped
/// spaces (`predictions/Day\s53/53`), so each entry splits on its first `/`; an entry without
/// one, or with an empty name, is not a badge and is skipped.
pub fn parse_badges(value: Option<TagValue<'_>>) -> Vec<Badge> {
    let Some(value) = value else {
        return Vec::new();
    };
    let value = value.unescape();
    value
        .split(',')
        .filter_map(|entry| entry.split_once('/'))
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, version)| Badge {
            name: CompactString::from(name),
            version: CompactString::from(version),
        })
        .collect()
}

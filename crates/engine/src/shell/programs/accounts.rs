//! Users and groups as the image's own `/etc/passwd` and `/etc/group` name
//! them: `chown` and COPY `--chown` read names to IDs, `ls -l` IDs to names.

use crate::merged::Merged;

/// The lines of `/etc/passwd` or `/etc/group` in `fs`, split at `:`.
fn accounts(fs: &Merged, file: &str) -> Vec<Vec<String>> {
    let text = fs
        .read(file)
        .map(|(c, _)| String::from_utf8_lossy(&c.head(1 << 20)).into_owned())
        .unwrap_or_default();
    text.lines()
        .map(|l| l.split(':').map(str::to_owned).collect())
        .collect()
}

/// A user or group ID: a number as given, or a name from the image's own
/// `/etc/passwd` or `/etc/group` (as `chown` and COPY `--chown` read them).
pub(crate) fn account_id(fs: &Merged, file: &str, name: &str) -> Option<u32> {
    if let Ok(n) = name.parse() {
        return Some(n);
    }
    accounts(fs, file)
        .into_iter()
        .find(|f| f.first().map(String::as_str) == Some(name))
        .and_then(|f| f.get(2).and_then(|id| id.parse().ok()))
}

/// A user or group name for `ls -l`, or the number when the image has none.
pub(super) fn account_name(fs: &Merged, file: &str, id: u32) -> String {
    let id = id.to_string();
    accounts(fs, file)
        .into_iter()
        .find(|f| f.get(2) == Some(&id))
        .and_then(|f| f.into_iter().next())
        .unwrap_or(id)
}

//! The Docker daemon as the host sees it: `/var/lib/docker` in the host's file
//! system (the storage driver's layout, kept in step with the daemon's state),
//! and `systemctl restart docker`, which reads `/etc/docker/daemon.json` and
//! may bring the daemon up with another storage driver. As with real Docker, a
//! store under another driver starts empty, and the old one stays on disk.

use super::{Session, Transcript};
use crate::diff::{Diff, Entry, Meta};
use crate::host::State;
use crate::layer::{Layer, LayerId};
use crate::lower::Lower;
use crate::merged::Merged;
use crate::note::NoteKey;
use crate::path::FsPath;
use crate::storage::{layout, DiskNode, Driver, ROOT};
use std::rc::Rc;

/// The daemon's configuration file on the host.
pub const DAEMON_JSON: &str = "/etc/docker/daemon.json";

/// The layer id of the `/var/lib/docker` view in the host's file system.
const STORAGE_LAYER: LayerId = LayerId(u64::MAX - 64);

/// Rebuilds `/var/lib/docker` in the host's file system from the daemon's
/// stores (the running driver's and any left by an earlier driver). The
/// host's own changes stay on top.
pub fn sync_storage(s: &mut Session) {
    let now = s.host.now();
    let mut entries = layout(&s.host, s.driver);
    for (driver, host, _) in &s.stopped_stores {
        entries.extend(layout(host, *driver));
    }
    // `/var/lib/docker` and each driver's directory are for root's group only.
    let private: Vec<String> = std::iter::once(ROOT.to_owned())
        .chain(Driver::ALL.iter().map(|d| format!("{ROOT}/{}", d.name())))
        .collect();
    let mut diff = Diff::new();
    for e in entries {
        let Ok(path) = FsPath::lexical(&e.path) else {
            continue;
        };
        let private = private.contains(&e.path);
        match e.node {
            DiskNode::Dir => diff.put(
                path,
                Entry::Dir {
                    meta: Meta::new(if private { 0o710 } else { 0o755 }, now),
                    opaque: false,
                },
            ),
            DiskNode::File(content) => {
                diff.put_file(path, Meta::new(0o644, now), content);
            }
            DiskNode::Symlink(target) => diff.put(
                path,
                Entry::Symlink {
                    meta: Meta::new(0o777, now),
                    target,
                },
            ),
            // overlay2 keeps a whiteout as a 0/0 character device; the host's
            // file system here has no devices, so it is an empty file, mode 000.
            DiskNode::Whiteout => {
                diff.put_file(path, Meta::new(0, now), crate::content::Content::empty());
            }
        }
    }
    let mut layers = s.host_layers.clone();
    layers.push(Rc::new(Layer::new(STORAGE_LAYER, diff)));
    let empty = Merged::new(Rc::new(Lower::new(Vec::new())));
    let upper = std::mem::replace(&mut s.host_fs, empty).into_upper();
    s.host_fs = Merged::with_upper(Rc::new(Lower::new(layers)), upper);
    s.storage_synced = true;
}

/// What `systemctl … docker` or `service docker …` asks of the daemon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Start,
    Stop,
    Restart,
}

/// `systemctl start|stop|restart docker[.service]` or `service docker start|stop|restart`.
pub fn service_action(words: &[String]) -> Option<Action> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let (verb, unit) = match w.as_slice() {
        ["systemctl", verb, unit] => (*verb, unit.trim_end_matches(".service")),
        ["service", unit, verb] => (*verb, *unit),
        _ => return None,
    };
    if unit != "docker" {
        return None;
    }
    match verb {
        "start" => Some(Action::Start),
        "stop" => Some(Action::Stop),
        "restart" => Some(Action::Restart),
        _ => None,
    }
}

/// Stops and starts the daemon. Stopping stops the running containers;
/// starting reads `/etc/docker/daemon.json` and comes up with the storage
/// driver it names; a failed start leaves the daemon stopped.
pub fn service(s: &mut Session, action: Action) -> Transcript {
    let mut t = Transcript::default();
    s.storage_synced = false;
    if action != Action::Start || !s.daemon_running {
        let running: Vec<String> = s
            .host
            .containers()
            .iter()
            .filter(|c| matches!(c.state, State::Running { .. }))
            .map(|c| c.id.clone())
            .collect();
        for id in running {
            let _ = s.host.stop_container(&id);
        }
        s.daemon_running = false;
    }
    if action == Action::Stop || s.daemon_running {
        return t;
    }
    let wanted = match configured_driver(s) {
        Ok(d) => d,
        Err(why) => {
            t.err(
                "Job for docker.service failed because the control process exited with error code.",
            );
            t.err("See \"systemctl status docker.service\" and \"journalctl -xeu docker.service\" for details.");
            t.err(crate::note::text(NoteKey::DockerdSaid, &[&why.to_string()]));
            t.status = 1;
            return t;
        }
    };
    if wanted != s.driver {
        let (mut host, cache) = match s.stopped_stores.iter().position(|(d, _, _)| *d == wanted) {
            Some(i) => {
                let (_, h, c) = s.stopped_stores.remove(i);
                (h, c)
            }
            None => (s.host.empty_store(), Default::default()),
        };
        host.continue_from(&s.host);
        let old_host = std::mem::replace(&mut s.host, host);
        let old_cache = std::mem::replace(&mut s.build_cache, cache);
        s.stopped_stores.push((s.driver, old_host, old_cache));
        s.driver = wanted;
    }
    if wanted == Driver::Aufs {
        t.err(crate::note::text(NoteKey::AufsRemoved, &[]));
    }
    s.daemon_running = true;
    t
}

/// Why dockerd would not start with `/etc/docker/daemon.json`, in its words.
#[derive(Debug)]
enum ConfigError {
    /// The file is not the JSON dockerd reads: serde's reason.
    Json(String),
    /// A `storage-driver` dockerd does not have.
    Driver(String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Json(why) => write!(
                f,
                "unable to configure the Docker daemon with file {DAEMON_JSON}: {why}"
            ),
            ConfigError::Driver(name) => write!(
                f,
                "failed to start daemon: error initializing graphdriver: driver not supported: {name}"
            ),
        }
    }
}

/// The storage driver `/etc/docker/daemon.json` asks for (overlay2 without one).
fn configured_driver(s: &Session) -> Result<Driver, ConfigError> {
    let Ok((content, _)) = s.host_fs.read(DAEMON_JSON) else {
        return Ok(Driver::Overlay2);
    };
    let text = String::from_utf8_lossy(&content.head(1 << 16)).into_owned();
    if text.trim().is_empty() {
        return Ok(Driver::Overlay2);
    }
    /// The one key of `daemon.json` Layerlab reads; the others are ignored.
    #[derive(serde::Deserialize)]
    struct DaemonJson {
        #[serde(rename = "storage-driver")]
        storage_driver: Option<String>,
    }
    let config: DaemonJson =
        serde_json::from_str(&text).map_err(|e| ConfigError::Json(e.to_string()))?;
    match config.storage_driver {
        None => Ok(Driver::Overlay2),
        Some(name) => Driver::parse(&name).ok_or(ConfigError::Driver(name)),
    }
}

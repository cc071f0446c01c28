//! Containers: created from an image (its layers, the shared init layer and a
//! writable `Merged`), named as Docker names them, started, stopped, removed;
//! `docker diff`, `docker commit` and a container's sizes.

use super::{Host, HostError, HostEvent, Outcome};
use crate::changes::{self, Change};
use crate::diff::Diff;
use crate::digest::Digest;
use crate::image::History;
use crate::merged::Merged;
use crate::reference::Reference;
use std::rc::Rc;

impl Host {
    /// The ID of a container the legacy builder runs a step in, derived from
    /// state like every other container ID.
    pub fn build_container_id(&mut self, image: Option<&Digest>, cmd: &str) -> String {
        let seq = self.next_container;
        self.next_container += 1;
        let parent = image.map_or("", Digest::as_str);
        Digest::of(format!("build container {seq} {parent} {cmd}").as_bytes())
            .hex()
            .to_owned()
    }

    /// A step container the legacy builder leaves behind when its command failed:
    /// `Exited (N)` in `docker ps -a`, its writable layer as the command left it.
    pub fn add_failed_build_container(
        &mut self,
        id: String,
        image: &Digest,
        command: Vec<String>,
        upper: Diff,
        code: i32,
    ) -> Vec<HostEvent> {
        let Some(img) = self.images.get(image).cloned() else {
            return Vec::new();
        };
        let name = self.generated_name(&id);
        self.names.insert(name.clone());
        let now = self.now();
        self.containers.push(Container {
            id: id.clone(),
            name: name.clone(),
            image: image.clone(),
            image_ref: image.short().to_owned(),
            created: now,
            state: State::Exited { code, at: now },
            entrypoint: None,
            cmd: Some(command.clone()),
            command,
            fs: Merged::with_upper(img.lower().clone(), upper),
            open_stdin: false,
            log: Vec::new(),
        });
        vec![HostEvent::ContainerCreated {
            id,
            name,
            image: image.clone(),
        }]
    }

    /// The IMAGE `docker ps` shows for a container: the reference it was
    /// created with while that still names its image, else the image's short ID.
    pub fn image_shown(&self, c: &Container) -> String {
        match self.image(&c.image_ref) {
            Ok(i) if i.id == c.image => c.image_ref.clone(),
            _ => c.image.short().to_owned(),
        }
    }

    pub fn containers(&self) -> &[Container] {
        &self.containers
    }

    pub(super) fn container_index(&self, name_or_id: &str) -> Result<usize, HostError> {
        let wanted = name_or_id.trim_start_matches('/');
        if let Some(i) = self
            .containers
            .iter()
            .position(|c| c.name == wanted || c.id == wanted)
        {
            return Ok(i);
        }
        let mut by_prefix = self
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| !wanted.is_empty() && c.id.starts_with(wanted));
        match (by_prefix.next(), by_prefix.next()) {
            (Some((i, _)), None) => Ok(i),
            _ => Err(HostError::NoSuchContainer(name_or_id.to_owned())),
        }
    }

    pub fn container(&self, name_or_id: &str) -> Result<&Container, HostError> {
        self.container_index(name_or_id)
            .map(|i| &self.containers[i])
    }

    pub fn container_mut(&mut self, name_or_id: &str) -> Result<&mut Container, HostError> {
        let now = self.now();
        let i = self.container_index(name_or_id)?;
        let c = &mut self.containers[i];
        c.fs.set_time(now);
        Ok(c)
    }

    /// A container's file system, stamped with the current time.
    pub fn fs(&mut self, name_or_id: &str) -> Result<&mut Merged, HostError> {
        self.container_mut(name_or_id).map(|c| &mut c.fs)
    }

    /// `docker create`: the image's layers plus the init layer plus a new, empty
    /// writable layer. Costs O(1) whatever the image's size.
    pub fn create_container(
        &mut self,
        image_ref: &str,
        name: Option<&str>,
    ) -> Result<Outcome<String>, HostError> {
        self.create_container_with(image_ref, name, None)
    }

    /// `docker create IMAGE [COMMAND]`: like [`Host::create_container`], with the
    /// image's `Cmd` replaced when a command is given.
    pub fn create_container_with(
        &mut self,
        image_ref: &str,
        name: Option<&str>,
        cmd: Option<Vec<String>>,
    ) -> Result<Outcome<String>, HostError> {
        let image = self.image(image_ref)?.clone();
        let seq = self.next_container;
        let id =
            Digest::of(format!("container {seq} {} {}", image.id, name.unwrap_or("")).as_bytes())
                .hex()
                .to_owned();
        let name = match name {
            Some(n) => {
                let valid = n.len() >= 2
                    && n.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
                if !valid {
                    return Err(HostError::InvalidName(n.to_owned()));
                }
                if let Some(other) = self.containers.iter().find(|c| c.name == n) {
                    return Err(HostError::NameInUse {
                        name: n.to_owned(),
                        id: other.id.clone(),
                    });
                }
                n.to_owned()
            }
            None => self.generated_name(&id),
        };
        self.next_container += 1;
        self.names.insert(name.clone());
        let mut fs = Merged::new(image.lower().clone());
        fs.set_time(self.now());
        // Docker bind-mounts these over the init layer's empty files.
        for path in ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"] {
            fs.bind(path);
        }
        let entrypoint = image.config.config.entrypoint.clone();
        let cmd = cmd.or_else(|| image.config.config.cmd.clone());
        self.containers.push(Container {
            id: id.clone(),
            name: name.clone(),
            image: image.id.clone(),
            image_ref: image_ref.to_owned(),
            created: self.now(),
            state: State::Created,
            command: {
                let mut argv = entrypoint.clone().unwrap_or_default();
                argv.extend(cmd.clone().unwrap_or_default());
                argv
            },
            entrypoint,
            cmd,
            fs,
            open_stdin: false,
            log: Vec::new(),
        });
        let events = vec![HostEvent::ContainerCreated {
            id: id.clone(),
            name,
            image: image.id.clone(),
        }];
        Ok(Outcome { value: id, events })
    }

    /// A Docker-style `adjective_surname`, derived from the container's ID; on a
    /// clash a number is appended, as Docker's name generator does on retry.
    pub(super) fn generated_name(&self, id: &str) -> String {
        let n = u64::from_str_radix(&id[..12], 16).unwrap_or(0);
        let base = format!(
            "{}_{}",
            ADJECTIVES[(n % 16) as usize],
            SURNAMES[(n / 16 % 16) as usize]
        );
        if !self.names.contains(&base) {
            return base;
        }
        (1..)
            .map(|k| format!("{base}{k}"))
            .find(|name| !self.names.contains(name))
            .unwrap_or(base)
    }

    /// Starts a container's main process. It runs only if its program exists in
    /// the container's file system, found through the image's `PATH`; otherwise
    /// the container stays `Created` and the error reads as Docker's.
    pub fn start_container(&mut self, name_or_id: &str) -> Result<(), HostError> {
        let now = self.now();
        let i = self.container_index(name_or_id)?;
        let path = self
            .images
            .get(&self.containers[i].image)
            .and_then(|img| {
                img.config
                    .config
                    .env
                    .iter()
                    .find_map(|e| e.strip_prefix("PATH=").map(str::to_owned))
            })
            .unwrap_or_else(|| {
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_owned()
            });
        let c = &mut self.containers[i];
        if matches!(c.state, State::Running { .. }) {
            return Ok(());
        }
        let Some(program) = c.command.first().cloned() else {
            return Err(HostError::StartFailed("no command specified".into()));
        };
        let found = |fs: &Merged, p: &str| {
            fs.stat(p)
                .is_ok_and(|s| matches!(s.node, crate::merged::Node::File { .. }))
        };
        let exists = if program.contains('/') {
            found(&c.fs, &program)
        } else {
            path.split(':')
                .any(|dir| found(&c.fs, &format!("{dir}/{program}")))
        };
        if !exists {
            let what = if program.contains('/') {
                "no such file or directory"
            } else {
                "executable file not found in $PATH"
            };
            return Err(HostError::StartFailed(format!(
                "exec: \"{program}\": {what}"
            )));
        }
        c.state = State::Running { since: now };
        Ok(())
    }

    /// `docker stop`: the main process ends (exit status 0, as after SIGTERM).
    pub fn stop_container(&mut self, name_or_id: &str) -> Result<(), HostError> {
        let now = self.now();
        let i = self.container_index(name_or_id)?;
        let c = &mut self.containers[i];
        if let State::Running { .. } = c.state {
            c.state = State::Exited { code: 0, at: now };
        }
        Ok(())
    }

    /// `docker rm [-f]`: the writable layer goes with the container.
    pub fn remove_container(
        &mut self,
        name_or_id: &str,
        force: bool,
    ) -> Result<Outcome<String>, HostError> {
        let i = self.container_index(name_or_id)?;
        if matches!(self.containers[i].state, State::Running { .. }) && !force {
            return Err(HostError::ContainerRunning(self.containers[i].name.clone()));
        }
        let c = self.containers.remove(i);
        self.names.remove(&c.name);
        if !self.images.contains_key(&c.image) {
            // The last user of a deleted image's layers lets them go.
            let unused: Vec<Digest> = (self.layers.keys())
                .filter(|chain| !self.layer_in_use(chain))
                .cloned()
                .collect();
            for chain in unused {
                self.layers.remove(&chain);
            }
        }
        let events = vec![HostEvent::ContainerRemoved {
            id: c.id.clone(),
            name: c.name.clone(),
        }];
        Ok(Outcome {
            value: c.id,
            events,
        })
    }

    /// `docker diff`: the container's changes against its image (and init layer).
    pub fn diff(&self, name_or_id: &str) -> Result<Vec<Change>, HostError> {
        let c = self.container(name_or_id)?;
        Ok(changes::changes(&c.fs))
    }

    /// `docker commit`: the writable layer becomes a new read-only layer on top of
    /// the container's image. An unchanged container gives an `empty_layer` entry.
    pub fn commit(
        &mut self,
        name_or_id: &str,
        options: &CommitOptions,
        tag: Option<&Reference>,
    ) -> Result<Outcome<Digest>, HostError> {
        let c = self.container(name_or_id)?.clone();
        let parent = self
            .images
            .get(&c.image)
            .cloned()
            .ok_or_else(|| HostError::NoSuchImage(c.image.to_string()))?;
        let mut config = parent.config.clone();
        // The container's command becomes the image's, unless a change sets
        // one; an ENTRYPOINT change drops the CMD no change gave (moby's
        // `merge` in daemon/commit.go).
        config.config.entrypoint = None;
        config.config.cmd = None;
        for line in &options.changes {
            crate::change::apply_change(&mut config.config, line)
                .map_err(HostError::InvalidChange)?;
        }
        let run = &mut config.config;
        if run.entrypoint.as_ref().is_none_or(Vec::is_empty) {
            if run.cmd.as_ref().is_none_or(Vec::is_empty) {
                run.cmd = c.cmd.clone();
            }
            if run.entrypoint.is_none() {
                run.entrypoint = c.entrypoint.clone();
            }
        }
        let (created_by, comment, author) =
            (&options.created_by, &options.message, &options.author);
        config.created = crate::clock::rfc3339(self.now());
        if !author.is_empty() {
            config.author = author.to_owned();
        }
        let upper = c.fs.upper_unmounted();
        let empty = upper.is_empty();
        let mut history = History::new(self.now(), created_by, comment, empty);
        history.author = author.to_owned();
        config.history.push(history);
        let mut layers = parent.layers.clone();
        if !empty {
            layers.push(self.new_layer(upper));
        }
        let mut outcome = self.add_image(config, layers, tag);
        if let Some(image) = self.images.get_mut(&outcome.value) {
            if let Some(image) = Rc::get_mut(image) {
                image.parent = Some(parent.id.clone());
            }
        }
        outcome
            .events
            .retain(|e| !matches!(e, HostEvent::LayerReused { .. }));
        Ok(outcome)
    }

    /// SIZE and virtual size of a container, as `docker ps -s` shows them.
    pub fn sizes(&self, name_or_id: &str) -> Result<(u64, u64), HostError> {
        let c = self.container(name_or_id)?;
        let image = self.images.get(&c.image).map(|i| i.size()).unwrap_or(0);
        Ok((c.size_rw(), image.saturating_add(c.size_rw())))
    }
}

/// A container's life, as `docker ps` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Created,
    Running { since: u64 },
    Exited { code: i32, at: u64 },
}

#[derive(Clone, Debug)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    pub image: Digest,
    /// The reference it was created with, as `docker ps` shows under IMAGE.
    pub image_ref: String,
    pub created: u64,
    pub state: State,
    /// The main process: entrypoint followed by command (`Path` and `Args`).
    pub command: Vec<String>,
    /// The container's own `Config.Entrypoint` and `Config.Cmd` (what
    /// `docker commit` gives the new image).
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub fs: Merged,
    /// Created with `-i`: its standard input stays open, so a shell waits on it.
    pub open_stdin: bool,
    /// What its main process wrote, as `docker logs` shows it: (on stderr, line).
    pub log: Vec<(bool, String)>,
}

impl Container {
    pub fn short_id(&self) -> &str {
        &self.id[..12]
    }

    /// `SizeRw`: the writable layer's bytes.
    pub fn size_rw(&self) -> u64 {
        self.fs.size_rw()
    }

    /// The `Command` `docker ps` lists: the path, then the arguments, those
    /// with a space in single quotes (moby's `daemon/list.go`).
    pub fn command_line(&self) -> String {
        let mut words = self.command.iter();
        let mut line = words.next().cloned().unwrap_or_default();
        for arg in words {
            line.push(' ');
            if arg.contains(' ') {
                line.push_str(&format!("'{arg}'"));
            } else {
                line.push_str(arg);
            }
        }
        line
    }
}

/// What `docker commit -m MESSAGE -a AUTHOR -c CHANGE…` says about the new image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitOptions {
    /// The history entry's `created_by`: the container's command, joined with spaces.
    pub created_by: String,
    pub message: String,
    pub author: String,
    /// Dockerfile instructions to apply to the config (`--change`).
    pub changes: Vec<String>,
}

const ADJECTIVES: [&str; 16] = [
    "admiring", "brave", "clever", "eager", "focused", "gifted", "happy", "jolly", "keen",
    "loving", "nifty", "quirky", "relaxed", "sharp", "stoic", "vibrant",
];

const SURNAMES: [&str; 16] = [
    "babbage", "curie", "darwin", "einstein", "feynman", "hopper", "hypatia", "lovelace",
    "meitner", "noether", "pasteur", "ritchie", "tesla", "turing", "wozniak", "yonath",
];

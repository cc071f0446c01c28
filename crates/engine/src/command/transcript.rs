//! What one command line did: its output, its status, and one ordered list of
//! what happened, which the app animates and a timeline plays through.

use crate::build::Step;
use crate::event::Event;
use crate::host::HostEvent;
use crate::registry::LayerPull;

/// One line of output, and whether it went to standard error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub stderr: bool,
    /// Layerlab's own note, when the line is one (or ends with one): the app
    /// draws it in the learner's language, `text` stays the English.
    pub note: Option<Box<(usize, crate::note::Note)>>,
}

/// One thing a command did, in the order it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Happening {
    /// A change to the daemon's stores: a layer, an image, a tag, a container.
    Host(HostEvent),
    /// One layer of a `docker pull`, for its progress bar.
    Pulled(LayerPull),
    /// One step of a `docker build`.
    Step(Step),
    /// What a shell in a container did to one of its files (a copy-up, a
    /// whiteout, a read). A command's file events are one container's.
    File { container: String, event: Event },
}

/// What one command line did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    pub lines: Vec<Line>,
    /// The exit status, as `$?` would show it.
    pub status: i32,
    /// What happened, in order.
    pub happened: Vec<Happening>,
    /// The pulled manifest's digest.
    pub manifest: Option<Box<crate::digest::Digest>>,
}

impl Transcript {
    pub fn out(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            text: text.into(),
            stderr: false,
            note: None,
        });
    }

    pub fn err(&mut self, text: impl Into<String>) {
        self.push_err(text.into());
    }

    /// One body for every type `err` takes: reading a note is not repeated
    /// at each of its callers.
    #[inline(never)]
    fn push_err(&mut self, text: String) {
        let note = crate::note::Note::find(&text).map(Box::new);
        self.lines.push(Line {
            text,
            stderr: true,
            note,
        });
    }

    /// A shell run's output, line by line on the stream it was written to.
    pub fn shell_output(&mut self, ran: &crate::shell::Ran) {
        for (stderr, text) in ran.lines() {
            if stderr {
                self.err(text);
            } else {
                self.out(text);
            }
        }
    }

    /// Fails with a message on standard error and exit status `status`.
    pub fn fail(mut self, status: i32, text: impl Into<String>) -> Self {
        for l in text.into().lines() {
            self.err(l);
        }
        self.status = status;
        self
    }

    /// All lines as the terminal shows them.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }

    /// Records changes to the daemon's stores.
    pub fn host(&mut self, events: impl IntoIterator<Item = HostEvent>) {
        self.happened
            .extend(events.into_iter().map(Happening::Host));
    }

    /// Records a pull's layers.
    pub fn pulled(&mut self, layers: impl IntoIterator<Item = LayerPull>) {
        self.happened
            .extend(layers.into_iter().map(Happening::Pulled));
    }

    /// Records a build's steps.
    pub fn steps(&mut self, steps: impl IntoIterator<Item = Step>) {
        self.happened.extend(steps.into_iter().map(Happening::Step));
    }

    /// Records what a shell did to `container`'s files. A command shows one
    /// container's files: another container's take the place of those before.
    pub fn files(&mut self, container: &str, events: impl IntoIterator<Item = Event>) {
        if self.files_of().is_some_and(|c| c != container) {
            self.happened
                .retain(|h| !matches!(h, Happening::File { .. }));
        }
        self.happened
            .extend(events.into_iter().map(|event| Happening::File {
                container: container.to_owned(),
                event,
            }));
    }

    /// The changes to the daemon's stores, in order.
    pub fn host_events(&self) -> impl Iterator<Item = &HostEvent> {
        self.happened.iter().filter_map(|h| match h {
            Happening::Host(e) => Some(e),
            _ => None,
        })
    }

    /// The pulled layers, bottom first.
    pub fn pulled_layers(&self) -> impl Iterator<Item = &LayerPull> {
        self.happened.iter().filter_map(|h| match h {
            Happening::Pulled(p) => Some(p),
            _ => None,
        })
    }

    /// The build's steps, in the order they ran.
    pub fn build_steps(&self) -> impl Iterator<Item = &Step> {
        self.happened.iter().filter_map(|h| match h {
            Happening::Step(s) => Some(s),
            _ => None,
        })
    }

    /// The container whose files the command touched, if any.
    pub fn files_of(&self) -> Option<&str> {
        self.happened.iter().find_map(|h| match h {
            Happening::File { container, .. } => Some(container.as_str()),
            _ => None,
        })
    }

    /// What the command did to that container's files, in order.
    pub fn file_events(&self) -> impl Iterator<Item = &Event> {
        self.happened.iter().filter_map(|h| match h {
            Happening::File { event, .. } => Some(event),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::FsPath;

    fn whiteout(p: &str) -> Event {
        Event::Whiteout {
            path: FsPath::lexical(p).expect("path"),
        }
    }

    #[test]
    fn one_list_keeps_the_order_things_happened_in() {
        let mut t = Transcript::default();
        t.files("c1", [whiteout("/a")]);
        t.host([HostEvent::ImageDeleted {
            id: crate::digest::Digest::of(b"x"),
        }]);
        t.files("c1", [whiteout("/b")]);
        let kinds: Vec<&str> = t
            .happened
            .iter()
            .map(|h| match h {
                Happening::Host(_) => "host",
                Happening::File { .. } => "file",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["file", "host", "file"]);
        assert_eq!(t.file_events().count(), 2);
        assert_eq!(t.files_of(), Some("c1"));
    }

    #[test]
    fn another_containers_files_take_the_place_of_the_first() {
        let mut t = Transcript::default();
        t.files("c1", [whiteout("/a"), whiteout("/b")]);
        t.files("c2", [whiteout("/c")]);
        assert_eq!(t.files_of(), Some("c2"));
        assert_eq!(t.file_events().count(), 1);
    }
}

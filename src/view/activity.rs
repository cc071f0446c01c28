//! What the last command did, item by item: build steps, pulled layers,
//! copy-ups, whiteouts, reads, containers and images. Everything comes from
//! the engine's transcript (its steps, pulls and events), never re-derived;
//! each item has an icon and a word, so nothing relies on colour alone.

use crate::i18n::{comma, kind_word, t, Lang, Msg};
use layerlab_engine::command::{Session, Transcript};
use layerlab_engine::diff::Kind;
use layerlab_engine::event::{Event, Source};
use layerlab_engine::host::HostEvent;
use layerlab_engine::layer::LayerId;
use layerlab_engine::size::human_size_with_precision;

/// Items beyond this many are summed up in one line (a `tar -x` can touch thousands of files).
pub const MOST: usize = 40;

/// What kind of thing happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    StepBase,
    StepLayer,
    StepCached,
    StepMetadata,
    StepFailed,
    Downloaded,
    AlreadyExists,
    Manifest,
    CopyUp,
    CopyUpDir,
    Read,
    Created,
    Written,
    MetadataChanged,
    Whiteout,
    Opaque,
    Removed,
    Renamed,
    HardLinked,
    SizeNow,
    Unchanged,
    LayerCreated,
    LayerDeleted,
    ImageCreated,
    ImageTagged,
    ImageUntagged,
    ImageDeleted,
    ContainerCreated,
    ContainerRemoved,
    More,
}

impl What {
    /// A symbol shown before the item's word (decorative: the word says it).
    pub fn icon(self) -> &'static str {
        match self {
            What::StepBase => "▤",
            What::StepLayer | What::LayerCreated => "▣",
            What::StepCached => "↺",
            What::StepMetadata => "▭",
            What::StepFailed => "✗",
            What::Downloaded => "⇩",
            What::AlreadyExists => "✓",
            What::Manifest => "◈",
            What::CopyUp => "⇧",
            What::CopyUpDir => "⇡",
            What::Read => "◉",
            What::Created => "+",
            What::Written => "✎",
            What::MetadataChanged => "⚙",
            What::Whiteout => "⊘",
            What::Opaque => "▦",
            What::Removed => "−",
            What::Renamed => "→",
            What::HardLinked => "⇉",
            What::SizeNow => "▲",
            What::Unchanged => "=",
            What::LayerDeleted | What::ImageDeleted | What::ContainerRemoved => "✕",
            What::ImageCreated => "◆",
            What::ImageTagged => "#",
            What::ImageUntagged => "⌫",
            What::ContainerCreated => "▢",
            What::More => "…",
        }
    }

    /// Items that changed a layer's files, and items that show something kept
    /// or shared (styled apart, beside their icon and word).
    pub fn tone(self) -> Option<&'static str> {
        match self {
            What::CopyUp | What::Whiteout | What::Opaque | What::SizeNow | What::StepFailed => {
                Some("change")
            }
            What::Read | What::StepCached | What::AlreadyExists | What::Unchanged => Some("kept"),
            _ => None,
        }
    }

    /// The item's word, in the learner's language.
    pub fn word(self) -> Msg {
        match self {
            What::StepBase => Msg::DidStepBase,
            What::StepLayer => Msg::DidStepLayer,
            What::StepCached => Msg::DidStepCached,
            What::StepMetadata => Msg::DidStepMetadata,
            What::StepFailed => Msg::DidStepFailed,
            What::Downloaded => Msg::DidDownloaded,
            What::AlreadyExists => Msg::DidAlreadyExists,
            What::Manifest => Msg::DidManifest,
            What::CopyUp => Msg::DidCopyUp,
            What::CopyUpDir => Msg::DidCopyUpDir,
            What::Read => Msg::DidRead,
            What::Created => Msg::DidCreated,
            What::Written => Msg::DidWritten,
            What::MetadataChanged => Msg::DidMetadata,
            What::Whiteout => Msg::DidWhiteout,
            What::Opaque => Msg::DidOpaque,
            What::Removed => Msg::DidRemoved,
            What::Renamed => Msg::DidRenamed,
            What::HardLinked => Msg::DidHardLinked,
            What::SizeNow => Msg::DidSizeNow,
            What::Unchanged => Msg::DidUnchanged,
            What::LayerCreated => Msg::DidLayerCreated,
            What::LayerDeleted => Msg::DidLayerDeleted,
            What::ImageCreated => Msg::DidImageCreated,
            What::ImageTagged => Msg::DidImageTagged,
            What::ImageUntagged => Msg::DidImageUntagged,
            What::ImageDeleted => Msg::DidImageDeleted,
            What::ContainerCreated => Msg::DidContainerCreated,
            What::ContainerRemoved => Msg::DidContainerRemoved,
            What::More => Msg::DidMore,
        }
    }
}

/// One thing the command did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub what: What,
    /// The facts, language-neutral: paths, sizes, digests, names.
    pub detail: String,
    /// The read-only layer involved (served a read, was copied from, was built).
    pub layer: Option<LayerId>,
    /// A pulled layer's size: the pane draws a progress bar for it.
    pub pull: Option<u64>,
    /// A build step's Dockerfile line.
    pub line: Option<usize>,
}

impl Item {
    fn new(what: What, detail: impl Into<String>) -> Item {
        Item {
            what,
            detail: detail.into(),
            layer: None,
            pull: None,
            line: None,
        }
    }

    fn on(mut self, layer: Option<LayerId>) -> Item {
        self.layer = layer;
        self
    }
}

fn size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

/// A layer as the learner knows it: the instruction that made it, and its size.
pub fn layer_name(session: &Session, id: LayerId) -> String {
    for image in session.host.images() {
        let made_by = image.config.history.iter().filter(|h| !h.empty_layer);
        for (layer, h) in image.layers.iter().zip(made_by) {
            if layer.id == id {
                let by = crate::view::stage::shorten(h.made_by());
                return format!("{by} ({})", size(layer.size()));
            }
        }
    }
    if session.host.init_layer().id == id {
        // Docker keeps it beside the writable layer as `<container>-init`.
        return "init (/etc/hosts, /etc/hostname, /etc/resolv.conf)".into();
    }
    format!("#{}", id.0)
}

/// Whether a file event changed the writable layer.
fn writes(e: &Event) -> bool {
    !matches!(e, Event::Read { .. })
}

fn file_item(session: &Session, lang: Lang, e: &Event) -> Item {
    match e {
        Event::Read { path, from, bytes } => {
            let from_name = match from {
                Source::Upper => t(lang, Msg::StageWritable).to_owned(),
                Source::Lower(id) => layer_name(session, *id),
            };
            let layer = match from {
                Source::Lower(id) => Some(*id),
                Source::Upper => None,
            };
            Item::new(
                What::Read,
                format!("{path} · {} ← {from_name}", size(*bytes)),
            )
            .on(layer)
        }
        Event::CopyUp {
            path,
            from,
            kind,
            bytes,
        } => {
            // A directory's copy-up (its metadata only) is folded by `activity`.
            let kind = kind_word(lang, *kind);
            // The exact bytes beside the rounded size, where they differ.
            let detail = if *bytes < 1000 {
                format!("{kind} {path} · {}", size(*bytes))
            } else {
                format!("{kind} {path} · {} ({bytes} B)", size(*bytes))
            };
            let from_name = layer_name(session, *from);
            Item::new(What::CopyUp, format!("{detail} ← {from_name}")).on(Some(*from))
        }
        Event::Created { path, kind, bytes } => Item::new(
            What::Created,
            format!("{} {path} · {}", kind_word(lang, *kind), size(*bytes)),
        ),
        Event::Written { path, bytes } => {
            Item::new(What::Written, format!("{path} · {}", size(*bytes)))
        }
        Event::MetadataChanged { path } => Item::new(What::MetadataChanged, path.to_string()),
        Event::Whiteout { path } => Item::new(What::Whiteout, path.to_string()),
        Event::OpaqueDir { path } => Item::new(What::Opaque, path.to_string()),
        Event::Removed { path } => Item::new(What::Removed, path.to_string()),
        Event::Renamed { from, to } => Item::new(What::Renamed, format!("{from} → {to}")),
        Event::HardLinked { path, target } => {
            Item::new(What::HardLinked, format!("{path} → {target}"))
        }
    }
}

fn host_item(e: &HostEvent) -> Option<Item> {
    Some(match e {
        HostEvent::LayerCreated {
            layer,
            diff_id,
            size: bytes,
        } => {
            Item::new(What::LayerCreated, format!("{diff_id} · {}", size(*bytes))).on(Some(*layer))
        }
        HostEvent::LayerDeleted { chain_id, .. } => {
            Item::new(What::LayerDeleted, chain_id.to_string())
        }
        HostEvent::ImageCreated { id } => Item::new(What::ImageCreated, id.to_string()),
        HostEvent::ImageTagged { reference, .. } => Item::new(What::ImageTagged, reference.clone()),
        HostEvent::ImageUntagged { reference, .. } => {
            Item::new(What::ImageUntagged, reference.clone())
        }
        HostEvent::ImageDeleted { id } => Item::new(What::ImageDeleted, id.to_string()),
        HostEvent::ContainerCreated { name, image, .. } => Item::new(
            What::ContainerCreated,
            format!("{name} · {}", image.short()),
        ),
        HostEvent::ContainerRemoved { name, .. } => Item::new(What::ContainerRemoved, name.clone()),
        HostEvent::LayerReused { .. } | HostEvent::Fs { .. } => return None,
    })
}

/// What `t` (the transcript of the last command run in `session`) did.
pub fn activity(session: &Session, lang: Lang, ran: &Transcript) -> Vec<Item> {
    let mut items = Vec::new();
    for s in ran.build_steps() {
        let (what, detail) = match (s.failed, s.cached, s.layer) {
            (Some(status), ..) => (
                What::StepFailed,
                format!("{} · exit code: {status} · Dockerfile:{}", s.label, s.line),
            ),
            (None, true, _) => (What::StepCached, s.label.clone()),
            (None, false, Some(_)) => (What::StepLayer, format!("{} · {}", s.label, size(s.size))),
            // FROM: the base image's layers, stored already or just pulled.
            (None, false, None) if s.label.contains(" FROM ") => (What::StepBase, s.label.clone()),
            (None, false, None) => (What::StepMetadata, format!("{} · 0B", s.label)),
        };
        let mut item = Item::new(what, detail).on(s.layer);
        item.line = Some(s.line);
        items.push(item);
    }
    for p in ran.pulled_layers() {
        let what = if p.downloaded {
            What::Downloaded
        } else {
            What::AlreadyExists
        };
        let mut item = Item::new(what, format!("{} · {}", p.short, size(p.size)));
        item.pull = Some(p.size);
        items.push(item);
    }
    if let Some(digest) = &ran.manifest {
        items.push(Item::new(What::Manifest, digest.to_string()));
    }
    // Items past MOST are only counted: a `tar -x` can touch thousands of files.
    let mut skipped = 0;
    if let Some(container) = ran.files_of() {
        let room = MOST.saturating_sub(items.len());
        skipped = ran.file_events().count().saturating_sub(room);
        // The file's own copy-up is the headline; its directories'
        // metadata copy-ups follow, folded into one line.
        let mut dirs: Vec<String> = Vec::new();
        let mut dirs_from = None;
        for e in ran.file_events().take(room) {
            match e {
                Event::CopyUp {
                    path,
                    from,
                    kind: Kind::Dir,
                    ..
                } => {
                    dirs.push(path.to_string());
                    dirs_from.get_or_insert(*from);
                }
                _ => items.push(file_item(session, lang, e)),
            }
        }
        if !dirs.is_empty() {
            items.push(Item::new(What::CopyUpDir, dirs.join(", ")).on(dirs_from));
        }
        let changed = ran.file_events().any(writes);
        if let (true, Ok(c)) = (changed, session.host.container(container)) {
            items.push(Item::new(
                What::SizeNow,
                format!("{} · SIZE {}", c.name, size(c.size_rw())),
            ));
            let mut others: Vec<&str> = session
                .host
                .containers()
                .iter()
                .filter(|o| o.image == c.image && o.id != c.id)
                .map(|o| o.name.as_str())
                .collect();
            let image = session
                .host
                .tags_of(&c.image)
                .first()
                .map(|r| r.to_string())
                .unwrap_or_else(|| c.image.short().to_owned());
            others.insert(0, &image);
            items.push(Item::new(What::Unchanged, others.join(comma(lang))));
        }
    }
    let quiet = ran.build_steps().next().is_some() || ran.pulled_layers().next().is_some();
    items.extend(
        ran.host_events()
            .filter(|e| !(quiet && matches!(e, HostEvent::LayerCreated { .. })))
            .filter_map(host_item),
    );
    let more = items.len().saturating_sub(MOST) + skipped;
    if more > 0 {
        items.truncate(MOST);
        items.push(Item::new(What::More, more.to_string()));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    fn after(lines: &[&str]) -> (Workspace, Vec<Item>) {
        let w = Workspace::replay(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>());
        let items = w
            .console
            .last
            .as_ref()
            .map(|(_, t)| activity(&w.session, Lang::En, t))
            .unwrap_or_default();
        (w, items)
    }

    fn kinds(items: &[Item]) -> Vec<What> {
        items.iter().map(|i| i.what).collect()
    }

    #[test]
    fn each_command_says_what_it_did() {
        use What::*;
        // (commands, what the last one did)
        let cases: &[(&[&str], &[What])] = &[
            (
                &["docker pull nginx", "docker pull python:3-slim"],
                &[
                    AlreadyExists,
                    Downloaded,
                    Downloaded,
                    Manifest,
                    ImageCreated,
                    ImageTagged,
                ],
            ),
            (
                &[
                    "docker pull busybox",
                    "docker run -d --name web busybox sleep 99",
                    "docker exec web cat /etc/passwd",
                ],
                &[Read],
            ),
            (
                &[
                    "docker pull busybox",
                    "docker run -d --name web busybox sleep 99",
                    "docker exec web sh -c 'echo x >> /etc/passwd'",
                ],
                &[CopyUp, Written, CopyUpDir, SizeNow, Unchanged],
            ),
            (
                &[
                    "docker pull busybox",
                    "docker run -d --name web busybox sleep 99",
                    "docker exec web rm /etc/passwd",
                ],
                &[Whiteout, CopyUpDir, SizeNow, Unchanged],
            ),
            (
                &[
                    "docker pull busybox",
                    "docker run -d --name web busybox sleep 99",
                    "docker exec web sh -c 'rm -r /etc && mkdir /etc'",
                ],
                &[],
            ),
            (&["docker build -t app ."], &[]),
            (
                &["docker pull busybox", "docker create --name box busybox"],
                &[ContainerCreated],
            ),
        ];
        for (lines, want) in cases {
            let (_, items) = after(lines);
            if want.is_empty() {
                assert!(!items.is_empty(), "{lines:?} says nothing");
                continue;
            }
            assert_eq!(kinds(&items), *want, "{lines:?}: {items:#?}");
        }
    }

    #[test]
    fn past_forty_items_the_rest_are_counted() {
        let dirs: Vec<String> = (1..=60).map(|n| format!("/d{n}")).collect();
        let make = format!("docker exec box mkdir {}", dirs.join(" "));
        let (_, items) = after(&["docker run -d --name box busybox sleep 1d", &make]);
        assert_eq!(items.len(), MOST + 1);
        assert!(items[..MOST].iter().all(|i| i.what == What::Created));
        let more = items.last().expect("more");
        // 60 directories, the new SIZE and what stayed unchanged: 62, of which 40 shown.
        assert_eq!((more.what, more.detail.as_str()), (What::More, "22"));
    }

    #[test]
    fn a_copy_up_names_the_layer_and_the_whole_size_and_the_others_stay_unchanged() {
        let (_, items) = after(&[
            "docker pull busybox",
            "docker run -d --name one busybox sleep 99",
            "docker run -d --name two busybox sleep 99",
            "docker exec one sh -c 'echo >> /bin/busybox'",
        ]);
        let copy = items
            .iter()
            .find(|i| i.what == What::CopyUp && i.detail.starts_with("file "))
            .expect("the file's copy-up");
        assert!(copy.layer.is_some());
        assert!(
            copy.detail.starts_with("file /bin/busybox · "),
            "{}",
            copy.detail
        );
        assert!(
            copy.detail.contains("ADD "),
            "names the layer by its instruction: {}",
            copy.detail
        );
        let size = items
            .iter()
            .find(|i| i.what == What::SizeNow)
            .expect("size");
        assert!(size.detail.starts_with("one · SIZE "), "{}", size.detail);
        let same = items
            .iter()
            .find(|i| i.what == What::Unchanged)
            .expect("unchanged");
        assert_eq!(same.detail, "busybox:latest, two");
    }

    #[test]
    fn builds_list_their_steps_cached_or_not_and_a_failure_names_its_line() {
        let (_, first) = after(&["docker build -t app ."]);
        assert!(first.iter().any(|i| i.what == What::StepLayer));
        assert!(first.iter().all(|i| i.what != What::StepCached));
        let (_, again) = after(&["docker build -t app .", "docker build -t app ."]);
        assert!(again.iter().any(|i| i.what == What::StepCached));
        let (_, failed) = after(&[
            "printf 'FROM busybox\\nRUN false\\n' > Dockerfile",
            "docker build -t app .",
        ]);
        let f = failed
            .iter()
            .find(|i| i.what == What::StepFailed)
            .expect("failed step");
        assert!(
            f.detail.ends_with("exit code: 1 · Dockerfile:2"),
            "{}",
            f.detail
        );
    }
}

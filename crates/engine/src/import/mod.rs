//! Importing real image archives: what `docker save` writes (Docker 25+'s OCI
//! layout with `manifest.json` and `repositories`, and the older
//! `<id>/layer.tar` layout) and OCI image layouts in a tar (skopeo, buildah,
//! umoci), with uncompressed, gzip or zstd layers (a layer's compression is
//! told by its first bytes, whatever its media type says).
//!
//! The [`Importer`] is pushed slices of the archive, of any size, and never
//! holds it whole: the browser reads a `File` in slices and hands each one
//! over between frames. Since a `docker save` tar may put `manifest.json`
//! after the blobs, every member is read the same way as it streams: its
//! digest is computed, and a member that starts like a tar (or gzip of one)
//! is summarised into a [`Diff`](crate::diff::Diff) ([`layer_tar`]); small
//! JSON members are kept. Which blob is a layer and which is a config is
//! decided at [`Importer::finish`] ([`resolve`]), where every digest is
//! checked: blob names, descriptor sizes, DiffIDs, the config's digest.
//!
//! Nothing here panics or loops on hostile input: limits ([`Limits`]) bound
//! entries, sizes and JSON, and every failure is an [`ImportError`].
//!
//! Architecture invariant: importing knows nothing of the host; [`load`]
//! turns its result into layers and images of a [`Host`](crate::host::Host).

mod error;
pub mod gunzip;
pub mod layer_tar;
mod load;
mod resolve;
pub mod tar_stream;
pub mod unzstd;

pub use error::ImportError;
pub use layer_tar::{LayerSummary, SMALL_TEXT};
pub use load::{load, parse_rfc3339, Loaded};
pub use resolve::{Format, ImportedImage, ImportedLayer};

use crate::digest::{Digest, Hasher};
use crate::map::Map;
use gunzip::Gunzip;
use layer_tar::{LayerTar, Totals};
use tar_stream::{EntryKind, TarEvent, TarStream};
use unzstd::Unzstd;

/// Bounds on what one import may describe: a tar bomb is refused, not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Entries in all layers together.
    pub max_entries: u64,
    /// Sizes of all regular files in all layers together (described, not held).
    pub max_file_bytes: u64,
    /// Uncompressed layer tars together (each byte is hashed).
    pub max_tar_bytes: u64,
    /// A JSON member (manifest, index, config).
    pub max_json: u64,
    /// Members of the archive itself.
    pub max_members: u64,
    /// The largest zstd window (the history a zstd decoder keeps in memory).
    pub max_zstd_window: u64,
    /// How many times its compressed size a zstd stream may grow (16 MiB
    /// more are always allowed): a zstd bomb is refused, not read.
    pub max_zstd_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 1_000_000,
            max_file_bytes: 64 << 30,
            max_tar_bytes: 16 << 30,
            max_json: 4 << 20,
            max_members: 100_000,
            // zstd's own decoder refuses more than 128 MiB unless told; Docker's
            // encoder writes 8 MiB windows and `zstd -19` 8 MiB.
            max_zstd_window: 32 << 20,
            // gzip cannot grow more than 1032 times.
            max_zstd_ratio: 1024,
        }
    }
}

/// How far an import has got, after each slice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of the archive read.
    pub bytes: u64,
    /// Members of the archive seen.
    pub members: u64,
    /// Entries read inside layers.
    pub layer_entries: u64,
}

/// How a layer blob is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// What one archive member turned out to be.
#[derive(Clone, Debug)]
pub enum BlobKind {
    /// Small data kept whole: JSON files and anything that is not a tar.
    Data(Vec<u8>),
    Layer {
        summary: LayerSummary,
        compression: Compression,
    },
    /// Too large to keep and not a layer.
    Other,
}

/// An archive member: its digest, size and what it holds.
#[derive(Clone, Debug)]
pub struct Blob {
    pub digest: Digest,
    pub size: u64,
    pub kind: BlobKind,
}

/// How the current member is being read.
enum Reader {
    /// Its first bytes, until they say what it is.
    Sniffing(Vec<u8>),
    Data(Vec<u8>),
    Tar(Box<LayerTar>),
    Gzip(Box<Gunzip>, Box<LayerTar>),
    Zstd(Box<Unzstd>, Box<LayerTar>),
    Other,
}

struct Member {
    name: String,
    /// `None` when the caller hashes the member ([`Importer::hashing_outside`]).
    hasher: Option<Hasher>,
    size: u64,
    reader: Reader,
}

/// Where a member's bytes lie in the archive, for a caller that hashes them
/// itself ([`Importer::hashing_outside`]): `size` bytes from byte `offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub name: String,
    pub offset: u64,
    pub size: u64,
}

/// How the archive's own bytes are read.
enum Outer {
    /// Its first bytes, until they say whether it is compressed.
    Sniffing(Vec<u8>),
    Tar,
    Gzip(Box<Gunzip>),
    Zstd(Box<Unzstd>),
}

/// A streaming import. Feed it the archive's bytes in order, in slices of
/// any size (the browser reads a `File` with `Blob.slice` and feeds each
/// slice between frames), then finish and load the images into a host:
///
/// ```
/// use layerlab_engine::host::Host;
/// use layerlab_engine::import::{self, Importer};
///
/// # fn archive() -> Vec<u8> { layerlab_engine::save::save(&Host::new(), &[], 0).unwrap().to_vec() }
/// let file: Vec<u8> = archive();
/// let mut importer = Importer::new();
/// for slice in file.chunks(256 * 1024) {
///     let progress = importer.feed(slice)?; // bytes, members, layer entries so far
///     let _ = progress.bytes;
/// }
/// let imported = importer.finish()?; // every digest checked here
/// let mut host = Host::new();
/// let outcome = import::load(&mut host, &imported);
/// for loaded in &outcome.value {
///     let _lines: Vec<String> = loaded.lines(); // "Loaded image: busybox:latest"
/// }
/// # Ok::<(), import::ImportError>(())
/// ```
pub struct Importer {
    limits: Limits,
    mode: Outer,
    outer: TarStream,
    member: Option<Member>,
    blobs: Map<String, Blob>,
    /// Members that are links to other members (the older layout's
    /// `<id>/layer.tar -> ../<digest>.tar`): name → target's name.
    links: Map<String, String>,
    totals: Totals,
    progress: Progress,
    failed: bool,
    /// Whether the caller hashes members (only when the archive is an
    /// uncompressed tar, whose members are byte ranges of the file).
    outside: bool,
    /// Members the caller hashes, not yet taken by [`Importer::take_spans`].
    spans: Vec<Span>,
    /// Members whose digest the caller gives at [`Importer::finish_with`]:
    /// name → where their bytes start.
    pending: Vec<(String, u64)>,
}

impl Default for Importer {
    fn default() -> Self {
        Importer::new()
    }
}

const SNIFF: usize = 512;
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

impl Importer {
    pub fn new() -> Self {
        Importer::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        Importer {
            limits,
            mode: Outer::Sniffing(Vec::new()),
            outer: TarStream::new(),
            member: None,
            blobs: Map::new(),
            links: Map::new(),
            totals: Totals::default(),
            progress: Progress::default(),
            failed: false,
            outside: false,
            spans: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// An import whose members' SHA-256 the caller computes from the file,
    /// in parallel with the reading (a thread natively, workers in the
    /// browser): after each [`Importer::feed`], [`Importer::take_spans`] says
    /// which byte ranges to hash, and [`Importer::finish_with`] takes their
    /// digests. Hashing is most of an import's work, so this about halves it
    /// on two cores. An archive that is itself compressed has no such
    /// ranges: its members are hashed here, as by [`Importer::new`].
    pub fn hashing_outside(limits: Limits) -> Self {
        Importer {
            outside: true,
            ..Importer::with_limits(limits)
        }
    }

    /// Whether members are hashed by the caller: asked for, and the archive
    /// turned out to be an uncompressed tar (false until its first bytes).
    pub fn hashes_outside(&self) -> bool {
        self.outside && matches!(self.mode, Outer::Tar)
    }

    /// The members begun since the last call whose digests the caller
    /// computes, in archive order.
    pub fn take_spans(&mut self) -> Vec<Span> {
        std::mem::take(&mut self.spans)
    }

    /// Reads the next slice of the archive. Slices may be any size; the work
    /// done is proportional to the slice, so a caller that must stay
    /// responsive feeds small ones. After an error, the import is over.
    pub fn feed(&mut self, data: &[u8]) -> Result<Progress, ImportError> {
        if self.failed {
            return Err(ImportError::Finished);
        }
        let r = self.feed_inner(data);
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn feed_inner(&mut self, data: &[u8]) -> Result<Progress, ImportError> {
        self.progress.bytes += data.len() as u64;
        if let Outer::Sniffing(head) = &mut self.mode {
            head.extend_from_slice(data);
            if head.len() < 4 {
                return Ok(self.progress);
            }
            let head = std::mem::take(head);
            self.decide(&head)?;
            self.pass(&head)?;
        } else {
            self.pass(data)?;
        }
        self.progress.layer_entries = self.totals.entries;
        Ok(self.progress)
    }

    /// How the archive itself is compressed, from its first bytes
    /// (`docker save … | gzip > image.tar.gz` is what `docker load` takes too).
    fn decide(&mut self, head: &[u8]) -> Result<(), ImportError> {
        self.mode = if head.starts_with(&[0x1f, 0x8b]) {
            Outer::Gzip(Box::default())
        } else if head.starts_with(&ZSTD_MAGIC) {
            Outer::Zstd(Box::new(Unzstd::new(
                self.limits.max_zstd_window,
                self.limits.max_zstd_ratio,
            )))
        } else {
            Outer::Tar
        };
        // Offsets in a decompressed stream are not offsets in the file.
        self.outside &= matches!(self.mode, Outer::Tar);
        Ok(())
    }

    fn pass(&mut self, data: &[u8]) -> Result<(), ImportError> {
        match std::mem::replace(&mut self.mode, Outer::Tar) {
            Outer::Gzip(mut gz) => {
                let r = gz
                    .feed(data, &mut |out| self.feed_tar(out))
                    .map_err(|e| name_gzip(e, "the archive"));
                self.mode = Outer::Gzip(gz);
                r
            }
            Outer::Zstd(mut zs) => {
                let r = zs
                    .feed(data, &mut |out| self.feed_tar(out))
                    .map_err(|e| name_gzip(e, "the archive"));
                self.mode = Outer::Zstd(zs);
                r
            }
            other => {
                self.mode = other;
                self.feed_tar(data)
            }
        }
    }

    fn feed_tar(&mut self, data: &[u8]) -> Result<(), ImportError> {
        let Importer {
            limits,
            outer,
            member,
            blobs,
            links,
            totals,
            progress,
            outside,
            spans,
            pending,
            ..
        } = self;
        outer.feed(data, &mut |event| match event {
            TarEvent::Header(h) => {
                progress.members += 1;
                if progress.members > limits.max_members {
                    return Err(ImportError::TooLarge {
                        what: "an archive with this many members",
                        limit: limits.max_members,
                    });
                }
                let name = crate::archive::clean_name(&h.name);
                match &h.kind {
                    EntryKind::Symlink(target) => {
                        let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
                        let resolved = resolve_relative(dir, target);
                        links.insert(name.clone(), resolved);
                    }
                    EntryKind::HardLink(target) => {
                        links.insert(name.clone(), crate::archive::clean_name(target));
                    }
                    _ => {}
                }
                if h.kind != EntryKind::File {
                    *member = None;
                    return Ok(());
                }
                if *outside {
                    spans.push(Span {
                        name: name.clone(),
                        offset: h.data_at,
                        size: h.size,
                    });
                    pending.push((name.clone(), h.data_at));
                }
                *member = Some(Member {
                    name,
                    hasher: (!*outside).then(Hasher::new),
                    size: 0,
                    reader: Reader::Sniffing(Vec::new()),
                });
                Ok(())
            }
            TarEvent::Data(d) => match member {
                Some(m) => m.feed(d, totals, limits),
                None => Ok(()),
            },
            TarEvent::End => match member.take() {
                Some(m) => {
                    let (name, blob) = m.finish(totals, limits)?;
                    blobs.insert(name, blob);
                    Ok(())
                }
                None => Ok(()),
            },
        })
    }

    /// Ends the import: checks that the archive is whole, then reads its
    /// manifests and checks every digest.
    pub fn finish(self) -> Result<Imported, ImportError> {
        self.finish_with(&Map::new())
    }

    /// [`Importer::finish`] for an import [hashed outside](Importer::hashing_outside):
    /// `digests` holds the SHA-256 of every span, by its offset.
    pub fn finish_with(mut self, digests: &Map<u64, Digest>) -> Result<Imported, ImportError> {
        if self.failed {
            return Err(ImportError::Finished);
        }
        match std::mem::replace(&mut self.mode, Outer::Tar) {
            Outer::Sniffing(head) => self.feed_tar(&head)?,
            Outer::Gzip(gz) => gz.finish().map_err(|e| name_gzip(e, "the archive"))?,
            Outer::Zstd(zs) => zs.finish().map_err(|e| name_gzip(e, "the archive"))?,
            Outer::Tar => {}
        }
        // Less than one header: whatever it is, it is not a tar.
        if self.progress.bytes == 0 || (self.outer.entries() == 0 && !self.outer.ended()) {
            return Err(ImportError::NotTar { at: 0 });
        }
        self.outer.finish()?;
        // Digests given from outside, once the archive is known to be whole
        // (a member cut short has none, and the cut is the problem to name).
        for (name, at) in std::mem::take(&mut self.pending) {
            let Some(digest) = digests.get(&at) else {
                return Err(ImportError::DigestNotGiven { blob: name });
            };
            if let Some(blob) = self.blobs.get_mut(&name) {
                blob.digest = digest.clone();
                // An uncompressed layer's DiffID is its blob's digest.
                if let BlobKind::Layer {
                    summary,
                    compression: Compression::None,
                } = &mut blob.kind
                {
                    summary.diff_id = digest.clone();
                }
            }
        }
        for (name, target) in self.links.iter() {
            if let Some(blob) = self.blobs.get(target).cloned() {
                self.blobs.insert(name.clone(), blob);
            }
        }
        let images = resolve::resolve(&self.blobs)?;
        Ok(Imported {
            format: resolve::format(&self.blobs),
            images,
            blobs: self.blobs,
        })
    }

    /// Imports a whole archive held in memory (tests and the CLI's small files).
    pub fn import(data: &[u8]) -> Result<Imported, ImportError> {
        let mut importer = Importer::new();
        importer.feed(data)?;
        importer.finish()
    }
}

impl Member {
    fn feed(
        &mut self,
        mut d: &[u8],
        totals: &mut Totals,
        limits: &Limits,
    ) -> Result<(), ImportError> {
        if let Some(h) = &mut self.hasher {
            h.update(d);
        }
        self.size += d.len() as u64;
        if let Reader::Sniffing(head) = &mut self.reader {
            let take = (SNIFF - head.len()).min(d.len());
            head.extend_from_slice(&d[..take]);
            d = &d[take..];
            if head.len() < SNIFF {
                return Ok(());
            }
            let head = std::mem::take(head);
            self.reader = sniff(&self.name, &head, limits);
            self.pass(&head, totals, limits)?;
        }
        self.pass(d, totals, limits)
    }

    fn pass(&mut self, d: &[u8], totals: &mut Totals, limits: &Limits) -> Result<(), ImportError> {
        match &mut self.reader {
            Reader::Sniffing(_) | Reader::Other => Ok(()),
            Reader::Data(bytes) => {
                if (bytes.len() + d.len()) as u64 > limits.max_json {
                    self.reader = Reader::Other;
                } else {
                    bytes.extend_from_slice(d);
                }
                Ok(())
            }
            Reader::Tar(layer) => layer.feed(d, totals, limits),
            Reader::Gzip(gz, layer) => gz
                .feed(d, &mut |out| layer.feed(out, totals, limits))
                .map_err(|e| name_gzip(e, &self.name)),
            Reader::Zstd(zs, layer) => zs
                .feed(d, &mut |out| layer.feed(out, totals, limits))
                .map_err(|e| name_gzip(e, &self.name)),
        }
    }

    fn finish(
        mut self,
        totals: &mut Totals,
        limits: &Limits,
    ) -> Result<(String, Blob), ImportError> {
        if let Reader::Sniffing(head) = &mut self.reader {
            let head = std::mem::take(head);
            self.reader = sniff(&self.name, &head, limits);
            self.pass(&head, totals, limits)?;
        }
        // A member hashed outside gets its digest at `finish_with`.
        let digest = self.hasher.map_or_else(|| Digest::of(b""), Hasher::finish);
        let kind = match self.reader {
            Reader::Sniffing(_) | Reader::Other => BlobKind::Other,
            Reader::Data(bytes) => BlobKind::Data(bytes),
            Reader::Tar(layer) => BlobKind::Layer {
                summary: layer.finish_as(digest.clone())?,
                compression: Compression::None,
            },
            Reader::Gzip(gz, layer) => {
                gz.finish().map_err(|e| name_gzip(e, &self.name))?;
                BlobKind::Layer {
                    summary: layer.finish()?,
                    compression: Compression::Gzip,
                }
            }
            Reader::Zstd(zs, layer) => {
                zs.finish().map_err(|e| name_gzip(e, &self.name))?;
                BlobKind::Layer {
                    summary: layer.finish()?,
                    compression: Compression::Zstd,
                }
            }
        };
        let blob = Blob {
            digest,
            size: self.size,
            kind,
        };
        Ok((self.name, blob))
    }
}

/// A gzip or zstd error with the blob it was found in.
fn name_gzip(e: ImportError, name: &str) -> ImportError {
    match e {
        ImportError::Gzip { blob, problem } if blob.is_empty() => ImportError::Gzip {
            blob: name.to_owned(),
            problem,
        },
        ImportError::Zstd { blob, problem } if blob.is_empty() => ImportError::Zstd {
            blob: name.to_owned(),
            problem,
        },
        e => e,
    }
}

/// What a member is, from its first bytes (up to 512).
fn sniff(name: &str, head: &[u8], limits: &Limits) -> Reader {
    if head.starts_with(&[0x1f, 0x8b]) {
        return Reader::Gzip(Box::default(), Box::new(LayerTar::new(name)));
    }
    if head.starts_with(&ZSTD_MAGIC) {
        return Reader::Zstd(
            Box::new(Unzstd::new(limits.max_zstd_window, limits.max_zstd_ratio)),
            Box::new(LayerTar::new(name)),
        );
    }
    let tar_like =
        head.len() == SNIFF && (tar_stream::checksum_ok(head) || head.iter().all(|&b| b == 0));
    if tar_like {
        return Reader::Tar(Box::new(LayerTar::uncompressed(name)));
    }
    if head.len() as u64 > limits.max_json {
        Reader::Other
    } else {
        Reader::Data(Vec::new())
    }
}

/// A finished import: the images found, with every blob read.
#[derive(Clone, Debug)]
pub struct Imported {
    pub format: Format,
    pub images: Vec<ImportedImage>,
    /// Every member by its name in the archive.
    pub blobs: Map<String, Blob>,
}

/// Reads a whole archive given as slices (the same import, whatever the cut).
pub fn import_slices<'a>(
    slices: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Imported, ImportError> {
    let mut importer = Importer::new();
    for s in slices {
        importer.feed(s)?;
    }
    importer.finish()
}

/// `target` seen from the directory `dir` of the archive, `..` applied; a
/// target that climbs above the archive's root stays at the root.
fn resolve_relative(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

impl ImportedImage {
    /// How well the image uses its bytes, layer by layer, each layer named by
    /// the instruction its history gives (what `layerlab inspect` and the
    /// app's analysis pane show).
    pub fn efficiency(&self) -> crate::efficiency::Analysis {
        use crate::efficiency::{analyse, instructions, LayerInput};
        let named = instructions(&self.config.history, self.layers.len());
        let inputs: Vec<LayerInput<'_>> = self
            .layers
            .iter()
            .zip(named)
            .map(|(l, instruction)| LayerInput {
                diff: &l.summary.diff,
                instruction,
            })
            .collect();
        analyse(&inputs)
    }
}

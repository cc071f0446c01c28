//! A pure, deterministic simulator of a Docker host's storage: layers, the
//! union file system, containers and copy-on-write, image identity and sizes.
//!
//! The engine never reads a clock, a random number generator or the outside
//! world: time is a logical clock and every "random" ID derives from state, so
//! the same inputs give the same bytes and digests natively and in wasm.
//!
//! # Layout
//! - `path`, `error`: resolved paths and errno-named errors.
//! - `content`: file bytes, typed or described (generated on demand).
//! - `diff`: one layer's changes: entries, inodes, whiteouts, opaque dirs.
//! - `layer`, `lower`: read-only layers and the merged index of a stack.
//! - `merged`: a container's view: lower stack + writable upper, copy-on-write.
//! - `map`: small ordered maps and sets as sorted vectors (less code than B-trees).
//! - `event`: what each operation did, for the app to animate.
//! - `tar`, `digest`: layer tars, DiffIDs, ChainIDs.
//! - `archive`: tar and gzip files a user makes and unpacks (`tar`, ADD).
//! - `gzip`: the gzip format and CRC-32 around DEFLATE (blobs, `tar -z`, the app's links).
//! - `manifest`: gzip blobs, blob digests, the image manifest and its digest.
//! - `fixture`: layers and trees described as text (tests and teaching images).
//! - `image`, `reference`: image configs, IDs and tags.
//! - `catalog`, `registry`: the teaching images, and `docker pull` from a simulated registry.
//! - `pull_timeline`: a pull's per-layer progress by tick (three downloads at once, extraction bottom first).
//! - `host`: images, containers, the layer store; sizes, `docker diff`, commit.
//! - `changes`: `docker diff`'s A/C/D list; `change`: `docker commit --change`.
//! - `layer_diff`: what an image layer changes below it (added, changed, whiteout, opaque).
//! - `writable`: what a container's writable layer holds (copy-ups, new files, whiteouts).
//! - `dockerfile`: the Dockerfile parser (never fails; diagnostics with line, column, hint).
//! - `budget`: the work one command line may do (steps, bytes, nesting).
//! - `command`: the command language (`docker …` lines) over a host and its registry.
//! - `clock`: logical time, RFC 3339 dates, Docker's human durations.
//! - `storage`: `/var/lib/docker` as overlay2, aufs or vfs lay it out.
//! - `size`: Docker's human-readable sizes; `sort`: one small stable sort for every type.

pub mod archive;
pub mod budget;
pub mod build;
pub mod catalog;
pub mod change;
pub mod changes;
pub mod clock;
pub mod command;
pub mod content;
pub mod diff;
pub mod digest;
pub mod dockerfile;
pub mod efficiency;
pub mod error;
pub mod event;
pub mod fixture;
pub mod gzip;
pub mod hashing;
pub mod health;
pub mod host;
pub mod image;
pub mod import;
pub mod layer;
pub mod layer_diff;
pub mod lower;
pub mod manifest;
pub mod map;
pub mod merged;
pub mod note;
pub mod path;
pub mod pull_timeline;
pub mod reference;
pub mod registry;
pub mod save;
pub mod shell;
pub mod size;
pub mod sort;
pub mod storage;
pub mod table;
pub mod tar;
pub mod writable;

//! A pure, deterministic simulator of a Docker host's storage: layers, the
//! union file system, containers and copy-on-write, image identity and sizes.
//!
//! The engine never reads a clock, a random number generator or the outside
//! world: time is a logical clock and every "random" ID derives from state, so
//! the same inputs give the same bytes and digests natively and in wasm.

pub mod size;

//! Content digests: `sha256:<hex>`, DiffIDs and ChainIDs.

use sha2::{Digest as _, Sha256};
use std::fmt;

/// DiffID of the empty layer tar (1024 zero bytes).
pub const EMPTY_TAR_DIFF_ID: &str =
    "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

/// A content digest, always `sha256:` followed by 64 lower-case hex digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(String);

impl Digest {
    pub fn of(bytes: &[u8]) -> Digest {
        let mut h = Hasher::new();
        h.update(bytes);
        h.finish()
    }

    /// Reads `sha256:<64 hex>`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Digest> {
        let hex = text.strip_prefix("sha256:")?;
        (hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| Digest(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 64 hex digits.
    pub fn hex(&self) -> &str {
        self.0.strip_prefix("sha256:").unwrap_or(&self.0)
    }

    /// The first 12 hex digits, as Docker's tables show IDs (`TruncateID`).
    pub fn short(&self) -> &str {
        let hex = self.hex();
        &hex[..hex.len().min(12)]
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Streaming SHA-256.
#[derive(Default)]
pub struct Hasher(Sha256);

impl Hasher {
    pub fn new() -> Self {
        Hasher(Sha256::new())
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(self) -> Digest {
        let out = self.0.finalize();
        let mut s = String::with_capacity(71);
        s.push_str("sha256:");
        for b in out {
            s.push(char::from(b"0123456789abcdef"[(b >> 4) as usize]));
            s.push(char::from(b"0123456789abcdef"[(b & 15) as usize]));
        }
        Digest(s)
    }
}

/// ChainIDs of a stack of DiffIDs, bottom first (OCI image spec, `identity.ChainIDs`):
/// `ChainID(L0) = DiffID(L0)`, `ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln))`.
pub fn chain_ids(diff_ids: &[Digest]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(parent) => Digest::of(format!("{parent} {d}").as_bytes()),
        };
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_tar_digest_is_sha256_of_1024_zero_bytes() {
        assert_eq!(Digest::of(&[0u8; 1024]).as_str(), EMPTY_TAR_DIFF_ID);
    }

    #[test]
    fn chain_ids_match_the_reference_vectors() {
        let e = Digest::parse(EMPTY_TAR_DIFF_ID).expect("valid");
        let ids = chain_ids(&[e.clone(), e.clone(), e]);
        let shown: Vec<&str> = ids.iter().map(Digest::as_str).collect();
        assert_eq!(
            shown,
            [
                "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
                "sha256:170b376f64fb30995c140276be3d71dfb256b308d86183ca3b22aa93a79ad548",
                "sha256:7800f80a93336d416612f372faa5f69eb67b353ce6ae9535fa0848f8784c74b1",
            ]
        );
    }

    #[test]
    fn parse_accepts_only_full_sha256_digests() {
        assert!(Digest::parse(EMPTY_TAR_DIFF_ID).is_some());
        for bad in [
            "",
            "sha256:",
            "sha256:5F70",
            "md5:00",
            &EMPTY_TAR_DIFF_ID.replace('5', "g"),
        ] {
            assert!(Digest::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(
            Digest::parse(EMPTY_TAR_DIFF_ID)
                .map(|d| d.short().to_owned())
                .as_deref(),
            Some("5f70bf18a086")
        );
    }
}

//! `docker pull`'s progress, layer by layer, as a timeline of ticks: what the
//! app animates after a pull. The daemon downloads at most
//! `max-concurrent-downloads` (3 by default) layers at once, the layer that
//! frees a slot first takes the next one, bigger layers take longer; layers
//! are then extracted one after another, bottom first, since each one is
//! unpacked over the ones below it. A layer the host has by ChainID is
//! `Already exists` from the start.

/// Docker's default `max-concurrent-downloads`.
pub const DOWNLOADS_AT_ONCE: usize = 3;

/// One pulled layer at one tick of the pull.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PullAt {
    /// Docker's progress word (`Downloading`, `Pull complete`, `Already exists` …).
    pub state: &'static str,
    /// How much of the layer is downloaded.
    pub percent: u8,
}

/// Where each pulled layer (`(size, downloaded)`, bottom first) is at `tick`,
/// and the tick at which the whole pull is complete.
pub fn progress(layers: &[(u64, bool)], tick: u32) -> (Vec<PullAt>, u32) {
    let mut slots = [0u32; DOWNLOADS_AT_ONCE];
    let mut extracted = 0u32;
    let mut at = Vec::with_capacity(layers.len());
    for &(size, downloaded) in layers {
        if !downloaded {
            at.push(PullAt {
                state: "Already exists",
                percent: 100,
            });
            continue;
        }
        // The slot that frees first takes the next layer.
        let slot =
            (0..slots.len()).fold(0, |best, k| if slots[k] < slots[best] { k } else { best });
        let start = slots[slot].max(1);
        let took = (size / 4_000_000).clamp(2, 8) as u32;
        let end = start + took;
        slots[slot] = end;
        let from = end.max(extracted);
        extracted = from + 2;
        let (state, percent) = match tick {
            0 => ("Pulling fs layer", 0),
            t if t < start => ("Waiting", 0),
            t if t < end => ("Downloading", ((t - start) * 100 / took) as u8),
            t if t < from => ("Download complete", 100),
            t if t < extracted => ("Extracting", 100),
            _ => ("Pull complete", 100),
        };
        at.push(PullAt { state, percent });
    }
    (at, extracted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulls_download_three_at_a_time_and_extract_bottom_first() {
        let mb = 1_000_000;
        // The nginx pull over a host that has Debian: one layer exists, five come down.
        let layers = [
            (29 * mb, false),
            (41 * mb, true),
            (900, true),
            (600, true),
            (1_200, true),
            (1_400, true),
        ];
        let states =
            |tick| -> Vec<&str> { progress(&layers, tick).0.iter().map(|p| p.state).collect() };
        let (_, done) = progress(&layers, 0);
        assert_eq!(states(0)[1..], ["Pulling fs layer"; 5]);
        assert_eq!(states(0)[0], "Already exists");
        assert_eq!(
            states(1)[1..],
            [
                "Downloading",
                "Downloading",
                "Downloading",
                "Waiting",
                "Waiting"
            ]
        );
        assert_eq!(
            states(done - 1)[1..5],
            ["Pull complete"; 4],
            "extraction goes bottom first"
        );
        assert_eq!(states(done - 1)[5], "Extracting");
        assert_eq!(
            states(done),
            [
                "Already exists",
                "Pull complete",
                "Pull complete",
                "Pull complete",
                "Pull complete",
                "Pull complete"
            ]
        );
        // The big layer is still downloading when the small ones are done, and
        // nothing above it is extracted before it.
        let mid = progress(&layers, 5).0;
        assert_eq!(mid[1].state, "Downloading");
        assert!(mid[1].percent > 0 && mid[1].percent < 100, "{:?}", mid[1]);
        assert!(mid[2..]
            .iter()
            .all(|p| p.state != "Extracting" && p.state != "Pull complete"));
    }
}

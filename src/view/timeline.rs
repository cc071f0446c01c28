//! "What happened": how far the animation of one command's items has gone,
//! the build step it shows, the timeline's caption, and how long things take
//! at the speed chosen.

use crate::i18n::{colon, t, Lang, Msg};
use crate::view::activity::{Item, What};
use layerlab_engine::pull_timeline;
use std::time::Duration;

/// The pause after a command's items have all been shown, before the next
/// command plays (timeline and lesson playback), at normal speed.
pub const PLAY_MS: u64 = 1200;

/// `ms` at normal speed, scaled for `speed` percent.
pub fn scaled(ms: u64, speed: u32) -> Duration {
    Duration::from_millis(ms * 100 / u64::from(speed.max(1)))
}

/// The ticks of one command's items: the pulled layers' progress first, then
/// one item per tick.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    /// Each pulled layer's size, and whether it was downloaded (not `Already exists`).
    pub pulls: Vec<(u64, bool)>,
    /// The tick at which every pull is complete.
    pub pulled_at: u32,
    /// The items other than pulls.
    pub others: usize,
    /// The tick at which everything is shown.
    pub end: u32,
}

impl Reveal {
    pub fn of(items: &[Item]) -> Reveal {
        let pulls: Vec<(u64, bool)> = items
            .iter()
            .filter_map(|i| i.pull.map(|size| (size, i.what == What::Downloaded)))
            .collect();
        let (_, pulled_at) = pull_timeline::progress(&pulls, 0);
        let others = items.len() - pulls.len();
        Reveal {
            end: pulled_at + others as u32,
            pulls,
            pulled_at,
            others,
        }
    }

    /// The build step on show at tick `at`, for the editor (its line, and
    /// whether it failed): the last one revealed while the animation runs;
    /// afterwards only a failed one.
    pub fn build_step(&self, items: &[Item], at: u32) -> Option<(usize, bool)> {
        let shown = (at.saturating_sub(self.pulled_at) as usize + 1).min(self.others);
        let last = items
            .iter()
            .filter(|i| i.pull.is_none())
            .take(shown)
            .filter_map(|i| i.line.map(|l| (l, i.what == What::StepFailed)))
            .last();
        match last {
            Some((line, failed)) if failed || at < self.end => Some((line, failed)),
            _ => None,
        }
    }
}

/// "At 2/5: docker ps", or where the slider is being dragged to.
pub fn caption(
    lang: Lang,
    (now, total): (usize, usize),
    dragged: Option<usize>,
    line: Option<&str>,
) -> String {
    let at = t(lang, Msg::TimelineAt);
    match (dragged, line) {
        (Some(to), _) if to != now => format!("{at} {to}/{total} …"),
        (_, Some(l)) => format!("{at} {now}/{total}{}{l}", colon(lang)),
        (_, None) => format!("{at} 0/{total}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    fn items(lines: &[&str]) -> Vec<Item> {
        let lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        let w = Workspace::replay(&lines);
        let (_, ran) = w.console.last.as_ref().expect("a command");
        crate::view::activity::activity(&w.session, Lang::En, ran)
    }

    #[test]
    fn a_build_lights_each_step_while_it_plays_and_only_a_failure_after() {
        let ok = items(&["docker build -t app ."]);
        let r = Reveal::of(&ok);
        assert_eq!((r.pulls.len(), r.pulled_at + r.others as u32), (0, r.end));
        assert!(
            r.build_step(&ok, 0).is_some(),
            "the first step shows at once"
        );
        assert_eq!(
            r.build_step(&ok, r.end),
            None,
            "a good build leaves no mark"
        );
        let failed = items(&[
            "cat > /root/app/Dockerfile <<'EOF'\nFROM busybox\nRUN false\nEOF",
            "docker build -t app .",
        ]);
        let r = Reveal::of(&failed);
        assert_eq!(r.build_step(&failed, r.end), Some((2, true)));
    }

    #[test]
    fn the_caption_says_where_the_timeline_stands() {
        // ((now, total), dragged to, last line, caption)
        let cases = [
            ((0, 0), None, None, "At 0/0"),
            ((2, 3), None, Some("docker ps"), "At 2/3: docker ps"),
            ((2, 3), Some(1), Some("docker ps"), "At 1/3 …"),
            ((2, 3), Some(2), Some("docker ps"), "At 2/3: docker ps"),
        ];
        for (at, dragged, line, want) in cases {
            let at_word = t(Lang::En, Msg::TimelineAt);
            let want = want.replacen("At", at_word, 1);
            assert_eq!(caption(Lang::En, at, dragged, line), want);
        }
    }
}

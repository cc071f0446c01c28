//! Presenter mode's caption: the lesson, its place in the solution and the
//! line that ran last.

use crate::i18n::{t, Lang, Msg};
use crate::lessons::Lesson;

/// "Layers — Step 2/3: docker history ubuntu:15.04", after `step` lines of
/// the lesson's solution.
pub fn caption(l: &Lesson, step: usize, lang: Lang) -> String {
    let shown = step.min(l.solution.len());
    let line = shown
        .checked_sub(1)
        .and_then(|k| l.solution.get(k))
        .map(|c| c.lines().next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    format!(
        "{} — {} {shown}/{}{}{}",
        l.title.get(lang),
        t(lang, Msg::PresenterStep),
        l.solution.len(),
        if line.is_empty() {
            ""
        } else {
            crate::i18n::colon(lang)
        },
        line
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{setup_log, steps_done, LESSONS};
    use crate::workspace::Workspace;

    #[test]
    fn the_caption_names_the_lesson_and_its_last_step() {
        let i = Lesson::by_id("layers").expect("a lesson");
        let l = &LESSONS[i];
        let mut lines = setup_log(l);
        lines.push(l.solution[0].to_owned());
        let step = steps_done(l, &Workspace::replay(&lines).console.log);
        let first = l.solution[0].lines().next().unwrap_or_default();
        let steps = l.solution.len();
        // (step, caption)
        let cases = [
            (
                0,
                format!(
                    "{} — {} 0/{steps}",
                    l.title.get(Lang::En),
                    t(Lang::En, Msg::PresenterStep)
                ),
            ),
            (
                step,
                format!(
                    "{} — {} 1/{steps}: {first}",
                    l.title.get(Lang::En),
                    t(Lang::En, Msg::PresenterStep)
                ),
            ),
        ];
        for (step, want) in cases {
            assert_eq!(caption(l, step, Lang::En), want);
        }
    }
}

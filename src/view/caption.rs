//! Presenter mode's caption: the lesson, its place in the solution and the
//! line that ran last.

use crate::i18n::{t, Lang, Msg};
use crate::state::AppState;

/// "Layers — Step 2/3: docker history ubuntu:15.04", or `None` in the sandbox.
pub fn caption(state: &AppState, lang: Lang) -> Option<String> {
    let l = state.lesson()?;
    let shown = state.step().min(l.solution.len());
    let line = shown
        .checked_sub(1)
        .and_then(|k| l.solution.get(k))
        .map(|c| c.lines().next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    Some(format!(
        "{} — {} {shown}/{}{}{}",
        l.title.get(lang),
        t(lang, Msg::PresenterStep),
        l.solution.len(),
        if line.is_empty() { "" } else { ": " },
        line
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{Lesson, LESSONS};
    use crate::shared::Shared;
    use crate::state::Action;
    use crate::workspace::Workspace;
    use yew::Reducible;

    #[test]
    fn the_caption_names_the_lesson_and_its_last_step() {
        let i = Lesson::by_id("layers").expect("a lesson");
        let l = &LESSONS[i];
        let s = std::rc::Rc::new(AppState::new(Lang::En, Shared::new(Workspace::default())));
        assert_eq!(caption(&s, Lang::En), None);
        let s = s.reduce(Action::Choose(Some(i))).reduce(Action::Step(true));
        let want = format!(
            "{} — {} 1/{}: {}",
            l.title.get(Lang::En),
            t(Lang::En, Msg::PresenterStep),
            l.solution.len(),
            l.solution[0].lines().next().unwrap_or_default()
        );
        assert_eq!(caption(&s, Lang::En).as_deref(), Some(want.as_str()));
    }
}

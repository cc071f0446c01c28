//! The lessons pane: the free sandbox by default, a lesson one choice away.
//! A lesson shows its explanation, its task, hints one at a time, Reset and
//! Show solution (which types the solution's commands into the terminal),
//! and says, with an icon and in words, when the goal is reached.

use crate::components::Ideas;
use crate::hooks::use_lang;
use crate::i18n::{t, Lang, Msg};
use crate::lessons::{Lesson, Quiz, LESSONS};
use crate::state::Action;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    /// The lesson being followed; `None` in the sandbox.
    pub lesson: Option<usize>,
    /// Ids of the lessons whose goal was reached.
    pub done: Vec<String>,
    /// Whether the current lesson's goal is reached now.
    pub reached: bool,
    /// Choosing a lesson, Reset and Show solution go to the app's state.
    pub on_action: Callback<Action>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let lang = use_lang();
    // How many hints are shown; back to none for each lesson.
    let hints = use_state_eq(|| 0usize);
    // The learner's prediction and, once checked, whether it was right and the answer.
    let guess = use_state_eq(String::new);
    let verdict = use_state_eq(|| None::<(bool, String)>);
    // Whether the learner asked for the answer after a wrong guess.
    let revealed = use_state_eq(|| false);
    {
        let (hints, guess, verdict, revealed) = (
            hints.clone(),
            guess.clone(),
            verdict.clone(),
            revealed.clone(),
        );
        use_effect_with(props.lesson, move |_| {
            hints.set(0);
            guess.set(String::new());
            verdict.set(None);
            revealed.set(false);
        });
    }
    let onchange = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                on_action.emit(Action::Choose(select.value().parse::<usize>().ok()));
            }
        })
    };
    let options = LESSONS.iter().enumerate().map(|(i, l)| {
        let done = props.done.iter().any(|d| d == l.id);
        let mark = if done {
            format!(" ✓ {}", t(lang, Msg::LessonDoneShort))
        } else {
            String::new()
        };
        html! {
            <option value={i.to_string()} selected={props.lesson == Some(i)}>
                { format!("{}{mark}", l.title.get(lang)) }
            </option>
        }
    });
    let body = match Lesson::at(props.lesson) {
        None => html! { <Ideas /> },
        Some(lesson) => {
            let more_hints = *hints < lesson.hints.len();
            let on_hint = {
                let hints = hints.clone();
                Callback::from(move |_: MouseEvent| hints.set(*hints + 1))
            };
            let on_reset = props.on_action.reform(|_: MouseEvent| Action::Reset);
            let on_solution = props.on_action.reform(|_: MouseEvent| Action::ShowSolution);
            let quiz = lesson
                .quiz
                .as_ref()
                .map(|q| quiz_html(lang, lesson, q, &guess, &verdict, &revealed));
            html! {
                <div class="lesson">
                    <p class="explain">{ lesson.explain.get(lang) }</p>
                    <h3 class="task-heading">{ t(lang, Msg::LessonTask) }</h3>
                    <p class="task">{ lesson.task.get(lang) }</p>
                    { for quiz }
                    if props.reached {
                        <div class="goal reached success" role="status">
                            <p>
                                <span class="tick" aria-hidden="true">{ "✓ " }</span>
                                <strong>{ t(lang, Msg::LessonReached) }</strong>
                                { crate::i18n::between_sentences(lang) }{ lesson.why.get(lang) }
                            </p>
                            { next_lesson(lang, props.lesson, &props.on_action) }
                        </div>
                    } else {
                        <p class="goal" role="status">
                            <span aria-hidden="true">{ "○ " }</span>
                            { t(lang, Msg::LessonNotYet) }
                        </p>
                    }
                    if *hints > 0 {
                        <ol class="hints" aria-label={t(lang, Msg::LessonHints)}>
                            { for lesson.hints.iter().take(*hints).map(|h| html! { <li>{ h.get(lang) }</li> }) }
                        </ol>
                    }
                    <div class="lesson-actions">
                        <button type="button" id="lesson-hint" onclick={on_hint} disabled={!more_hints}>
                            { t(lang, Msg::LessonHint) }
                        </button>
                        <button type="button" id="lesson-solution" onclick={on_solution}>
                            { t(lang, Msg::LessonSolution) }
                        </button>
                        <button type="button" id="lesson-reset" onclick={on_reset}>
                            { t(lang, Msg::LessonReset) }
                        </button>
                    </div>
                </div>
            }
        }
    };
    html! {
        <section class="pane ideas-pane lessons-pane" id="lessons-pane" aria-labelledby="lessons-heading">
            <h2 id="lessons-heading">{ t(lang, Msg::LessonsHeading) }</h2>
            <label class="lesson-choice">
                <span>{ t(lang, Msg::LessonChoose) }</span>
                <select id="lesson" {onchange}>
                    <option value="sandbox" selected={props.lesson.is_none()}>{ t(lang, Msg::LessonSandbox) }</option>
                    { for options }
                </select>
            </label>
            if props.lesson.is_some() {
                <p class="hint sandbox-kept">{ t(lang, Msg::LessonSandboxKept) }</p>
            }
            <p class="progress">{ format!("{}{}{}/{}", t(lang, Msg::LessonProgress), crate::i18n::colon(lang), props.done.len(), LESSONS.len()) }</p>
            { body }
        </section>
    }
}

/// A figure to predict, checked against the answer the solution reaches. A
/// wrong guess says so and leaves the answer for the learner to find, or to
/// ask for.
fn quiz_html(
    lang: Lang,
    lesson: &'static Lesson,
    q: &'static Quiz,
    guess: &UseStateHandle<String>,
    verdict: &UseStateHandle<Option<(bool, String)>>,
    revealed: &UseStateHandle<bool>,
) -> Html {
    let oninput = {
        let guess = guess.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                guess.set(i.value());
            }
        })
    };
    let on_reveal = {
        let revealed = revealed.clone();
        Callback::from(move |_: MouseEvent| revealed.set(true))
    };
    let onsubmit = {
        let (guess, verdict) = (guess.clone(), verdict.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(answer) = q.answer_for(lesson) {
                verdict.set(Some((Quiz::is_right(&guess, &answer), answer)));
            }
        })
    };
    html! {
        <form class="quiz" {onsubmit}>
            <label for="quiz-guess">{ q.question.get(lang) }</label>
            <div class="quiz-row">
                <input id="quiz-guess" type="text" spellcheck="false" autocomplete="off" value={(**guess).clone()} {oninput} />
                <button type="submit" id="quiz-check">{ t(lang, Msg::QuizCheck) }</button>
            </div>
            // A wrong guess says so and leaves the answer for
            // the learner to find, or to ask for.
            if let Some((right, answer)) = &**verdict {
                if *right {
                    <p class="quiz-verdict right" role="status">
                        <span aria-hidden="true">{ "✓ " }</span>
                        { format!("{} {answer}", t(lang, Msg::QuizRight)) }
                    </p>
                } else if **revealed {
                    <p class="quiz-verdict shown" role="status">
                        <span aria-hidden="true">{ "ⓘ " }</span>
                        { format!("{} {answer}", t(lang, Msg::QuizAnswer)) }
                    </p>
                } else {
                    <p class="quiz-verdict" role="status">
                        <span aria-hidden="true">{ "✗ " }</span>
                        { t(lang, Msg::QuizWrong) }{ " " }
                        <button type="button" id="quiz-reveal" class="link" onclick={on_reveal}>{ t(lang, Msg::QuizReveal) }</button>
                    </p>
                }
            }
        </form>
    }
}

/// The success moment's way on: the next lesson, or the sandbox after the last.
fn next_lesson(lang: Lang, lesson: Option<usize>, on_action: &Callback<Action>) -> Html {
    let next = lesson.map(|i| i + 1).filter(|&i| i < LESSONS.len());
    let onclick = on_action.reform(move |_: MouseEvent| Action::Choose(next));
    let label = if next.is_some() {
        Msg::LessonNext
    } else {
        Msg::LessonLastDone
    };
    html! {
        <button type="button" id="lesson-next" class="primary" {onclick}>{ t(lang, label) }</button>
    }
}

//! The root component: it holds the app's state (`state::AppState`), gives
//! each pane the snapshot it shows and a way to dispatch actions, and
//! provides the language to all of them.

use crate::boot::{boot, Held, Local};
use crate::browser;
use crate::components::{
    Activity, ContextFiles, DiskUsage, DockerfileEditor, ImageImport, Inspector, LessonPanel,
    Stage, StorageView, TabBar, Terminal, TopBar, WorkNotice,
};
use crate::hooks::{use_actions, use_autosave, use_hashing, use_playback, use_presenter_keys};
use crate::i18n::{t, Lang, Msg};
use crate::lessons::Lesson;
use crate::persist;
use crate::shared::Shared;
use crate::state::{Action, AppState, Tab};
use yew::prelude::*;

#[derive(Properties, PartialEq, Default, Clone)]
pub struct AppProps {
    /// The starting language; `None` chooses from `?lang=`, the saved state, then the browser.
    #[prop_or_default]
    pub lang: Option<Lang>,
    /// Restore and keep the autosave (on in the app, off in component tests).
    #[prop_or_default]
    pub autosave: bool,
}

/// The state the app opens in: the saved work (or a link's), in the language
/// asked for; presenter mode from `?present=1`.
pub fn opening(props: &AppProps, boot: &crate::boot::Boot) -> AppState {
    let lang = props.lang.unwrap_or_else(|| {
        let query = browser::query_param("lang");
        let saved = boot.saved.as_ref().map(|s| s.lang.clone());
        let saved = saved.or_else(|| boot.later.clone().flatten());
        Lang::choose(
            query.as_deref().or(saved.as_deref()),
            &browser::preferred_languages(),
        )
    });
    let workspace = boot.workspace.clone();
    let state = match &boot.saved {
        Some(saved) => AppState::restored(lang, workspace, saved),
        None => AppState::new(lang, workspace),
    };
    let mut state = AppState {
        presenter: browser::query_param("present").is_some_and(|v| v == "1"),
        defer_hashing: true,
        ..state
    };
    // Saved work that did not replay within the first slice goes on after
    // the first paint (`hooks::use_actions`).
    if let Some(replay) = &*boot.waiting.borrow() {
        state.restoring = Some(replay.progress());
    }
    state
}

/// Opening a scenario file replays it in a fresh workspace, held (not saved
/// over the learner's own work) until they act on it.
fn open_scenario(
    keeper: Shared<std::cell::RefCell<crate::boot::Keeper>>,
    dockerfile: String,
    on_action: Callback<Action>,
) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let Some(file) = browser::picked_file(&e) else {
            return;
        };
        let (keeper, dockerfile, on_action) =
            (keeper.clone(), dockerfile.clone(), on_action.clone());
        yew::platform::spawn_local(async move {
            let bytes = browser::read_file(file).await.unwrap_or_default();
            match crate::scenario::from_bytes(&bytes) {
                Ok(scenario) => {
                    // In slices, big tars hashed in slices too (`replay`):
                    // a scenario of thousands of lines never freezes the page.
                    let replay = crate::replay::Replay::new(scenario.commands);
                    let next = crate::replay::in_slices(replay, |_| ()).await;
                    let held = Held {
                        commands: next.console.log.clone(),
                        lesson: Lesson::at(scenario.lesson).map(|l| l.id.to_owned()),
                        dockerfile: Some(dockerfile),
                    };
                    keeper.borrow_mut().hold(&mut Local, held);
                    on_action.emit(Action::Open {
                        workspace: Shared::new(next),
                        lesson: scenario.lesson,
                    });
                }
                Err(why) => on_action.emit(Action::Refused(why)),
            }
        });
    })
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let started = use_state(|| std::rc::Rc::new(boot(props.autosave, crate::boot::FIRST_SLICE_MS)));
    let boot = (*started).clone();
    let state = use_reducer_eq(|| opening(props, &boot));
    let on_action = use_actions(props, started, state.dispatcher());
    let keeper = boot.keeper.clone();
    use_autosave(props.autosave, keeper.clone(), &state);
    use_playback(&state, on_action.clone());
    let hashing_shown = use_hashing(&state, on_action.clone()).and_then(|(done, total)| {
        let h = state.hashing.as_ref()?;
        Some((done, total, Some(h.line().unwrap_or_default().to_owned())))
    });
    use_presenter_keys(state.presenter, on_action.clone());
    use_effect_with(state.lang, |lang| browser::set_document_language(*lang));
    use_effect_with((), |_| {
        browser::mark("layerlab:ready");
        crate::split::prefetch();
    });
    let root_ref = use_node_ref();
    let lang = state.lang;

    let on_lang = on_action.reform(Action::Lang);
    let on_share = {
        let (link, on_action) = (state.link(), on_action.clone());
        Callback::from(move |_: MouseEvent| {
            let url = browser::set_location_hash(&persist::to_fragment(&link));
            on_action.emit(Action::Shared(url));
        })
    };
    // The `<iframe>` that shows this state inside a tutorial (`embed` module).
    let on_embed = {
        let (link, on_action) = (state.link(), on_action.clone());
        Callback::from(move |_: MouseEvent| {
            let code = crate::embed::snippet(
                &browser::own_origin(),
                &browser::pathname(),
                &persist::to_fragment(&link),
                link.lang.as_str(),
                "Layerlab",
            );
            browser::copy_text(&code);
            on_action.emit(Action::EmbedCode(Some(code)));
        })
    };
    let on_presenter = {
        let (root_ref, on_action) = (root_ref.clone(), on_action.clone());
        Callback::from(move |()| {
            on_action.emit(Action::Presenter);
            // Keys reach the app's root only when it (or something in it) has focus.
            if let Some(el) = root_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        })
    };
    let on_download = {
        let log = state.workspace.console.log.clone();
        let id = state.lesson().map(|l| l.id);
        Callback::from(move |_: MouseEvent| {
            let text = crate::scenario::to_text(&log, id);
            browser::download(crate::scenario::FILE_NAME, &text);
        })
    };
    let on_open = open_scenario(keeper.clone(), state.dockerfile.clone(), on_action.clone());
    // The import pane sits low in the side panel (under More on a narrow
    // screen): the bar's button opens its file picker, and shows the pane
    // where its progress will be.
    let on_open_image = {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| {
            on_action.emit(Action::Tab(Tab::More));
            browser::click("open-image");
        })
    };
    let on_bring_back = on_action.reform(|_: MouseEvent| Action::BringBackOpened);
    let ws = state.workspace.clone();

    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("app", state.presenter.then_some("presenter"), boot.later.is_some().then_some("restoring"), format!("speed-{}", state.speed), format!("tab-{}", state.tab.name()))} ref={root_ref} tabindex="-1">
            { skip_link(lang, &on_action) }
            <TopBar {on_lang} presenter={state.presenter} {on_presenter} />
            { start_notices(lang, &boot) }
            { share_bar(lang, &state, [on_share, on_embed, on_download.clone(), on_open_image], on_open) }
            { opened_notice(lang, &state, on_bring_back) }
            <WorkNotice {keeper} on_download={on_download} />
            <main class="workspace">
                // In the grid: on a wide screen the caption stands beside the stage.
                if state.presenter {
                    <div class="presenter-bar">
                        { presenter_picker(lang, state.lesson, &on_action) }
                        <p class="caption" role="status" aria-live="polite">
                            { state.lesson().map_or_else(
                                || t(lang, Msg::PresenterNoLesson).to_owned(),
                                |l| crate::view::caption(l, state.step(), lang),
                            ) }
                        </p>
                        // Once the goal is reached, the keys line says where → goes next.
                        if state.reached && state.lesson.is_some() {
                            <p class="keys reached" role="status">{ t(lang, go_on(state.lesson)) }</p>
                        } else {
                            <p class="keys">{ t(lang, Msg::PresenterKeys) }</p>
                        }
                    </div>
                }
                // The picture first: on a wide screen it holds the main area,
                // with the terminal and what happened under it; everything
                // else opens beside it in the side panel, never instead of it.
                <Stage workspace={ws.clone()} speed={state.speed} compact={state.presenter} on_action={on_action.clone()} />
                <Terminal workspace={ws.clone()} on_action={on_action.clone()} hashing={hashing_shown} restoring={state.restoring} />
                <Activity workspace={ws.clone()} speed={state.speed} playing={state.playing} on_action={on_action.clone()} />
                <aside class="side" aria-label={t(lang, Msg::SidePanel)}>
                    <LessonPanel lesson={state.lesson} done={state.done.clone()} reached={state.reached} on_action={on_action.clone()} />
                    <DockerfileEditor text={state.dockerfile.clone()} on_action={on_action.clone()} step={state.build_line}>
                        <ContextFiles workspace={ws.clone()} on_action={on_action.clone()} />
                    </DockerfileEditor>
                    <Inspector workspace={ws.clone()} selected={state.selected.clone()} on_action={on_action.clone()} />
                    <DiskUsage workspace={ws.clone()} />
                    <StorageView workspace={ws.clone()} on_action={on_action.clone()} />
                    <ImageImport workspace={ws} on_action={on_action.clone()} />
                </aside>
            </main>
            <TabBar tab={state.tab} stage_news={state.stage_news} {on_action} />
        </div>
        </ContextProvider<Lang>>
    }
}

/// A link, as skip links are, that moves the focus to the command line
/// without touching the address (its fragment is for permalinks); on a
/// narrow screen it opens the terminal's tab first.
fn skip_link(lang: Lang, on_action: &Callback<Action>) -> Html {
    let on_action = on_action.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        on_action.emit(Action::Tab(Tab::Terminal));
        browser::before_next_frame(|| browser::focus_id("command"));
    });
    html! {
        <a class="skip-link" href="#command" {onclick}>{ t(lang, Msg::SkipToTerminal) }</a>
    }
}

/// What the start says: saved work that could not be read, or that is
/// being restored once all of the code is here.
fn start_notices(lang: Lang, boot: &crate::boot::Boot) -> Html {
    html! {
        <>
            if let Some(problem) = &boot.problem {
                <p class="notice" role="alert">{ problem.message(lang) }</p>
            }
            if boot.later.is_some() {
                <p class="notice restoring" role="status">{ t(lang, Msg::RestoringWork) }</p>
            }
        </>
    }
}

/// Where presenter mode's → goes once a lesson's goal is reached.
fn go_on(lesson: Option<usize>) -> Msg {
    if lesson.is_some_and(|i| i + 1 < crate::lessons::LESSONS.len()) {
        Msg::PresenterGoOn
    } else {
        Msg::PresenterGoBack
    }
}

/// Presenter mode's lesson picker, at the top beside the caption (the side
/// panel's own picker is below the picture).
fn presenter_picker(lang: Lang, lesson: Option<usize>, on_action: &Callback<Action>) -> Html {
    use crate::lessons::LESSONS;
    let onchange = on_action.reform(|e: Event| {
        let chosen = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|s| s.value().parse::<usize>().ok());
        Action::Choose(chosen)
    });
    html! {
        <label class="present-lesson">
            <span class="visually-hidden">{ t(lang, Msg::LessonChoose) }</span>
            <select id="present-lesson" {onchange}>
                <option value="sandbox" selected={lesson.is_none()}>{ t(lang, Msg::LessonSandbox) }</option>
                { for LESSONS.iter().enumerate().map(|(i, l)| html! {
                    <option value={i.to_string()} selected={lesson == Some(i)}>{ l.title.get(lang) }</option>
                }) }
            </select>
        </label>
    }
}

/// Share a link, copy the embed code, download the scenario, open one; the
/// link or the code made, for copying.
fn share_bar(
    lang: Lang,
    state: &AppState,
    [on_share, on_embed, on_download, on_open_image]: [Callback<MouseEvent>; 4],
    on_open: Callback<Event>,
) -> Html {
    html! {
        <div class="share">
            <button type="button" id="share" onclick={on_share}>
                <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                    <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
                </svg>
                { t(lang, Msg::ShareButton) }
            </button>
            <button type="button" id="copy-embed" onclick={on_embed}>
                <span aria-hidden="true">{ "</> " }</span>{ t(lang, Msg::CopyEmbedButton) }
            </button>
            <button type="button" id="download" onclick={on_download}>
                <span aria-hidden="true">{ "⇩ " }</span>{ t(lang, Msg::ScenarioDownload) }
            </button>
            <label class="open-file">
                <input type="file" id="open-scenario" accept=".txt,.layerlab,text/plain" onchange={on_open} />
                <span aria-hidden="true">{ "⇧ " }</span>{ t(lang, Msg::ScenarioOpen) }
            </label>
            <button type="button" id="open-image-bar" onclick={on_open_image}>
                <span aria-hidden="true">{ "⇧ " }</span>{ t(lang, Msg::ImportOpen) }
            </button>
            if let Some(code) = &state.embed_code {
                <label class="share-url embed-code">
                    <span>{ t(lang, Msg::EmbedCodeReady) }</span>
                    <textarea id="embed-code" readonly=true rows="3" value={code.clone()} onfocus={Callback::from(|e: FocusEvent| {
                        if let Some(i) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() { i.select(); }
                    })} />
                </label>
            }
            if let Some(url) = &state.shared {
                <label class="share-url">
                    <span>{ t(lang, Msg::ShareReady) }</span>
                    <input type="text" readonly=true value={url.clone()} onfocus={Callback::from(|e: FocusEvent| {
                        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() { i.select(); }
                    })} />
                </label>
            }
        </div>
    }
}

/// A scenario opened (with what was there before, to bring back) or refused.
fn opened_notice(lang: Lang, state: &AppState, on_bring_back: Callback<MouseEvent>) -> Html {
    let Some(result) = state.opened_on_show() else {
        return Html::default();
    };
    html! {
        <p class="notice opened" role="status">
            { match result {
                Ok(_) => t(lang, Msg::ScenarioOpened).to_owned(),
                Err(why) => format!("{} {}", t(lang, Msg::ScenarioRefused), t(lang, why.message())),
            } }
            if result.is_ok() {
                { " " }
                <button type="button" id="bring-back" onclick={on_bring_back}>{ t(lang, Msg::ScenarioBringBack) }</button>
            }
        </p>
    }
}

#[cfg(test)]
mod tests {
    use crate::boot::explain;
    use crate::i18n::Lang;
    use crate::persist::LoadError;

    #[test]
    fn unreadable_work_is_explained_in_the_learners_language() {
        // (why, language, what the explanation holds)
        let cases = [
            (
                LoadError::FutureVersion(7),
                Lang::En,
                "newer Layerlab, in format 7 (> 1)",
            ),
            (
                LoadError::FutureVersion(7),
                Lang::Zh,
                "更新版本的 Layerlab 写入，格式为 7",
            ),
            (LoadError::Altered, Lang::Zh, "链接不完整或被修改过"),
            (LoadError::NotALink, Lang::En, "not a Layerlab link"),
            (
                LoadError::Corrupt("EOF at line 1".into()),
                Lang::Zh,
                "数据已损坏 (EOF at line 1)",
            ),
        ];
        for (why, lang, want) in cases {
            let said = explain(lang, &why);
            assert!(said.contains(want), "{why:?} in {lang:?}: {said}");
        }
    }
}

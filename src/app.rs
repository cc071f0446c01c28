//! The root component: the workspace (session and terminal), the language,
//! the Dockerfile text, and autosave.

use crate::boot::{boot, explain, Held, Local, Problem};
use crate::browser;
use crate::components::{
    scaled, Activity, ContextFiles, DiskUsage, DockerfileEditor, Inspector, LessonPanel, Stage,
    StorageView, Terminal, TopBar, WorkNotice,
};
use crate::i18n::{t, Lang, Msg};
use crate::lessons::{setup_log, steps_done, Lesson, LESSONS};
use crate::persist::{self, Saved};
use crate::workspace::Workspace;
use crate::TUTORIAL_DOCKERFILE;
use yew::prelude::*;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The starting language; `None` chooses from `?lang=`, the saved state, then the browser.
    #[prop_or_default]
    pub lang: Option<Lang>,
    /// Restore and keep the autosave (on in the app, off in component tests).
    #[prop_or_default]
    pub autosave: bool,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let boot = use_memo((), |_| boot(props.autosave));
    let lang = use_state(|| {
        props.lang.unwrap_or_else(|| {
            let query = browser::query_param("lang");
            let saved = boot.saved.as_ref().map(|s| s.lang.clone());
            Lang::choose(
                query.as_deref().or(saved.as_deref()),
                &browser::preferred_languages(),
            )
        })
    });
    let dockerfile = use_state(|| {
        boot.saved
            .as_ref()
            .map(|s| s.dockerfile.clone())
            .unwrap_or_else(|| TUTORIAL_DOCKERFILE.to_owned())
    });
    let workspace = boot.workspace.clone();
    // The project's Dockerfile as last seen on the host: when a command (or a
    // lesson's reset) changes the file, the editor shows the new text.
    let on_disk = use_state(|| workspace.borrow().project_dockerfile());
    // Bumped after each command so panes showing engine state redraw.
    let revision = use_state(|| 0u64);
    // The permalink last made, shown for copying.
    let shared = use_state(|| None::<String>);
    // The lesson followed, the lessons done, and the sandbox kept meanwhile.
    let lesson = use_state(|| {
        boot.saved
            .as_ref()
            .and_then(|s| s.lesson.as_deref())
            .and_then(Lesson::by_id)
    });
    let done = use_state(|| {
        boot.saved
            .as_ref()
            .map(|s| s.done.clone())
            .unwrap_or_default()
    });
    let sandbox = use_state(|| boot.saved.as_ref().and_then(|s| s.sandbox.clone()));
    // Each lesson's lines as the learner left it, by lesson id.
    let kept = use_state(|| {
        boot.saved
            .as_ref()
            .map(|s| s.lessons.clone())
            .unwrap_or_default()
    });
    // Presenter mode: large type, no editing chrome, the lesson's solution
    // stepped through with the keyboard (`?present=1` starts in it).
    let presenter = use_state(|| browser::query_param("present").is_some_and(|v| v == "1"));
    // The presenter's place: the lesson's solution lines the log holds after
    // its setup (so moving the timeline by hand moves it too).
    let step = lesson
        .and_then(|i| LESSONS.get(i))
        .map_or(0, |l| steps_done(l, &workspace.borrow().console.log));
    let playing = use_state(|| false);
    // After a scenario file was opened (or refused): what was there before, to bring back.
    let opened =
        use_state(|| None::<Result<(Vec<String>, Option<usize>, usize), crate::scenario::Refused>>);
    // Whether the activity pane has shown all of the last command's items.
    let settled = use_state_eq(|| true);
    // The build step the activity pane shows, lit up in the editor.
    let build_line = use_state_eq(|| None::<(usize, bool)>);
    // What the inspector shows.
    let selected = use_state(|| None::<crate::inspect::Selected>);
    // Animation and playback speed, in percent.
    let speed = use_state(|| 100u32);
    let root_ref = use_node_ref();
    let keeper = boot.keeper.clone();
    let reached = lesson
        .and_then(|i| LESSONS.get(i))
        .is_some_and(|l| (l.check)(&workspace.borrow().session));
    // A reached goal is remembered as progress.
    {
        let done = done.clone();
        let id = lesson.and_then(|i| LESSONS.get(i)).map(|l| l.id);
        use_effect_with((id, reached), move |(id, reached)| {
            if let (Some(id), true) = (id, reached) {
                if !done.iter().any(|d| d == id) {
                    let mut next = (*done).clone();
                    next.push((*id).to_owned());
                    done.set(next);
                }
            }
        });
    }

    {
        let (workspace, on_disk, dockerfile) =
            (workspace.clone(), on_disk.clone(), dockerfile.clone());
        use_effect_with(*revision, move |_| {
            let now = workspace.borrow().project_dockerfile();
            if now != *on_disk {
                if let Some(text) = &now {
                    dockerfile.set(text.clone());
                }
                on_disk.set(now);
            }
        });
    }
    use_effect_with(*lang, |lang| browser::set_document_language(*lang));
    use_effect_with((), |_| {
        browser::mark("layerlab:ready");
        crate::split::prefetch();
    });
    {
        let workspace = workspace.clone();
        let enabled = props.autosave;
        let keeper = keeper.clone();
        let lesson_id = lesson.and_then(|i| LESSONS.get(i)).map(|l| l.id.to_owned());
        use_effect_with(
            (
                *lang,
                (*dockerfile).clone(),
                *revision,
                lesson_id,
                (*done).clone(),
                (*sandbox).clone(),
                step,
                (*kept).clone(),
            ),
            move |(lang, dockerfile, _, lesson, done, sandbox, step, kept)| {
                if enabled {
                    let saved = Saved {
                        version: persist::VERSION,
                        lang: lang.code().to_owned(),
                        dockerfile: dockerfile.clone(),
                        commands: workspace.borrow().console.log.clone(),
                        lesson: lesson.clone(),
                        done: done.clone(),
                        sandbox: sandbox.clone(),
                        step: *step,
                        lessons: kept.clone(),
                    };
                    // Held, paused, unchanged, written or failed: `boot::Keeper` decides and tells.
                    let on_disk = workspace.borrow().project_dockerfile();
                    let mut keeper = keeper.borrow_mut();
                    keeper.save(&mut Local, &saved, on_disk.as_deref());
                }
            },
        );
    }

    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| lang.set(l))
    };
    let on_edit = {
        let dockerfile = dockerfile.clone();
        Callback::from(move |text: String| dockerfile.set(text))
    };
    let on_share = {
        let (shared, workspace, lang, dockerfile, lesson) = (
            shared.clone(),
            workspace.clone(),
            lang.clone(),
            dockerfile.clone(),
            lesson.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let saved = Saved {
                version: persist::VERSION,
                lang: lang.code().to_owned(),
                dockerfile: (*dockerfile).clone(),
                commands: workspace.borrow().console.log.clone(),
                lesson: lesson.and_then(|i| LESSONS.get(i)).map(|l| l.id.to_owned()),
                done: Vec::new(),
                sandbox: None,
                step,
                lessons: Vec::new(),
            };
            shared.set(browser::set_location_hash(&persist::to_fragment(&saved)));
        })
    };
    let on_change = {
        let revision = revision.clone();
        Callback::from(move |()| revision.set(*revision + 1))
    };
    let on_build = {
        let (workspace, dockerfile, revision) =
            (workspace.clone(), dockerfile.clone(), revision.clone());
        Callback::from(move |()| {
            workspace.borrow_mut().build(&dockerfile);
            revision.set(*revision + 1);
        })
    };

    // Puts a new workspace in place: the lesson's steps start again, nothing plays.
    let restart = {
        let (workspace, revision, playing) = (workspace.clone(), revision.clone(), playing.clone());
        Callback::from(move |next: Workspace| {
            *workspace.borrow_mut() = next;
            playing.set(false);
            revision.set(*revision + 1);
        })
    };
    // Choosing a lesson starts it in a fresh workspace, keeping the sandbox's
    // lines; going back to the sandbox replays them.
    let on_choose = {
        let (workspace, lesson, sandbox, restart, kept) = (
            workspace.clone(),
            lesson.clone(),
            sandbox.clone(),
            restart.clone(),
            kept.clone(),
        );
        Callback::from(move |choice: Option<usize>| {
            if choice == *lesson {
                return;
            }
            let log = workspace.borrow().console.log.clone();
            // The lesson left keeps its lines, to come back to.
            let mut lessons = (*kept).clone();
            if let Some(l) = lesson.and_then(|i| LESSONS.get(i)) {
                lessons.retain(|(id, _)| id != l.id);
                lessons.push((l.id.to_owned(), log.clone()));
            }
            let next = match choice.and_then(|i| LESSONS.get(i)) {
                Some(l) => {
                    if lesson.is_none() {
                        sandbox.set(Some(log));
                    }
                    match lessons.iter().find(|(id, _)| id == l.id) {
                        Some((_, lines)) => Workspace::replay(lines),
                        None => Workspace::replay(&setup_log(l)),
                    }
                }
                None => {
                    let kept = (*sandbox).clone().unwrap_or_default();
                    sandbox.set(None);
                    Workspace::replay(&kept)
                }
            };
            kept.set(lessons);
            lesson.set(choice);
            restart.emit(next);
        })
    };
    let on_reset = {
        let (lesson, restart) = (lesson.clone(), restart.clone());
        Callback::from(move |()| {
            if let Some(l) = lesson.and_then(|i| LESSONS.get(i)) {
                restart.emit(Workspace::replay(&setup_log(l)));
            }
        })
    };
    // → runs the next line of the lesson's solution, ← takes the last back.
    let on_step = {
        let (workspace, lesson, revision, playing) = (
            workspace.clone(),
            lesson.clone(),
            revision.clone(),
            playing.clone(),
        );
        Callback::from(move |forward: bool| {
            let Some(l) = lesson.and_then(|i| LESSONS.get(i)) else {
                return;
            };
            let step = steps_done(l, &workspace.borrow().console.log);
            if forward {
                match l.solution.get(step) {
                    Some(line) => workspace.borrow_mut().submit(line),
                    None => playing.set(false),
                }
            } else if step > 0 {
                workspace.borrow_mut().undo();
            }
            revision.set(*revision + 1);
        })
    };
    // Show the solution: its lines play one by one, as in presenter mode.
    let on_solution = {
        let (on_step, playing) = (on_step.clone(), playing.clone());
        Callback::from(move |()| {
            on_step.emit(true);
            playing.set(true);
        })
    };
    // Playing steps forward 1.2 seconds (at 1×) after each step's activity has
    // been shown, until the solution is done. `now` holds (playing, step,
    // settled) as last drawn; `pending` the step a timer waits to run, so one
    // step never runs twice.
    let now = use_mut_ref(|| (false, 0usize, true));
    *now.borrow_mut() = (*playing, step, *settled);
    let pending = use_mut_ref(|| None::<usize>);
    {
        let on_step = on_step.clone();
        let delay = scaled(crate::components::PLAY_MS, *speed);
        use_effect_with((*playing, step, *settled), move |&(on, at, settled)| {
            if on && settled && *pending.borrow() != Some(at) {
                *pending.borrow_mut() = Some(at);
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(delay).await;
                    let still = *now.borrow() == (true, at, true);
                    if *pending.borrow() == Some(at) {
                        *pending.borrow_mut() = None;
                    }
                    if still {
                        on_step.emit(true);
                    }
                });
            }
        });
    }
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |s: Option<crate::inspect::Selected>| selected.set(s))
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s: u32| speed.set(s))
    };
    let on_presenter = {
        let (presenter, playing, root_ref) = (presenter.clone(), playing.clone(), root_ref.clone());
        Callback::from(move |()| {
            presenter.set(!*presenter);
            playing.set(false);
            // Keys reach the app's root only when it (or something in it) has focus.
            if let Some(el) = root_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        })
    };
    // Presenter keys work right after load and whatever has the focus, but
    // for typing in a text field; on the lesson picker, → runs a step
    // rather than choosing the next lesson.
    {
        let (presenter, playing, on_step) = (*presenter, playing.clone(), on_step.clone());
        use_effect(move || {
            let listener = browser::on_any_key(move |e: &web_sys::KeyboardEvent| {
                if !presenter || e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let typing = e
                    .target()
                    .and_then(|t| {
                        use wasm_bindgen::JsCast;
                        t.dyn_into::<web_sys::Element>().ok()
                    })
                    .is_some_and(|el| match el.tag_name().as_str() {
                        "TEXTAREA" => true,
                        "INPUT" => !matches!(
                            el.get_attribute("type").as_deref(),
                            Some("range" | "checkbox" | "radio" | "button")
                        ),
                        _ => false,
                    });
                if typing {
                    return;
                }
                match e.key().as_str() {
                    "ArrowRight" => on_step.emit(true),
                    "ArrowLeft" => on_step.emit(false),
                    " " => playing.set(!*playing),
                    "f" | "F" => browser::request_fullscreen(),
                    _ => return,
                }
                e.prevent_default();
            });
            move || drop(listener)
        });
    }
    let on_download = {
        let (workspace, lesson) = (workspace.clone(), lesson.clone());
        Callback::from(move |_: MouseEvent| {
            let id = lesson.and_then(|i| LESSONS.get(i)).map(|l| l.id);
            let text = crate::scenario::to_text(&workspace.borrow().console.log, id);
            browser::download(crate::scenario::FILE_NAME, &text);
        })
    };
    // Offered when the browser refuses to save.
    let save_elsewhere = on_download.clone();
    // Opening a scenario replays it in a fresh workspace; what was there before can be brought back.
    let on_open = {
        let (workspace, lesson, opened, restart) = (
            workspace.clone(),
            lesson.clone(),
            opened.clone(),
            restart.clone(),
        );
        let (keeper, dockerfile) = (keeper.clone(), dockerfile.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (workspace, lesson, opened, restart) = (
                workspace.clone(),
                lesson.clone(),
                opened.clone(),
                restart.clone(),
            );
            let (keeper, dockerfile) = (keeper.clone(), (*dockerfile).clone());
            yew::platform::spawn_local(async move {
                let bytes = browser::read_file(file).await.unwrap_or_default();
                match crate::scenario::from_bytes(&bytes) {
                    Ok(scenario) => {
                        let before = workspace.borrow().console.log.clone();
                        lesson.set(scenario.lesson);
                        let next = Workspace::replay(&scenario.commands);
                        let len = next.console.log.len();
                        // Not saved over the learner's own work until they act on it.
                        let held = Held {
                            commands: next.console.log.clone(),
                            lesson: scenario
                                .lesson
                                .and_then(|i| LESSONS.get(i))
                                .map(|l| l.id.to_owned()),
                            dockerfile: Some(dockerfile),
                        };
                        keeper.borrow_mut().hold(&mut Local, held);
                        restart.emit(next);
                        opened.set(Some(Ok((before, *lesson, len))));
                    }
                    Err(why) => opened.set(Some(Err(why))),
                }
            });
        })
    };
    let on_bring_back = {
        let (lesson, opened, restart) = (lesson.clone(), opened.clone(), restart.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(Ok((log, before, _))) = &*opened {
                lesson.set(*before);
                restart.emit(Workspace::replay(log));
            }
            opened.set(None);
        })
    };
    let caption = lesson.and_then(|i| LESSONS.get(i)).map(|l| {
        let shown = step.min(l.solution.len());
        let line = shown
            .checked_sub(1)
            .and_then(|k| l.solution.get(k))
            .map(|c| c.lines().next().unwrap_or_default().to_owned())
            .unwrap_or_default();
        format!(
            "{} — {} {shown}/{}{}{}",
            l.title.get(*lang),
            t(*lang, Msg::PresenterStep),
            l.solution.len(),
            if line.is_empty() { "" } else { ": " },
            line
        )
    });

    html! {
        <div class={classes!("app", presenter.then_some("presenter"), format!("speed-{}", *speed))} ref={root_ref} tabindex="-1">
            // A link, as skip links are, that moves the focus without
            // touching the address (its fragment is for permalinks).
            <a class="skip-link" href="#command" onclick={Callback::from(|e: MouseEvent| {
                e.prevent_default();
                browser::focus_id("command");
            })}>{ t(*lang, Msg::SkipToTerminal) }</a>
            <TopBar lang={*lang} {on_lang} presenter={*presenter} {on_presenter} />
            if let Some(problem) = &boot.problem {
                <p class="notice" role="alert">
                    { match problem {
                        Problem::Autosave(why) => format!("{} {}. {}", t(*lang, Msg::RestoreFailed), explain(*lang, why), t(*lang, Msg::RestoreKept)),
                        Problem::Link(why) => format!("{} {}. {}", t(*lang, Msg::LinkUnreadable), explain(*lang, why), t(*lang, Msg::LinkFailed)),
                    } }
                </p>
            }
            <div class="share">
                <button type="button" id="share" onclick={on_share}>
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                        <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
                    </svg>
                    { t(*lang, Msg::ShareButton) }
                </button>
                <button type="button" id="download" onclick={on_download}>
                    <span aria-hidden="true">{ "⇩ " }</span>{ t(*lang, Msg::ScenarioDownload) }
                </button>
                <label class="open-file">
                    <input type="file" id="open-scenario" accept=".txt,.layerlab,text/plain" onchange={on_open} />
                    <span aria-hidden="true">{ "⇧ " }</span>{ t(*lang, Msg::ScenarioOpen) }
                </label>
                if let Some(url) = &*shared {
                    <label class="share-url">
                        <span>{ t(*lang, Msg::ShareReady) }</span>
                        <input type="text" readonly=true value={url.clone()} onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() { i.select(); }
                        })} />
                    </label>
                }
            </div>
            // Once a command ran after the open, bringing back would drop it: the notice goes.
            if let Some(result) = opened.as_ref().filter(|r| match r {
                Ok((_, _, len)) => workspace.borrow().console.log.len() == *len,
                Err(_) => true,
            }) {
                <p class="notice opened" role="status">
                    { match result {
                        Ok(_) => t(*lang, Msg::ScenarioOpened).to_owned(),
                        Err(why) => format!("{} {}", t(*lang, Msg::ScenarioRefused), t(*lang, why.message())),
                    } }
                    if result.is_ok() {
                        { " " }
                        <button type="button" id="bring-back" onclick={on_bring_back}>{ t(*lang, Msg::ScenarioBringBack) }</button>
                    }
                </p>
            }
            <WorkNotice lang={*lang} keeper={keeper.clone()} on_download={save_elsewhere} />
            <main class="workspace">
                // In the grid: on a wide screen the caption stands beside the stage.
                if *presenter {
                    <div class="presenter-bar">
                        <p class="caption" role="status" aria-live="polite">
                            { caption.unwrap_or_else(|| t(*lang, Msg::PresenterNoLesson).to_owned()) }
                        </p>
                        <p class="keys">{ t(*lang, Msg::PresenterKeys) }</p>
                    </div>
                }
                // The picture first: on a wide screen it holds the main area,
                // with the terminal and what happened under it; everything
                // else opens beside it in the side panel, never instead of it.
                <Stage lang={*lang} workspace={workspace.clone()} revision={*revision} speed={*speed} compact={*presenter} on_select={on_select.reform(Some)} />
                <Terminal lang={*lang} workspace={workspace.clone()} revision={*revision} on_change={on_change.clone()} />
                <Activity lang={*lang} workspace={workspace.clone()} revision={*revision} speed={*speed} {on_speed} on_change={on_change.clone()}
                    on_build_line={let b = build_line.clone(); Callback::from(move |l| b.set(l))}
                    on_settled={let s = settled.clone(); Callback::from(move |v| s.set(v))} />
                <aside class="side" aria-label={t(*lang, Msg::SidePanel)}>
                    <LessonPanel lang={*lang} lesson={*lesson} done={(*done).clone()} {reached} {on_choose} {on_reset} {on_solution} />
                    <DockerfileEditor lang={*lang} text={(*dockerfile).clone()} {on_edit} {on_build} step={*build_line}>
                        <ContextFiles lang={*lang} workspace={workspace.clone()} revision={*revision} on_change={on_change.clone()} />
                    </DockerfileEditor>
                    <Inspector lang={*lang} workspace={workspace.clone()} revision={*revision} selected={(*selected).clone()} on_select={on_select.clone()} on_change={on_change.clone()} />
                    <DiskUsage lang={*lang} workspace={workspace.clone()} revision={*revision} />
                    <StorageView lang={*lang} workspace={workspace.clone()} revision={*revision} {on_select} />
                    <crate::components::ImageImport lang={*lang} workspace={workspace.clone()} on_change={on_change.clone()} />
                </aside>
            </main>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::explain;
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

//! The reducer's arms as data: a start, the actions, what the state then shows.

use super::*;
use crate::lessons::LESSONS;

fn lines(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| (*s).to_owned()).collect()
}

fn sandbox(l: &[&str]) -> AppState {
    AppState::new(Lang::En, Shared::new(Workspace::replay(&lines(l))))
}

fn lesson(id: &str) -> usize {
    Lesson::by_id(id).expect("a lesson")
}

/// What a test looks at, one line: the log, the timeline, the lesson,
/// what plays, and the rest that differs from a fresh state.
fn summary(s: &AppState) -> String {
    let w = &s.workspace;
    let (now, total) = w.position();
    let mut out = format!("log {:?} at {now}/{total}", w.console.log);
    if let Some(l) = s.lesson() {
        out += &format!(" lesson {} step {}", l.id, s.step());
    }
    if s.reached {
        out += " reached";
    }
    if !s.done.is_empty() {
        out += &format!(" done {:?}", s.done);
    }
    if let Some(sb) = &s.sandbox {
        out += &format!(" sandbox {sb:?}");
    }
    if !s.kept.is_empty() {
        let ids: Vec<&str> = s.kept.iter().map(|(id, _)| id.as_str()).collect();
        out += &format!(" kept {ids:?}");
    }
    if let Some(p) = s.playing {
        out += &format!(" playing {p:?}");
    }
    if w.set_aside.is_some() {
        out += " set-aside";
    }
    if s.presenter {
        out += " presenter";
    }
    if s.tab != Tab::default() {
        out += &format!(" tab {:?}", s.tab);
    }
    if s.stage_news {
        out += " stage-news";
    }
    if let Some(sel) = &s.selected {
        out += &format!(" selected {sel:?}");
    }
    match &s.opened {
        Some(Ok(b)) => out += &format!(" opened(before {:?})", b.log),
        Some(Err(why)) => out += &format!(" refused {why:?}"),
        None => {}
    }
    out
}

/// Runs `actions` from `start` and compares the summary with `want`.
fn check(start: AppState, actions: Vec<Action>, want: &str) {
    let mut s = Rc::new(start);
    for a in actions.clone() {
        s = s.reduce(a);
    }
    assert_eq!(summary(&s), want, "after {actions:?}");
}

#[test]
fn the_timeline_steps_plays_and_sets_aside() {
    let three = || sandbox(&["docker pull busybox", "docker images", "docker ps"]);
    let cases = vec![
        (
            three(),
            vec![Action::Undo],
            r#"log ["docker pull busybox", "docker images"] at 2/3"#,
        ),
        (
            three(),
            vec![Action::Undo, Action::Redo],
            r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
        ),
        (three(), vec![Action::Seek(0)], "log [] at 0/3 stage-news"),
        (
            three(),
            vec![Action::Seek(1), Action::Seek(9)],
            r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
        ),
        // Playing needs a step left; it redoes one per step, and stops at the end.
        (
            three(),
            vec![Action::PlayTimeline],
            r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
        ),
        (
            three(),
            vec![Action::Seek(1), Action::PlayTimeline],
            r#"log ["docker pull busybox"] at 1/3 playing Timeline"#,
        ),
        (
            three(),
            vec![Action::Seek(1), Action::PlayTimeline, Action::Advance],
            r#"log ["docker pull busybox", "docker images"] at 2/3 playing Timeline"#,
        ),
        (
            three(),
            vec![
                Action::Seek(1),
                Action::PlayTimeline,
                Action::Advance,
                Action::Advance,
            ],
            r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
        ),
        (
            three(),
            vec![Action::Seek(1), Action::PlayTimeline, Action::PlayTimeline],
            r#"log ["docker pull busybox"] at 1/3"#,
        ),
        // A new line after stepping back sets the rest aside, to bring back.
        (
            three(),
            vec![Action::Seek(1), Action::Submit("docker ps -a".into())],
            r#"log ["docker pull busybox", "docker ps -a"] at 2/2 set-aside"#,
        ),
        (
            three(),
            vec![
                Action::Seek(1),
                Action::Submit("docker ps -a".into()),
                Action::BringBack,
            ],
            r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3 set-aside"#,
        ),
    ];
    for (start, actions, want) in cases {
        check(start, actions, want);
    }
}

#[test]
fn a_tab_chosen_stays_while_commands_run_and_the_saved_work_reopens() {
    let one = || sandbox(&["docker pull busybox"]);
    let cases = vec![
        (one(), vec![], r#"log ["docker pull busybox"] at 1/1"#),
        (
            one(),
            vec![Action::Tab(Tab::Stage), Action::Submit("docker ps".into())],
            r#"log ["docker pull busybox", "docker ps"] at 2/2 tab Stage"#,
        ),
        // Build, pressed on the editor's tab, shows the stage.
        (
            one(),
            vec![Action::Tab(Tab::Dockerfile), Action::Build],
            r#"log ["docker pull busybox", "docker build -t app ."] at 2/2 tab Stage"#,
        ),
        (
            one(),
            vec![Action::Tab(Tab::Lesson), Action::Build],
            r#"log ["docker pull busybox", "docker build -t app ."] at 2/2 tab Lesson stage-news"#,
        ),
        (
            one(),
            vec![
                Action::Tab(Tab::More),
                Action::Reopened(Box::new(sandbox(&["docker images"]))),
            ],
            r#"log ["docker images"] at 1/1 tab More"#,
        ),
    ];
    for (start, actions, want) in cases {
        check(start, actions, want);
    }
}

#[test]
fn a_container_tapped_on_the_stage_opens_in_the_inspectors_tab() {
    use crate::view::inspect::Selected;
    use layerlab_engine::layer::LayerId;
    let one = || sandbox(&["docker pull busybox"]);
    let layer = || Action::Select(Some(Selected::Layer(LayerId(1))));
    let box_ = || {
        Action::Select(Some(Selected::Container {
            id: "c0ffee".into(),
            dir: "/".into(),
        }))
    };
    let cases = vec![
        (
            one(),
            vec![Action::Tab(Tab::Stage), box_()],
            r#"log ["docker pull busybox"] at 1/1 tab More selected Container { id: "c0ffee", dir: "/" }"#,
        ),
        // A layer opens in place on the stage: the stage stays.
        (
            one(),
            vec![Action::Tab(Tab::Stage), layer()],
            r#"log ["docker pull busybox"] at 1/1 tab Stage selected Layer(LayerId(1))"#,
        ),
        // Chosen elsewhere (the inspector's own links), the tab stays.
        (
            one(),
            vec![Action::Tab(Tab::Lesson), box_()],
            r#"log ["docker pull busybox"] at 1/1 tab Lesson selected Container { id: "c0ffee", dir: "/" }"#,
        ),
        // Closing the inspector leaves the tab where it is.
        (
            one(),
            vec![Action::Tab(Tab::Stage), Action::Select(None)],
            r#"log ["docker pull busybox"] at 1/1 tab Stage"#,
        ),
    ];
    for (start, actions, want) in cases {
        check(start, actions, want);
    }
}

#[test]
fn the_stages_tab_says_when_the_stage_changed_out_of_sight() {
    let one = || sandbox(&["docker pull busybox"]);
    let run = || Action::Submit("docker run -d --name box busybox sleep 1d".into());
    let cases = vec![
        // A container starts while the terminal is shown: the stage's tab says so.
        (
            one(),
            vec![run()],
            r#"log ["docker pull busybox", "docker run -d --name box busybox sleep 1d"] at 2/2 stage-news"#,
        ),
        // Until the stage is chosen.
        (
            one(),
            vec![run(), Action::Tab(Tab::Stage)],
            r#"log ["docker pull busybox", "docker run -d --name box busybox sleep 1d"] at 2/2 tab Stage"#,
        ),
        // Seen as it happens, it is no news.
        (
            one(),
            vec![Action::Tab(Tab::Stage), run(), Action::Tab(Tab::Terminal)],
            r#"log ["docker pull busybox", "docker run -d --name box busybox sleep 1d"] at 2/2"#,
        ),
        // What leaves the stage as it was is no news either.
        (
            one(),
            vec![Action::Submit("docker images".into())],
            r#"log ["docker pull busybox", "docker images"] at 2/2"#,
        ),
        (
            one(),
            vec![Action::Submit("echo hi > note".into())],
            r#"log ["docker pull busybox", "echo hi > note"] at 2/2"#,
        ),
        // Stepping back on the timeline changes the stage too.
        (one(), vec![Action::Seek(0)], "log [] at 0/1 stage-news"),
    ];
    for (start, actions, want) in cases {
        check(start, actions, want);
    }
}

#[test]
fn lessons_keep_their_work_and_the_sandbox_its_own() {
    let layers = lesson("layers");
    let setup = setup_log(&LESSONS[layers]);
    let first = LESSONS[layers].solution[0].trim().to_owned();
    let at = |step: usize| {
        let mut log = setup.clone();
        log.extend(
            LESSONS[layers].solution[..step]
                .iter()
                .map(|l| l.trim().to_owned()),
        );
        log
    };
    let cases = vec![
        (
            sandbox(&["docker ps"]),
            vec![Action::Choose(Some(layers))],
            format!(
                r#"log {:?} at {n}/{n} lesson layers step 0 sandbox ["docker ps"]"#,
                setup,
                n = setup.len()
            ),
        ),
        (
            sandbox(&["docker ps"]),
            vec![
                Action::Choose(Some(layers)),
                Action::Step(true),
                Action::Choose(None),
            ],
            r#"log ["docker ps"] at 1/1 kept ["layers"] stage-news"#.to_owned(),
        ),
        (
            sandbox(&["docker ps"]),
            vec![
                Action::Choose(Some(layers)),
                Action::Step(true),
                Action::Choose(None),
                Action::Choose(Some(layers)),
            ],
            format!(
                r#"log {:?} at {n}/{n} lesson layers step 1 sandbox ["docker ps"] kept ["layers"] stage-news"#,
                at(1),
                n = setup.len() + 1
            ),
        ),
        (
            sandbox(&[]),
            vec![
                Action::Choose(Some(layers)),
                Action::Submit(first.clone()),
                Action::Reset,
            ],
            format!(
                r#"log {:?} at {n}/{n} lesson layers step 0 sandbox [] stage-news"#,
                setup,
                n = setup.len()
            ),
        ),
        (
            sandbox(&[]),
            vec![
                Action::Choose(Some(layers)),
                Action::Step(true),
                Action::Step(false),
            ],
            format!(
                r#"log {:?} at {n}/{m} lesson layers step 0 sandbox [] stage-news"#,
                setup,
                n = setup.len(),
                m = setup.len() + 1
            ),
        ),
    ];
    for (start, actions, want) in cases {
        check(start, actions, &want);
    }
}

#[test]
fn a_solution_plays_to_its_end_and_the_goal_is_remembered() {
    let layers = lesson("layers");
    let steps = LESSONS[layers].solution.len();
    let mut actions = vec![Action::Choose(Some(layers)), Action::ShowSolution];
    actions.extend(std::iter::repeat_n(Action::Advance, steps));
    let mut s = Rc::new(sandbox(&[]));
    for a in actions {
        s = s.reduce(a);
    }
    assert_eq!((s.step(), s.playing, s.reached), (steps, None, true));
    assert_eq!(s.done, ["layers"]);
    // Presenter mode stops the lesson playing; the goal stays reached.
    let s = Rc::new(AppState {
        playing: Some(Play::Lesson),
        ..(*s).clone()
    })
    .reduce(Action::Presenter);
    assert_eq!((s.presenter, s.playing, s.reached), (true, None, true));
}

/// → runs a lesson's steps; once they have run and the goal is reached it
/// goes on to the next lesson, and after the last one to the sandbox. A
/// lesson whose goal is not reached stays where it is.
#[test]
fn the_right_arrow_goes_on_to_the_next_lesson_once_the_goal_is_reached() {
    let last = LESSONS.len() - 1;
    for (i, want) in [(lesson("layers"), Some(lesson("layers") + 1)), (last, None)] {
        let steps = LESSONS[i].solution.len();
        let mut s = Rc::new(sandbox(&[])).reduce(Action::Choose(Some(i)));
        for _ in 0..steps {
            s = s.reduce(Action::Step(true));
        }
        assert_eq!((s.step(), s.reached), (steps, true), "lesson {i}");
        let s = s.reduce(Action::Step(true));
        assert_eq!(s.lesson, want, "lesson {i}: → after the goal");
    }
    // Without the goal, → at the end of the steps stays.
    let i = lesson("layers");
    let s = Rc::new(sandbox(&[])).reduce(Action::Choose(Some(i)));
    let s = s.reduce(Action::Step(true));
    assert_eq!(s.lesson, Some(i));
}

#[test]
fn an_opened_scenario_can_be_brought_back_until_a_command_runs() {
    let opened = || Action::Open {
        workspace: Shared::new(Workspace::replay(&lines(&["docker images"]))),
        lesson: None,
    };
    let cases = vec![
        (
            vec![opened()],
            r#"log ["docker images"] at 1/1 opened(before ["docker ps"])"#,
        ),
        (
            vec![opened(), Action::BringBackOpened],
            r#"log ["docker ps"] at 1/1"#,
        ),
        (
            vec![Action::Refused(Refused::NotText)],
            r#"log ["docker ps"] at 1/1 refused NotText"#,
        ),
    ];
    for (actions, want) in cases {
        check(sandbox(&["docker ps"]), actions, want);
    }
    let s = Rc::new(sandbox(&["docker ps"])).reduce(opened());
    assert!(s.opened_on_show().is_some());
    let s = s.reduce(Action::Submit("docker ps".into()));
    assert!(s.opened_on_show().is_none(), "a command ran after it");
}

#[test]
fn the_editor_follows_the_project_dockerfile_and_saves_what_builds() {
    let s = Rc::new(sandbox(&[])).reduce(Action::Submit(
        "cat > /root/app/Dockerfile <<'EOF'\nFROM busybox\nEOF".into(),
    ));
    assert_eq!(s.dockerfile, "FROM busybox\n");
    let s = s
        .reduce(Action::Edit("FROM busybox\nRUN echo hi > /hi\n".into()))
        .reduce(Action::Build);
    assert_eq!(s.workspace.console.log.len(), 3);
    assert_eq!(s.dockerfile, "FROM busybox\nRUN echo hi > /hi\n");
    assert!(s.workspace.session.host.image("app").is_ok());
}

#[test]
fn a_link_carries_the_state_on_show_and_autosave_the_progress() {
    let layers = lesson("layers");
    let s = Rc::new(sandbox(&["docker ps"]))
        .reduce(Action::Choose(Some(layers)))
        .reduce(Action::Step(true));
    let saved = s.saved();
    assert_eq!((saved.lesson.as_deref(), saved.step), (Some("layers"), 1));
    assert_eq!(saved.sandbox, Some(lines(&["docker ps"])));
    let link = s.link();
    assert_eq!((link.sandbox, link.done.len(), link.step), (None, 0, 1));
    assert_eq!(link.commands, saved.commands);
}

#[test]
fn an_action_that_changes_nothing_keeps_the_state() {
    let s = Rc::new(sandbox(&["docker ps"]));
    for a in [
        Action::Settled(true),
        Action::Redo,
        Action::Seek(1),
        Action::Choose(None),
    ] {
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(a.clone())), "{a:?}");
    }
}

/// A sandbox whose Dockerfile's RUN writes more than `HASH_INLINE` bytes.
fn big_build(defer: bool) -> AppState {
    AppState {
        defer_hashing: defer,
        ..sandbox(&[
            r"printf 'FROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=6\n' > Dockerfile",
        ])
    }
}

const BUILD: &str = "docker build -t big .";

/// Hashes what the state waits for, in slices, as the page's hook does.
fn hash_all(s: &AppState) {
    let h = s.hashing.as_ref().expect("waiting for digests");
    let mut slices = 0;
    while !h.step(1 << 20) {
        slices += 1;
        let (done, total) = h.progress();
        assert!(done < total);
    }
    assert!(slices >= 6, "{slices} slices");
}

#[test]
fn a_command_with_large_layers_waits_for_their_digests_then_shows_what_inline_hashing_shows() {
    let inline = Rc::new(big_build(false)).reduce(Action::Submit(BUILD.into()));
    assert!(inline.hashing.is_none());

    let start = Rc::new(big_build(true));
    let waiting = start.clone().reduce(Action::Submit(BUILD.into()));
    // Nothing ran yet: the state on show is the one before the command.
    assert_eq!(summary(&waiting), summary(&start));
    assert!(waiting.workspace == start.workspace, "the same snapshot");
    let (done, total) = waiting.hashing.as_ref().expect("waiting").progress();
    assert_eq!(done, 0);
    assert!(total > 6 << 20, "{total}");
    // Another line typed meanwhile changes nothing; the language may change.
    let waiting = waiting.reduce(Action::Submit("docker ps".into()));
    assert_eq!(summary(&waiting), summary(&start));
    let waiting = waiting.reduce(Action::Lang(Lang::Zh));
    assert_eq!(waiting.lang, Lang::Zh);

    hash_all(&waiting);
    let done = waiting.reduce(Action::Hashed);
    assert!(done.hashing.is_none());
    assert_eq!(
        done.workspace.console.screen,
        inline.workspace.console.screen
    );
    assert_eq!(
        summary(&done),
        r#"log ["printf 'FROM busybox\\nRUN dd if=/dev/zero of=/big bs=1M count=6\\n' > Dockerfile", "docker build -t big ."] at 2/2 stage-news"#
    );
    // Undo takes the build back, redo brings it with no wait (its digests are known).
    let undone = done.reduce(Action::Undo);
    assert_eq!(undone.workspace.console.log.len(), 1);
    let redone = undone.reduce(Action::Redo);
    assert!(redone.hashing.is_none());
    assert_eq!(redone.workspace.console.log.len(), 2);
}

#[test]
fn cancelling_the_wait_leaves_the_state_as_before_the_command() {
    let start = Rc::new(big_build(true));
    let waiting = start.clone().reduce(Action::Submit(BUILD.into()));
    assert!(waiting.hashing.is_some());
    let cancelled = waiting.reduce(Action::CancelHashing);
    assert_eq!(*cancelled, *start);
    // The next command runs.
    let next = cancelled.reduce(Action::Submit("docker images".into()));
    assert_eq!(next.workspace.console.log.len(), 2);
    assert!(next.hashing.is_none());
}

#[test]
fn replaying_the_sandbox_waits_for_large_digests_too() {
    // A thread of its own starts with the engine's memo empty, as a reload does.
    std::thread::spawn(|| {
        let start = AppState {
            defer_hashing: true,
            ..sandbox(&[
                r"printf 'FROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=6\n' > Dockerfile",
                BUILD,
            ])
        };
        let layers = lesson("layers");
        let away = Rc::new(start).reduce(Action::Choose(Some(layers)));
        assert!(away.hashing.is_none());
        // Back to the sandbox replays its lines, the build among them.
        let waiting = away.clone().reduce(Action::Choose(None));
        assert_eq!(summary(&waiting), summary(&away));
        hash_all(&waiting);
        let back = waiting.reduce(Action::Hashed);
        assert_eq!(back.lesson, None);
        assert_eq!(back.workspace.console.log.len(), 2);
    })
    .join()
    .expect("the replay waited and then ran");
}

#[test]
fn the_work_reopened_once_all_of_the_code_is_here_takes_the_place_of_the_empty_start() {
    let empty = Rc::new(AppState::new(Lang::Zh, Shared::new(Workspace::default())));
    let saved = empty
        .clone()
        .reduce(Action::Submit("docker pull busybox".into()));
    let reopened = empty.reduce(Action::Reopened(Box::new((*saved).clone())));
    assert!(reopened == saved);
    assert_eq!(summary(&reopened), summary(&saved));
}

#[test]
fn what_is_done_while_saved_work_is_restored_waits_for_it() {
    let restoring = || AppState {
        restoring: Some(crate::replay::Progress::default()),
        ..sandbox(&[])
    };
    let restored = || Action::Restored(Shared::new(Workspace::replay(&lines(&["echo saved"]))));
    // (actions, the state then)
    let cases = [
        (
            vec![
                Action::Submit("echo typed".into()),
                Action::Speed(50),
                restored(),
            ],
            r#"log ["echo saved", "echo typed"] at 2/2"#,
        ),
        (
            vec![Action::Submit("echo typed".into()), Action::Undo],
            "log [] at 0/0",
        ),
        (
            vec![
                Action::Submit("echo a".into()),
                Action::Submit("echo b".into()),
                Action::Undo,
                restored(),
            ],
            r#"log ["echo saved", "echo a"] at 2/3"#,
        ),
        (
            vec![Action::Choose(Some(lesson("layers"))), restored()],
            r#"log [] at 0/0 lesson layers step 0 sandbox ["echo saved"]"#,
        ),
    ];
    for (actions, want) in cases {
        check(restoring(), actions, want);
    }
}

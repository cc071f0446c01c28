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
        (three(), vec![Action::Seek(0)], "log [] at 0/3"),
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
            r#"log ["docker ps"] at 1/1 kept ["layers"]"#.to_owned(),
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
                r#"log {:?} at {n}/{n} lesson layers step 1 sandbox ["docker ps"] kept ["layers"]"#,
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
                r#"log {:?} at {n}/{n} lesson layers step 0 sandbox []"#,
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
                r#"log {:?} at {n}/{m} lesson layers step 0 sandbox []"#,
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

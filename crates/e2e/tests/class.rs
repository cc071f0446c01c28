//! A class on it: the presenter's keys right after load, the keyboard's way to
//! the terminal, and work that is never lost by moving around.

use layerlab_e2e::{choose_lesson, terminal_text, type_command as run, Browser, Harness};

/// Goes back to the free sandbox (entry 0 of the lesson list).
fn sandbox(b: &Browser) -> Result<(), String> {
    b.execute(
        "const s = document.getElementById('lesson');
         s.value = s.options[0].value;
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )?;
    b.wait_until("the sandbox", || {
        b.find(".lesson .task").is_err().then_some(())
    })
}

fn caption(b: &Browser) -> Option<String> {
    b.find(".caption").ok().and_then(|e| b.text(&e).ok())
}

#[test]
fn presenter_keys_work_right_after_load_and_after_choosing_a_lesson() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en&present=1");
    h.run("presenter_keys", |b| {
        b.goto(&url)?;
        b.execute(
            "localStorage.setItem('layerlab.autosave', JSON.stringify({version: 1, lang: 'en',
               dockerfile: 'FROM busybox\\n', commands: [], lesson: 'layers'}));",
            vec![],
        )?;
        b.goto(&url)?;
        b.wait_for(".app.presenter .caption")?;
        // Nothing was clicked: the focus is on the page itself.
        b.keys("\u{E014}")?;
        b.wait_until("→ to run the first step", || {
            caption(b).filter(|c| c.contains("Step 1/"))
        })?;
        // Choosing another lesson with the keyboard, then →: a step, not the next lesson.
        b.execute("document.getElementById('lesson').focus()", vec![])?;
        b.keys("\u{E015}")?;
        b.wait_until("lesson 2's caption", || {
            caption(b).filter(|c| c.contains("Step 0/"))
        })?;
        let chosen = b.execute("return document.getElementById('lesson').value;", vec![])?;
        b.keys("\u{E014}")?;
        b.wait_until("→ to run lesson 2's first step", || {
            caption(b).filter(|c| c.contains("Step 1/"))
        })?;
        let still = b.execute("return document.getElementById('lesson').value;", vec![])?;
        if still != chosen {
            return Err(format!("→ changed the lesson from {chosen} to {still}"));
        }
        b.execute("localStorage.clear();", vec![])?;
        Ok(())
    });
}

#[test]
fn the_terminal_is_three_keys_away_and_takes_a_command() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("tab_to_terminal", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        let mut presses = 0;
        loop {
            let at = b.execute(
                "return document.activeElement.id || document.activeElement.className;",
                vec![],
            )?;
            if at == "command" {
                break;
            }
            if presses >= 3 {
                return Err(format!("after {presses} keys the focus is on {at}"));
            }
            // Tab to the skip link, Enter to follow it.
            b.keys(if at == "skip-link" {
                "\u{E007}"
            } else {
                "\u{E004}"
            })?;
            presses += 1;
            // Following the link moves the focus once the page has drawn
            // the terminal: the next key waits for the focus to move.
            b.wait_until("the focus to move", || {
                b.execute(
                    "return document.activeElement.id || document.activeElement.className;",
                    vec![],
                )
                .ok()
                .filter(|now| *now != at)
            })?;
        }
        b.keys("docker images\u{E007}")?;
        b.wait_until("the command's output", || {
            terminal_text(b).ok().filter(|t| t.contains("REPOSITORY"))
        })?;
        let hash = b.execute("return location.hash;", vec![])?;
        if hash != "" {
            return Err(format!("the skip link changed the address: {hash}"));
        }
        Ok(())
    });
}

#[test]
fn a_lessons_work_and_the_timelines_later_commands_are_never_lost() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("work_kept", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        b.execute("localStorage.clear();", vec![])?;
        choose_lesson(b, 3)?;
        run(b, "echo lesson-three-work")?;
        b.wait_until("the echo", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("lesson-three-work\n"))
        })?;
        sandbox(b)?;
        choose_lesson(b, 3)?;
        b.wait_until("lesson 3's work back", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("echo lesson-three-work"))
        })?;
        // The sandbox: four commands, back to the first, then a new one.
        sandbox(b)?;
        for n in 1..=4 {
            run(b, &format!("echo step-{n}"))?;
        }
        b.wait_until("four steps", || {
            terminal_text(b).ok().filter(|t| t.contains("step-4\n"))
        })?;
        b.click(&b.find("#timeline-start")?)?;
        b.click(&b.find("#timeline-forward")?)?;
        run(b, "echo another-way")?;
        let bring = b.wait_for("#bring-back-timeline")?;
        b.click(&bring)?;
        b.wait_until("the later commands back", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("step-4\n") && !t.contains("another-way\n"))
        })?;
        Ok(())
    });
}

//! Lessons in a language switched midway, and presenter mode on a projector.

use super::*;

#[test]
fn switching_language_in_the_middle_of_lesson_7_keeps_everything() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("lesson7-language", |b| {
        b.goto(&url)?;
        b.wait_for("#lesson")?;
        b.execute("document.getElementById('lesson').focus()", vec![])?;
        b.keys(&"\u{E015}".repeat(7))?;
        b.wait_until("lesson 7", || {
            b.find(".lesson .task")
                .ok()
                .and_then(|e| b.text(&e).ok())
                .filter(|t| t.contains("libcrypto.so.3"))
        })?;
        b.click(&b.find("#lesson-hint")?)?;
        // Predict, then check: the answer comes from the engine.
        let guess = b.find("#quiz-guess")?;
        b.type_into(&guess, "1B")?;
        b.click(&b.find("#quiz-check")?)?;
        let verdict = b.wait_until("the verdict", || {
            b.find(".quiz-verdict").ok().and_then(|e| b.text(&e).ok())
        })?;
        // A wrong guess is said to be wrong, and the answer waits to be asked for.
        if verdict.contains("4.46MB") || !verdict.contains("Not quite") {
            return Err(format!("a wrong guess's verdict: {verdict}"));
        }
        b.click(&b.find("#quiz-reveal")?)?;
        let shown = b.wait_until("the answer", || {
            b.find(".quiz-verdict.shown")
                .ok()
                .and_then(|e| b.text(&e).ok())
        })?;
        if !shown.contains("4.46MB") {
            return Err(format!("the answer shown: {shown}"));
        }
        b.click(&b.find("#lesson-solution")?)?;
        b.wait_for(".goal.reached")?;
        // The solution plays line by line: wait for its last one.
        let before = b.wait_until("the solution's last line", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("$ docker ps -s") && t.contains("(virtual"))
        })?;
        b.click(&b.find("button[data-lang='zh']")?)?;
        let task = b.wait_until("the task in Chinese", || {
            b.find(".lesson .task")
                .ok()
                .and_then(|e| b.text(&e).ok())
                .filter(|t| t.contains("追加"))
        })?;
        let kept = [
            (".hints li", "the hint"),
            (".goal.reached", "the reached goal"),
            (".quiz-verdict", "the quiz verdict"),
        ];
        for (css, what) in kept {
            if b.find(css).is_err() {
                return Err(format!("{what} is gone after switching language ({task})"));
            }
        }
        let after = terminal_text(b)?;
        if after != before {
            return Err("the terminal changed when the language did".into());
        }
        // The stage is drawn again in Chinese, but what the last command did
        // is not played again.
        if b.find("svg.stage.still").is_err() {
            return Err("the stage animates again when only the language changed".into());
        }
        b.screenshot(&artifacts_dir().join("lesson7-zh-1280x720.png"))?;
        // Undo takes the solution's last command back, redo brings it again.
        b.click(&b.find("#undo")?)?;
        b.wait_until("the last command undone", || {
            terminal_text(b)
                .ok()
                .filter(|t| !t.contains("$ docker ps -s"))
        })?;
        b.click(&b.find("#redo")?)?;
        b.wait_until("the command redone", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("$ docker ps -s"))
        })?;
        Ok(())
    });
}

/// The smallest text on screen, in CSS pixels as drawn (SVG text scaled with
/// its drawing), and the element that has it: `[size, "tag.class"]`.
const SMALLEST_TEXT: &str = "let min = 1e9, what = ''; for (const el of document.querySelectorAll('body *')) { \
    if (!el.childNodes.length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue; \
    const r = el.getBoundingClientRect(); if (!r.width || !r.height) continue; \
    let s = parseFloat(getComputedStyle(el).fontSize); \
    if (el instanceof SVGElement) { s = r.height / (el.getBBox ? Math.max(el.getBBox().height, 1) : 1) * s; } \
    if (s < min) { min = s; what = el.tagName + '.' + (el.getAttribute('class') || ''); } } \
  return [min, what];";

#[test]
fn presenter_mode_steps_through_a_lesson_in_large_type() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("presenter", |b| {
        b.goto(&url)?;
        b.wait_for("#lesson")?;
        b.execute("document.getElementById('lesson').focus()", vec![])?;
        b.keys(&"\u{E015}".repeat(4))?;
        b.wait_until("lesson 4", || {
            b.find(".lesson .task")
                .ok()
                .and_then(|e| b.text(&e).ok())
                .filter(|t| t.contains("web1"))
        })?;
        b.click(&b.find("#presenter")?)?;
        b.wait_for(".app.presenter .caption")?;
        // The caption once it shows `step`, after `why`.
        let caption_at = |step: &str, why: &str| {
            b.wait_until(&format!("step {step} in the caption {why}"), || {
                b.find(".caption")
                    .ok()
                    .and_then(|e| b.text(&e).ok())
                    .filter(|t| t.contains(step))
            })
        };
        // → twice: two steps of the solution run; ← takes one back.
        b.keys("\u{E014}")?;
        b.keys("\u{E014}")?;
        let caption = caption_at("2/3", "after → →")?;
        if !caption.contains("docker run -d --name web2 nginx") {
            return Err(format!("caption: {caption}"));
        }
        b.keys("\u{E012}")?;
        caption_at("1/3", "after ←")?;
        // The timeline moved by hand moves the presenter's place with it.
        // (button, the step it leads to)
        for (button, step) in [
            ("#timeline-forward", "2/3"),
            ("#timeline-start", "0/3"),
            ("#timeline-end", "2/3"),
        ] {
            b.click(&b.find(button)?)?;
            caption_at(step, &format!("after {button}"))?;
        }
        // Nothing visible is set under 20 px.
        let smallest = b.execute(SMALLEST_TEXT, vec![])?;
        let size = smallest[0].as_f64().unwrap_or(0.0);
        if size < 20.0 {
            return Err(format!(
                "text at {size}px in presenter mode: {}",
                smallest[1]
            ));
        }
        // The whole picture is on the projector's screen at once, beside the caption.
        b.execute("window.scrollTo(0, 0)", vec![])?;
        let fits = b.execute(
            "const s = document.querySelector('.stage').getBoundingClientRect(); \
             const c = document.querySelector('.caption').getBoundingClientRect(); \
             return [s.top, s.bottom, s.right, innerHeight, innerWidth, c.right <= s.left];",
            vec![],
        )?;
        let at = |i: usize| fits[i].as_f64().unwrap_or(f64::NAN);
        if !(at(0) >= 0.0 && at(1) <= at(3) && at(2) <= at(4)) || fits[5] != true {
            return Err(format!(
                "the stage is not whole on screen beside the caption: {fits}"
            ));
        }
        // The screenshot once the newest container has risen into place.
        b.wait_until("the stage's animations to end", || {
            b.execute(
                "return document.getAnimations().length === 0 || null;",
                vec![],
            )
            .ok()
            .and_then(|v| v.as_bool())
        })?;
        b.screenshot(&artifacts_dir().join("presenter-1280x720.png"))?;
        Ok(())
    });
}

/// Each lesson, played to its end in presenter mode on a 1280×720 projector:
/// the stage is whole in the screen's height, and its labels are 20 px or more
/// (several images side by side scroll sideways instead of shrinking).
#[test]
fn presenter_mode_keeps_every_lessons_stage_on_screen_and_legible() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("presenter_lessons", |b| {
        b.goto(&url)?;
        b.wait_for("#lesson")?;
        let lessons = b
            .execute("return document.querySelectorAll('#lesson option').length - 1;", vec![])?
            .as_u64()
            .unwrap_or(0);
        if lessons < 11 {
            return Err(format!("{lessons} lessons in the list"));
        }
        for lesson in 1..=lessons as usize {
            b.execute("localStorage.clear()", vec![])?;
            b.goto(&url)?;
            b.wait_for("#lesson")?;
            b.execute("document.getElementById('lesson').focus()", vec![])?;
            b.keys(&"\u{E015}".repeat(lesson))?;
            b.click(&b.find("#presenter")?)?;
            b.wait_for(".app.presenter .caption")?;
            // → until the caption says the last step ran: "Step n/n".
            b.wait_until(&format!("lesson {lesson}'s last step"), || {
                let caption = b.find(".caption").ok().and_then(|e| b.text(&e).ok())?;
                let (done, of) = caption.split_once("Step ")?.1.split(':').next()?.split_once('/')?;
                if done == of {
                    return Some(());
                }
                b.keys("\u{E014}").ok()?;
                None
            })?;
            b.execute("window.scrollTo(0, 0)", vec![])?;
            let stage = b.execute(
                "const r = document.querySelector('.stage').getBoundingClientRect(); return [r.top, r.bottom, innerHeight];",
                vec![],
            )?;
            let at = |i: usize| stage[i].as_f64().unwrap_or(f64::NAN);
            if !(at(0) >= 0.0 && at(1) <= at(2)) {
                return Err(format!("lesson {lesson}: the stage runs off the screen: {stage}"));
            }
            let smallest = b.execute(SMALLEST_TEXT, vec![])?;
            if smallest[0].as_f64().unwrap_or(0.0) < 20.0 {
                return Err(format!("lesson {lesson}: text at {}px: {}", smallest[0], smallest[1]));
            }
        }
        Ok(())
    });
}

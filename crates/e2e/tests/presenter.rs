//! Presenter mode in a room: at 1280×720, after a lesson's steps run, the
//! step's caption and the one event that matters are on screen without
//! scrolling. Screenshots go to `target/e2e-artifacts/presenter-*.png`; and
//! Layerlab's own notes in the terminal are in the learner's language.

use layerlab_e2e::{artifacts_dir, choose_lesson, terminal_text, type_command, Browser, Harness};

const HEIGHT: u32 = 720;

/// (lesson id, language, steps to run, the lesson's steps, the headline's
/// text (empty: the step's first event), the screenshot's name)
const CASES: &[(&str, &str, usize, usize, &str, &str)] = &[
    (
        "layers",
        "en",
        2,
        2,
        "COPY . /app",
        "presenter-lesson-1-1280x720.png",
    ),
    ("sharing", "en", 3, 3, "", "presenter-lesson-4-1280x720.png"),
    (
        "cow",
        "en",
        1,
        2,
        "4.46MB",
        "presenter-lesson-7-1280x720.png",
    ),
    (
        "cow",
        "zh",
        1,
        2,
        "4.46MB",
        "presenter-lesson-7-zh-1280x720.png",
    ),
];

/// Opens lesson `id` in presenter mode, in `lang`, from a fresh start, as
/// its picker does (its setup runs).
fn open_lesson(b: &mut Browser, url: &str, id: &str) -> Result<(), String> {
    b.goto(url)?;
    b.execute("localStorage.clear();", vec![])?;
    b.goto(url)?;
    b.wait_for(".app.presenter .caption")?;
    let index = b.execute(
        "return [...document.getElementById('lesson').options].findIndex(o => o.value !== 'sandbox' && Number(o.value) === arguments[0]);",
        vec![LESSON_IDS.iter().position(|l| *l == id).ok_or("no such lesson")?.into()],
    )?;
    choose_lesson(b, index.as_u64().ok_or("no such entry")?)
}

/// The lessons' ids in their order (the picker's values are their indices).
const LESSON_IDS: &[&str] = &[
    "layers",
    "container",
    "writable",
    "sharing",
    "drivers",
    "size",
    "cow",
    "pull",
    "disk",
    "commit",
    "image-size",
];

/// Where an element lies in the window: (top, bottom), and the page's scroll.
fn place(b: &Browser, script: &str) -> Result<Option<(f64, f64, f64)>, String> {
    let v = b.execute(
        &format!(
            "const e = (() => {{ {script} }})();
             if (!e) return null;
             const r = e.getBoundingClientRect();
             return [r.top, r.bottom, window.scrollY];"
        ),
        vec![],
    )?;
    Ok(v.as_array().and_then(|a| {
        Some((
            a.first()?.as_f64()?,
            a.get(1)?.as_f64()?,
            a.get(2)?.as_f64()?,
        ))
    }))
}

#[test]
fn each_steps_caption_and_headline_event_fit_in_720_pixels() {
    let mut h = Harness::start(1280, HEIGHT).expect("harness");
    for &(id, lang, run, steps, headline, shot) in CASES {
        let url = h.app_url(&format!("?lang={lang}&present=1"));
        h.run(&format!("presenter_{id}_{lang}"), |b| {
            open_lesson(b, &url, id)?;
            for step in 1..=run {
                b.keys("\u{E014}")?;
                let want = format!("{step}/{steps}");
                b.wait_until(&format!("step {want}"), || {
                    b.find(".caption")
                        .and_then(|c| b.text(&c))
                        .ok()
                        .filter(|c| c.contains(&want))
                })
                .map_err(|e| {
                    format!(
                        "{e}; the terminal shows: {}",
                        terminal_text(b).unwrap_or_default()
                    )
                })?;
            }
            // The headline: the named event, or the step's first event, once
            // the timeline has played it in; what the window shows at its
            // middle is the event itself (not scrolled away in its list).
            let pick = format!(
                "const items = [...document.querySelectorAll('.activity-pane .activity > li')];
                 const want = {headline:?};
                 const e = want ? items.find(li => li.textContent.includes(want)) : items[0];
                 if (!e) return null;
                 const r = e.getBoundingClientRect();
                 const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                 return hit && e.contains(hit) ? e : null;"
            );
            let seen = b.wait_until("the headline event on screen", || {
                place(b, &pick).ok().flatten()
            });
            b.screenshot(&artifacts_dir().join(shot))?;
            let (top, bottom, scroll) = seen?;
            let (ctop, cbottom, _) = place(
                b,
                "return document.querySelector('.presenter-bar .caption');",
            )?
            .ok_or("no caption")?;
            let limit = f64::from(HEIGHT);
            if scroll != 0.0 {
                return Err(format!("the page scrolled by {scroll}px"));
            }
            if top < 0.0 || bottom > limit {
                return Err(format!(
                    "the headline lies at y={top}..{bottom}, outside 0..{limit}"
                ));
            }
            if ctop < 0.0 || cbottom > limit {
                return Err(format!("the caption lies at y={ctop}..{cbottom}"));
            }
            Ok(())
        });
    }
}

#[test]
fn layerlabs_own_note_in_the_terminal_is_in_chinese() {
    let mut h = Harness::start(1280, HEIGHT).expect("harness");
    let url = h.app_url("?lang=zh");
    h.run("note_in_chinese", |b| {
        b.goto(&url)?;
        b.execute("localStorage.clear();", vec![])?;
        b.goto(&url)?;
        b.wait_for("#command")?;
        type_command(b, "echo hi &")?;
        let text = b.wait_until("the note", || {
            terminal_text(b).ok().filter(|t| t.contains("（&）"))
        })?;
        if !text.contains("后台作业（&）不做模拟") || text.contains("background jobs") {
            return Err(format!("the note is not in Chinese: {text}"));
        }
        // The same line in English is the engine's own text.
        b.click(&b.find("button.lang[data-lang='en']")?)?;
        b.wait_until("the English note", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("background jobs (&) are not simulated"))
        })?;
        b.execute("localStorage.clear();", vec![])?;
        Ok(())
    });
}

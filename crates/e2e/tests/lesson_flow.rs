//! A lesson's success moment: once its goal is reached it says so and offers
//! the next lesson, which one click opens.

use layerlab_e2e::{choose_lesson, Harness};

#[test]
fn a_reached_goal_offers_the_next_lesson() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=zh");
    h.run("next_lesson", |b| {
        b.goto(&url)?;
        b.execute("localStorage.clear();", vec![])?;
        b.goto(&url)?;
        b.wait_for("#lesson")?;
        // Lesson 2 (entry 2: the sandbox is entry 0).
        choose_lesson(b, 2)?;
        b.click(&b.find("#lesson-solution")?)?;
        let next = b.wait_for(".goal.success #lesson-next")?;
        let label = b.text(&next)?;
        if label != "下一课 →" {
            return Err(format!("the button says {label:?}"));
        }
        b.click(&next)?;
        b.wait_until("lesson 3 chosen", || {
            b.execute("return document.getElementById('lesson').value;", vec![])
                .ok()
                .filter(|v| v == "2")
        })?;
        if b.find(".goal.success").is_ok() {
            return Err("lesson 3 opened as if its goal were reached".into());
        }
        b.execute("localStorage.clear();", vec![])?;
        Ok(())
    });
}

//! Focus follows a file editor: Edit moves it into the text area (typed text
//! lands there), and closing the editor gives it back to the Edit button.

use layerlab_e2e::Harness;

#[test]
fn focus_moves_into_an_opened_editor_and_back_when_it_closes() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("editor_focus", |b| {
        b.goto(&url)?;
        b.wait_for(".context-files")?;
        // The keyboard's way: focus app.py's Edit button and press Enter.
        b.execute(
            "[...document.querySelectorAll('.context-files li')].find(l => l.querySelector('.name').textContent === 'app.py').querySelector('.action').focus();",
            vec![],
        )?;
        b.keys("\u{E007}")?;
        b.wait_for("#context-text")?;
        let focused = || {
            b.execute(
                "const e = document.activeElement; return e.id || e.getAttribute('aria-label') || e.tagName;",
                vec![],
            )
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
        };
        b.wait_until("the focus in the editor", || {
            focused().filter(|f| f == "context-text")
        })?;
        b.keys("typed")?;
        let text = b.execute("return document.getElementById('context-text').value;", vec![])?;
        if !text.as_str().unwrap_or_default().contains("typed") {
            return Err(format!("the typed text went elsewhere: {text}"));
        }
        // Cancel: the focus is back on the button that opened the editor.
        b.execute(
            "[...document.querySelectorAll('.file-editor button')].find(x => x.id !== 'context-save').click();",
            vec![],
        )?;
        b.wait_until("the focus back on Edit app.py", || {
            focused().filter(|f| f == "Edit app.py")
        })?;
        Ok(())
    });
}

//! The terminal: type `docker …` lines, see Docker's output. History with ↑/↓,
//! Tab completion, `clear` and `help`.

use crate::console::{complete, Console, ScreenLine};
use crate::i18n::{t, Lang, Msg};
use layerlab_engine::command::Session;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct TerminalProps {
    pub lang: Lang,
    pub session: Rc<RefCell<Session>>,
    /// Called after every command, so other panes can redraw.
    pub on_change: Callback<()>,
}

impl PartialEq for TerminalProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && Rc::ptr_eq(&self.session, &other.session)
    }
}

#[function_component(Terminal)]
pub fn terminal(props: &TerminalProps) -> Html {
    let console = use_state(Console::default);
    let input = use_state(String::new);
    // How far back in history ↑ has gone (0: editing a new line).
    let back = use_state(|| 0usize);
    let screen_ref = use_node_ref();

    {
        let screen_ref = screen_ref.clone();
        use_effect_with(console.screen.len(), move |_| {
            if let Some(el) = screen_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                input.set(el.value());
            }
        })
    };

    let onkeydown = {
        let (console, input, back) = (console.clone(), input.clone(), back.clone());
        let session = props.session.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                let mut next = (*console).clone();
                next.submit(&mut session.borrow_mut(), &input);
                console.set(next);
                input.set(String::new());
                back.set(0);
                on_change.emit(());
            }
            "ArrowUp" => {
                e.prevent_default();
                if let Some(line) = console.recall(*back + 1) {
                    input.set(line.to_owned());
                    back.set(*back + 1);
                }
            }
            "ArrowDown" => {
                e.prevent_default();
                if *back > 1 {
                    if let Some(line) = console.recall(*back - 1) {
                        input.set(line.to_owned());
                    }
                    back.set(*back - 1);
                } else {
                    input.set(String::new());
                    back.set(0);
                }
            }
            "Tab" if !input.is_empty() => {
                if let Some(done) = complete(&session.borrow(), &input) {
                    e.prevent_default();
                    input.set(done);
                }
            }
            _ => {}
        })
    };

    let lines = console.screen.iter().map(|l| match l {
        ScreenLine::Input(text) => html! { <div class="line input"><span class="prompt" aria-hidden="true">{"$ "}</span>{ text }</div> },
        ScreenLine::Output(text) => html! { <div class="line out">{ text }</div> },
        ScreenLine::Error(text) => html! { <div class="line err">{ text }</div> },
    });

    html! {
        <section class="pane terminal-pane" aria-labelledby="terminal-heading">
            <h2 id="terminal-heading">{ t(props.lang, Msg::TerminalHeading) }</h2>
            <div class="screen" ref={screen_ref} role="log" aria-live="polite" aria-label={t(props.lang, Msg::TerminalOutput)} tabindex="0">
                if console.screen.is_empty() {
                    <div class="line hint">{ t(props.lang, Msg::TerminalHint) }</div>
                }
                { for lines }
            </div>
            <label class="command">
                <span class="prompt" aria-hidden="true">{"$"}</span>
                <span class="visually-hidden">{ t(props.lang, Msg::TerminalInput) }</span>
                <input id="command" type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                    value={(*input).clone()} {oninput} {onkeydown} />
            </label>
        </section>
    }
}

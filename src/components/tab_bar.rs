//! The tab bar at the foot of a narrow screen (a phone, a tablet): one pane
//! at a time, the stage one tap away. It follows the WAI-ARIA tabs pattern:
//! ← and → (Home, End) move along the tabs and choose them, only the chosen
//! tab is in the Tab order. A wide screen shows every pane and hides the bar.
//! When a command changes the stage while another tab is shown, the stage's
//! tab says so ("● changed") until it is chosen.

use crate::hooks::use_lang;
use crate::i18n::{t, Msg};
use crate::state::{Action, Tab};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TabBarProps {
    pub tab: Tab,
    /// The stage changed while another tab was shown.
    pub stage_news: bool,
    pub on_action: Callback<Action>,
}

/// The tab's label, its mark, and the pane it shows.
fn about(tab: Tab) -> (Msg, &'static str, &'static str) {
    match tab {
        Tab::Stage => (Msg::TabStage, "◆", "stage"),
        Tab::Terminal => (Msg::TabTerminal, "❯", "terminal-pane"),
        Tab::Lesson => (Msg::TabLesson, "✎", "lessons-pane"),
        Tab::Dockerfile => (Msg::TabDockerfile, "▤", "dockerfile-pane"),
        Tab::More => (Msg::TabMore, "⋯", "inspector-pane"),
    }
}

#[function_component(TabBar)]
pub fn tab_bar(props: &TabBarProps) -> Html {
    let lang = use_lang();
    let onkeydown = {
        let (on_action, tab) = (props.on_action.clone(), props.tab);
        Callback::from(move |e: KeyboardEvent| {
            let at = Tab::ALL.iter().position(|&t| t == tab).unwrap_or(0);
            let last = Tab::ALL.len() - 1;
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % Tab::ALL.len(),
                "ArrowLeft" => (at + last) % Tab::ALL.len(),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            e.prevent_default();
            let next = Tab::ALL[next];
            crate::browser::focus_id(&format!("tab-{}", next.name()));
            on_action.emit(Action::Tab(next));
        })
    };
    let tabs = Tab::ALL.iter().map(|&tab| {
        let (label, mark, pane) = about(tab);
        let chosen = tab == props.tab;
        // What changed out of sight is marked on its tab, with a word.
        let news = tab == Tab::Stage && props.stage_news && !chosen;
        let onclick = props
            .on_action
            .reform(move |_: MouseEvent| Action::Tab(tab));
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.name())}
                aria-selected={chosen.to_string()} aria-controls={pane}
                tabindex={if chosen { "0" } else { "-1" }} {onclick}>
                <span class="mark" aria-hidden="true">{ mark }</span>
                <span class="label">{ t(lang, label) }</span>
                if news {
                    <span class="news">{ "● " }{ t(lang, Msg::TabStageNews) }</span>
                }
            </button>
        }
    });
    html! {
        <div class="tab-bar" role="tablist" aria-label={t(lang, Msg::TabBar)} {onkeydown}>
            { for tabs }
        </div>
    }
}

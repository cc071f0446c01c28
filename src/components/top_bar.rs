//! The title, the tagline and the language switch.

use crate::hooks::use_lang;
use crate::i18n::{t, Lang, Msg};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub on_lang: Callback<Lang>,
    pub presenter: bool,
    pub on_presenter: Callback<()>,
}

#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let lang = use_lang();
    let buttons = Lang::ALL.iter().map(|&l| {
        let on_lang = props.on_lang.clone();
        let pressed = l == lang;
        html! {
            <button type="button" class="lang" data-lang={l.code()} lang={l.tag()}
                aria-pressed={pressed.to_string()}
                onclick={move |_| on_lang.emit(l)}>
                if pressed { <span class="check" aria-hidden="true">{"✓ "}</span> }
                { l.native_name() }
            </button>
        }
    });
    html! {
        <header class="top-bar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                    <rect x="4" y="20" width="24" height="6" rx="1.5" class="slab slab-1" />
                    <rect x="4" y="13" width="24" height="6" rx="1.5" class="slab slab-2" />
                    <rect x="4" y="6" width="24" height="6" rx="1.5" class="slab slab-3" />
                </svg>
                <h1>{"Layerlab"}</h1>
                <p class="tagline">{ t(lang, Msg::Tagline) }</p>
            </div>
            <div class="top-controls">
                <button type="button" id="presenter" class="presenter-toggle" aria-pressed={props.presenter.to_string()}
                    onclick={let cb = props.on_presenter.clone(); move |_| cb.emit(())}>
                    <span aria-hidden="true">{ "▣ " }</span>{ t(lang, Msg::PresenterButton) }
                </button>
                <div class="lang-switch" role="group" aria-label={t(lang, Msg::LanguageGroup)}>
                    { for buttons }
                </div>
            </div>
        </header>
    }
}

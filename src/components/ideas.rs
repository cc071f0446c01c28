//! The short list of ideas Layerlab makes visible (shown in the sandbox).

use crate::hooks::use_lang;
use crate::i18n::{t, Msg};
use yew::prelude::*;

const IDEAS: [Msg; 5] = [
    Msg::IdeaLayers,
    Msg::IdeaContainer,
    Msg::IdeaSharing,
    Msg::IdeaCopyOnWrite,
    Msg::IdeaDigests,
];

#[function_component(Ideas)]
pub fn ideas() -> Html {
    let lang = use_lang();
    html! {
        <>
            <h3 class="ideas-heading">{ t(lang, Msg::IdeasHeading) }</h3>
            <ol class="ideas">
                { for IDEAS.iter().map(|&m| html! { <li>{ t(lang, m) }</li> }) }
            </ol>
            <p class="offline">{ t(lang, Msg::Offline) }</p>
        </>
    }
}

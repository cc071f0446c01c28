//! The short list of ideas Layerlab makes visible (shown in the sandbox).

use crate::i18n::{t, Lang, Msg};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct IdeasProps {
    pub lang: Lang,
}

const IDEAS: [Msg; 5] = [
    Msg::IdeaLayers,
    Msg::IdeaContainer,
    Msg::IdeaSharing,
    Msg::IdeaCopyOnWrite,
    Msg::IdeaDigests,
];

#[function_component(Ideas)]
pub fn ideas(props: &IdeasProps) -> Html {
    html! {
        <>
            <h3 class="ideas-heading">{ t(props.lang, Msg::IdeasHeading) }</h3>
            <ol class="ideas">
                { for IDEAS.iter().map(|&m| html! { <li>{ t(props.lang, m) }</li> }) }
            </ol>
            <p class="offline">{ t(props.lang, Msg::Offline) }</p>
        </>
    }
}

//! A bare yew page: one heading, then the same performance mark the app sets
//! once it has drawn (`layerlab:ready`).

use yew::prelude::*;

#[function_component(Floor)]
fn floor() -> Html {
    use_effect_with((), |_| {
        if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
            let _ = perf.mark("layerlab:ready");
        }
    });
    html! { <h1 id="ready">{ "floor" }</h1> }
}

fn main() {
    yew::Renderer::<Floor>::new().render();
}

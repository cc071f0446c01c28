fn main() {
    layerlab::boot::watch_for_crashes();
    layerlab::split::init();
    let props = layerlab::app::AppProps {
        lang: None,
        autosave: true,
    };
    yew::Renderer::<layerlab::app::App>::with_props(props).render();
}

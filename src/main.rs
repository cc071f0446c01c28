fn main() {
    layerlab::boot::watch_for_crashes();
    layerlab::split::init();
    // One bundle: `?embed=1` draws the compact embed, anything else the app.
    if layerlab::browser::query_param("embed").is_some_and(|v| v == "1") {
        yew::Renderer::<layerlab::components::Embedded>::new().render();
        return;
    }
    let props = layerlab::app::AppProps {
        lang: None,
        autosave: true,
    };
    yew::Renderer::<layerlab::app::App>::with_props(props).render();
}

fn main() {
    yew::Renderer::<layerlab::app::App>::new().render();
}

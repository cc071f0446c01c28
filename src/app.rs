//! The root component.

use crate::browser;
use crate::components::{DiskUsage, DockerfileEditor, Ideas, Stage, Terminal, TopBar};
use crate::i18n::Lang;
use crate::TUTORIAL_DOCKERFILE;
use layerlab_engine::command::Session;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The starting language; `None` chooses from `?lang=` and the browser.
    #[prop_or_default]
    pub lang: Option<Lang>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let lang = use_state(|| props.lang.unwrap_or_else(browser::initial_language));
    let dockerfile = use_state(|| TUTORIAL_DOCKERFILE.to_owned());
    let session = use_mut_ref(Session::new);
    // Bumped after each command so panes showing engine state redraw.
    let revision = use_state(|| 0u64);

    use_effect_with(*lang, |lang| browser::set_document_language(*lang));
    use_effect_with((), |_| browser::mark("layerlab:ready"));

    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| lang.set(l))
    };
    let on_edit = {
        let dockerfile = dockerfile.clone();
        Callback::from(move |text: String| dockerfile.set(text))
    };

    let on_change = {
        let revision = revision.clone();
        Callback::from(move |()| revision.set(*revision + 1))
    };
    let session: Rc<RefCell<Session>> = session;

    html! {
        <div class="app">
            <TopBar lang={*lang} {on_lang} />
            <main class="workspace">
                <DockerfileEditor lang={*lang} text={(*dockerfile).clone()} {on_edit} />
                <Ideas lang={*lang} />
                <Terminal lang={*lang} session={session.clone()} {on_change} />
                <DiskUsage lang={*lang} session={session.clone()} revision={*revision} />
                <Stage lang={*lang} session={session.clone()} revision={*revision} />
            </main>
        </div>
    }
}

//! The learner's language, provided once by the root component
//! (`ContextProvider<Lang>`) to every pane.

use crate::i18n::Lang;
use yew::prelude::*;

/// The language in context; English where a pane is drawn alone.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::En)
}

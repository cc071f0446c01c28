//! A split build's first paint replays nothing (`boot::boot`): the page draws
//! itself empty, saying it restores, and once the rest of the code is here
//! the saved work or link opens as it would have at once without the split.
//! Actions taken meanwhile wait for the same code (`split::when_ready`), so
//! they reach the reopened state, in order.

use crate::app::{opening, AppProps};
use crate::boot::{boot, Boot};
use crate::state::{Action, AppState};
use std::rc::Rc;
use yew::prelude::*;

/// Reopens the app from its saved work once all of the code is here, if
/// the first paint put that off; `boot` then holds the new start.
#[hook]
pub fn use_open_later(
    props: &AppProps,
    started: UseStateHandle<Rc<Boot>>,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let props = props.clone();
    use_effect_with((), move |_| {
        let later = started.later.is_some();
        // Called on every start, so that the wait itself is first-load code.
        crate::split::after_linked(Box::new(move |_linked| {
            // Had the load failed, the first function reached that is not
            // here tries once more and reports the failure on the page.
            if later {
                reopen(&props, &started, &dispatcher);
            }
        }));
    });
}

#[inline(never)]
fn reopen(
    props: &AppProps,
    started: &UseStateHandle<Rc<Boot>>,
    dispatcher: &UseReducerDispatcher<AppState>,
) {
    let now = started.adopt(boot(props.autosave));
    dispatcher.dispatch(Action::Reopened(Box::new(opening(props, &now))));
    started.set(Rc::new(now));
}

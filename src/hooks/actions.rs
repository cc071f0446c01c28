//! A split build's first paint replays nothing (`boot::boot`): the page draws
//! itself empty, saying it restores, and once the rest of the code is here
//! the saved work or link opens as it would have at once without the split.
//! What the learner does meanwhile is held and done after it opens, in
//! order, so that it reaches their work rather than the empty stand-in.

use crate::app::{opening, AppProps};
use crate::boot::{boot, Boot, REOPEN_SLICE_MS};
use crate::shared::Shared;
use crate::state::{Action, AppState};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Actions held while saved work waits to open (`None` once it has).
type Held = Rc<RefCell<Option<Vec<Action>>>>;

/// The app's one action callback, for its whole life (panes that take it
/// redraw only when what they show changes): an action waits for the rest
/// of the code if it is on its way (`split::when_ready`), and for the saved
/// work to open if it is about to. Reopens the app from its saved work once
/// all of the code is here, if the first paint put that off; `started` then
/// holds the new start.
#[hook]
pub fn use_actions(
    props: &AppProps,
    started: UseStateHandle<Rc<Boot>>,
    dispatcher: UseReducerDispatcher<AppState>,
) -> Callback<Action> {
    let later = started.later.is_some();
    let held: Held = (*use_memo((), |_| Rc::new(RefCell::new(later.then(Vec::new))))).clone();
    let on_action = {
        let (dispatcher, held) = (dispatcher.clone(), held.clone());
        (*use_memo((), move |_| {
            Callback::from(move |a: Action| {
                if let Some(waiting) = held.borrow_mut().as_mut() {
                    waiting.push(a);
                    return;
                }
                let dispatcher = dispatcher.clone();
                crate::split::when_ready(move || dispatcher.dispatch(a));
            })
        }))
        .clone()
    };
    let props = props.clone();
    let on_action_later = on_action.clone();
    use_effect_with((), move |_| {
        // Called on every start, so that the wait itself is first-load code.
        crate::split::after_linked(Box::new(move |_linked| {
            // Had the load failed, the first function reached that is not
            // here tries once more and reports the failure on the page.
            if later {
                reopen(&props, &started, &dispatcher, &held, &on_action_later);
            } else {
                go_on_restoring(&started, on_action_later);
            }
        }));
    });
    on_action
}

#[inline(never)]
fn reopen(
    props: &AppProps,
    started: &UseStateHandle<Rc<Boot>>,
    dispatcher: &UseReducerDispatcher<AppState>,
    held: &Held,
    on_action: &Callback<Action>,
) {
    let now = started.adopt(boot(props.autosave, REOPEN_SLICE_MS));
    dispatcher.dispatch(Action::Reopened(Box::new(opening(props, &now))));
    go_on_restoring(&now, on_action.clone());
    started.set(Rc::new(now));
    // What was done meanwhile: while the replay goes on, the reducer
    // queues it in turn (`AppState::queued`).
    let waited = held.borrow_mut().take().unwrap_or_default();
    for action in waited {
        dispatcher.dispatch(action);
    }
}

/// Replays the rest of the saved work in slices, then puts it on show.
#[inline(never)]
fn go_on_restoring(boot: &Boot, on_action: Callback<Action>) {
    let Some(replay) = boot.waiting.borrow_mut().take() else {
        return;
    };
    yew::platform::spawn_local(async move {
        let progress = on_action.reform(Action::Restoring);
        let workspace = crate::replay::in_slices(replay, |p| progress.emit(p)).await;
        on_action.emit(Action::Restored(Shared::new(workspace)));
    });
}

//! Hashing an action's layer tars in slices (`state::Hashing`): about 25 ms
//! of hashing per turn of the event loop, so the page answers between them and the
//! progress line redraws; when every tar is hashed, the action runs again.
//! The loop belongs to the job list it was started for: when the state
//! stops waiting for it (Cancel), it stops at its next turn.

use crate::state::{Action, AppState, Hashing};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use yew::prelude::*;

/// Bytes hashed at a time; a turn hashes such pieces until [`TURN_MS`] passed.
pub const PIECE: u64 = 256 << 10;

/// How long one turn hashes: short enough for a busy machine's turn, with
/// drawing and input between, to stay far below 200 ms.
pub const TURN_MS: f64 = 25.0;

/// Hashes what the state waits for; returns (bytes hashed, of how many).
#[hook]
pub fn use_hashing(state: &AppState, on_action: Callback<Action>) -> Option<(u64, u64)> {
    let progress = use_state(|| None::<(u64, u64)>);
    {
        let progress = progress.clone();
        use_effect_with(state.hashing.clone(), move |hashing| {
            let stop = Rc::new(Cell::new(false));
            match hashing {
                Some(h) => {
                    progress.set(Some(h.progress()));
                    run(h.clone(), stop.clone(), progress, on_action);
                }
                None => progress.set(None),
            }
            move || stop.set(true)
        });
    }
    *progress
}

/// Hashes `h` a slice per turn until it is done or `stop` is set.
#[inline(never)]
fn run(
    h: Hashing,
    stop: Rc<Cell<bool>>,
    progress: UseStateHandle<Option<(u64, u64)>>,
    on_action: Callback<Action>,
) {
    yew::platform::spawn_local(async move {
        loop {
            yew::platform::time::sleep(Duration::ZERO).await;
            if stop.get() {
                return;
            }
            let start = js_sys::Date::now();
            let mut done = false;
            while !done && js_sys::Date::now() - start < TURN_MS {
                done = h.step(PIECE);
            }
            if done {
                on_action.emit(Action::Hashed);
                return;
            }
            progress.set(Some(h.progress()));
        }
    });
}

//! The one playback loop, for the timeline and the lesson's solution alike:
//! once "What happened" has shown all of a command's items, the next step
//! comes after a pause (1.2 s at 1×). The timer belongs to the state it was
//! started for: any change (a new command, a pause, another speed) drops it,
//! and a dropped timer never fires.

use crate::state::{Action, AppState};
use crate::view::timeline::{scaled, PLAY_MS};
use gloo_timers::callback::Timeout;
use yew::prelude::*;

#[hook]
pub fn use_playback(state: &AppState, on_action: Callback<Action>) {
    let deps = (
        state.playing,
        state.settled,
        state.workspace.clone(),
        state.speed,
    );
    use_effect_with(deps, move |(playing, settled, _, speed)| {
        let timer = (playing.is_some() && *settled).then(|| {
            let ms = scaled(PLAY_MS, *speed).as_millis() as u32;
            Timeout::new(ms, move || on_action.emit(Action::Advance))
        });
        move || drop(timer)
    });
}

//! Autosave: whatever the state keeps is written to the browser's storage
//! each time it changes. `boot::Keeper` decides whether it is written (held
//! while a link or a scenario is on show, paused when another tab saved, …)
//! and tells the learner when it cannot be.

use crate::boot::{Keeper, Local};
use crate::shared::Shared;
use crate::state::AppState;
use std::cell::RefCell;
use yew::prelude::*;

#[hook]
pub fn use_autosave(enabled: bool, keeper: Shared<RefCell<Keeper>>, state: &AppState) {
    let saved = state.saved();
    let workspace = state.workspace.clone();
    // While saved work is replayed, the workspace on show is not it.
    let restoring = state.restoring.is_some();
    use_effect_with(
        (saved, workspace, restoring),
        move |(saved, workspace, restoring)| {
            if enabled && !restoring {
                // The editor following the project's Dockerfile is not an act.
                let on_disk = workspace.project_dockerfile();
                keeper
                    .borrow_mut()
                    .save(&mut Local, saved, on_disk.as_deref());
            }
        },
    );
}

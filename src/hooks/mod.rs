//! The root component's hooks, each one concern of the page around the
//! state: saving it, playing it, hashing what an action waits for, the presenter's keys, the language,
//! the one action callback, which holds actions until saved work opens.

mod actions;
mod autosave;
mod editor_focus;
mod hashing;
mod lang;
mod playback;
mod presenter_keys;

pub use actions::use_actions;
pub use autosave::use_autosave;
pub use editor_focus::use_editor_focus;
pub use hashing::{use_hashing, PIECE, TURN_MS};
pub use lang::use_lang;
pub use playback::use_playback;
pub use presenter_keys::use_presenter_keys;

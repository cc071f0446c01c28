//! The release build, served under a sub-path, in headless Chromium: the page
//! as a whole (`page`), working in it (`work`), lessons and presenter mode
//! (`presenter`).

use layerlab_e2e::{artifacts_dir, terminal_text, Harness};

const LANGUAGE_SWITCH: &str = "button[data-lang='zh']";

mod page;
mod presenter;
mod work;

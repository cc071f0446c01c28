//! View models: what a pane shows, computed from the state, as plain values
//! the components only render. DOM-free and tested natively.

pub mod activity;
mod caption;
pub mod disk_view;
pub mod import_view;
pub mod inspect;
pub mod stage;
pub mod timeline;

pub use caption::caption;

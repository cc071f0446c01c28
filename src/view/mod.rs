//! View models: what a pane shows, computed from the state, as plain values
//! the components only render. DOM-free and tested natively.

mod caption;
pub mod timeline;

pub use caption::caption;

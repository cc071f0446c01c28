//! One component per file, each with its own `Props`.

mod disk_usage;
mod dockerfile_editor;
mod ideas;
mod lesson_panel;
mod stage;
mod storage_view;
mod terminal;
mod top_bar;

pub use disk_usage::DiskUsage;
pub use dockerfile_editor::DockerfileEditor;
pub use ideas::Ideas;
pub use lesson_panel::LessonPanel;
pub use stage::Stage;
pub use storage_view::StorageView;
pub use terminal::Terminal;
pub use top_bar::TopBar;

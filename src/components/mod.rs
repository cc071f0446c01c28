//! One component per file, each with its own `Props`.

mod activity;
mod context_files;
mod disk_usage;
mod dockerfile_editor;
mod embedded;
mod file_editor;
mod ideas;
mod importer;
mod inspector;
mod lesson_panel;
mod stage;
mod storage_view;
mod tab_bar;
mod terminal;
mod top_bar;
mod work_notice;

pub use activity::{Activity, SPEEDS};
pub use context_files::ContextFiles;
pub use disk_usage::DiskUsage;
pub use dockerfile_editor::DockerfileEditor;
pub use embedded::Embedded;
pub use ideas::Ideas;
pub use importer::ImageImport;
pub use inspector::Inspector;
pub use lesson_panel::LessonPanel;
pub use stage::Stage;
pub use storage_view::StorageView;
pub use tab_bar::TabBar;
pub use terminal::Terminal;
pub use top_bar::TopBar;
pub use work_notice::WorkNotice;

//! Files of a build: writing, listing and copying them, with errors that name the path.

use std::path::Path;

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Copies every file under `from` to the same place under `to`.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let mut found = Vec::new();
    files_under(from, from, &mut found)?;
    for (name, path) in found {
        let target = to.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::copy(&path, &target)
            .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Every file under `dir`, with its path relative to `dist`.
pub fn files_under(
    dist: &Path,
    dir: &Path,
    out: &mut Vec<(String, std::path::PathBuf)>,
) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(dist, &path, out)?;
        } else if path.is_file() {
            let name = path
                .strip_prefix(dist)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            out.push((name, path));
        }
    }
    Ok(())
}

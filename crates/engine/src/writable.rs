//! What a container's writable layer holds, entry by entry, as a learner
//! should see it: files copied up (and the read-only layer they came from),
//! files that are new, whiteouts and opaque directories.
//!
//! A directory that is in the upper layer only because something below it
//! changed (its metadata was copied up) is left out: it holds no data of its
//! own. The classification is the kernel's: an upper entry whose path the
//! lower stack also has was copied up from the topmost layer that has it.

use crate::diff::Entry;
use crate::layer::LayerId;
use crate::merged::Merged;
use crate::path::FsPath;

/// How an entry came to be in the writable layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A whole copy of what the read-only layer `from` had at this path.
    CopiedUp { from: LayerId },
    /// Nothing below had this path.
    New,
    /// A character device 0/0 that hides what lower layers have here.
    Whiteout,
    /// A directory made where a deleted one stood: lower children are hidden.
    Opaque,
}

/// One entry of the writable layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub path: FsPath,
    pub origin: Origin,
    /// Bytes it takes in the writable layer (a file's size; 0 for the rest).
    pub bytes: u64,
    /// A directory: new ones are shown (`docker diff` lists them as `A`), and
    /// take no bytes, since Docker's SIZE counts files only.
    pub dir: bool,
}

/// The entries of `container`'s writable layer worth showing, in path order.
pub fn held(container: &Merged) -> Vec<Held> {
    let upper = container.upper();
    let lower = container.lower();
    upper
        .entries()
        // What is written to a bind-mounted file lives outside the layer.
        .filter(|(path, _)| !container.mounts().contains(path))
        .filter_map(|(path, entry)| {
            let below = lower.get(path).map(|(id, ..)| id);
            let (origin, bytes) = match entry {
                Entry::Whiteout => (Origin::Whiteout, 0),
                Entry::Dir { opaque: true, .. } => (Origin::Opaque, 0),
                // A directory copied up only to hold a changed child says
                // nothing the child does not.
                Entry::Dir { .. } if below.is_some() => return None,
                Entry::Dir { .. } => (Origin::New, 0),
                Entry::File { ino } => {
                    let bytes = upper.inode(*ino).map_or(0, |i| i.content.len());
                    (copied_or_new(below), bytes)
                }
                Entry::Symlink { target, .. } => (copied_or_new(below), target.len() as u64),
            };
            Some(Held {
                path: path.clone(),
                origin,
                bytes,
                dir: matches!(entry, Entry::Dir { .. }),
            })
        })
        .collect()
}

fn copied_or_new(below: Option<LayerId>) -> Origin {
    match below {
        Some(from) => Origin::CopiedUp { from },
        None => Origin::New,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::parse_layers;
    use crate::layer::Layer;
    use crate::lower::Lower;
    use crate::merged::WriteMode;
    use std::rc::Rc;

    fn check(script: &[(&str, &str)], want: &[&str]) {
        let fixture = "
d /app 755
f /app/app.py 644 print('hi')
f /app/old.txt 644 old
d /data 755
f /data/a 644 a
";
        let layers = parse_layers(fixture, 0).expect("fixture");
        let stack = layers
            .into_iter()
            .enumerate()
            .map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
            .collect();
        let mut m = Merged::new(Rc::new(Lower::new(stack)));
        for (op, path) in script {
            let done = match *op {
                "append" => m.write(path, b"more", WriteMode::Append).map(drop),
                "write" => m.write(path, b"new", WriteMode::Truncate).map(drop),
                "rm" => m.unlink(path).map(drop),
                "rm -r" => m.remove_tree(path).map(drop),
                "mkdir" => m.mkdir(path, 0o755).map(drop),
                "bind" => {
                    m.bind(path);
                    Ok(())
                }
                _ => panic!("unknown op {op}"),
            };
            done.unwrap_or_else(|e| panic!("{op} {path}: {e}"));
        }
        let got: Vec<String> = held(&m)
            .iter()
            .map(|h| format!("{:?} {} {}", h.origin, h.path, h.bytes))
            .collect();
        assert_eq!(got, want, "after {script:?}");
    }

    #[test]
    fn the_writable_layer_shows_copy_ups_new_files_whiteouts_and_opaque_dirs() {
        check(
            &[("append", "/app/app.py")],
            &["CopiedUp { from: LayerId(1) } /app/app.py 15"],
        );
        check(&[("write", "/app/new.txt")], &["New /app/new.txt 3"]);
        check(&[("rm", "/app/old.txt")], &["Whiteout /app/old.txt 0"]);
        check(
            &[("rm -r", "/data"), ("mkdir", "/data")],
            &["Opaque /data 0"],
        );
        check(&[], &[]);
        // A new directory is news; one copied up to hold a new file is not.
        check(&[("mkdir", "/logs")], &["New /logs 0"]);
        check(
            &[
                ("mkdir", "/logs"),
                ("write", "/logs/a"),
                ("write", "/data/b"),
            ],
            &["New /data/b 3", "New /logs 0", "New /logs/a 3"],
        );
        // Docker bind-mounts a container's /etc/hostname: writes go there.
        check(&[("bind", "/app/old.txt"), ("append", "/app/old.txt")], &[]);
    }

    #[test]
    fn writing_a_bind_mounted_file_copies_nothing_up() {
        let layers = parse_layers("d /etc 755\nf /etc/hostname 644 x", 0).expect("fixture");
        let stack = layers
            .into_iter()
            .map(|d| Rc::new(Layer::new(LayerId(1), d)))
            .collect();
        let mut m = Merged::new(Rc::new(Lower::new(stack)));
        m.bind("/etc/hostname");
        let events = m
            .write("/etc/hostname", b"web\n", WriteMode::Truncate)
            .expect("write");
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, crate::event::Event::CopyUp { .. })),
            "{events:?}"
        );
        assert_eq!(m.read("/etc/hostname").map(|(c, _)| c.len()).ok(), Some(4));
    }
}

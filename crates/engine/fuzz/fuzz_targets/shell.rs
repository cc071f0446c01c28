//! The shell on arbitrary scripts, over a small busybox-like file system.
#![no_main]
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::Merged;
use layerlab_engine::shell::Shell;
use libfuzzer_sys::fuzz_target;
use std::rc::Rc;

fuzz_target!(|script: &str| {
    // Keep runaway inputs (huge sizes, deep nesting) within a fuzzer's budget.
    if script.len() > 4096 {
        return;
    }
    let mut fs = Merged::new(Rc::new(Lower::new(Vec::new())));
    for dir in ["/bin", "/tmp", "/etc"] {
        let _ = fs.mkdir_all(dir, 0o755);
    }
    let mut sh = Shell::new("/bin/sh", &["PATH=/bin".to_owned()], "/");
    let ran = sh.run(&mut fs, script);
    let _ = ran.lines();
});

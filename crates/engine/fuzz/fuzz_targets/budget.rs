//! Random sequences of command lines, built from pieces known to multiply work
//! (scripts that run themselves, make calling make, sed and cat that grow
//! text, deep trees, huge sizes), through one `Session` with small limits:
//! every line must end within its budget and leave the session usable.
#![no_main]
use layerlab_engine::budget::{Limits, LIMITS};
use layerlab_engine::command::Session;
use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &[
    "echo 'sh r.sh; sh r.sh; sh r.sh' > r.sh",
    "sh r.sh",
    "printf 'all:\\n\\t$(MAKE); $(MAKE)\\n' > Makefile",
    "make",
    "echo aaaa > f",
    "sed -e s/a/aaaaaaaa/g -e s/a/aaaaaaaa/g -e s/a/aaaaaaaa/g f > g",
    "cat f f f f > g",
    "mv g f",
    "mkdir -p d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d",
    "du -s d",
    "chmod -R 700 d",
    "tar -czf t.tgz d",
    "cp -r d e",
    "rm -r d e",
    "truncate -s 1E big",
    "dd if=/dev/zero of=big bs=1M count=4",
    "echo ${x:-${x:-${x:-x}}}",
    "docker run busybox sh -c 'echo \"sh r.sh; sh r.sh\" > r.sh; sh r.sh'",
    "printf 'FROM busybox\\nRUN echo \"sh r.sh; sh r.sh\" > r.sh; sh r.sh\\n' > Dockerfile",
    "docker build -q .",
    ";",
    "&&",
    "|",
];

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        steps: 500,
        bytes: 1 << 20,
        written: 8 << 20,
        depth: 8,
    };
    let mut session = Session::new();
    session.limits = limits;
    for line in data.split(|b| *b == 0xff).take(12) {
        let text: Vec<&str> = line
            .iter()
            .take(8)
            .map(|b| PIECES[*b as usize % PIECES.len()])
            .collect();
        session.run(&text.join(" "));
        let spent = session.budget.spent();
        assert!(spent.steps <= limits.steps + 1, "{spent:?}");
    }
    // The session still answers.
    assert_eq!(session.run("echo next").text(), "next\n");
    let _ = LIMITS;
});

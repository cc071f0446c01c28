//! What must differ between two hosts made alike: IDs, times, build timings,
//! the order of `docker diff` and of same-second rows, read back and
//! normalised before the comparison.

use super::*;

/// Reads a recording back, given the scenario's commands (a recorded output
/// line may itself start with `$ `).
pub(super) fn parse_recording(text: &str, commands: &[String]) -> Result<Vec<Block>, String> {
    let mut lines = text.lines().peekable();
    let mut blocks = Vec::new();
    for (i, command) in commands.iter().enumerate() {
        let header = format!("$ {}", shown(command));
        for expected in header.lines() {
            match lines.next() {
                Some(l) if l == expected => {}
                other => {
                    return Err(format!(
                        "recording out of step at command {}: expected {expected:?}, found {other:?} (re-record it)",
                        i + 1
                    ))
                }
            }
        }
        let next_header = commands.get(i + 1).map(|c| format!("$ {}", shown(c)));
        let first_of_next = next_header.as_deref().and_then(|h| h.lines().next());
        let mut body: Vec<&str> = Vec::new();
        while let Some(&l) = lines.peek() {
            if Some(l) == first_of_next {
                break;
            }
            body.push(l);
            lines.next();
        }
        let mut status = 0;
        if let Some(last) = body.last() {
            if let Some(n) = last
                .strip_prefix("[exit ")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|n| n.parse().ok())
            {
                status = n;
                body.pop();
            }
        }
        let output = body.iter().map(|l| format!("{l}\n")).collect();
        blocks.push(Block {
            command: command.clone(),
            output,
            status,
        });
    }
    Ok(blocks)
}

/// What must differ between two runs of the same scenario, made equal.
pub(super) struct Normaliser {
    exact: bool,
    ids: BTreeMap<String, usize>,
    /// The longest form of each numbered ID seen.
    full: BTreeMap<usize, String>,
    hex64: Regex,
    hex12: Regex,
    time: Regex,
    date: Regex,
    done: Regex,
    context: Regex,
    run_output: Regex,
    /// A RUN's output repeated in the error box: `0.134 ls: …`.
    box_output: Regex,
    partial: Regex,
    cache_ref: Regex,
}

impl Normaliser {
    pub(super) fn new(exact: bool) -> Self {
        Normaliser {
            exact,
            ids: BTreeMap::new(),
            full: BTreeMap::new(),
            hex64: Regex::new(r"\b[0-9a-f]{64}\b").unwrap(),
            hex12: Regex::new(r"\b[0-9a-f]{12}\b").unwrap(),
            time: Regex::new(
                r"Less than a second|About an? (minute|hour)|\b\d+ (second|minute|hour|day|week|month|year)s?\b",
            )
            .unwrap(),
            date: Regex::new(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?( [+-]\d{4} UTC)?")
                .unwrap(),
            done: Regex::new(r"(DONE|ERROR|CANCELED) \d+\.\d+s|\b\d+\.\d+s done").unwrap(),
            context: Regex::new(r"transferring context: \d+(\.\d+)?[kMG]?B").unwrap(),
            run_output: Regex::new(r"^(#\d+) \d+\.\d{3} ").unwrap(),
            box_output: Regex::new(r"^\d+\.\d{3} ").unwrap(),
            partial: Regex::new(r"^#\d+ transferring (context|dockerfile):\s*$").unwrap(),
            cache_ref: Regex::new(
                r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}::[a-z0-9]{25}\b|\b[a-z0-9]{25}\b",
            )
            .unwrap(),
        }
    }

    pub(super) fn id(&mut self, hex: &str) -> String {
        let key = hex[..12].to_owned();
        let next = self.ids.len() + 1;
        let n = *self.ids.entry(key).or_insert(next);
        let longest = self.full.entry(n).or_default();
        if hex.len() > longest.len() {
            *longest = hex.to_owned();
        }
        // As wide as the ID, so columns stay where they were.
        let tag = format!("<ID-{n}>");
        format!("{tag}{}", "_".repeat(hex.len().saturating_sub(tag.len())))
    }

    pub(super) fn block(&mut self, b: &Block) -> Block {
        // BuildKit's random references and build cache IDs.
        let mut text = self.cache_ref.replace_all(&b.output, "<ref>").into_owned();
        if !self.exact {
            for pattern in [self.hex64.clone(), self.hex12.clone()] {
                let mut out = String::new();
                let mut last = 0;
                for m in pattern.find_iter(&text) {
                    out.push_str(&text[last..m.start()]);
                    out.push_str(&self.id(m.as_str()));
                    last = m.end();
                }
                out.push_str(&text[last..]);
                text = out;
            }
        }
        let timed = self.time.is_match(&text) || self.date.is_match(&text);
        text = self.date.replace_all(&text, "<date>").into_owned();
        text = self.time.replace_all(&text, "<time>").into_owned();
        text = self
            .done
            .replace_all(&text, |c: &regex::Captures| match c.get(1) {
                Some(word) => format!("{} <t>", word.as_str()),
                None => "done".to_owned(),
            })
            .into_owned();
        text = self
            .context
            .replace_all(&text, "transferring context: <n>")
            .into_owned();
        // BuildKit's plain progress stamps a RUN's output with the time since
        // the step started, and may print a transfer before its size is known.
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !self.partial.is_match(l))
            .map(|l| self.run_output.replace(l, "$1 <t> ").into_owned())
            .map(|l| self.box_output.replace(&l, "<t> ").into_owned())
            .collect();
        // A progress line printed again once done (`#5 writing image … done`).
        let finished: Vec<String> = lines.clone();
        lines.retain(|l| !(l.starts_with('#') && finished.contains(&format!("{l} done"))));
        printed_again(&mut lines);
        // `system df -v`'s build cache records: random IDs.
        for l in &mut lines {
            let mut cells = l.split_whitespace();
            let (first, kind) = (cells.next(), cells.next());
            if let (Some(id), Some("source.local" | "regular" | "exec.cachemount" | "frontend")) =
                (first, kind)
            {
                *l = l.replacen(id, "<ref>", 1);
            }
        }
        if b.command.starts_with("docker builder prune") {
            // buildx aligns the header with whichever record comes first (a
            // random one) and each later record on its own: compare cells.
            let tabs = Regex::new(r"\t+").unwrap();
            for l in &mut lines {
                *l = tabs.replace_all(l, "\t").into_owned();
            }
        }
        // Build cache records of the same age come in random order.
        let mut i = 0;
        while i < lines.len() {
            let mut end = i;
            while end < lines.len() && lines[end].starts_with("<ref>") {
                end += 1;
            }
            lines[i..end].sort();
            i = end.max(i + 1);
        }
        if timed {
            // Columns widen with the times' wording: compare cells, not padding.
            let spaces = Regex::new(r" {2,}").unwrap();
            for l in &mut lines {
                *l = spaces.replace_all(l.trim_end(), "  ").into_owned();
            }
        }
        if b.command.starts_with("docker diff") || b.command.starts_with("docker container diff") {
            lines.sort();
        }
        // A base two stages share is one step, named after whichever stage
        // BuildKit reached first: the stage's name on a FROM line is not compared.
        let from = Regex::new(r"^(#\d+) \[[^\]]+\] FROM ").unwrap();
        for l in &mut lines {
            *l = from.replace(l, "$1 [<stage>] FROM ").into_owned();
        }
        cached_in_any_order(&mut lines);
        // Docker orders images by their creation second and one image's
        // tags by the reference store's (random) order: images made in the
        // same second, as a scenario's are, come in any order (in `docker
        // images` and in `system df -v`'s images table).
        let mut i = 0;
        while i < lines.len() {
            if lines[i].starts_with("REPOSITORY") {
                let start = i + 1;
                let mut end = start;
                while end < lines.len() && !lines[end].is_empty() {
                    end += 1;
                }
                lines[start..end].sort();
                i = end;
            }
            i += 1;
        }
        Block {
            command: b.command.clone(),
            output: lines.iter().map(|l| format!("{l}\n")).collect(),
            status: b.status,
        }
    }

    /// `command` written with the IDs `theirs` printed, given with the IDs
    /// this run printed at the same places (a scenario names Layerlab's IDs;
    /// the real host gets its own).
    pub(super) fn translate(&self, command: &str, theirs: &Normaliser) -> String {
        let hex = Regex::new(r"\b[0-9a-f]{12,64}\b").unwrap();
        hex.replace_all(command, |c: &regex::Captures| {
            let token = &c[0];
            let ours = theirs.ids.get(&token[..12]);
            match ours.and_then(|n| self.full.get(n)) {
                Some(real) if real.len() >= token.len() => real[..token.len()].to_owned(),
                _ => token.to_owned(),
            }
        })
        .into_owned()
    }

    pub(super) fn all(&mut self, blocks: &[Block]) -> Vec<Block> {
        blocks.iter().map(|b| self.block(b)).collect()
    }
}

/// A step BuildKit's plain progress printed as done before its log came
/// (`#1 [internal] load build definition`, `#1 DONE`, then the same step
/// again with `transferring dockerfile` and `DONE`): a race in the printer,
/// so the bare first printing is dropped.
pub(super) fn printed_again(lines: &mut Vec<String>) {
    let mut i = 0;
    while i + 3 < lines.len() {
        let step = lines[i].split(' ').next().unwrap_or("");
        let bare = step.starts_with('#')
            && lines[i + 1] == format!("{step} DONE <t>")
            && lines[i + 2].is_empty()
            && lines[i + 3] == lines[i];
        if bare {
            lines.drain(i..i + 3);
        } else {
            i += 1;
        }
    }
}

/// BuildKit resolves cached steps in parallel: a run of steps that are each
/// just `#N <step>` and `#N CACHED` comes in any order, numbered as it came.
/// Such a run is compared as a set of steps, without their numbers.
pub(super) fn cached_in_any_order(lines: &mut [String]) {
    let cached = |l: &[String]| {
        l.len() >= 2
            && l[1].ends_with(" CACHED")
            && l[0].split(' ').next() == l[1].split(' ').next()
    };
    let mut i = 0;
    while i + 1 < lines.len() {
        // Steps of three lines: the title, CACHED, and the blank line after.
        let mut end = i;
        while end + 1 < lines.len() && cached(&lines[end..]) {
            end += if end + 2 < lines.len() && lines[end + 2].is_empty() {
                3
            } else {
                2
            };
        }
        if end > i {
            let mut steps: Vec<Vec<String>> = lines[i..end]
                .chunks(3)
                .map(|c| {
                    c.iter()
                        .map(|l| match l.split_once(' ') {
                            Some((n, rest)) if n.starts_with('#') => format!("#~ {rest}"),
                            _ => l.clone(),
                        })
                        .collect()
                })
                .collect();
            steps.sort();
            for (slot, line) in lines[i..end].iter_mut().zip(steps.into_iter().flatten()) {
                *slot = line;
            }
            i = end;
        } else {
            i += 1;
        }
    }
}

//! `layerlab inspect IMAGE.tar`: an image archive read from disk in slices
//! (never whole), then each image's layers, sizes, IDs and wasted bytes,
//! with `--ci` thresholds as dive has them.

use crate::span_hashing::SpanHashing;
use layerlab_engine::efficiency::{Analysis, Fate};
use layerlab_engine::import::{ImportedImage, Importer, Limits};
use layerlab_engine::size::human_size_with_precision;
use serde_json::{json, Value};
use std::io::Read;
use std::process::ExitCode;

pub const USAGE: &str = "layerlab inspect IMAGE.tar [--json] [--ci [--lowest-efficiency R] [--highest-wasted-bytes B] [--highest-user-wasted-percent R]]";

/// How many wasted paths the text report lists (largest first).
const SHOWN: usize = 20;

/// The `--ci` thresholds (dive's defaults; `disabled` turns one off).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rules {
    lowest_efficiency: Option<f64>,
    highest_wasted_bytes: Option<u64>,
    highest_user_wasted_percent: Option<f64>,
}

fn fail(text: impl std::fmt::Display) -> ExitCode {
    eprintln!("layerlab inspect: {text}");
    ExitCode::from(2)
}

/// `20MB`, `1.5GB`, `300000` (decimal units, as dive reads them).
fn bytes(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let scale = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        _ => return None,
    };
    (n >= 0.0).then(|| (n * scale).round() as u64)
}

fn ratio(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|r| (0.0..=1.0).contains(r))
}

pub fn inspect(args: &[String]) -> ExitCode {
    let mut json_out = false;
    let mut ci = false;
    let mut rules = Rules {
        lowest_efficiency: Some(0.9),
        highest_wasted_bytes: None,
        highest_user_wasted_percent: Some(0.1),
    };
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a, None),
        };
        let mut value = || -> Option<String> {
            inline.clone().or_else(|| {
                i += 1;
                args.get(i).cloned()
            })
        };
        match flag {
            "--json" => json_out = true,
            "--ci" => ci = true,
            "--lowest-efficiency" | "--highest-wasted-bytes" | "--highest-user-wasted-percent" => {
                let Some(v) = value() else {
                    return fail(format!("{flag} needs a value"));
                };
                let off = v == "disabled";
                let bad = || fail(format!("{flag}: cannot read '{v}'"));
                match flag {
                    "--lowest-efficiency" => match (off, ratio(&v)) {
                        (true, _) => rules.lowest_efficiency = None,
                        (_, Some(r)) => rules.lowest_efficiency = Some(r),
                        _ => return bad(),
                    },
                    "--highest-wasted-bytes" => match (off, bytes(&v)) {
                        (true, _) => rules.highest_wasted_bytes = None,
                        (_, Some(b)) => rules.highest_wasted_bytes = Some(b),
                        _ => return bad(),
                    },
                    _ => match (off, ratio(&v)) {
                        (true, _) => rules.highest_user_wasted_percent = None,
                        (_, Some(r)) => rules.highest_user_wasted_percent = Some(r),
                        _ => return bad(),
                    },
                }
            }
            f if f.starts_with('-') => return fail(format!("unknown flag '{f}'\nusage: {USAGE}")),
            _ => files.push(a.to_owned()),
        }
        i += 1;
    }
    let [path] = files.as_slice() else {
        return fail(format!("give one image archive\nusage: {USAGE}"));
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return fail(format!("cannot open {path}: {e}")),
    };
    // A second handle for the hashing thread, which reads members by offset.
    let hashing = match file.try_clone() {
        Ok(f) => SpanHashing::start(f),
        Err(e) => return fail(format!("cannot open {path}: {e}")),
    };
    let mut importer = Importer::hashing_outside(Limits::default());
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => return fail(format!("cannot read {path}: {e}")),
        };
        if let Err(e) = importer.feed(&buf[..n]) {
            return fail(format!("{path}: {e}"));
        }
        hashing.add(importer.take_spans());
    }
    let imported = match importer.finish_with(&hashing.digests()) {
        Ok(i) => i,
        Err(e) => return fail(format!("{path}: {e}")),
    };
    let mut passed = true;
    let mut docs = Vec::new();
    let mut text = format!("{path}: {}\n", imported.format.name());
    for image in &imported.images {
        let analysis = analyse(image);
        let checks = if ci {
            check(&analysis, &rules)
        } else {
            Vec::new()
        };
        passed &= checks.iter().all(|c| c.pass != Some(false));
        text.push_str(&render(image, &analysis, &checks));
        docs.push(document(image, &analysis, ci.then_some(&checks)));
    }
    if json_out {
        let doc = json!({ "format": imported.format.name(), "images": docs });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        print!("{text}");
    }
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn analyse(image: &ImportedImage) -> Analysis {
    image.efficiency()
}

/// One `--ci` rule's outcome; `pass` is `None` when the rule is disabled.
struct Check {
    name: &'static str,
    actual: String,
    limit: String,
    pass: Option<bool>,
}

fn check(a: &Analysis, rules: &Rules) -> Vec<Check> {
    vec![
        Check {
            name: "lowestEfficiency",
            actual: format!("{:.4}", a.efficiency),
            limit: rules
                .lowest_efficiency
                .map_or("disabled".into(), |r| format!("{r}")),
            pass: rules.lowest_efficiency.map(|r| a.efficiency >= r),
        },
        Check {
            name: "highestWastedBytes",
            actual: a.wasted_bytes.to_string(),
            limit: rules
                .highest_wasted_bytes
                .map_or("disabled".into(), |b| b.to_string()),
            pass: rules.highest_wasted_bytes.map(|b| a.wasted_bytes <= b),
        },
        Check {
            name: "highestUserWastedPercent",
            actual: format!("{:.4}", a.user_wasted_percent),
            limit: rules
                .highest_user_wasted_percent
                .map_or("disabled".into(), |r| format!("{r}")),
            pass: rules
                .highest_user_wasted_percent
                .map(|r| a.user_wasted_percent <= r),
        },
    ]
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

fn render(image: &ImportedImage, a: &Analysis, checks: &[Check]) -> String {
    let mut o = String::new();
    let tags = if image.tags.is_empty() {
        "<untagged>".to_owned()
    } else {
        image.tags.join(", ")
    };
    o.push_str(&format!("\nImage {tags}\n  ID:       {}\n", image.id));
    if let Some(m) = &image.manifest_digest {
        o.push_str(&format!("  Manifest: {m}\n"));
    }
    o.push_str("\nLayers\n  #  SIZE      ADDED  CHANGED  REMOVED  INSTRUCTION\n");
    for l in &a.layers {
        o.push_str(&format!(
            "  {:<2} {:<9} {:>5}  {:>7}  {:>7}  {}\n",
            l.index,
            size(l.size),
            l.added,
            l.changed,
            l.removed,
            short(&l.instruction, 70)
        ));
    }
    o.push_str("\n  #  DIFF ID / CHAIN ID\n");
    for (i, (d, c)) in image.diff_ids.iter().zip(&image.chain_ids).enumerate() {
        o.push_str(&format!("  {i:<2} {d}\n     {c}\n"));
    }
    o.push_str(&format!(
        "\nTotal size:          {} ({} bytes in the layers)\nFinal file system:   {} ({} bytes)\nWasted:              {} ({} bytes)\nEfficiency score:    {:.1} %\nUser wasted percent: {:.1} %\n",
        size(a.total_size),
        a.total_size,
        size(a.final_size),
        a.final_size,
        size(a.wasted_bytes),
        a.wasted_bytes,
        a.efficiency * 100.0,
        a.user_wasted_percent * 100.0
    ));
    if !a.wasted.is_empty() {
        o.push_str("\nWasted space (bytes stored in a layer that the image never shows)\n");
        let name = |i: usize| {
            let instr = a.layers.get(i).map_or("", |l| l.instruction.as_str());
            if instr.is_empty() {
                format!("layer {i}")
            } else {
                format!("layer {i} ({})", short(instr, 40))
            }
        };
        for w in a.wasted.iter().take(SHOWN) {
            o.push_str(&format!(
                "  {}  {} ({} bytes)\n",
                w.path,
                size(w.bytes),
                w.bytes
            ));
            for c in &w.copies {
                let how = match c.fate {
                    Fate::Overwritten => "overwritten by",
                    Fate::Deleted => "deleted by",
                };
                o.push_str(&format!(
                    "    {} bytes in {}, {how} {}\n",
                    c.bytes,
                    name(c.layer),
                    name(c.by)
                ));
            }
            match w.kept_in {
                Some(k) => o.push_str(&format!("    the image shows the copy in layer {k}\n")),
                None => o.push_str("    the image no longer has this file\n"),
            }
        }
    }
    if a.wasted.len() > SHOWN {
        let rest = &a.wasted[SHOWN..];
        let bytes: u64 = rest.iter().map(|w| w.bytes).sum();
        o.push_str(&format!(
            "  … and {} more paths, {} ({bytes} bytes) in all (--json lists every one)\n",
            rest.len(),
            size(bytes)
        ));
    }
    if !checks.is_empty() {
        o.push_str("\nCI rules\n");
        let (mut pass, mut fail, mut skip) = (0, 0, 0);
        for c in checks {
            let verdict = match c.pass {
                Some(true) => {
                    pass += 1;
                    "PASS"
                }
                Some(false) => {
                    fail += 1;
                    "FAIL"
                }
                None => {
                    skip += 1;
                    "SKIP"
                }
            };
            o.push_str(&format!(
                "  {verdict}: {}: {} (limit {})\n",
                c.name, c.actual, c.limit
            ));
        }
        let result = if fail > 0 { "FAIL" } else { "PASS" };
        o.push_str(&format!(
            "Result:{result} [Total:{}] [Passed:{pass}] [Failed:{fail}] [Skipped:{skip}]\n",
            checks.len()
        ));
    }
    o
}

fn document(image: &ImportedImage, a: &Analysis, checks: Option<&Vec<Check>>) -> Value {
    let layers: Vec<Value> = a
        .layers
        .iter()
        .zip(&image.layers)
        .zip(image.diff_ids.iter().zip(&image.chain_ids))
        .map(|((l, imported), (d, c))| {
            json!({
                "index": l.index,
                "instruction": l.instruction,
                "size": l.size,
                "added": l.added,
                "changed": l.changed,
                "removed": l.removed,
                "diff_id": d.to_string(),
                "chain_id": c.to_string(),
                "blob": imported.blob,
                "blob_digest": imported.blob_digest.to_string(),
                "blob_size": imported.blob_size,
                "compression": imported.compression.name(),
            })
        })
        .collect();
    let mut doc = json!({
        "id": image.id.to_string(),
        "tags": image.tags,
        "manifest_digest": image.manifest_digest.as_ref().map(ToString::to_string),
        "layers": layers,
        "total_size": a.total_size,
        "final_size": a.final_size,
        "wasted_bytes": a.wasted_bytes,
        "efficiency": a.efficiency,
        "user_wasted_percent": a.user_wasted_percent,
        "wasted": serde_json::to_value(&a.wasted).unwrap_or(Value::Null),
    });
    if let Some(checks) = checks {
        doc["ci"] = checks
            .iter()
            .map(|c| {
                json!({
                    "rule": c.name,
                    "actual": c.actual,
                    "limit": c.limit,
                    "result": match c.pass { Some(true) => "pass", Some(false) => "fail", None => "skip" },
                })
            })
            .collect();
    }
    doc
}

//! Prints the browser figures for `cargo xtask bench`, one `name<TAB>figure<TAB>note`
//! line each. Every time is the median of several fresh loads, shown next to the
//! floor measured in the same run: a static page with no wasm at all.

use layerlab_e2e::{Harness, PREFIX};

const LOADS: usize = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("browser-figures: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut h = Harness::start(1280, 720)?;
    let floor_url = h.server.url("/__floor.html");
    let app_url = h.server.url(PREFIX);

    let mut floor = Vec::new();
    let mut app = Vec::new();
    for _ in 0..LOADS {
        h.browser.goto(&floor_url)?;
        h.browser.wait_for("#ready")?;
        floor.push(h.browser.navigation_timing()?.0);

        h.browser.goto(&app_url)?;
        let ready = h.browser.wait_until("the app's ready mark", || {
            h.browser
                .execute(
                    "const m = performance.getEntriesByName('layerlab:ready')[0]; return m ? m.startTime : null;",
                    vec![],
                )
                .ok()
                .and_then(|v| v.as_f64())
        })?;
        app.push(ready);
    }
    let (f, a) = (median(floor), median(app));
    println!("navigation → static page loaded (floor)\t{f:.0} ms\tmedian of {LOADS}");
    println!(
        "navigation → app shell drawn\t{a:.0} ms\tmedian of {LOADS}; {:.1}× the floor",
        a / f
    );

    // `docker pull nginx` in the page: hashing and tarring 109 MB of layers in wasm.
    h.browser.goto(&app_url)?;
    let input = h.browser.wait_for("#command")?;
    h.browser.observe_long_tasks()?;
    let now = |b: &layerlab_e2e::Browser| -> Result<f64, String> {
        Ok(b.execute("return performance.now();", vec![])?
            .as_f64()
            .unwrap_or(0.0))
    };
    let start = now(&h.browser)?;
    h.browser.type_into(&input, "docker pull nginx\u{E007}")?;
    h.browser.wait_until("the pull to finish", || {
        h.browser
            .find(".screen")
            .ok()
            .and_then(|s| h.browser.text(&s).ok())
            .filter(|t| t.contains("Status: "))
    })?;
    let took = now(&h.browser)? - start;
    let longest = h.browser.long_tasks()?.into_iter().fold(0.0, f64::max);
    println!("docker pull nginx (109 MB of layers) in the page\t{took:.0} ms\tlongest task {longest:.0} ms");
    Ok(())
}

//! Opening real image archives in the browser: an archive picked with the
//! "Open an image" input joins the host (its layers on the stage, a container
//! run on it, a file edited and copied up), an archive dropped on the page is
//! analysed, and a damaged one is refused with the importer's message.

use base64::Engine as _;
use layerlab_e2e::{artifacts_dir, run_command as run, Browser, Harness};
use layerlab_engine::command::Session;
use layerlab_engine::import::Importer;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/images")
        .join(name)
}

/// The ChainIDs (hex) of every image in an archive, read natively.
fn chain_ids(bytes: &[u8]) -> Vec<String> {
    let mut importer = Importer::new();
    importer.feed(bytes).expect("the fixture feeds");
    let imported = importer.finish().expect("the fixture imports");
    imported
        .images
        .iter()
        .flat_map(|i| i.chain_ids.iter().map(|c| c.hex().to_owned()))
        .collect()
}

/// Where the stage's drawing and its slab of ChainID `chain` are on screen,
/// and whether the slab is visible (inside the drawing, inside the window).
fn slab_on_screen(b: &Browser, chain: &str) -> Result<serde_json::Value, String> {
    b.execute(
        "const svg = document.querySelector('svg.stage');
         const slab = svg && svg.querySelector(`.slab[data-chain='${arguments[0]}']`);
         if (!slab) return { found: false };
         const r = slab.getBoundingClientRect(), s = svg.getBoundingClientRect();
         const inside = r.width > 0 && r.height > 0 && r.top >= s.top - 1 && r.bottom <= s.bottom + 1
           && r.top < innerHeight && r.bottom > 0;
         return { found: true, inside, slab: [r.left, r.top, r.width, r.height],
                  svg: [s.left, s.top, s.width, s.height], viewBox: svg.getAttribute('viewBox'),
                  opacity: getComputedStyle(slab).opacity };",
        vec![chain.into()],
    )
}

/// Drops `bytes` on the page as a file named `name`, as a drag from the
/// desktop would (WebDriver cannot drag files itself).
fn drop_file(b: &Browser, name: &str, bytes: &[u8]) -> Result<(), String> {
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    b.execute(
        "const bin = atob(arguments[1]);
         const bytes = new Uint8Array(bin.length);
         for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
         const file = new File([bytes], arguments[0], { type: 'application/x-tar' });
         const dt = new DataTransfer();
         dt.items.add(file);
         const target = document.querySelector('svg.stage') || document.body;
         target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
         target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
        vec![name.into(), data.into()],
    )
    .map(|_| ())
}

/// Every import since the page's marks were last cleared had its members
/// hashed by the digest workers (the page's own hashing is only the
/// fallback, and would hide a worker missing from the build).
fn hashed_by_workers(b: &Browser, what: &str) -> Result<(), String> {
    let by = b.execute(
        "return performance.getEntriesByType('mark').map(m => m.name).filter(n => n.startsWith('layerlab:import-hashed'));",
        vec![],
    )?;
    if by == serde_json::json!(["layerlab:import-hashed-by-workers"]) {
        Ok(())
    } else {
        Err(format!("{what} were hashed by: {by}"))
    }
}

fn show_pane(b: &Browser) -> Result<(), String> {
    // The side panel scrolls on its own on a wide screen; the page otherwise.
    b.execute(
        "const pane = document.querySelector('.import-pane');
         const side = pane.closest('.side');
         if (side && side.scrollHeight > side.clientHeight + 1) {
           side.scrollTop = pane.offsetTop - side.offsetTop;
         } else {
           pane.scrollIntoView({ block: 'start' });
         }",
        vec![],
    )?;
    // The stage's new layers have risen into place.
    b.wait_until("the stage's motions to end", || {
        b.execute("return document.getAnimations().length === 0;", vec![])
            .ok()
            .filter(|v| v.as_bool() == Some(true))
    })
    .map(|_| ())
}

#[test]
fn a_picked_archive_joins_the_host_and_a_container_runs_on_it() {
    // An Alpine saved by Layerlab's own `docker save` (a shell and busybox,
    // which the recorded fixtures lack), written to disk for the file input.
    let mut session = Session::new();
    for line in ["docker pull alpine", "docker tag alpine lab/alpine:1"] {
        let t = session.run(line);
        assert_eq!(t.status, 0, "{line}: {}", t.text());
    }
    let tar = layerlab_engine::save::save(&session.host, &["lab/alpine:1".into()], 0)
        .expect("alpine saves")
        .to_vec();
    let path = artifacts_dir().join("lab-alpine.tar");
    std::fs::create_dir_all(artifacts_dir()).expect("artifacts dir");
    std::fs::write(&path, &tar).expect("writes the archive");
    let path = path
        .canonicalize()
        .expect("a canonical path for chromedriver");
    let chains = chain_ids(&tar);

    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("import_picked", |b| {
        b.goto(&url)?;
        // The bar's button opens the import's own file picker (recorded
        // here instead: a headless browser has no dialog to show).
        let bar = b.wait_for("#open-image-bar")?;
        b.execute(
            "window.__picked = [];
             window.__click = HTMLInputElement.prototype.click;
             HTMLInputElement.prototype.click = function () { window.__picked.push(this.id); };",
            vec![],
        )?;
        b.click(&bar)?;
        let picked = b.execute(
            "HTMLInputElement.prototype.click = window.__click; return window.__picked;",
            vec![],
        )?;
        if picked != serde_json::json!(["open-image"]) {
            return Err(format!("the bar's button clicked {picked}"));
        }
        let input = b.wait_for("#open-image")?;
        b.type_into(&input, &path.display().to_string())?;
        b.wait_for(".import-done")?;
        for c in &chains {
            b.wait_for(&format!("svg.stage .slab[data-chain='{c}']"))?;
        }
        // The outcome is brought into view in the side panel, which scrolls on its own.
        b.wait_until("the import's outcome in view", || {
            b.execute(
                "const d = document.querySelector('.import-done').getBoundingClientRect();
                 const s = document.querySelector('aside.side').getBoundingClientRect();
                 return d.top >= s.top - 1 && d.top < s.bottom && d.top < innerHeight ? true : null;",
                vec![],
            )
            .ok()
            .filter(|v| v.as_bool() == Some(true))
        })?;
        let done = b.text(&b.find(".import-done")?)?;
        if !done.contains("Loaded image: lab/alpine:1") {
            return Err(format!("the import says: {done}"));
        }
        hashed_by_workers(b, "the members")?;
        run(b, "docker run -d --name c1 lab/alpine:1 sleep 1d")?;
        run(b, "docker exec c1 sh -c 'echo x >> /etc/passwd'")?;
        b.wait_for(".stage .container[data-container='c1'] .held[data-path='/etc/passwd']")?;
        Ok(())
    });
}

#[test]
fn a_dropped_archive_is_analysed_and_a_damaged_one_refused() {
    let tar = std::fs::read(fixture("scratch-fs.tar")).expect("fixture");
    let chains = chain_ids(&tar);
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("import_dropped", |b| {
        b.goto(&url)?;
        b.wait_for("#open-image")?;
        // Dragged over the page, a file is told where it goes; dropped, the words go.
        let hint = b.execute(
            "const dt = new DataTransfer();
             dt.items.add(new File(['x'], 'a.tar'));
             document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
             return [document.documentElement.dataset.dropHint,
                     getComputedStyle(document.documentElement, '::after').content];",
            vec![],
        )?;
        let want = "Drop the image archive to open it here";
        if hint[0] != want || hint[1] != format!("\"{want}\"") {
            return Err(format!("while a file is dragged over the page: {hint}"));
        }
        b.screenshot(&artifacts_dir().join("import-drag-over-1280x720.png"))?;
        drop_file(b, "scratch-fs.tar", &tar)?;
        let after = b.execute("return document.documentElement.dataset.dropHint ?? null;", vec![])?;
        if !after.is_null() {
            return Err(format!("after the drop the page still says {after}"));
        }
        b.wait_for(".image-report")?;
        for c in &chains {
            b.wait_for(&format!("svg.stage .slab[data-chain='{c}']"))?;
        }
        let seen = slab_on_screen(b, &chains[0])?;
        if seen["inside"] != serde_json::Value::Bool(true) {
            return Err(format!("the bottom slab is not drawn in the stage: {seen}"));
        }
        let rows = b.find_all(".layers-report tbody tr")?;
        if rows.len() != 4 {
            return Err(format!("{} layer rows, want 4", rows.len()));
        }
        // Docker counts 40,125 bytes: the regular files of the layer tars.
        let total = b.text(&b.find(".image-report [data-figure='total']")?)?;
        if total != "40.1kB" {
            return Err(format!("total size {total}"));
        }
        b.wait_for(".wasted li[data-path]")?;
        // One layer's changes, largest first.
        b.click(&b.find(".layers-report tbody tr[data-layer='1'] button.files")?)?;
        b.wait_for(".layer-files tr[data-path]")?;
        show_pane(b)?;
        b.screenshot(&artifacts_dir().join("import-analysis-1280x720.png"))?;
        b.set_viewport(768, 1024)?;
        show_pane(b)?;
        b.screenshot(&artifacts_dir().join("import-analysis-768x1024.png"))?;
        // On a phone the report's tables scroll inside their boxes; the page
        // itself never slides sideways.
        b.set_viewport(390, 844)?;
        layerlab_e2e::show_tab(b, "more")?;
        show_pane(b)?;
        b.screenshot(&artifacts_dir().join("import-analysis-390x844.png"))?;
        let sideways = b.execute(
            "return [document.scrollingElement, ...document.querySelectorAll('main.workspace, aside.side')]
               .filter(e => e.scrollWidth > e.clientWidth + 1)
               .map(e => `${e.tagName}.${e.className} ${e.scrollWidth} > ${e.clientWidth}`);",
            vec![],
        )?;
        if sideways != serde_json::json!([]) {
            return Err(format!("the page slides sideways on a phone: {sideways}"));
        }
        b.set_viewport(1280, 720)?;

        // A damaged archive: the importer's own words, and no waiting for
        // the worker to hash a member whose end never came (it would then
        // be taken as stuck, and the page would hash in its place).
        b.execute("performance.clearMarks();", vec![])?;
        drop_file(b, "cut.tar", &tar[..tar.len() / 2])?;
        let error = b.wait_for(".import-error")?;
        let said = b.text(&error)?;
        if !said.contains("unexpected end of file") {
            return Err(format!("the damaged archive says: {said}"));
        }
        hashed_by_workers(b, "the cut archive's members")?;
        Ok(())
    });
}

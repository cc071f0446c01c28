//! The page's JS in one place. Trunk leaves a loader script in `index.html`
//! that imports wasm-bindgen's glue, which imports the snippets
//! (`static/*.js`, copied to `dist/snippets/…`). As files of their own, each
//! is one more request before the app can start: a few milliseconds apiece
//! on a two-core machine, where the browser's network work competes with the
//! page for the same cores; and the wasm cannot start compiling until the
//! glue has arrived and asked for it. esbuild (npm's, in `target/tools`)
//! bundles the loader with everything it imports, and the result goes back
//! into `index.html` in the loader's place.

use crate::run;
use std::path::Path;

/// The embedding page's helper (`embed/layerlab-embed.js`): served as it is,
/// never part of the app's own page.
pub const EMBED_HELPER: &str = "layerlab-embed.js";

/// The import's digest worker (`src/bin/digest_worker.rs`, its boot script
/// `static/digest-worker-boot.js`): started only when an image is opened,
/// never part of the first load; Trunk names a worker's files after its binary.
pub const DIGEST_WORKER: [&str; 3] = [
    "digest-worker-boot.js",
    "digest-worker.js",
    "digest-worker_bg.wasm",
];

/// Files beside `index.html` that the app's page does not load itself.
pub fn not_the_pages_own(name: &str) -> bool {
    name == EMBED_HELPER || DIGEST_WORKER.contains(&name)
}

/// Where the loader is written for esbuild, and where its bundle comes back.
const LOADER: &str = "__layerlab_loader.js";
const BUNDLED: &str = "__layerlab_bundle.js";

/// Bundles the loader script of `dist/index.html` with the glue and the
/// snippets it imports, puts the bundle inline in its place, and removes
/// the files it replaces and their preloads.
pub fn inline_scripts(dist: &Path) -> Result<(), String> {
    let glue = top_level_js(dist)?;
    let index = dist.join("index.html");
    let html = read(&index)?;
    let loader = loader_script(&html, &format!("./{glue}"))?;
    crate::files::write(&dist.join(LOADER), loader.as_bytes())?;
    let bundled = run::status(
        std::process::Command::new(crate::tools::tools_bin().join("esbuild"))
            .current_dir(dist)
            .args([
                LOADER,
                "--bundle",
                "--format=esm",
                "--minify",
                "--charset=utf8",
                "--log-level=warning",
            ])
            .arg(format!("--outfile={BUNDLED}")),
    )
    .and_then(|()| read(&dist.join(BUNDLED)));
    let _ = std::fs::remove_file(dist.join(LOADER));
    let _ = std::fs::remove_file(dist.join(BUNDLED));
    let bundled = bundled?;
    let html = with_script(&html, &loader, &bundled)?;
    let mut html = without_preload(&html, &format!("./{glue}"));
    let snippets = dist.join("snippets");
    if snippets.is_dir() {
        let mut files = Vec::new();
        crate::files::files_under(dist, &snippets, &mut files)?;
        for (name, _) in files {
            html = without_preload(&html, &format!("./{name}"));
        }
        std::fs::remove_dir_all(&snippets)
            .map_err(|e| format!("cannot remove {}: {e}", snippets.display()))?;
    }
    crate::files::write(&index, html.as_bytes())?;
    std::fs::remove_file(dist.join(&glue)).map_err(|e| format!("cannot remove {glue}: {e}"))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The one `.js` file beside `index.html` that is the page's own: the glue.
fn top_level_js(dist: &Path) -> Result<String, String> {
    let names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot list {}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".js") && !not_the_pages_own(n))
        .collect();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected one JS glue file in {}, found {names:?}",
            dist.display()
        )),
    }
}

/// The text of the `<script type="module">` that imports `glue`.
fn loader_script(html: &str, glue: &str) -> Result<String, String> {
    const OPEN: &str = "<script type=\"module\">";
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let body = &rest[start + OPEN.len()..];
        let end = body
            .find("</script>")
            .ok_or("index.html has a module script that does not end")?;
        let script = &body[..end];
        if script.contains(&format!("from '{glue}'"))
            || script.contains(&format!("from \"{glue}\""))
        {
            return Ok(script.to_owned());
        }
        rest = &body[end..];
    }
    Err(format!(
        "index.html has no module script that imports {glue}"
    ))
}

/// `html` with the module script whose text is `loader` holding `bundle`
/// instead. Inside a `<script>` element the HTML parser ends the script at
/// `</script` and treats `<!--` specially, so a bundle holding either cannot
/// go inline (esbuild escapes them in strings; this catches the rest).
fn with_script(html: &str, loader: &str, bundle: &str) -> Result<String, String> {
    let lower = bundle.to_ascii_lowercase();
    if lower.contains("</script") || lower.contains("<!--") {
        return Err(
            "the bundled script contains `</script` or `<!--`, which cannot go inline".into(),
        );
    }
    let old = format!("<script type=\"module\">{loader}</script>");
    if !html.contains(&old) {
        return Err("the loader script moved while it was bundled".into());
    }
    let new = format!("<script type=\"module\">\n{}\n</script>", bundle.trim_end());
    Ok(html.replacen(&old, &new, 1))
}

/// `html` without the `<link rel="modulepreload">` of `href`.
fn without_preload(html: &str, href: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let needle = format!("href=\"{href}\"");
    while let Some(start) = rest.find("<link ") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + len];
        out.push_str(&rest[..start]);
        if !(tag.contains("rel=\"modulepreload\"") && tag.contains(&needle)) {
            out.push_str(tag);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<head><script type=\"module\">import x from './other.js';</script>\
        <script type=\"module\">\nimport init, * as bindings from './app-1.js';\nawait init();\n</script>\
        <link rel=\"modulepreload\" href=\"./app-1.js\" crossorigin=\"anonymous\">\
        <link rel=\"modulepreload\" href=\"./snippets/a/x.js\" crossorigin=\"anonymous\">\
        <link rel=\"preload\" href=\"./app-1_bg.wasm\" as=\"fetch\"></head>";

    #[test]
    fn the_loader_is_the_module_script_that_imports_the_glue() {
        let loader = loader_script(PAGE, "./app-1.js").expect("found");
        assert!(loader.contains("await init();"), "{loader}");
        assert!(!loader.contains("other.js"));
        assert!(loader_script(PAGE, "./app-2.js").is_err());
    }

    #[test]
    fn the_bundle_takes_the_loaders_place_unless_it_cannot_go_inline() {
        let loader = loader_script(PAGE, "./app-1.js").expect("found");
        let page = with_script(PAGE, &loader, "const a=1;await go(a);\n").expect("inline");
        assert!(page.contains("<script type=\"module\">\nconst a=1;await go(a);\n</script>"));
        assert!(!page.contains("import init"));
        assert!(page.contains("other.js"), "other scripts stay");
        for bad in ["x='</script>'", "y='<!--'"] {
            assert!(with_script(PAGE, &loader, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_named_preload_goes() {
        let page = without_preload(PAGE, "./app-1.js");
        assert!(!page.contains("href=\"./app-1.js\""));
        assert!(page.contains("href=\"./snippets/a/x.js\""));
        assert!(page.contains("app-1_bg.wasm"), "the wasm's preload stays");
    }
}

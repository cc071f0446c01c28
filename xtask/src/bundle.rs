//! The page's JS in one place. The snippets (`static/*.js`, which
//! wasm-bindgen copies to `dist/snippets/…`) go into the JS glue that imports
//! them, and the glue goes into the loader script in `index.html`. As files of
//! their own, each is one more request before the app can start: a few
//! milliseconds apiece on a two-core machine, where the browser's network
//! work competes with the page for the same cores; and the wasm cannot start
//! compiling until the glue has arrived and asked for it.
//!
//! A snippet runs once, in a scope of its own, before the glue, as an imported
//! module would; the glue's imports read its exports from that scope. The
//! glue, too, runs in a scope of its own, and the loader reads its exports
//! from there.

use std::path::Path;

/// Bundles every snippet under `dist/snippets` into the glue that imports it,
/// and removes the snippet files and their preloads.
pub fn inline_snippets(dist: &Path) -> Result<(), String> {
    let snippets_dir = dist.join("snippets");
    if !snippets_dir.is_dir() {
        return Ok(());
    }
    let mut files = Vec::new();
    crate::dist::files_under(dist, &snippets_dir, &mut files)?;
    let mut snippets = Vec::new();
    for (name, path) in files {
        let code = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        snippets.push((format!("./{name}"), code));
    }
    let glue_name = top_level_js(dist)?;
    let glue_path = dist.join(&glue_name);
    let glue = std::fs::read_to_string(&glue_path)
        .map_err(|e| format!("cannot read {}: {e}", glue_path.display()))?;
    let bundled = bundle(&glue, &snippets)?;
    crate::dist::write(&glue_path, bundled.as_bytes())?;

    let index = dist.join("index.html");
    let mut html = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    for (name, _) in &snippets {
        html = without_preload(&html, name);
    }
    crate::dist::write(&index, html.as_bytes())?;
    std::fs::remove_dir_all(&snippets_dir)
        .map_err(|e| format!("cannot remove {}: {e}", snippets_dir.display()))
}

/// The embedding page's helper (`embed/layerlab-embed.js`): served as it is,
/// never part of the app's own page.
pub const EMBED_HELPER: &str = "layerlab-embed.js";

/// The one `.js` file beside `index.html` but the embed helper: the glue.
fn top_level_js(dist: &Path) -> Result<String, String> {
    let names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot list {}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".js") && n != EMBED_HELPER)
        .collect();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected one JS glue file in {}, found {names:?}",
            dist.display()
        )),
    }
}

/// Puts the glue into the loader script that imports it (Trunk's
/// `import init, * as bindings from './app.js'`), removes the glue's file and
/// its preload.
pub fn inline_glue(dist: &Path) -> Result<(), String> {
    let glue_name = top_level_js(dist)?;
    let glue_path = dist.join(&glue_name);
    let glue = std::fs::read_to_string(&glue_path)
        .map_err(|e| format!("cannot read {}: {e}", glue_path.display()))?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let html = with_glue_inline(&html, &format!("./{glue_name}"), &glue)?;
    crate::dist::write(
        &index,
        without_preload(&html, &format!("./{glue_name}")).as_bytes(),
    )?;
    std::fs::remove_file(&glue_path)
        .map_err(|e| format!("cannot remove {}: {e}", glue_path.display()))
}

/// `html` with the import of the glue (at `path`) replaced by the glue itself,
/// in a scope whose exports become the namespace the import named.
pub fn with_glue_inline(html: &str, path: &str, glue: &str) -> Result<String, String> {
    // Inside a <script> element, the HTML parser ends the script at `</script`
    // and treats `<!--` specially: such glue would not survive being inlined.
    let lower = glue.to_ascii_lowercase();
    if lower.contains("</script") || lower.contains("<!--") {
        return Err(format!(
            "{path} contains `</script` or `<!--`, which cannot go inline in a <script>"
        ));
    }
    let line = html
        .lines()
        .find(|l| imports_from(l.trim(), path))
        .ok_or_else(|| format!("index.html has no script that imports {path}"))?;
    let clause = line
        .trim()
        .strip_prefix("import ")
        .and_then(|l| l.rsplit_once(" from "))
        .map(|(clause, _)| clause)
        .ok_or_else(|| format!("cannot read the loader's import: {line}"))?;
    let (default, namespace) = clause
        .split_once(", * as ")
        .map(|(d, n)| (d.trim(), n.trim()))
        .ok_or_else(|| {
            format!("the loader's import is not `import init, * as bindings`: {line}")
        })?;
    let (body, exports) = glue_without_exports(glue)?;
    let inline = format!(
        "// {path}\nconst {namespace} = (() => {{\n{body}return {{ {} }};\n}})();\nconst {default} = {namespace}.default;",
        exports.join(", ")
    );
    Ok(html.replacen(line, &inline, 1))
}

/// The glue's code with `export` taken off, and what it exported, as the
/// fields of an object (`name`, or `alias: name`).
fn glue_without_exports(glue: &str) -> Result<(String, Vec<String>), String> {
    let mut body = String::with_capacity(glue.len());
    let mut exports = Vec::new();
    for line in glue.lines() {
        if let Some(list) = line
            .strip_prefix("export {")
            .and_then(|l| l.trim_end().trim_end_matches(';').strip_suffix('}'))
        {
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                exports.push(match item.split_once(" as ") {
                    Some((name, alias)) => format!("{}: {}", alias.trim(), name.trim()),
                    None => item.to_owned(),
                });
            }
            continue;
        }
        let line = match line.strip_prefix("export ") {
            Some(rest) => {
                let name = declared_name(rest, true)
                    .ok_or_else(|| format!("the glue exports what cannot be inlined: {line}"))?;
                exports.push(name.to_owned());
                rest
            }
            None => line,
        };
        body.push_str(line);
        body.push('\n');
    }
    Ok((body, exports))
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

/// `glue` with each import of a snippet (`(path, code)`, the path as the glue
/// writes it) replaced by a read of that snippet's exports, and the snippets'
/// code, each in its own scope, in front.
pub fn bundle(glue: &str, snippets: &[(String, String)]) -> Result<String, String> {
    let scope = |i: usize| format!("__layerlab_snippet_{i}");
    let mut front = String::new();
    for (i, (path, code)) in snippets.iter().enumerate() {
        let (body, exports) = without_exports(path, code)?;
        front.push_str(&format!(
            "// {path}\nconst {} = (() => {{\n{body}\nreturn {{ {} }};\n}})();\n",
            scope(i),
            exports.join(", ")
        ));
    }
    let mut out = front;
    for line in glue.lines() {
        let snippet = snippets
            .iter()
            .position(|(path, _)| imports_from(line, path));
        match snippet {
            Some(i) => out.push_str(&import_as_const(line, &scope(i))?),
            None if line.starts_with("import ") && line.contains("/snippets/") => {
                return Err(format!(
                    "the glue imports a snippet that is not in dist/snippets: {line}"
                ))
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    Ok(out)
}

/// Whether `line` is an import from `path`, in either quote.
fn imports_from(line: &str, path: &str) -> bool {
    line.starts_with("import ")
        && (line.contains(&format!("from '{path}'")) || line.contains(&format!("from \"{path}\"")))
}

/// `import { a, b as c } from '…'` → `const { a, b: c } = scope;`, and
/// `import * as m from '…'` → `const m = scope;`.
fn import_as_const(line: &str, scope: &str) -> Result<String, String> {
    let clause = line
        .strip_prefix("import ")
        .and_then(|l| l.rsplit_once(" from "))
        .map(|(clause, _)| clause.trim())
        .ok_or_else(|| format!("cannot read the glue's import: {line}"))?;
    if let Some(name) = clause.strip_prefix("* as ") {
        return Ok(format!("const {} = {scope};", name.trim()));
    }
    let names = clause
        .strip_prefix('{')
        .and_then(|c| c.strip_suffix('}'))
        .ok_or_else(|| format!("cannot read the glue's import: {line}"))?;
    let bindings: Vec<String> = names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.replace(" as ", ": "))
        .collect();
    Ok(format!("const {{ {} }} = {scope};", bindings.join(", ")))
}

/// The name that `declaration` (what follows `export `) declares: an
/// `[async] function name(…)`, or, if `classes`, a `class name {…}` too.
fn declared_name(declaration: &str, classes: bool) -> Option<&str> {
    let rest = declaration.strip_prefix("async ").unwrap_or(declaration);
    let named = rest
        .strip_prefix("function ")
        .or_else(|| rest.strip_prefix("class ").filter(|_| classes))?;
    named
        .split(['(', ' ', '{'])
        .next()
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

/// A snippet's code with `export` taken off its functions, and their names.
/// Snippets export functions only and import nothing: anything else is an
/// error rather than a guess.
fn without_exports(path: &str, code: &str) -> Result<(String, Vec<String>), String> {
    let mut body = String::with_capacity(code.len());
    let mut exports = Vec::new();
    for line in code.lines() {
        let line = match line.strip_prefix("export ") {
            Some(rest) => {
                let name = declared_name(rest, false).ok_or_else(|| {
                    format!("{path}: only `export function` can be bundled, not: {line}")
                })?;
                exports.push(name.to_owned());
                rest
            }
            None => line,
        };
        if line.starts_with("import ") || line.contains("import.meta") || line.contains("import(") {
            return Err(format!(
                "{path}: a snippet that imports cannot be bundled: {line}"
            ));
        }
        body.push_str(line);
        body.push('\n');
    }
    Ok((body, exports))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNIPPET: &str = "./snippets/app/static/split.js";

    #[test]
    fn imports_of_a_snippet_read_its_scope() {
        let glue = "import { draw, load as go } from './snippets/app/static/split.js';\n\
                    import * as import1 from \"./snippets/app/static/split.js\"\n\
                    export function init() { draw(); }\n";
        let code = "let state = 1;\nexport function draw() { state++; }\nexport async function load() {}\n";
        let bundled = bundle(glue, &[(SNIPPET.into(), code.into())]).expect("bundled");
        assert_eq!(
            bundled,
            "// ./snippets/app/static/split.js\n\
             const __layerlab_snippet_0 = (() => {\n\
             let state = 1;\nfunction draw() { state++; }\nasync function load() {}\n\n\
             return { draw, load };\n})();\n\
             const { draw, load: go } = __layerlab_snippet_0;\n\
             const import1 = __layerlab_snippet_0;\n\
             export function init() { draw(); }\n"
        );
    }

    #[test]
    fn what_cannot_be_bundled_is_an_error() {
        // (glue, snippet code, words the error must contain)
        let cases = [
            (
                "import { x } from './snippets/app/static/split.js';",
                "export const x = 1;",
                "only `export function`",
            ),
            (
                "import { x } from './snippets/app/static/split.js';",
                "import { y } from './y.js';\nexport function x() {}",
                "imports cannot be bundled",
            ),
            (
                "import { x } from './snippets/other/static/gone.js';",
                "export function x() {}",
                "not in dist/snippets",
            ),
            (
                "import x from './snippets/app/static/split.js';",
                "export function x() {}",
                "cannot read the glue's import",
            ),
        ];
        for (glue, code, words) in cases {
            let why = bundle(glue, &[(SNIPPET.into(), code.into())]).unwrap_err();
            assert!(why.contains(words), "{glue} / {code}: {why}");
        }
    }

    #[test]
    fn the_glue_goes_inline_where_the_loader_imported_it() {
        let html = "<script type=\"module\">\nimport init, * as bindings from './app.js';\nconst wasm = await init({ module_or_path: './app_bg.wasm' });\n</script>";
        let glue = "let wasm;\nexport function go() { wasm.go(); }\nexport class Thing {}\nasync function __wbg_init(m) {}\nexport { initSync, __wbg_init as default };\n";
        assert_eq!(
            with_glue_inline(html, "./app.js", glue),
            Ok("<script type=\"module\">\n// ./app.js\n\
                const bindings = (() => {\n\
                let wasm;\nfunction go() { wasm.go(); }\nclass Thing {}\nasync function __wbg_init(m) {}\n\
                return { go, Thing, initSync, default: __wbg_init };\n})();\n\
                const init = bindings.default;\n\
                const wasm = await init({ module_or_path: './app_bg.wasm' });\n</script>"
                .to_owned())
        );
    }

    #[test]
    fn glue_that_cannot_go_inline_is_an_error() {
        // (page, glue, words the error must contain)
        let page =
            "<script type=\"module\">\nimport init, * as bindings from './app.js';\n</script>";
        let cases = [
            (page, "const s = '</SCRIPT>';", "cannot go inline"),
            (page, "// <!-- old comment", "cannot go inline"),
            (page, "export const x = 1;", "cannot be inlined"),
            (
                "<script type=\"module\">\nimport init from './app.js';\n</script>",
                "",
                "not `import init, * as bindings`",
            ),
            ("<p>no loader</p>", "", "no script that imports ./app.js"),
        ];
        for (html, glue, words) in cases {
            let why = with_glue_inline(html, "./app.js", glue).unwrap_err();
            assert!(why.contains(words), "{glue}: {why}");
        }
    }

    #[test]
    fn only_the_snippets_preload_goes() {
        let html = "<link rel=\"modulepreload\" href=\"./app.js\"><link rel=\"modulepreload\" href=\"./snippets/app/static/split.js\" crossorigin=\"anonymous\"><link rel=\"preload\" href=\"./app_bg.wasm\">";
        assert_eq!(
            without_preload(html, SNIPPET),
            "<link rel=\"modulepreload\" href=\"./app.js\"><link rel=\"preload\" href=\"./app_bg.wasm\">"
        );
    }
}

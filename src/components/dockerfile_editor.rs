//! The Dockerfile pane: a plain-text editor with line numbers.

use crate::highlight::{class, highlight, Pieces, Token};
use crate::hooks::use_lang;
use crate::i18n::{t, Msg};
use crate::state::Action;
use layerlab_engine::dockerfile::{parse, Severity};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DockerfileEditorProps {
    pub text: String,
    /// Edits and the Build button go to the app's state.
    pub on_action: Callback<Action>,
    /// The line of the build step on show, and whether it failed.
    #[prop_or_default]
    pub step: Option<(usize, bool)>,
    /// Shown under the editor (the build context).
    #[prop_or_default]
    pub children: Html,
}

/// How many lines the gutter numbers: the text's lines, and at least one.
pub fn line_count(text: &str) -> usize {
    text.strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .count()
        .max(1)
}

/// The coloured lines under the text area: one per numbered line (a final
/// newline starts no line of its own); `escape` is the parser's escape token.
fn shown_lines(text: &str, escape: char) -> Vec<Pieces<'_>> {
    let mut lines = highlight(text, escape);
    if text.ends_with('\n') {
        lines.pop();
    }
    lines
}

#[function_component(DockerfileEditor)]
pub fn dockerfile_editor(props: &DockerfileEditorProps) -> Html {
    let lang = use_lang();
    let lines = line_count(&props.text);
    let parsed = use_memo(props.text.clone(), |text| parse(text));
    let marks = |n: usize| {
        parsed
            .diagnostics
            .iter()
            .filter(|d| d.line == n)
            .map(|d| d.severity)
            .min()
    };
    let oninput = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_action.emit(Action::Edit(area.value()));
            }
        })
    };
    html! {
        <section class="pane dockerfile-pane" id="dockerfile-pane" aria-labelledby="dockerfile-heading">
            <h2 id="dockerfile-heading">{"Dockerfile"}</h2>
            <p class="hint">{ t(lang, Msg::DockerfileHint) }</p>
            <div class="editor">
                <ol class="gutter" aria-hidden="true">
                    { for (1..=lines).map(|n| match (marks(n), props.step) {
                        (_, Some((line, true))) if line == n => html! { <li class="mark error step">{"✗ "}{ n }</li> },
                        (_, Some((line, false))) if line == n => html! { <li class="mark step">{"▶ "}{ n }</li> },
                        (Some(Severity::Error), _) => html! { <li class="mark error">{"✖ "}{ n }</li> },
                        (Some(Severity::Warning), _) => html! { <li class="mark warning">{"⚠ "}{ n }</li> },
                        (None, _) => html! { <li>{ n }</li> },
                    }) }
                </ol>
                // The coloured text lies under a transparent text area of
                // the same size, which takes the typing.
                <div class="code">
                    <pre class="highlight" aria-hidden="true">
                        { for shown_lines(&props.text, parsed.directives.escape).into_iter().enumerate().map(|(k, pieces)| {
                            let bad = marks(k + 1) == Some(Severity::Error);
                            html! {
                                <>
                                    <span class={classes!(bad.then_some("bad"))}>
                                        { for pieces.into_iter().map(|(tok, text)| match tok {
                                            Token::Plain => html! { { text } },
                                            token => html! { <span class={class(token)}>{ text }</span> },
                                        }) }
                                    </span>
                                    { "\n" }
                                </>
                            }
                        }) }
                        { " " }
                    </pre>
                    <textarea id="dockerfile" spellcheck="false" autocapitalize="off" autocomplete="off"
                        wrap="off" rows={(lines + 1).to_string()}
                        aria-label={t(lang, Msg::DockerfileEditorLabel)}
                        value={props.text.clone()} {oninput} />
                </div>
            </div>
            // Under the text it is about, not below the context files.
            <ul class="diagnostics" aria-live="polite" aria-label={t(lang, Msg::DiagnosticsLabel)}>
                { for parsed.diagnostics.iter().map(|d| {
                    let (class, icon, word) = match d.severity {
                        Severity::Error => ("error", "✖", t(lang, Msg::DiagnosticError)),
                        Severity::Warning => ("warning", "⚠", t(lang, Msg::DiagnosticWarning)),
                    };
                    html! {
                        <li class={class}>
                            <span aria-hidden="true">{ icon }{" "}</span>
                            <strong>{ format!("{word} · {} {}:{}", t(lang, Msg::DiagnosticLine), d.line, d.column) }</strong>
                            {" "}<span class="mono">{ &d.message }</span>
                            if let Some(h) = &d.hint { <div class="diag-hint">{ crate::i18n::hint(lang, h) }</div> }
                        </li>
                    }
                }) }
            </ul>
            <div class="build-row">
                <button type="button" id="build" class="primary" aria-describedby="build-hint"
                    onclick={props.on_action.reform(|_: MouseEvent| Action::Build)}>
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                        <path d="M2 11h12v3H2zM4 7h8v3H4zM6 3h4v3H6z" fill="none" stroke="currentColor" stroke-width="1.3" />
                    </svg>
                    { t(lang, Msg::BuildButton) }
                </button>
                <span id="build-hint" class="hint">{ t(lang, Msg::BuildHint) }</span>
            </div>
            <p class="status" role="status">
                { format!("{lines} {}", t(lang, Msg::LineCount)) }
                { match props.step {
                    Some((line, true)) => format!(" · ✗ {} {line}", t(lang, Msg::BuildFailedAt)),
                    Some((line, false)) => format!(" · ▶ {} {line}", t(lang, Msg::BuildingLine)),
                    None => String::new(),
                } }
            </p>
            { props.children.clone() }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::line_count;

    #[test]
    fn counts_lines_as_an_editor_numbers_them() {
        let cases = [
            ("", 1),
            ("FROM a", 1),
            ("FROM a\n", 1),
            ("FROM a\nRUN b\n", 2),
            ("a\n\nb", 3),
        ];
        for (text, want) in cases {
            assert_eq!(line_count(text), want, "{text:?}");
        }
    }
}

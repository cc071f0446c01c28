//! Syntax colouring for the Dockerfile editor: the engine cuts each line into
//! pieces as its parser reads them (`dockerfile::tokens`, which honours
//! `# escape=`); this names each piece's class on the page. Colour is
//! decoration only: the parser's diagnostics say what is wrong in words.

pub use layerlab_engine::dockerfile::{tokens as highlight, Pieces, Token};

/// A piece's class on the page (the stylesheet colours these).
pub fn class(token: Token) -> &'static str {
    match token {
        Token::Plain => "",
        Token::Keyword => "kw",
        Token::Comment => "comment",
        Token::Flag => "flag",
        Token::Var => "var",
        Token::Str => "str",
        Token::Heredoc => "heredoc",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line's pieces as `kw[FROM][ ubuntu]`, plain pieces without a name.
    fn shown(text: &str) -> Vec<String> {
        let escape = layerlab_engine::dockerfile::parse(text).directives.escape;
        highlight(text, escape)
            .iter()
            .map(|line| {
                line.iter()
                    .map(|(token, s)| format!("{}[{s}]", class(*token)))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn each_piece_has_the_class_the_stylesheet_colours() {
        let text = "# escape=`\nCOPY --chmod=755 \"a b\" $D `\n  <<EOF\nbody\nEOF";
        assert_eq!(
            shown(text),
            [
                "comment[# escape=`]",
                "kw[COPY][ ]flag[--chmod=755][ ]str[\"a b\"][ ]var[$D][ `]",
                "[  ]heredoc[<<EOF]",
                "heredoc[body]",
                "heredoc[EOF]",
            ]
        );
        let css = include_str!("../static/style.css");
        for token in [
            Token::Keyword,
            Token::Comment,
            Token::Flag,
            Token::Var,
            Token::Str,
            Token::Heredoc,
        ] {
            let rule = format!(".{}", class(token));
            assert!(css.contains(&rule), "no {rule} in style.css");
        }
    }
}

//! Chinese punctuation as Chinese text writes it: full-width marks (，：；（）
//! 。！？) after Chinese characters, and no space beside a full-width mark.
//! A test holds every Chinese text Layerlab writes to these rules.

/// Whether `c` is a Chinese character (CJK ideographs and their extensions).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

fn is_full_width_mark(c: char) -> bool {
    "，：；（）。！？、“”".contains(c)
}

/// Where `text` breaks the rules, each as a short quote around the place.
pub fn problems(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|k| chars[k]);
        let after = chars.get(i + 1).copied();
        let bad = match c {
            // A half-width mark right after a Chinese character; a dot that
            // starts a name (`镜像.tar`) is no full stop.
            ':' | ';' | '(' | '!' | '?' => before.is_some_and(is_cjk),
            ',' => before.is_some_and(is_cjk) || after.is_some_and(is_cjk),
            '.' => before.is_some_and(is_cjk) && !after.is_some_and(|a| a.is_ascii_alphanumeric()),
            // A half-width mark that a Chinese character follows.
            ')' => after.is_some_and(is_cjk),
            ' ' => before.is_some_and(is_full_width_mark) || after.is_some_and(is_full_width_mark),
            _ => false,
        };
        // `, ` or `: ` leading into Chinese is a Chinese comma or colon.
        let leads_in = matches!(c, ',' | ':' | ';')
            && after == Some(' ')
            && chars.get(i + 2).copied().is_some_and(is_cjk);
        if bad || leads_in {
            let from = i.saturating_sub(6);
            let to = (i + 7).min(chars.len());
            found.push(chars[from..to].iter().collect());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::problems;
    use crate::i18n::{Lang, Msg};
    use crate::lessons::LESSONS;

    #[test]
    fn the_rules_catch_half_width_marks_and_stray_spaces() {
        // (text, how many problems)
        let cases = [
            ("只复制元数据，不复制内容：", 0),
            ("只复制元数据，不复制内容:", 1),
            ("6 个只读镜像层, 131MB", 1),
            ("已完成课程： 0/11", 1),
            ("✓ 目标达成。 两个", 1),
            ("拉取一个（docker pull ubuntu:15.04），就能看到", 0),
            ("镜像(image)层", 2),
            ("保存为 app.tar 文件", 0),
            ("131MB, 容器", 1),
        ];
        for (text, n) in cases {
            assert_eq!(problems(text).len(), n, "{text}: {:?}", problems(text));
        }
    }

    #[test]
    fn every_chinese_text_follows_chinese_punctuation() {
        let mut texts: Vec<&str> = Msg::ALL.iter().map(|m| m.text(Lang::Zh)).collect();
        for l in LESSONS {
            texts.extend([l.title.zh, l.explain.zh, l.task.zh, l.why.zh]);
            texts.extend(l.hints.iter().map(|h| h.zh));
            texts.extend(l.quiz.as_ref().map(|q| q.question.zh));
        }
        let bad: Vec<String> = texts
            .iter()
            .flat_map(|t| {
                problems(t)
                    .into_iter()
                    .map(move |p| format!("{p:?} in {t:?}"))
            })
            .collect();
        assert!(
            bad.is_empty(),
            "{} problems:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }
}

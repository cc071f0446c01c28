//! Tables as the docker CLI lays them out (Go `text/tabwriter` with
//! minwidth 10, tabwidth 1, padding 3): each column as wide as its widest cell
//! plus 3, at least 10; cells left-aligned; the last cell of a row not padded.
//! Widths count characters (East Asian wide characters as 2 in `ellipsis`).

/// Renders rows (the first is the header) as docker prints them, one line each.
pub fn render(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![10usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns.saturating_sub(1)) {
            widths[i] = widths[i].max(cell.chars().count() + 3);
        }
    }
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < row.len() {
                    let pad = widths[i].saturating_sub(cell.chars().count());
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            line
        })
        .collect()
}

fn display_width(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    if wide {
        2
    } else {
        1
    }
}

/// Docker's `Ellipsis(s, n)`: longer than `n` columns → the first `n − 1` columns and `…`.
pub fn ellipsis(s: &str, n: usize) -> String {
    let width: usize = s.chars().map(display_width).sum();
    if width <= n {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = display_width(c);
        if used + w > n.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Docker's `TruncateID`: drop up to the first `:`, keep 12 characters.
pub fn truncate_id(id: &str) -> String {
    let hex = id.split_once(':').map_or(id, |(_, h)| h);
    hex.chars().take(12).collect()
}

/// Go's `strconv.Quote` for the printable text docker shows in COMMAND.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_as_docker_pads_them() {
        let rows = vec![
            vec![
                "CONTAINER ID".into(),
                "IMAGE".into(),
                "NAMES".into(),
                "SIZE".into(),
            ],
            vec![
                "c7e0e4971607".into(),
                "nginx:latest".into(),
                "proxy".into(),
                "2B (virtual 109MB)".into(),
            ],
            vec![
                "67a6c20ec7ed".into(),
                "wonderfall/isso:latest".into(),
                "isso".into(),
                "0B (virtual 68.2MB)".into(),
            ],
        ];
        assert_eq!(
            render(&rows),
            [
                "CONTAINER ID   IMAGE                    NAMES     SIZE",
                "c7e0e4971607   nginx:latest             proxy     2B (virtual 109MB)",
                "67a6c20ec7ed   wonderfall/isso:latest   isso      0B (virtual 68.2MB)",
            ]
        );
    }

    #[test]
    fn ellipsis_and_ids_and_quotes() {
        assert_eq!(
            ellipsis("/docker-entrypoint.sh nginx -g 'daemon off;'", 20),
            "/docker-entrypoint.…"
        );
        assert_eq!(ellipsis("short", 20), "short");
        assert_eq!(ellipsis("镜像镜像镜像", 5), "镜像…");
        assert_eq!(truncate_id("sha256:5f70bf18a086007016e9"), "5f70bf18a086");
        assert_eq!(go_quote("/bin/sh -c \"x\""), "\"/bin/sh -c \\\"x\\\"\"");
    }
}

//! Image references as Docker reads them: `nginx` means `nginx:latest`,
//! `docker.io/library/nginx` is `nginx`, names are lower case.

use std::fmt;

/// A parsed `name[:tag]` reference, in its familiar form (`nginx:latest`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    /// The familiar repository name, e.g. `nginx` or `wonderfall/isso`.
    pub repository: String,
    pub tag: String,
}

/// Why a text is no reference, as the Docker client words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidReference {
    /// Empty, too long, a digest, a bad tag or a bad name component.
    Format,
    /// A repository name with upper-case letters: the name.
    Uppercase(String),
}

impl InvalidReference {
    /// What is wrong, without `invalid reference format: ` before it (as
    /// `docker build -t` words it).
    pub fn reason(&self) -> String {
        match self {
            InvalidReference::Format => "invalid reference format".to_owned(),
            InvalidReference::Uppercase(name) => {
                format!("repository name ({name}) must be lowercase")
            }
        }
    }
}

impl fmt::Display for InvalidReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidReference::Format => f.write_str("invalid reference format"),
            InvalidReference::Uppercase(_) => {
                write!(f, "invalid reference format: {}", self.reason())
            }
        }
    }
}

impl Reference {
    /// Parses a reference; a missing tag is `latest`.
    pub fn parse(text: &str) -> Result<Reference, InvalidReference> {
        let bad = || InvalidReference::Format;
        if text.is_empty() || text.len() > 255 || text.contains('@') {
            return Err(bad());
        }
        let (name, tag) = match text.rfind(':') {
            Some(i) if !text[i + 1..].contains('/') => (&text[..i], &text[i + 1..]),
            _ => (text, "latest"),
        };
        let tag_ok = !tag.is_empty()
            && tag.len() <= 128
            && tag
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !tag_ok {
            return Err(bad());
        }
        if name.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(InvalidReference::Uppercase(name.to_owned()));
        }
        let mut parts: Vec<&str> = name.split('/').collect();
        if parts.len() > 1 && (parts[0] == "docker.io" || parts[0] == "index.docker.io") {
            parts.remove(0);
        }
        if parts.len() == 2 && parts[0] == "library" {
            parts.remove(0);
        }
        let component_ok = |c: &str| {
            !c.is_empty()
                && c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
                && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
                && c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
        };
        if parts.is_empty() || !parts.iter().all(|c| component_ok(c)) {
            return Err(bad());
        }
        Ok(Reference {
            repository: parts.join("/"),
            tag: tag.to_owned(),
        })
    }

    /// The repository path in the registry: `library/nginx` for official images.
    pub fn remote_path(&self) -> String {
        if self.repository.contains('/') {
            self.repository.clone()
        } else {
            format!("library/{}", self.repository)
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.repository, self.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_as_docker_does() {
        let cases = [
            ("nginx", "nginx:latest"),
            ("nginx:1.25", "nginx:1.25"),
            ("library/nginx", "nginx:latest"),
            ("docker.io/library/ubuntu:15.04", "ubuntu:15.04"),
            ("wonderfall/isso:latest", "wonderfall/isso:latest"),
            ("my-app_1.x", "my-app_1.x:latest"),
        ];
        for (text, want) in cases {
            assert_eq!(
                Reference::parse(text).map(|r| r.to_string()).as_deref(),
                Ok(want),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_references_are_refused_with_dockers_words() {
        let cases = [
            ("", "invalid reference format"),
            (
                "Nginx",
                "invalid reference format: repository name (Nginx) must be lowercase",
            ),
            ("nginx:", "invalid reference format"),
            ("-nginx", "invalid reference format"),
            ("nginx:bad tag", "invalid reference format"),
            ("a//b", "invalid reference format"),
        ];
        for (text, want) in cases {
            assert_eq!(
                Reference::parse(text).map_err(|e| e.to_string()),
                Err(want.to_owned()),
                "{text:?}"
            );
        }
    }
}

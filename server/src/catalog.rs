//! The surveys, focus-group guides and site tree the collector serves, read from the surveys
//! folder, and the checks a response or a session must pass before it is stored.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use crate::plural;
use voci_core::files::{Parsed, parse_bytes};
use voci_core::guide::{Guide, Session, check_session};
use voci_core::validate::{check_response, check_times};
use voci_core::{AnswerError, Diagnostic, Response, Severity, SiteId, SiteKind, SiteTree, Survey};

/// The name of the site file in a surveys folder; every other `.toml` file there is a survey
/// or a focus-group guide (`kind = "focus_group"`).
pub const SITES_FILE: &str = "sites.toml";

/// The subfolder of a surveys folder for older survey versions, kept so that responses
/// answered with them still validate. Its survey files are loaded (and published: drafts begun
/// with an old version can still be finished); a `sites.toml` in it is not.
pub const ARCHIVE_DIR: &str = "archive";

/// Every survey and guide (each version separately) and the site tree, checked.
#[derive(Debug)]
pub struct Catalog {
    /// Sorted by id, then by version (see [`version_cmp`]).
    surveys: Vec<Survey>,
    /// Sorted like the surveys.
    guides: Vec<Guide>,
    sites: SiteTree,
}

/// Why the surveys folder cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read the surveys folder {}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}", list_with_summary(diagnostics))]
    Invalid { diagnostics: Vec<Diagnostic> },
    #[error(
        "there is no {SITES_FILE} in {} (every response names the site it was collected at, so the collector needs the list of sites)",
        dir.display()
    )]
    NoSites { dir: PathBuf },
}

/// Why a response is refused: a message naming what is wrong, and every answer problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub message: String,
    /// The problems with single answers (empty when the response as a whole is refused).
    pub errors: Vec<AnswerError>,
}

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            errors: Vec::new(),
        }
    }
}

impl Catalog {
    /// Reads every `*.toml` file in `dir` and the survey files in its `archive/` subfolder.
    /// Warnings come back with the catalog; any error means no catalog at all, so the collector
    /// never starts half-loaded.
    pub fn load(dir: &Path) -> Result<(Catalog, Vec<Diagnostic>), CatalogError> {
        let files = survey_files_in(dir).map_err(|source| CatalogError::Folder {
            path: dir.to_owned(),
            source,
        })?;
        let read = read_files(&files);
        if read.error_count() > 0 {
            return Err(CatalogError::Invalid {
                diagnostics: read.diagnostics,
            });
        }
        let Some(sites) = read.sites.into_iter().next() else {
            return Err(CatalogError::NoSites {
                dir: dir.to_owned(),
            });
        };
        let catalog = Catalog::new(read.surveys, sites).with_guides(read.guides);
        Ok((catalog, read.diagnostics))
    }

    /// A catalog of already checked surveys (duplicates of id and version are not looked for).
    pub fn new(mut surveys: Vec<Survey>, sites: SiteTree) -> Self {
        sort_versions(&mut surveys, |s| (s.id.as_str(), &s.version));
        Self {
            surveys,
            guides: Vec::new(),
            sites,
        }
    }

    /// This catalog with already checked focus-group guides.
    pub fn with_guides(mut self, mut guides: Vec<Guide>) -> Self {
        sort_versions(&mut guides, |g| (g.id.as_str(), &g.version));
        self.guides = guides;
        self
    }

    /// Every survey version, sorted by id then version.
    pub fn surveys(&self) -> &[Survey] {
        &self.surveys
    }

    /// Every guide version, sorted by id then version.
    pub fn guides(&self) -> &[Guide] {
        &self.guides
    }

    pub fn find_guide(&self, id: &str, version: &str) -> Option<&Guide> {
        self.guides
            .iter()
            .find(|g| g.id.as_str() == id && g.version == version)
    }

    /// Every version of a guide, oldest first (empty for an unknown guide).
    pub fn guide_versions(&self, id: &str) -> Vec<&Guide> {
        self.guides.iter().filter(|g| g.id.as_str() == id).collect()
    }

    pub fn sites(&self) -> &SiteTree {
        &self.sites
    }

    /// How many places responses can be collected at (sites below the municipalities).
    pub fn site_count(&self) -> usize {
        self.sites
            .flatten()
            .iter()
            .filter(|(_, s)| !matches!(s.kind, SiteKind::District | SiteKind::Municipality))
            .count()
    }

    pub fn find(&self, id: &str, version: &str) -> Option<&Survey> {
        self.surveys
            .iter()
            .find(|s| s.id.as_str() == id && s.version == version)
    }

    /// The newest version of a survey, whose columns its CSV download has.
    pub fn latest(&self, id: &str) -> Option<&Survey> {
        self.surveys.iter().rfind(|s| s.id.as_str() == id)
    }

    /// Checks that the response's survey version and site exist and that its answers are valid.
    pub fn check(&self, response: &Response) -> Result<(), Invalid> {
        let survey = self
            .find(response.survey.as_str(), &response.version)
            .ok_or_else(|| {
                Invalid::new(format!(
                    "unknown survey {:?} version {:?}",
                    response.survey.as_str(),
                    response.version
                ))
            })?;
        self.known_site(&response.site)?;
        // An anonymous survey's response with an exact time is refused, not trimmed: the
        // device that sent it is out of date and its youth worker should know.
        check_times(survey, response).map_err(|e| Invalid::new(e.to_string()))?;
        check_response(survey, response).map_err(|errors| Invalid {
            message: errors
                .first()
                .map_or_else(|| "invalid answers".to_owned(), ToString::to_string),
            errors,
        })
    }

    /// Checks that the session's guide version and site exist and that the record fits the
    /// guide (consent for quotes, codes, themes, prompts). The first problem is the message.
    pub fn check_session(&self, session: &Session) -> Result<(), Invalid> {
        let guide = self
            .find_guide(session.guide.as_str(), &session.version)
            .ok_or_else(|| {
                Invalid::new(format!(
                    "unknown guide {:?} version {:?}",
                    session.guide.as_str(),
                    session.version
                ))
            })?;
        self.known_site(&session.site)?;
        check_session(guide, session).map_err(|errors| {
            Invalid::new(
                errors
                    .first()
                    .map_or_else(|| "invalid session".to_owned(), ToString::to_string),
            )
        })
    }

    fn known_site(&self, site: &SiteId) -> Result<(), Invalid> {
        match self.sites.find(site) {
            Some(_) => Ok(()),
            None => Err(Invalid::new(format!("unknown site {:?}", site.as_str()))),
        }
    }
}

/// The survey, guide and site files read from a set of paths, with every diagnostic about them.
#[derive(Debug, Default)]
pub struct FileSet {
    pub files: usize,
    pub surveys: Vec<Survey>,
    pub guides: Vec<Guide>,
    pub sites: Vec<SiteTree>,
    /// In file order, errors and warnings together.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileSet {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn files_with_errors(&self) -> usize {
        let files: BTreeSet<&str> = self
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.file.as_str())
            .collect();
        files.len()
    }
}

/// The extensions of the files a surveys folder publishes: native files and XLSForm
/// workbooks (`.md` XLSForms are read only when named, as a folder's README is no form; a
/// `.csv` only when it starts like a form, see [`is_survey_csv`]).
pub const SURVEY_EXTENSIONS: &[&str] = &["toml", "xlsx", "xls", "csv"];

/// The survey files directly in `dir` (`*.toml` and XLSForms), sorted. Spreadsheet lock
/// files (`~$form.xlsx`), hidden files and `.csv` files that are no form are not survey files.
pub fn toml_files_in(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let listed = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| SURVEY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("~$") || n.starts_with('.'));
        if listed && !hidden && path.is_file() && is_survey_csv(&path) != Some(false) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Whether a `.csv` file is an XLSForm (its first cell names a sheet: `survey`, `choices`,
/// `settings`), so that an exported results file left in the folder is not read as one;
/// `None` for another extension, and for a file that cannot be read (reading it again
/// reports why).
pub fn is_survey_csv(path: &Path) -> Option<bool> {
    use std::io::Read as _;
    let csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !csv {
        return None;
    }
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .ok()?;
    Some(voci_core::xlsform::csv_is_form(&head))
}

/// The files of a surveys folder: the `*.toml` files directly in `dir`, then the survey files
/// in its [`ARCHIVE_DIR`] subfolder (only one level: deeper folders are not read).
pub fn survey_files_in(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = toml_files_in(dir)?;
    let archive = dir.join(ARCHIVE_DIR);
    if archive.is_dir() {
        let archived = toml_files_in(&archive)?;
        files.extend(
            archived
                .into_iter()
                .filter(|p| p.file_name().is_none_or(|n| n != SITES_FILE)),
        );
    }
    Ok(files)
}

/// Reads and parses each file: `sites.toml` as the site tree, a file with
/// `kind = "focus_group"` as a guide, any other as a survey.
///
/// A file that cannot be read, and a survey (or guide) whose id and version another file
/// already has, are reported as diagnostics like any other problem.
pub fn read_files(paths: &[PathBuf]) -> FileSet {
    let mut set = FileSet {
        files: paths.len(),
        ..FileSet::default()
    };
    // Surveys and guides are published apart, so each has ids and versions of its own.
    let mut seen: HashMap<(&'static str, String, String), String> = HashMap::new();
    for path in paths {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                set.diagnostics
                    .push(at_start(&name, format!("cannot read this file: {e}")));
                continue;
            }
        };
        let (parsed, diagnostics) = parse_bytes(&name, &bytes);
        set.diagnostics.extend(diagnostics);
        let key = match &parsed {
            None | Some(Parsed::Sites(_)) => None,
            Some(Parsed::Survey(s)) => Some(("survey", s.id.to_string(), s.version.clone())),
            Some(Parsed::Guide(g)) => Some(("guide", g.id.to_string(), g.version.clone())),
        };
        if let Some(key) = key {
            if let Some(first) = seen.get(&key) {
                let text = String::from_utf8_lossy(&bytes);
                let (line, column) = top_level_key_position(&text, "version");
                set.diagnostics.push(Diagnostic {
                    file: name,
                    sheet: None,
                    line,
                    column,
                    severity: Severity::Error,
                    message: format!(
                        "{} {:?} version {:?} is already defined in {first} (give this file a new version)",
                        key.0, key.1, key.2
                    ),
                });
                continue;
            }
            seen.insert(key, name);
        }
        match parsed {
            Some(Parsed::Survey(survey)) => set.surveys.push(survey),
            Some(Parsed::Guide(guide)) => set.guides.push(guide),
            Some(Parsed::Sites(tree)) => set.sites.push(tree),
            None => {}
        }
    }
    set
}

fn at_start(file: &str, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        sheet: None,
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
    }
}

/// Where `key = ...` stands before the first table header, else the start of the file.
fn top_level_key_position(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return (i + 1, line.len() - trimmed.len() + 1);
        }
    }
    (1, 1)
}

/// Sorts by id, then by version (see [`version_cmp`]).
fn sort_versions<T>(items: &mut [T], key: impl Fn(&T) -> (&str, &str)) {
    items.sort_by(|a, b| {
        let ((a_id, a_version), (b_id, b_version)) = (key(a), key(b));
        a_id.cmp(b_id)
            .then_with(|| version_cmp(a_version, b_version))
    });
}

/// Orders versions so that numbers compare as numbers: `2026.2` < `2026.10`, `v9` < `v10`.
pub fn version_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (chunks(a), chunks(b));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let both_numbers = p.starts_with(|c: char| c.is_ascii_digit())
                    && q.starts_with(|c: char| c.is_ascii_digit());
                let order = if both_numbers {
                    let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                    p.len().cmp(&q.len()).then_with(|| p.cmp(q))
                } else {
                    p.cmp(q)
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// Splits text into runs of digits and runs of other characters.
fn chunks(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let digits = first.is_ascii_digit();
        let end = rest
            .find(|c: char| c.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

/// `2 errors in 1 file`.
pub fn error_summary(errors: usize, files: usize) -> String {
    format!("{} in {}", plural(errors, "error"), plural(files, "file"))
}

/// `checked 3 files: 0 errors` or `checked 3 files: 2 errors in 1 file`, with warnings counted.
pub fn check_summary(set: &FileSet) -> String {
    let errors = set.error_count();
    let warnings = set.diagnostics.len() - errors;
    let mut line = format!("checked {}: ", plural(set.files, "file"));
    if errors == 0 {
        line.push_str("0 errors");
    } else {
        line.push_str(&error_summary(errors, set.files_with_errors()));
    }
    if warnings > 0 {
        line.push_str(&format!(", {}", plural(warnings, "warning")));
    }
    line
}

fn list_with_summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let files: BTreeSet<&str> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.file.as_str())
        .collect();
    let mut out: String = diagnostics.iter().map(|d| format!("{d}\n")).collect();
    out.push_str(&error_summary(errors, files.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numbers_as_numbers() {
        assert_eq!(version_cmp("2026.2", "2026.10"), Ordering::Less);
        assert_eq!(version_cmp("v9", "v10"), Ordering::Less);
        assert_eq!(version_cmp("1", "1"), Ordering::Equal);
        assert_eq!(version_cmp("1.0", "1"), Ordering::Greater);
        // Equal as numbers: the text decides, so the order is still total.
        assert_eq!(version_cmp("01", "1"), Ordering::Less);
        assert_eq!(version_cmp("1b", "1a"), Ordering::Greater);
    }

    #[test]
    fn key_positions() {
        let text = "id = \"x\"\n  version = \"1\"\n[[section]]\nversion = \"2\"\n";
        assert_eq!(top_level_key_position(text, "version"), (2, 3));
        assert_eq!(top_level_key_position(text, "title"), (1, 1));
        // `versions = ` is another key.
        assert_eq!(top_level_key_position("versions = 1\n", "version"), (1, 1));
    }

    #[test]
    fn a_csv_is_a_survey_file_only_when_it_starts_like_a_form() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("a.toml", "");
        write("form.csv", "\"survey\",,\n,text,q\n");
        write("FORM2.CSV", "SURVEY,type\n");
        write("results.csv", "response_id,survey_version\n");
        write("empty.csv", "");
        write("notes.md", "| survey |\n");
        let names: Vec<String> = survey_files_in(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["FORM2.CSV", "a.toml", "form.csv"]);
    }

    #[test]
    fn summaries() {
        assert_eq!(error_summary(2, 1), "2 errors in 1 file");
        assert_eq!(error_summary(1, 2), "1 error in 2 files");
    }
}

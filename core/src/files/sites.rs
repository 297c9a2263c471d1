//! The sites file (`surveys/sites.toml`): districts, their municipalities, and the schools,
//! youth points and help desks in them.

use super::{Node, Reader};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ids::SiteId;
use crate::sites::{Site, SiteKind, SiteTree};

/// Reads a sites file. Returns the tree when there is no error, and every diagnostic found.
pub fn parse_sites(file: &str, text: &str) -> (Option<SiteTree>, Vec<Diagnostic>) {
    let mut r = Reader::new(file, text);
    let tree = r.parse_toml(text).and_then(|root| read_tree(&mut r, &root));
    let tree = tree.filter(|_| !r.has_errors());
    (tree, r.diagnostics)
}

fn read_tree(r: &mut Reader<'_>, root: &Node) -> Option<SiteTree> {
    let f = r.table(root, "the sites file", &["district"])?;
    let mut seen = Vec::new();
    let districts: Vec<Site> = r
        .list(&f, "district")
        .iter()
        .filter_map(|n| read_site(r, n, None, 0, &mut seen))
        .collect();
    if districts.is_empty() {
        r.error(0, "the sites file has no [[district]]");
    }
    Some(SiteTree { districts })
}

/// Level 0 is a district, 1 a municipality, 2 a site in it.
fn read_site(
    r: &mut Reader<'_>,
    node: &Node,
    parent: Option<&SiteId>,
    level: usize,
    seen: &mut Vec<SiteId>,
) -> Option<Site> {
    let (what, keys, child): (&str, &[&str], Option<&str>) = match level {
        0 => (
            "a [[district]]",
            &["id", "name", "municipality"],
            Some("municipality"),
        ),
        1 => (
            "a [[district.municipality]]",
            &["id", "name", "site"],
            Some("site"),
        ),
        _ => (
            "a [[district.municipality.site]]",
            &["id", "name", "kind"],
            None,
        ),
    };
    let f = r.table(node, what, keys)?;
    let name = r.string(&f, "name").map(|(s, _)| s);
    let id = r.string(&f, "id").and_then(|(s, span)| {
        let id = match parent {
            Some(p) => SiteId::child(p, &s),
            None => SiteId::parse(s.clone()),
        };
        match id {
            Ok(id) if seen.contains(&id) => {
                r.error(span.start, format!("duplicate site id \"{s}\" here"));
                None
            }
            Ok(id) => {
                seen.push(id.clone());
                Some(id)
            }
            Err(e) => {
                r.error(span.start, format!("site id \"{s}\" {e}"));
                None
            }
        }
    });
    let kind = match level {
        0 => SiteKind::District,
        1 => SiteKind::Municipality,
        _ => match r.string(&f, "kind") {
            Some((k, span)) => SiteKind::from_leaf_name(&k).unwrap_or_else(|| {
                let hint = did_you_mean(&k, SiteKind::LEAF_NAMES)
                    .map(|s| format!("did you mean \"{s}\"? "))
                    .unwrap_or_default();
                r.error(
                    span.start,
                    format!(
                        "unknown site kind \"{k}\" ({hint}expected one of: {})",
                        SiteKind::LEAF_NAMES.join(", ")
                    ),
                );
                SiteKind::Other
            }),
            None => SiteKind::Other,
        },
    };
    let id = id?;
    let children = child
        .map(|key| {
            r.list(&f, key)
                .iter()
                .filter_map(|n| read_site(r, n, Some(&id), level + 1, seen))
                .collect()
        })
        .unwrap_or_default();
    Some(Site {
        id,
        name: name?,
        kind,
        children,
    })
}

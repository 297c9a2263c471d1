//! The places responses are collected at: district → municipality → site (school, youth point, ...).

use serde::{Deserialize, Serialize};

use crate::ids::SiteId;
use crate::serde_lean::{object_only, read_unit_variants};

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(Site, SiteTree);

/// What kind of place a site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    District,
    Municipality,
    School,
    YouthPoint,
    HelpDesk,
    Other,
}

impl SiteKind {
    /// The kinds a leaf site may have in a sites file.
    pub const LEAF_NAMES: &'static [&'static str] =
        &["school", "youth_point", "help_desk", "other"];

    pub fn from_leaf_name(s: &str) -> Option<Self> {
        Some(match s {
            "school" => Self::School,
            "youth_point" => Self::YouthPoint,
            "help_desk" => Self::HelpDesk,
            "other" => Self::Other,
            _ => return None,
        })
    }
}

// The names `Serialize` writes, read by the reader all such enums share (`serde_lean`).
read_unit_variants!(SiteKind {
    District = "district",
    Municipality = "municipality",
    School = "school",
    YouthPoint = "youth_point",
    HelpDesk = "help_desk",
    Other = "other",
});

/// A node of the site tree. Its id is its whole path, so it is unique in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    pub kind: SiteKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Site>,
}

/// Every place a response may be collected at, as districts at the top.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SiteTree {
    pub districts: Vec<Site>,
}

impl SiteTree {
    /// Finds a site (at any level) by its path.
    pub fn find(&self, id: &SiteId) -> Option<&Site> {
        fn walk<'a>(sites: &'a [Site], id: &SiteId) -> Option<&'a Site> {
            sites.iter().find_map(|s| {
                if &s.id == id {
                    Some(s)
                } else if id.as_str().starts_with(&format!("{}/", s.id)) {
                    walk(&s.children, id)
                } else {
                    None
                }
            })
        }
        walk(&self.districts, id)
    }

    /// Every site with its depth (0 = district), depth first, for pickers and listings.
    pub fn flatten(&self) -> Vec<(usize, &Site)> {
        fn walk<'a>(sites: &'a [Site], depth: usize, out: &mut Vec<(usize, &'a Site)>) {
            for s in sites {
                out.push((depth, s));
                walk(&s.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.districts, 0, &mut out);
        out
    }
}

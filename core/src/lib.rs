//! Voci's core: everything about surveys that is the same in the browser and on the collector.
//!
//! The core does no I/O. It turns text into a checked [`Survey`] with [`Diagnostic`]s (never a
//! panic), validates a [`Response`] against a survey, and lays a response out as export cells.
//! The app (compiled to WebAssembly) and the collector run this very code, so a survey behaves
//! the same offline and on the server.
//!
//! # Layout
//!
//! - [`ids`]: identifiers that are valid once built (`SurveyId`, `QuestionId`, `ResponseId`, ...).
//! - [`text`]: text in several languages.
//! - [`model`]: the survey model (sections, questions, choices) as the app runs it.
//! - [`sites`]: the hierarchy of places a response is collected at.
//! - [`guide`]: focus-group guides and session records, with the consent rule for quotes.
//! - [`response`]: a respondent's answers, as queued by the app and stored by the collector.
//! - [`validate`]: checks of answers against their questions.
//! - [`vec_map`]: a small map as a sorted vector, for texts, filters, answers, problems (less code
//!   in the app's WebAssembly than a `BTreeMap` per key and value type).
//! - [`engine`]: a survey's logic at run time: shown questions, calculations, constraints.
//! - [`sync`]: the sync protocol's types and the client's rules (what to remove, when to retry).
//! - [`outbox_file`]: the outbox exported to a file, with a checksum, for import at the collector.
//! - [`export`]: the column layout of a survey's CSV.
//! - [`suppress`]: small-cell suppression of published counts (primary and complementary).
//! - [`expr`]: the XLSForm expression language: parse, check, evaluate.
//! - [`diagnostic`]: errors and warnings with file, line and column.
//! - [`num`] and [`pattern`]: numbers read from and written as text, and `regex()`'s patterns:
//!   Rust's own code natively, the browser's in the app's WebAssembly (the same results).
//! - `files` (feature `files`): the native TOML file formats for surveys and sites.
//! - `xlsform` (feature `files`): XLSForm workbooks (`.xlsx`, `.xls`, `.csv`, `.md`) read into
//!   the same survey model.

pub mod codebook;
pub mod diagnostic;
pub mod engine;
pub mod export;
pub mod expr;
#[cfg(feature = "files")]
pub mod files;
pub mod guide;
pub mod ids;
pub mod model;
pub mod num;
pub mod outbox_file;
pub mod pattern;
pub mod response;
pub mod results;
mod serde_lean;
pub mod sites;
pub mod suppress;
pub mod sync;
pub mod text;
pub mod validate;
pub mod vec_map;
#[cfg(feature = "files")]
pub mod xlsform;

pub use diagnostic::{Diagnostic, Severity};
pub use ids::{ChoiceId, IdError, QuestionId, ResponseId, SectionId, SiteId, SurveyId};
pub use model::{Choice, Question, QuestionKind, Section, Survey};
pub use response::{Answer, AnswerMap, Response};
pub use sites::{Site, SiteKind, SiteTree};
pub use text::{Lang, Text};
pub use validate::{AnswerError, Problem};
pub use vec_map::VecMap;

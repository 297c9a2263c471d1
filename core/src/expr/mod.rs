//! The expression language of XLSForm, so researchers' knowledge carries over: `${name}`
//! references, `.` for the current answer, `= != < <= > >= + - * div mod and or`, string and
//! number literals, and functions such as `selected()`, `if()`, `concat()`, `today()`.
//!
//! [`parse`] turns text into an [`Expr`] (errors carry their byte position); [`check`] finds
//! unknown functions, wrong arities and references to questions that do not exist, when a survey
//! is checked rather than while a student is answering; [`Expr::eval`] computes a [`Value`] from
//! an [`Env`] that gives the answers. As in XPath 1.0, values are strings underneath: an
//! unanswered question is the empty string, and comparisons convert as XPath does.

mod ast;
mod eval;
mod func;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

pub use ast::{BinOp, Expr, ExprKind};
pub use eval::{Env, Value, parse_date as parse_date_days};
pub use func::{CheckError, FUNCTIONS, Place, RefInfo, check, date_string};
pub use parser::{ParseError, parse};

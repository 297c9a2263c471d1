//! The functions expressions may call, and the check of an expression against a survey.

use std::ops::Range;

use super::ast::{BinOp, Expr, ExprKind};
use super::eval::{Env, Value, format_date, parse_date};
use crate::diagnostic::did_you_mean;

/// Every function with its fewest and most arguments (`None`: any number).
pub const FUNCTIONS: &[(&str, usize, Option<usize>)] = &[
    ("selected", 2, Some(2)),
    ("count-selected", 1, Some(1)),
    ("selected-at", 2, Some(2)),
    ("if", 3, Some(3)),
    ("coalesce", 2, Some(2)),
    ("not", 1, Some(1)),
    ("true", 0, Some(0)),
    ("false", 0, Some(0)),
    ("boolean", 1, Some(1)),
    ("string", 1, Some(1)),
    ("string-length", 1, Some(1)),
    ("concat", 0, None),
    ("contains", 2, Some(2)),
    ("starts-with", 2, Some(2)),
    ("ends-with", 2, Some(2)),
    ("substr", 2, Some(3)),
    ("normalize-space", 1, Some(1)),
    ("regex", 2, Some(2)),
    ("number", 1, Some(1)),
    ("int", 1, Some(1)),
    ("round", 1, Some(2)),
    ("floor", 1, Some(1)),
    ("ceiling", 1, Some(1)),
    ("abs", 1, Some(1)),
    ("pow", 2, Some(2)),
    ("min", 1, None),
    ("max", 1, None),
    ("sum", 1, Some(1)),
    ("count", 1, Some(1)),
    ("position", 1, Some(1)),
    ("indexed-repeat", 3, Some(3)),
    ("today", 0, Some(0)),
    ("date", 1, Some(1)),
];

pub(crate) fn call(name: &str, args: &[Expr], env: &dyn Env) -> Value {
    let arg = |i: usize| args.get(i).map_or_else(Value::empty, |a| a.eval(env));
    let s = |i: usize| arg(i).to_str();
    let n = |i: usize| arg(i).to_num();
    // A `${name}` argument of an aggregate stands for all its values (one per instance).
    let all = |i: usize| match args.get(i).map(|a| &a.kind) {
        Some(ExprKind::Ref(r)) => env.values(r),
        _ => vec![arg(i)],
    };
    let numbers = || (0..args.len()).flat_map(all).map(|v| v.to_num());
    match name {
        "selected" => {
            let want = s(1);
            Value::Bool(s(0).split_whitespace().any(|c| c == want.trim()))
        }
        "count-selected" => Value::Num(s(0).split_whitespace().count() as f64),
        "selected-at" => {
            let list = s(0);
            let i = n(1);
            let item = (i >= 0.0)
                .then(|| list.split_whitespace().nth(i as usize))
                .flatten();
            Value::Str(item.unwrap_or("").to_owned())
        }
        // Only the chosen branch is evaluated.
        "if" => {
            if arg(0).to_bool() {
                arg(1)
            } else {
                arg(2)
            }
        }
        "coalesce" => {
            let a = arg(0);
            if a.to_str().is_empty() { arg(1) } else { a }
        }
        "not" => Value::Bool(!arg(0).to_bool()),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "boolean" => Value::Bool(arg(0).to_bool()),
        "string" => Value::Str(s(0)),
        "string-length" => Value::Num(s(0).chars().count() as f64),
        "concat" => Value::Str((0..args.len()).map(s).collect()),
        "contains" => Value::Bool(s(0).contains(&s(1))),
        "starts-with" => Value::Bool(s(0).starts_with(&s(1))),
        "ends-with" => Value::Bool(s(0).ends_with(&s(1))),
        "substr" => {
            let chars: Vec<char> = s(0).chars().collect();
            let len = chars.len() as f64;
            // Not `f64::clamp`: its panic message would bring Rust's float formatting into
            // the app. NaN is 0 for the start, and an empty text for the end.
            let start = n(1).max(0.0).min(len) as usize;
            let end = if args.len() > 2 {
                n(2).max(start as f64).min(len) as usize
            } else {
                chars.len()
            };
            Value::Str(chars[start..end].iter().collect())
        }
        "normalize-space" => Value::Str(s(0).split_whitespace().collect::<Vec<_>>().join(" ")),
        "regex" => Value::Bool(crate::pattern::is_match(&s(1), &s(0))),
        "number" => Value::Num(n(0)),
        "sum" => Value::Num(numbers().sum()),
        "count" => Value::Num(all(0).len() as f64),
        "position" => Value::Num(env.position() as f64),
        "indexed-repeat" => match args.first().map(|a| &a.kind) {
            Some(ExprKind::Ref(r)) if n(2) >= 1.0 => env.indexed(r, n(2) as usize),
            _ => Value::empty(),
        },
        "int" => Value::Num(n(0).trunc()),
        "round" => {
            let digits = if args.len() > 1 { n(1) } else { 0.0 };
            let scale = 10f64.powi(digits as i32);
            // XPath rounds halves up (towards positive infinity).
            Value::Num((n(0) * scale + 0.5).floor() / scale)
        }
        "floor" => Value::Num(n(0).floor()),
        "ceiling" => Value::Num(n(0).ceil()),
        "abs" => Value::Num(n(0).abs()),
        "pow" => Value::Num(n(0).powf(n(1))),
        // As in the ODK XForms spec, the least and greatest of no values is NaN.
        "min" | "max" => {
            let pick = if name == "min" { f64::min } else { f64::max };
            Value::Num(
                numbers()
                    .reduce(|a, b| {
                        if a.is_nan() || b.is_nan() {
                            f64::NAN
                        } else {
                            pick(a, b)
                        }
                    })
                    .unwrap_or(f64::NAN),
            )
        }
        "today" => Value::Date(env.today()),
        "date" => match arg(0) {
            Value::Date(d) => Value::Date(d),
            Value::Num(x) if x.is_finite() => Value::Date(x.floor() as i64),
            other => parse_date(&other.to_str()).map_or_else(Value::empty, Value::Date),
        },
        _ => Value::empty(),
    }
}

/// A problem found when a survey is checked, at a byte range of the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    pub message: String,
    pub span: Range<usize>,
}

/// Where an expression is used, which decides what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `relevant`, `required`, `calculation`: no `.`, no bare names.
    Condition,
    /// A constraint may read `.`, the answer being checked.
    Constraint,
    /// A choice filter may read the choice's fields by bare name (`comune = ${comune}`).
    ChoiceFilter,
}

/// What a survey knows about the name in a `${name}`.
#[derive(Debug, Clone, Copy)]
pub enum RefInfo<'a> {
    /// A question whose answer is one of these choice codes (single choice, likert).
    OneOf(&'a [&'a str]),
    /// A question whose answer is a list of these choice codes (multiple choice).
    ManyOf(&'a [&'a str]),
    /// Any other question or calculation.
    Value,
    /// A repeated section: read only through `count(${repeat})` and `indexed-repeat()`.
    Repeat,
}

/// Checks an expression against a survey: functions exist and get the right number of
/// arguments, every `${name}` exists (`lookup` answers for a name), `.` appears only where
/// allowed, and choice codes compared with a choice question are among its choices.
pub fn check<'a>(
    expr: &Expr,
    lookup: &dyn Fn(&str) -> Option<RefInfo<'a>>,
    names: &[&str],
    place: Place,
) -> Vec<CheckError> {
    let allow_current = place == Place::Constraint;
    let mut errors = Vec::new();
    // Where a repeat's `${name}` and `..` may stand: arguments of the repeat functions,
    // marked when the call is visited (a parent is visited before its arguments).
    let mut allowed: Vec<Range<usize>> = Vec::new();
    expr.walk(&mut |e| {
        let mut err = |message: String| errors.push(CheckError { message, span: e.span.clone() });
        match &e.kind {
            ExprKind::Ref(name) if matches!(lookup(name), Some(RefInfo::Repeat)) && !allowed.contains(&e.span) => {
                err(format!("${{{name}}} is a repeat: count(${{{name}}}) is its number of instances, and indexed-repeat(${{question}}, ${{{name}}}, n) reads one of them"));
            }
            ExprKind::Parent if !allowed.contains(&e.span) => {
                err("'..' (the repeat instance) can only be used as position(..)".into());
            }
            ExprKind::Call(f, args) if f == "position" && args.len() == 1 => {
                if matches!(args[0].kind, ExprKind::Parent) {
                    allowed.push(args[0].span.clone());
                } else {
                    err("position() takes '..', the repeat instance: position(..)".into());
                }
            }
            ExprKind::Call(f, args) if f == "count" && args.len() == 1 => {
                if matches!(args[0].kind, ExprKind::Ref(_)) {
                    allowed.push(args[0].span.clone());
                } else {
                    err("count() counts the instances of a repeat: count(${repeat})".into());
                }
            }
            ExprKind::Call(f, args) if f == "indexed-repeat" && args.len() == 3 => {
                let repeat = match &args[1].kind {
                    ExprKind::Ref(r) => matches!(lookup(r), Some(RefInfo::Repeat)),
                    _ => false,
                };
                if matches!(args[0].kind, ExprKind::Ref(_)) && repeat {
                    allowed.push(args[1].span.clone());
                } else {
                    err("indexed-repeat() reads a question of a repeat in one instance: indexed-repeat(${question}, ${repeat}, n)".into());
                }
            }
            ExprKind::Ref(name) if lookup(name).is_none() => {
                let hint = did_you_mean(name, names).map(|s| format!(" (did you mean ${{{s}}}?)")).unwrap_or_default();
                err(format!("no question is named \"{name}\"{hint}"));
            }
            ExprKind::Current if !allow_current => {
                err("'.' (the answer being checked) can only be used in a constraint".into());
            }
            ExprKind::Field(name) if place != Place::ChoiceFilter => {
                err(format!(
                    "unknown word '{name}': write ${{{name}}} for a question, '{name}' for a text, or {name}(...) for a function"
                ));
            }
            ExprKind::Call(f, args) => match FUNCTIONS.iter().find(|(n, _, _)| n == f) {
                None => {
                    let known: Vec<&str> = FUNCTIONS.iter().map(|(n, _, _)| *n).collect();
                    let hint = did_you_mean(f, &known).map(|s| format!(" (did you mean {s}()?)")).unwrap_or_default();
                    err(format!("unknown function {f}(){hint}"));
                }
                Some((_, lo, hi)) if args.len() < *lo || hi.is_some_and(|hi| args.len() > hi) => {
                    let want = match hi {
                        Some(hi) if hi == lo => format!("{lo}"),
                        Some(hi) => format!("{lo} to {hi}"),
                        None => format!("at least {lo}"),
                    };
                    err(format!("{f}() takes {want} argument(s), not {}", args.len()));
                }
                Some(_) if f == "selected" || f == "count-selected" || f == "selected-at" => {
                    if let ExprKind::Ref(q) = &args[0].kind {
                        match lookup(q) {
                            Some(RefInfo::Value | RefInfo::Repeat) => err(format!("{f}() needs a choice question, and ${{{q}}} is not one")),
                            Some(RefInfo::OneOf(codes) | RefInfo::ManyOf(codes)) if f == "selected" => {
                                if let ExprKind::Str(code) = &args[1].kind
                                    && !codes.contains(&code.as_str())
                                {
                                    err(unknown_code(q, code, codes));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                // A pattern must read the same to the app (the browser's RegExp) and to the
                // collector (regex-lite): see `crate::pattern`.
                Some(_) if f == "regex" => {
                    if let ExprKind::Str(pattern) = &args[1].kind
                        && let Err(e) = crate::pattern::check(pattern)
                    {
                        // The pattern starts after the literal's opening quote.
                        let at = args[1].span.start + 1;
                        errors.push(CheckError {
                            message: format!("regex() pattern: {e} (see the portable patterns in docs/survey-format.md)"),
                            span: at + e.span.start..at + e.span.end,
                        });
                    }
                }
                Some(_) => {}
            },
            ExprKind::Binary(BinOp::Eq | BinOp::Ne, l, r) => {
                for (a, b) in [(l, r), (r, l)] {
                    if let (ExprKind::Ref(q), ExprKind::Str(code)) = (&a.kind, &b.kind) {
                        match lookup(q) {
                            Some(RefInfo::OneOf(codes)) if !codes.contains(&code.as_str()) => {
                                err(unknown_code(q, code, codes));
                            }
                            Some(RefInfo::ManyOf(_)) => err(format!(
                                "${{{q}}} is a multiple choice: use selected(${{{q}}}, '{code}') instead of comparing it with '{code}'"
                            )),
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    });
    errors
}

fn unknown_code(q: &str, code: &str, codes: &[&str]) -> String {
    let hint = did_you_mean(code, codes)
        .map(|s| format!("did you mean '{s}'? "))
        .unwrap_or_default();
    format!(
        "'{code}' is not a choice of ${{{q}}} ({hint}its choices: {})",
        codes.join(", ")
    )
}

/// Today's date as `YYYY-MM-DD`, for callers that hold days since 1970-01-01.
pub fn date_string(days: i64) -> String {
    format_date(days)
}

//! Evaluation with XPath 1.0's conversions, as ODK and Enketo do it.

use std::cmp::Ordering;

use super::ast::{BinOp, Expr, ExprKind};
use super::func;

/// A computed value. Answers come in as strings (choices space-separated) or numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    /// A date, as days since 1970-01-01.
    Date(i64),
}

/// What an expression can read: the answers, the current answer, and today's date.
pub trait Env {
    /// The answer to `${name}`: `Value::Str("")` when unanswered or not relevant.
    fn answer(&self, name: &str) -> Value;
    /// The answer being checked (`.`), in a constraint.
    fn current(&self) -> Value;
    /// Today, as days since 1970-01-01 (the core has no clock: the caller says).
    fn today(&self) -> i64;
    /// A field of the choice being filtered (`name` is its code), in a choice filter.
    fn field(&self, _name: &str) -> Value {
        Value::empty()
    }
    /// Every value `${name}` has: one per instance for a question inside a repeat (and for
    /// the repeat itself, so `count()` counts its instances); else its one answer.
    fn values(&self, name: &str) -> Vec<Value> {
        vec![self.answer(name)]
    }
    /// `${name}` in instance `n` (from 1) of its repeat, for `indexed-repeat()`.
    fn indexed(&self, name: &str, n: usize) -> Value {
        if n == 1 {
            self.answer(name)
        } else {
            Value::empty()
        }
    }
    /// The number (from 1) of the repeat instance being evaluated, for `position(..)`; 0
    /// outside repeats.
    fn position(&self) -> usize {
        0
    }
}

impl Value {
    pub fn empty() -> Self {
        Value::Str(String::new())
    }

    pub fn to_bool(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Bool(b) => *b,
            Value::Date(_) => true,
        }
    }

    /// XPath's number(): text that is not a number is NaN; a `YYYY-MM-DD` text is its day.
    pub fn to_num(&self) -> f64 {
        match self {
            Value::Str(s) => {
                let t = s.trim();
                crate::num::parse_decimal(t)
                    .or_else(|| parse_date(t).map(|d| d as f64))
                    .unwrap_or(f64::NAN)
            }
            Value::Num(n) => *n,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Date(d) => *d as f64,
        }
    }

    /// XPath's string(): whole numbers without a decimal point, dates as `YYYY-MM-DD`.
    pub fn to_str(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Num(n) => format_number(*n),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => format_date(*d),
        }
    }
}

pub(crate) fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if n == n.trunc() && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        crate::num::format(n)
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (also the date part of a date-time).
pub fn parse_date(s: &str) -> Option<i64> {
    let d = s.get(..10)?;
    if !crate::validate::is_date(d) || (s.len() > 10 && !s[10..].starts_with('T')) {
        return None;
    }
    let y: i64 = d[0..4].parse().ok()?;
    let m: i64 = d[5..7].parse().ok()?;
    let day: i64 = d[8..10].parse().ok()?;
    Some(days_from_civil(y, m, day))
}

/// Howard Hinnant's days-from-civil algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn format_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl Expr {
    /// Computes the expression. Never fails: as in XPath, nonsense gives NaN or the empty string.
    pub fn eval(&self, env: &dyn Env) -> Value {
        match &self.kind {
            ExprKind::Number(n) => Value::Num(*n),
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::Ref(name) => env.answer(name),
            ExprKind::Current => env.current(),
            ExprKind::Parent => Value::Num(env.position() as f64),
            ExprKind::Field(name) => env.field(name),
            ExprKind::Neg(e) => Value::Num(-e.eval(env).to_num()),
            ExprKind::Binary(BinOp::Or, l, r) => {
                Value::Bool(l.eval(env).to_bool() || r.eval(env).to_bool())
            }
            ExprKind::Binary(BinOp::And, l, r) => {
                Value::Bool(l.eval(env).to_bool() && r.eval(env).to_bool())
            }
            ExprKind::Binary(op, l, r) => binary(*op, l.eval(env), r.eval(env)),
            ExprKind::Call(name, args) => func::call(name, args, env),
        }
    }

    /// The expression as a condition (`relevant`, `constraint`, `required`).
    pub fn holds(&self, env: &dyn Env) -> bool {
        self.eval(env).to_bool()
    }
}

fn binary(op: BinOp, l: Value, r: Value) -> Value {
    match op {
        BinOp::Eq | BinOp::Ne => {
            let equal = match (&l, &r) {
                (Value::Bool(_), _) | (_, Value::Bool(_)) => l.to_bool() == r.to_bool(),
                (Value::Num(_) | Value::Date(_), _) | (_, Value::Num(_) | Value::Date(_)) => {
                    l.to_num() == r.to_num()
                }
                _ => l.to_str() == r.to_str(),
            };
            Value::Bool(equal == (op == BinOp::Eq))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = l.to_num().partial_cmp(&r.to_num());
            Value::Bool(match (op, ord) {
                (_, None) => false,
                (BinOp::Lt, Some(o)) => o == Ordering::Less,
                (BinOp::Le, Some(o)) => o != Ordering::Greater,
                (BinOp::Gt, Some(o)) => o == Ordering::Greater,
                (_, Some(o)) => o != Ordering::Less,
            })
        }
        BinOp::Add => Value::Num(l.to_num() + r.to_num()),
        BinOp::Sub => Value::Num(l.to_num() - r.to_num()),
        BinOp::Mul => Value::Num(l.to_num() * r.to_num()),
        BinOp::Div => Value::Num(l.to_num() / r.to_num()),
        BinOp::Mod => Value::Num(l.to_num() % r.to_num()),
        BinOp::Or | BinOp::And => unreachable!("handled with short-circuit in eval"),
    }
}

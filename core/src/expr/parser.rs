//! A precedence-climbing parser for the XPath subset XLSForm uses.

use std::fmt;

use super::ast::{BinOp, Expr, ExprKind};
use super::lexer::{Spanned, Tok, lex};

/// Why an expression does not parse, and the byte offset in it where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

impl std::error::Error for ParseError {}

/// Parses one expression.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let tokens = lex(src).map_err(|(message, offset)| ParseError { message, offset })?;
    let mut p = Parser {
        tokens,
        pos: 0,
        len: src.len(),
    };
    if p.tokens.is_empty() {
        return Err(ParseError {
            message: "the expression is empty".into(),
            offset: 0,
        });
    }
    let e = p.expr(0)?;
    match p.tokens.get(p.pos) {
        None => Ok(e),
        Some((tok, span)) => Err(ParseError {
            message: format!(
                "unexpected {} after a complete expression (missing operator?)",
                describe(tok)
            ),
            offset: span.start,
        }),
    }
}

struct Parser {
    tokens: Vec<Spanned>,
    pos: usize,
    len: usize,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Number(n) => format!("number {}", crate::num::format(*n)),
        Tok::Str(s) => format!("text '{s}'"),
        Tok::Ref(r) => format!("${{{r}}}"),
        Tok::Name(n) => format!("word '{n}'"),
        Tok::Dot => "'.'".into(),
        Tok::DotDot => "'..'".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::Eq => "'='".into(),
        Tok::Ne => "'!='".into(),
        Tok::Lt => "'<'".into(),
        Tok::Le => "'<='".into(),
        Tok::Gt => "'>'".into(),
        Tok::Ge => "'>='".into(),
        Tok::Plus => "'+'".into(),
        Tok::Minus => "'-'".into(),
        Tok::Star => "'*'".into(),
    }
}

/// The binary operator a token stands for, with its binding power (higher binds tighter).
fn binary(tok: &Tok) -> Option<(BinOp, u8)> {
    Some(match tok {
        Tok::Name(n) if n == "or" => (BinOp::Or, 1),
        Tok::Name(n) if n == "and" => (BinOp::And, 2),
        Tok::Eq => (BinOp::Eq, 3),
        Tok::Ne => (BinOp::Ne, 3),
        Tok::Lt => (BinOp::Lt, 4),
        Tok::Le => (BinOp::Le, 4),
        Tok::Gt => (BinOp::Gt, 4),
        Tok::Ge => (BinOp::Ge, 4),
        Tok::Plus => (BinOp::Add, 5),
        Tok::Minus => (BinOp::Sub, 5),
        Tok::Star => (BinOp::Mul, 6),
        Tok::Name(n) if n == "div" => (BinOp::Div, 6),
        Tok::Name(n) if n == "mod" => (BinOp::Mod, 6),
        _ => return None,
    })
}

impl Parser {
    fn err<T>(&self, message: impl Into<String>, offset: usize) -> Result<T, ParseError> {
        Err(ParseError {
            message: message.into(),
            offset,
        })
    }

    fn next(&mut self) -> Option<Spanned> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expr(&mut self, min_power: u8) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while let Some((op, power)) = self.tokens.get(self.pos).and_then(|(t, _)| binary(t)) {
            if power <= min_power {
                break;
            }
            self.pos += 1;
            let right = self.expr(power)?;
            let span = left.span.start..right.span.end;
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if let Some((Tok::Minus, span)) = self.tokens.get(self.pos).cloned() {
            self.pos += 1;
            let inner = self.unary()?;
            let span = span.start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Neg(Box::new(inner)),
                span,
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let Some((tok, span)) = self.next() else {
            return self.err(
                "the expression ends too early (an operand is missing)",
                self.len,
            );
        };
        let kind = match tok {
            Tok::Number(n) => ExprKind::Number(n),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Ref(r) => ExprKind::Ref(r),
            Tok::Dot => ExprKind::Current,
            Tok::DotDot => ExprKind::Parent,
            Tok::LParen => {
                let inner = self.expr(0)?;
                return match self.next() {
                    Some((Tok::RParen, end)) => Ok(Expr {
                        kind: inner.kind,
                        span: span.start..end.end,
                    }),
                    _ => self.err("this '(' is not closed", span.start),
                };
            }
            Tok::Name(name) => {
                if !matches!(self.tokens.get(self.pos), Some((Tok::LParen, _))) {
                    if binary(&Tok::Name(name.clone())).is_some() {
                        return self.err(format!("'{name}' needs something before it"), span.start);
                    }
                    return Ok(Expr {
                        kind: ExprKind::Field(name),
                        span,
                    });
                }
                self.pos += 1;
                let mut args = Vec::new();
                if let Some((Tok::RParen, end)) = self.tokens.get(self.pos).cloned() {
                    self.pos += 1;
                    return Ok(Expr {
                        kind: ExprKind::Call(name, args),
                        span: span.start..end.end,
                    });
                }
                loop {
                    args.push(self.expr(0)?);
                    match self.next() {
                        Some((Tok::Comma, _)) => {}
                        Some((Tok::RParen, end)) => {
                            return Ok(Expr {
                                kind: ExprKind::Call(name, args),
                                span: span.start..end.end,
                            });
                        }
                        _ => {
                            return self.err(
                                format!("the call to {name}( is not closed with ')'"),
                                span.start,
                            );
                        }
                    }
                }
            }
            other => {
                return self.err(
                    format!("unexpected {} (an operand is missing)", describe(&other)),
                    span.start,
                );
            }
        };
        Ok(Expr { kind, span })
    }
}

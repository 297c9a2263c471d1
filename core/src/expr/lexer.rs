//! Splits an expression into tokens, each with its byte range.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Number(f64),
    Str(String),
    Ref(String),
    /// A function name or an operator word (`and`, `or`, `div`, `mod`).
    Name(String),
    Dot,
    /// `..`: the repeat instance around the expression, in `position(..)`.
    DotDot,
    LParen,
    RParen,
    Comma,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
}

/// A token and where it stands.
pub(crate) type Spanned = (Tok, Range<usize>);

/// A lexing error: the message and the byte offset it is at.
pub(crate) type LexError = (String, usize);

pub(crate) fn lex(src: &str) -> Result<Vec<Spanned>, LexError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        let single = |t: Tok| (t, i..i + c.len_utf8());
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' | '=' | '+' | '-' | '*' => {
                chars.next();
                out.push(single(match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    ',' => Tok::Comma,
                    '=' => Tok::Eq,
                    '+' => Tok::Plus,
                    '-' => Tok::Minus,
                    _ => Tok::Star,
                }));
            }
            '!' | '<' | '>' => {
                chars.next();
                let eq = chars.next_if(|&(_, n)| n == '=').is_some();
                let end = i + 1 + usize::from(eq);
                let tok = match (c, eq) {
                    ('!', true) => Tok::Ne,
                    ('!', false) => {
                        return Err((
                            "'!' must be followed by '=' (use not(...) to negate)".into(),
                            i,
                        ));
                    }
                    ('<', true) => Tok::Le,
                    ('<', false) => Tok::Lt,
                    ('>', true) => Tok::Ge,
                    _ => Tok::Gt,
                };
                out.push((tok, i..end));
            }
            '\'' | '"' => {
                chars.next();
                let mut s = String::new();
                let end = loop {
                    match chars.next() {
                        Some((j, q)) if q == c => break j + 1,
                        Some((_, ch)) => s.push(ch),
                        None => return Err((format!("this text has no closing {c}"), i)),
                    }
                };
                out.push((Tok::Str(s), i..end));
            }
            '$' => {
                chars.next();
                if chars.next_if(|&(_, n)| n == '{').is_none() {
                    return Err(("'$' must start a reference such as ${age}".into(), i));
                }
                let mut name = String::new();
                let end = loop {
                    match chars.next() {
                        Some((j, '}')) => break j + 1,
                        Some((_, ch))
                            if ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '.' =>
                        {
                            name.push(ch)
                        }
                        Some((j, ch)) => {
                            return Err((
                                format!("{ch:?} cannot be part of a question name in ${{...}}"),
                                j,
                            ));
                        }
                        None => return Err(("this reference has no closing }".into(), i)),
                    }
                };
                if name.is_empty() {
                    return Err((
                        "empty reference ${}: write the question's name inside".into(),
                        i,
                    ));
                }
                out.push((Tok::Ref(name), i..end));
            }
            '.' if !chars
                .clone()
                .nth(1)
                .is_some_and(|(_, n)| n.is_ascii_digit()) =>
            {
                chars.next();
                if chars.next_if(|&(_, n)| n == '.').is_some() {
                    // `../name`: a sibling, which older XLSForms write for ${name}.
                    if chars.next_if(|&(_, n)| n == '/').is_some() {
                        let mut name = String::new();
                        let mut end = i + 3;
                        while let Some(&(j, ch)) = chars.peek() {
                            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                                name.push(ch);
                                end = j + ch.len_utf8();
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        if name.is_empty() {
                            return Err(("'../' must be followed by a question's name".into(), i));
                        }
                        out.push((Tok::Ref(name), i..end));
                        continue;
                    }
                    out.push((Tok::DotDot, i..i + 2));
                    continue;
                }
                out.push(single(Tok::Dot));
            }
            c if c.is_ascii_digit() || c == '.' => {
                let mut end = i;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_digit() || d == '.' {
                        end = j + 1;
                        chars.next();
                    } else {
                        break;
                    }
                }
                let text = &src[i..end];
                let n = crate::num::parse_decimal(text)
                    .ok_or_else(|| (format!("{text:?} is not a number"), i))?;
                out.push((Tok::Number(n), i..end));
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '-' || d == ':' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push((Tok::Name(src[i..end].to_owned()), i..end));
            }
            other => return Err((format!("unexpected character {other:?}"), i)),
        }
    }
    Ok(out)
}

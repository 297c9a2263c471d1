//! The patterns of `regex(text, 'pattern')`: the one place they are matched.
//!
//! Natively (the collector, `voci check`, tests) a pattern is matched by regex-lite. In the
//! app's WebAssembly the browser's own `RegExp` (with the `u` flag, so it reads code points)
//! matches it, and the app's download carries no regex engine. The two engines read the same
//! patterns differently at the edges (inline flags, set operations in classes, lookaround,
//! what `.` and `\s` match), so a survey's pattern must keep to a portable subset, which
//! [`check`] enforces when a survey is checked, and [`check`] also writes the pattern for
//! JavaScript with `.` as `[^\n]` and `\s` as `[\t\n\v\f\r ]`, the sets regex-lite uses. The
//! app, running surveys the collector checked, only rewrites ([`for_browser`]): the checking
//! and its messages are not in its download. The core stays pure: the browser's `RegExp`
//! computes, it reads and writes nothing.
//!
//! The subset (also in docs/survey-format.md):
//! - characters stand for themselves, except `\ . ^ $ | ? * + ( ) [ ] { }`, which are
//!   written `\\ \. \^ \$ \| \? \* \+ \( \) \[ \] \{ \}` for the character (and `\/`);
//! - `.` any character but a new line (`\n`); `^` and `$` the start and the end of the text;
//! - `\d` `\w` `\s` (ASCII digits, word characters, spaces) and `\D` `\W` `\S`; `\b` `\B`
//!   word boundaries; `\t` `\n` `\r` `\f` `\v`; `\xHH` and `\uHHHH` for a character;
//! - groups `( )` and `(?: )`, alternatives `|`;
//! - repetitions `*` `+` `?` `{n}` `{n,}` `{n,m}` after a character, class or group, each
//!   optionally followed by `?`;
//! - classes `[abc]`, `[^abc]`, ranges `[a-z]`, `\d` `\w` `\s` inside; `-` first, last or
//!   written `\-`, `]` written `\]`, `[` written `\[`.
//!
//! Refused: inline flags `(?i)`, named groups, lookaround `(?= )` `(?! )` `(?<= )`,
//! backreferences `\1`, `\p{..}`, `\A` `\z` `\b{..}` `\<` `\>`, `\x{..}` `\u{..}`, nested
//! classes, `[:alpha:]`, the set operations `&&` `--` `~~`, `\S` and `\b` inside a class. A
//! pattern that does not compile matches nothing: `regex()` is false.

use std::ops::Range;

/// Whether `pattern` matches somewhere in `text` (a pattern that does not compile matches
/// nothing).
pub fn is_match(pattern: &str, text: &str) -> bool {
    platform::is_match(pattern, text)
}

/// Why a pattern is outside the portable subset, at a byte range of the pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PatternError {
    pub message: String,
    pub span: Range<usize>,
}

/// Checks that `pattern` is within the portable subset; the `Ok` is the pattern as the
/// browser's `RegExp` must read it to match as regex-lite does.
pub fn check(pattern: &str) -> Result<String, PatternError> {
    Scanner {
        src: pattern,
        at: 0,
        out: String::with_capacity(pattern.len() + 8),
    }
    .pattern()
}

/// `pattern` as the browser's `RegExp` must read it to match as regex-lite does: what [`check`]
/// gives for a pattern within the portable subset, without checking it. The app runs surveys
/// the collector checked, so it needs only this rewrite (`.` as `[^\n]`, `\s` and `\S` as
/// regex-lite's sets); a pattern outside the subset comes out rewritten as well as it goes, and
/// if the browser refuses it, `regex()` is false.
pub fn for_browser(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') if in_class => out.push_str(SPACE),
                Some('s') => {
                    out.push('[');
                    out.push_str(SPACE);
                    out.push(']');
                }
                Some('S') if !in_class => {
                    out.push_str("[^");
                    out.push_str(SPACE);
                    out.push(']');
                }
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '.' if !in_class => out.push_str(r"[^\n]"),
            '[' if !in_class => {
                in_class = true;
                out.push('[');
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters that are written with a backslash to stand for themselves.
const SYNTAX: &str = "\\.^$|?*+()[]{}/";
/// regex-lite's `\s`, which JavaScript's `\s` exceeds (it has Unicode's spaces).
const SPACE: &str = r"\t\n\v\f\r ";

/// One escape after a backslash, inside or outside a class.
enum Escape {
    /// A single character (`\.`, `\n`, `\x41`).
    Char(char),
    /// A set of characters (`\d`, `\w`, `\s` and their negations), already written out.
    Set,
}

struct Scanner<'a> {
    src: &'a str,
    /// Byte offset of the next character.
    at: usize,
    /// The pattern for JavaScript.
    out: String,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.at..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.src[self.at..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    /// An error over the text from `start` to the next character, the one that went wrong.
    fn error<T>(&self, start: usize, message: impl Into<String>) -> Result<T, PatternError> {
        let end = self.at + self.peek().map_or(0, char::len_utf8);
        Err(PatternError {
            message: message.into(),
            span: start..end.max(start),
        })
    }

    fn pattern(mut self) -> Result<String, PatternError> {
        // The offsets of the open groups, and whether what precedes can be repeated.
        let mut groups: Vec<usize> = Vec::new();
        let mut atom = false;
        while let Some(c) = self.peek() {
            let start = self.at;
            self.bump();
            atom = match c {
                // An assertion (`\b`) cannot be repeated.
                '\\' => self.escape(start, false)?.is_some(),
                '.' => {
                    self.out.push_str(r"[^\n]");
                    true
                }
                '^' | '$' | '|' => {
                    self.out.push(c);
                    false
                }
                '(' => {
                    if self.peek() == Some('?') {
                        if self.peek2() != Some(':') {
                            return self.error(
                                start,
                                "only (?: ) groups are portable: not inline flags such as (?i), named groups or lookaround",
                            );
                        }
                        self.bump();
                        self.bump();
                        self.out.push_str("(?:");
                    } else {
                        self.out.push('(');
                    }
                    groups.push(start);
                    false
                }
                ')' => {
                    if groups.pop().is_none() {
                        return self
                            .error(start, "this ')' closes no '(': write \\) for the character");
                    }
                    self.out.push(')');
                    true
                }
                '*' | '+' | '?' | '{' => {
                    if !atom {
                        return self.error(
                            start,
                            format!("'{c}' repeats nothing: write \\{c} for the character"),
                        );
                    }
                    self.out.push(c);
                    if c == '{' {
                        self.counted(start)?;
                    }
                    if self.peek() == Some('?') {
                        self.bump();
                        self.out.push('?');
                    }
                    false
                }
                ']' | '}' => {
                    return self.error(start, format!("write \\{c} for the character '{c}'"));
                }
                '[' => {
                    self.class(start)?;
                    true
                }
                c => {
                    self.out.push(c);
                    true
                }
            };
        }
        if let Some(&open) = groups.last() {
            self.at = open;
            return self.error(open, "this '(' has no ')'");
        }
        Ok(self.out)
    }

    /// The rest of `{n}`, `{n,}` or `{n,m}` after the `{`.
    fn counted(&mut self, start: usize) -> Result<(), PatternError> {
        let number = |s: &mut Self| -> Option<u32> {
            let from = s.at;
            while s.peek().is_some_and(|c| c.is_ascii_digit()) {
                s.bump();
            }
            let n = s.src[from..s.at].parse().ok();
            s.out.push_str(&s.src[from..s.at]);
            n
        };
        let shape = "'{' starts a repetition {n}, {n,} or {n,m}: write \\{ for the character";
        let Some(lo) = number(self) else {
            return self.error(start, shape);
        };
        let hi = if self.peek() == Some(',') {
            self.bump();
            self.out.push(',');
            if self.peek() == Some('}') {
                None
            } else {
                Some(number(self))
            }
        } else {
            Some(Some(lo))
        };
        if self.bump() != Some('}') || hi == Some(None) {
            return self.error(start, shape);
        }
        self.out.push('}');
        if hi.flatten().is_some_and(|hi| hi < lo) {
            return self.error(start, format!("{{{lo},m}} needs m at least {lo}"));
        }
        Ok(())
    }

    /// An escape after its backslash (at `start`), written for JavaScript: a character or a
    /// set, or `None` for an assertion (`\b`, `\B`, outside a class only).
    fn escape(&mut self, start: usize, in_class: bool) -> Result<Option<Escape>, PatternError> {
        let Some(c) = self.bump() else {
            return self.error(
                start,
                "a pattern cannot end with a single \\: write \\\\ for the character",
            );
        };
        let single = |s: &mut Self, ch: char| {
            s.out.push('\\');
            s.out.push(c);
            Ok(Some(Escape::Char(ch)))
        };
        match c {
            c if SYNTAX.contains(c) || (in_class && c == '-') => single(self, c),
            't' => single(self, '\t'),
            'n' => single(self, '\n'),
            'r' => single(self, '\r'),
            'f' => single(self, '\x0C'),
            'v' => single(self, '\x0B'),
            'd' | 'D' | 'w' | 'W' => {
                self.out.push('\\');
                self.out.push(c);
                Ok(Some(Escape::Set))
            }
            's' => {
                if in_class {
                    self.out.push_str(SPACE);
                } else {
                    self.out.push('[');
                    self.out.push_str(SPACE);
                    self.out.push(']');
                }
                Ok(Some(Escape::Set))
            }
            'S' if !in_class => {
                self.out.push_str("[^");
                self.out.push_str(SPACE);
                self.out.push(']');
                Ok(Some(Escape::Set))
            }
            'b' | 'B' if !in_class => {
                if self.peek() == Some('{') {
                    return self.error(start, "\\b{..} is not portable");
                }
                self.out.push('\\');
                self.out.push(c);
                Ok(None)
            }
            'x' | 'u' => {
                let len = if c == 'x' { 2 } else { 4 };
                let hex = self.src[self.at..]
                    .get(..len)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                let ch = hex
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                let (Some(hex), Some(ch)) = (hex, ch) else {
                    return self.error(
                        start,
                        format!("\\{c} takes exactly {len} hexadecimal digits (not a surrogate)"),
                    );
                };
                self.at += len;
                self.out.push('\\');
                self.out.push(c);
                self.out.push_str(hex);
                Ok(Some(Escape::Char(ch)))
            }
            '0'..='9' => self.error(start, "backreferences such as \\1 are not portable"),
            'p' | 'P' => self.error(start, "Unicode classes such as \\p{L} are not portable"),
            'A' | 'z' => self.error(start, "write ^ and $ for the start and the end of the text"),
            'S' | 'b' | 'B' => self.error(start, format!("\\{c} is not portable inside a class")),
            c => self.error(start, format!("\\{c} is not a portable escape")),
        }
    }

    /// A class after its `[` (at `start`).
    fn class(&mut self, start: usize) -> Result<(), PatternError> {
        self.out.push('[');
        if self.peek() == Some('^') {
            self.bump();
            self.out.push('^');
        }
        if self.peek() == Some(']') {
            return self.error(
                self.at,
                "a class cannot be empty or start with ']': write \\] for the character",
            );
        }
        let mut first = true;
        loop {
            let item = self.at;
            let Some(c) = self.bump() else {
                return self.error(start, "this '[' has no ']'");
            };
            let one =
                match c {
                    ']' => {
                        self.out.push(']');
                        return Ok(());
                    }
                    '[' => return self.error(
                        item,
                        "write \\[ for the character: nested classes and [:name:] are not portable",
                    ),
                    '&' | '~' | '-' if self.peek() == Some(c) => {
                        return self.error(
                            item,
                            format!(
                                "'{c}{c}' in a class is not portable: write \\{c} for the character"
                            ),
                        );
                    }
                    '-' if !first && self.peek() != Some(']') => {
                        return self.error(
                            item,
                            "write \\- for a '-' that is neither first nor last in a class",
                        );
                    }
                    '\\' => match self.escape(item, true)? {
                        Some(Escape::Char(ch)) => Some(ch),
                        _ => None,
                    },
                    c => {
                        self.out.push(c);
                        Some(c)
                    }
                };
            first = false;
            // A range `a-z`, unless the '-' is last.
            if self.peek() == Some('-') && self.peek2().is_some_and(|n| n != ']') {
                let Some(lo) = one else {
                    return self.error(self.at, "write \\- for a '-' after \\d, \\w or \\s");
                };
                self.bump();
                self.out.push('-');
                let end = self.at;
                let doubled = self.peek() == Some('-')
                    || (self.peek2() == self.peek() && matches!(self.peek(), Some('&' | '~')));
                if doubled {
                    return self.error(end - 1, "a set operation ('&&', '--', '~~') in a class is not portable: write \\- or \\& or \\~");
                }
                let hi = match self.bump() {
                    Some('\\') => match self.escape(end, true)? {
                        Some(Escape::Char(ch)) => ch,
                        _ => return self.error(end, "a range ends with a character, not a set"),
                    },
                    Some('[') => return self.error(end, "write \\[ for the character"),
                    Some(c) => {
                        self.out.push(c);
                        c
                    }
                    None => return self.error(start, "this '[' has no ']'"),
                };
                if hi < lo {
                    return self.error(item, format!("the range {lo}-{hi} is backwards"));
                }
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    pub fn is_match(pattern: &str, text: &str) -> bool {
        regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(text))
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use wasm_bindgen::JsValue;
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        type RegExp;

        #[wasm_bindgen(constructor, catch)]
        fn new(pattern: &str, flags: &str) -> Result<RegExp, JsValue>;

        #[wasm_bindgen(method)]
        fn test(this: &RegExp, text: &str) -> bool;
    }

    /// The browser's `RegExp`, with the pattern written for JavaScript by
    /// [`super::for_browser`] (the collector checked it: [`super::check`]).
    pub fn is_match(pattern: &str, text: &str) -> bool {
        RegExp::new(&super::for_browser(pattern), "u").is_ok_and(|re| re.test(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_patterns_are_written_for_javascript() {
        let cases = [
            ("^[0-9]{5}$", "^[0-9]{5}$"),
            ("^[A-Z][a-z]+$", "^[A-Z][a-z]+$"),
            (r"^\+?[0-9 ]{6,15}$", r"^\+?[0-9 ]{6,15}$"),
            ("a.c", r"a[^\n]c"),
            (r"\s+", r"[\t\n\v\f\r ]+"),
            (r"\S", r"[^\t\n\v\f\r ]"),
            (r"[\s,;]", r"[\t\n\v\f\r ,;]"),
            (r"^\d{2}/\d{2}$", r"^\d{2}/\d{2}$"),
            (r"^(?:ab|cd)*?x{2,}$", r"^(?:ab|cd)*?x{2,}$"),
            (r"[-a-z_.]", r"[-a-z_.]"),
            (r"[a-z-]", r"[a-z-]"),
            (r"[\-\]\[\\]", r"[\-\]\[\\]"),
            (r"[^\x41-\u005A]", r"[^\x41-\u005A]"),
            (r"\bcat\B", r"\bcat\B"),
            (r"\.\$\/\{\}", r"\.\$\/\{\}"),
            ("città|perché", "città|perché"),
            ("", ""),
            ("()|a|", "()|a|"),
            ("[.*+?(){}|$^]", "[.*+?(){}|$^]"),
        ];
        for (pattern, js) in cases {
            assert_eq!(check(pattern).as_deref(), Ok(js), "{pattern}");
            // The app's rewrite, which does not check, writes the same.
            assert_eq!(for_browser(pattern), js, "{pattern}");
            assert!(regex_lite::Regex::new(pattern).is_ok(), "{pattern}");
        }
    }

    #[test]
    fn the_browsers_rewrite_leaves_patterns_outside_the_subset_to_fail_there() {
        // Not checked: rewritten as far as it goes, and the browser's `RegExp` refuses what
        // it cannot read (`regex()` is then false).
        assert_eq!(for_browser(r"(?i)a.b"), r"(?i)a[^\n]b");
        assert_eq!(for_browser(r"[[:alpha:]]\s"), r"[[:alpha:]][\t\n\v\f\r ]");
        assert_eq!(for_browser("abc\\"), "abc\\");
    }

    #[test]
    fn patterns_outside_the_subset_are_refused_where_they_go_wrong() {
        // (pattern, the refused part)
        let cases = [
            ("(?i)abc", "("),
            ("(?<n>a)", "("),
            ("a(?=b)", "("),
            ("(?<!a)b", "("),
            (r"(a)\1", r"\1"),
            (r"\p{L}", r"\p"),
            (r"\Aabc\z", r"\A"),
            (r"\b{start}x", r"\b"),
            (r"\x{41}", r"\x"),
            (r"\u{41}", r"\u"),
            (r"\uD800", r"\u"),
            (r"\<a", r"\<"),
            (r"\e", r"\e"),
            (r"\-", r"\-"),
            ("[a-z&&[^aeiou]]", "&"),
            ("[a--b]", "-"),
            ("[a~~b]", "~"),
            ("[a-&&b]", "-&"),
            ("[a-~~b]", "-~"),
            ("[[:alpha:]]", "["),
            ("[a[b]]", "["),
            ("[]a]", "]"),
            ("[^]", "]"),
            ("[]", "]"),
            ("[a-z-0]", "-"),
            (r"[\d-z]", "-"),
            (r"[a-\d]", r"\d"),
            ("[z-a]", "z"),
            (r"[\S]", r"\S"),
            (r"[\b]", r"\b"),
            ("[abc", "["),
            ("(abc", "("),
            ("abc)", ")"),
            ("*a", "*"),
            ("a**", "*"),
            ("a{2}{3}", "{"),
            ("^*", "*"),
            (r"\b+", "+"),
            ("(*a)", "*"),
            ("a|+", "+"),
            ("a{", "{"),
            ("a{,3}", "{"),
            ("a{x}", "{"),
            ("a{3,2}", "{"),
            ("a}", "}"),
            ("a]", "]"),
            ("abc\\", "\\"),
        ];
        for (pattern, at) in cases {
            let e = check(pattern).expect_err(pattern);
            assert!(
                pattern[e.span.clone()].starts_with(at),
                "{pattern}: {e} at {:?}",
                &pattern[e.span.clone()]
            );
        }
    }

    #[test]
    fn matches_anywhere_and_a_broken_pattern_matches_nothing() {
        assert!(is_match("[0-9]{3}", "ab1234"));
        assert!(!is_match("^[0-9]{3}$", "ab1234"));
        assert!(is_match("a.c", "abc"));
        assert!(!is_match("a.c", "a\nc"));
        assert!(!is_match("(", "("));
    }
}

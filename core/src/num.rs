//! Numbers read from text and written as text: the one place the core and the app do either.
//!
//! Natively (the collector, `voci check`, tests) a number is read by Rust's `f64::from_str`
//! and written by Rust's `{}`. In the app's WebAssembly the browser does both, with
//! `parseFloat` and `String(number)`: the app's download then carries neither Rust's float
//! parser (its table of powers of ten does not compress) nor its float formatter, which the
//! browser already has. The results are the same on both sides: the text is first checked
//! against one grammar here, in Rust, and both parsers round a decimal correctly to the
//! nearest `f64`; both formatters write the shortest digits that read back as the same
//! `f64` (the closest such digits), and the browser's exponent is expanded here ([`expand`]).
//! The core stays pure: the browser's functions compute, they read and write nothing.
//!
//! The grammar ([`parse`]): an optional sign (`-` or `+`), digits with an optional fraction
//! (`12`, `12.5`, `.5` and `5.` are all numbers), and an optional exponent (`1e3`, `2.5E-4`).
//! No spaces (callers trim), no digit separators, no hexadecimal, and no `inf`, `infinity`
//! or `NaN`: an answer is a finite number. A text whose value is too large for an `f64`
//! (`1e400`) is not a number either. [`parse_decimal`] is the same without the exponent,
//! as XPath's `number()` and the expression language's literals read.

/// The number a text writes, by the grammar above; `None` when it is not one.
pub fn parse(text: &str) -> Option<f64> {
    well_formed(text, true)
        .then(|| platform::parse(text))
        .filter(|x| x.is_finite())
}

/// As [`parse`] without an exponent: `1e3` is not a decimal (XPath's `number()`).
pub fn parse_decimal(text: &str) -> Option<f64> {
    well_formed(text, false)
        .then(|| platform::parse(text))
        .filter(|x| x.is_finite())
}

/// A number as text, as Rust's `{}` writes it: the shortest digits that read back as `x`,
/// never with an exponent (`0.1`, `1000000000000000000000`, `0.0000001`, `-0`), and `NaN`,
/// `inf`, `-inf`.
pub fn format(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else if x == 0.0 {
        if x.is_sign_negative() { "-0" } else { "0" }.into()
    } else {
        platform::format(x)
    }
}

/// Whether `text` is a number of the grammar above (with an exponent when `exponent`).
fn well_formed(text: &str, exponent: bool) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if exponent && matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Plain decimal text of a number written with an exponent (`1.5e-7` → `0.00000015`,
/// `1e+21` → `1000000000000000000000`, as JavaScript and Rust's `{:e}` write them); text
/// without an exponent is returned as it is.
pub fn expand(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let Some((mantissa, exp)) = rest.split_once(['e', 'E']) else {
        return text.to_owned();
    };
    let Ok(exp) = exp.parse::<i64>() else {
        return text.to_owned();
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = [int, frac].concat();
    // Where the decimal point falls among `digits`.
    let point = int.len() as i64 + exp;
    let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
    if point <= 0 {
        format!("{sign}0.{}{digits}", zeros(-point))
    } else if point >= digits.len() as i64 {
        format!("{sign}{digits}{}", zeros(point - digits.len() as i64))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{sign}{whole}.{fraction}")
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    /// Rust's correctly rounded parser; the text is already well formed.
    pub fn parse(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }

    /// Rust's shortest round-trip digits, without an exponent.
    pub fn format(x: f64) -> String {
        x.to_string()
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        /// JavaScript's `String(number)`: the shortest digits that read back, with an
        /// exponent below 1e-6 and from 1e21.
        #[wasm_bindgen(js_name = String)]
        fn js_string(x: f64) -> String;
    }

    /// The browser's `parseFloat`, correctly rounded; the text is already well formed.
    pub fn parse(text: &str) -> f64 {
        js_sys::parse_float(text)
    }

    /// The browser's shortest digits, the exponent expanded (`x` is finite and not zero).
    pub fn format(x: f64) -> String {
        super::expand(&js_string(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_of_numbers() {
        // (text, with an exponent, without one)
        let cases: &[(&str, Option<f64>, Option<f64>)] = &[
            ("0", Some(0.0), Some(0.0)),
            ("12", Some(12.0), Some(12.0)),
            ("-12", Some(-12.0), Some(-12.0)),
            ("+12", Some(12.0), Some(12.0)),
            ("12.5", Some(12.5), Some(12.5)),
            (".5", Some(0.5), Some(0.5)),
            ("5.", Some(5.0), Some(5.0)),
            ("-.5", Some(-0.5), Some(-0.5)),
            ("007", Some(7.0), Some(7.0)),
            ("1e3", Some(1000.0), None),
            ("2.5E-4", Some(0.00025), None),
            ("1e+3", Some(1000.0), None),
            ("0.1", Some(0.1), Some(0.1)),
            ("1e400", None, None),
            ("1e-400", Some(0.0), None),
            ("", None, None),
            ("-", None, None),
            ("+", None, None),
            (".", None, None),
            ("-.", None, None),
            ("1e", None, None),
            ("1e+", None, None),
            ("e3", None, None),
            (" 1", None, None),
            ("1 ", None, None),
            ("1,5", None, None),
            ("1_000", None, None),
            ("1.2.3", None, None),
            ("--1", None, None),
            ("+-1", None, None),
            ("0x10", None, None),
            ("inf", None, None),
            ("-infinity", None, None),
            ("Infinity", None, None),
            ("NaN", None, None),
            ("nan", None, None),
            ("١٢", None, None),
            ("12abc", None, None),
        ];
        for &(text, with, without) in cases {
            assert_eq!(parse(text), with, "parse({text:?})");
            assert_eq!(parse_decimal(text), without, "parse_decimal({text:?})");
        }
        // Correct rounding of more digits than an f64 holds.
        let long = "0.1000000000000000055511151231257827021181583404541015625";
        assert_eq!(parse(long), Some(0.1));
        assert_eq!(parse("9007199254740993"), Some(9_007_199_254_740_992.0));
    }

    /// Numbers of every shape: whole, tiny, huge, negative, and the edges of `f64`.
    fn samples() -> Vec<f64> {
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.1 + 0.2,
            1.0 / 3.0,
            2.0 / 3.0,
            12.5,
            -12.5,
            100.0,
            1e15,
            1e16,
            123_456_789_012_345_680.0,
            1e20,
            1e21,
            1e22,
            1.5e300,
            1e-6,
            1e-7,
            1.5e-7,
            -2.5e-10,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            9_007_199_254_740_993.0,
            std::f64::consts::PI,
            std::f64::consts::E,
        ];
        // A deterministic spread over the whole range of exponents and digits.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if x.is_finite() {
                xs.push(x);
            }
            // Short decimals, as answers are.
            xs.push((state % 2_000_001) as f64 / 1000.0 - 1000.0);
        }
        xs
    }

    #[test]
    fn expanding_an_exponent_writes_what_rust_writes() {
        for x in samples() {
            assert_eq!(expand(&format!("{x:e}")), format!("{x}"), "{x:e}");
            assert_eq!(format(x), format!("{x}"));
        }
    }

    #[test]
    fn expanding_reads_javascripts_exponents_and_plain_text() {
        let cases = [
            ("1e+21", "1000000000000000000000"),
            ("1.5e-7", "0.00000015"),
            ("-1.5e-7", "-0.00000015"),
            ("1.7976931348623157e+308", &format!("{}", f64::MAX)),
            ("5e-324", &format!("{}", 5e-324)),
            ("123.456", "123.456"),
            ("0.000001", "0.000001"),
            ("-42", "-42"),
            ("1.25e2", "125"),
            ("1.25e1", "12.5"),
            ("1.25e0", "1.25"),
        ];
        for (js, rust) in cases {
            assert_eq!(expand(js), rust, "{js}");
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        for x in samples() {
            let text = format(x);
            assert_eq!(
                parse_decimal(&text).map(f64::to_bits),
                Some(x.to_bits()),
                "{text}"
            );
        }
        assert_eq!(format(f64::NAN), "NaN");
        assert_eq!(format(f64::INFINITY), "inf");
        assert_eq!(format(f64::NEG_INFINITY), "-inf");
    }
}

//! Numbers in JSON text: read as people and servers write them, written as JSON does, by
//! Rust's own float code natively and by the browser's in the widget (which gives it).

/// Reads a decimal number as people and servers write it: "60", "-2.5", "+1", ".5", "5.",
/// "1e3" (no spaces: trim first); None for anything else ("0x10", "1,5", "NaN", "", "1e999").
///
/// The syntax is checked here; the value is read by the [`NumberText`] in use (in the
/// browser, JavaScript's `parseFloat`).
pub fn parse_number(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut at = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |at: &mut usize| {
        let from = *at;
        while b.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - from
    };
    let mut mantissa = digits(&mut at);
    if b.get(at) == Some(&b'.') {
        at += 1;
        mantissa += digits(&mut at);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        at += usize::from(matches!(b.get(at), Some(b'+' | b'-')));
        if digits(&mut at) == 0 {
            return None;
        }
    }
    if at != b.len() {
        return None;
    }
    let n = (numbers().read)(text);
    n.is_finite().then_some(n)
}

/// How the text of a number is read and written. Natively, Rust's own (correctly rounded
/// reading, shortest round-trip writing). The widget gives the browser's instead
/// ([`use_numbers`]): JavaScript's `parseFloat` and `String(n)` do the same for no bytes,
/// where Rust's float reading and printing cost about 16 KB of the wasm.
#[derive(Debug, Clone, Copy)]
pub struct NumberText {
    /// Reads a number whose syntax [`parse_number`] has checked.
    pub read: fn(&str) -> f64,
    /// Writes a finite number that is not whole (or beyond 9e15).
    pub write: fn(f64) -> String,
}

static NUMBERS: std::sync::atomic::AtomicPtr<NumberText> = std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

/// Reads and writes numbers with `numbers` from now on.
pub fn use_numbers(numbers: &'static NumberText) {
    NUMBERS.store(std::ptr::from_ref(numbers).cast_mut(), std::sync::atomic::Ordering::Relaxed);
}

fn numbers() -> &'static NumberText {
    static OWN: NumberText = NumberText { read: read_number, write: write_number };
    // SAFETY: only ever a `&'static NumberText` is stored (use_numbers), or nothing.
    unsafe { NUMBERS.load(std::sync::atomic::Ordering::Relaxed).as_ref() }.unwrap_or(&OWN)
}

#[cfg(not(target_arch = "wasm32"))]
fn read_number(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

#[cfg(not(target_arch = "wasm32"))]
fn write_number(n: f64) -> String {
    n.to_string()
}

/// A wasm build reads numbers only with the [`NumberText`] it was given (the widget gives the
/// browser's as it starts): Rust's own reading would cost 13 KB.
#[cfg(target_arch = "wasm32")]
fn read_number(_: &str) -> f64 {
    f64::NAN
}

/// A wasm build without a [`NumberText`] writes the nearest whole number (still valid JSON).
#[cfg(target_arch = "wasm32")]
fn write_number(n: f64) -> String {
    (n.round() as i64).to_string()
}

// ------------------------------------------------------------------------------- writing

/// A number as people and JSON write it: whole numbers without a fraction ("60", "-3"),
/// others in the shortest form that reads back as the same number ("2.5", "0.1").
///
/// The fraction is written by the [`NumberText`] in use: in the browser JavaScript's own
/// `String(n)` (the same shortest round-trip digits; only very large and very small numbers
/// differ, "1e+21" against Rust's "1000000000000000000000", both valid JSON).
pub fn number_text(n: f64) -> String {
    if !n.is_finite() {
        return "null".to_string();
    }
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        return (n as i64).to_string();
    }
    (numbers().write)(n)
}

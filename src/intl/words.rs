//! The widget's words in the visitor's language: one catalogue per language (i18n/), English
//! built in, every other language a file the loader fetches and offers ([`offer`]) before it
//! mounts a widget in it. A message is a whole sentence with named placeholders; plural
//! forms are chosen by the browser's `Intl.PluralRules`, numbers written by its
//! `Intl.NumberFormat`: the wasm holds no plural or number tables.

use std::cell::RefCell;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// Put around a value inside a sentence of a right-to-left language, so that a time, a price,
/// an e-mail address or a zone's name keeps its own direction (Unicode's first strong
/// isolate and pop directional isolate).
const ISOLATE: (char, char) = ('\u{2068}', '\u{2069}');

/// A language's messages: their text, a line each in the names' order (a plural message:
/// its categories and forms, each after a tab: "one\t{count} option\tother\t{count}
/// options"), and where each line starts. English's is built in; another language's is read
/// once from its file and kept for the page's life (a few KB), so that every message is a
/// `&'static str`, as English's are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Table {
    text: &'static str,
    starts: &'static [u16],
}

/// English, built in.
const ENGLISH_TABLE: Table = Table { text: ENGLISH, starts: &ENGLISH_STARTS };

impl Table {
    /// The table of a language's text; None unless it has exactly [`MESSAGE_COUNT`] lines.
    fn of(text: &'static str) -> Option<Table> {
        let mut starts = vec![0u16];
        starts.extend(text.match_indices('\n').map(|(at, _)| at as u16 + 1));
        (starts.len() == MESSAGE_COUNT && text.len() < 65_536).then(|| Table { text, starts: Box::leak(starts.into_boxed_slice()) })
    }

    /// A message's line.
    fn line(self, i: usize) -> &'static str {
        let start = self.starts.get(i).map_or(self.text.len(), |s| *s as usize);
        let end = self.starts.get(i + 1).map_or(self.text.len(), |e| *e as usize - 1);
        self.text.get(start..end).unwrap_or("")
    }
}

thread_local! {
    /// The languages the loader offered, and the locales widgets were mounted with.
    static OFFERED: RefCell<Vec<(&'static str, Table)>> = const { RefCell::new(Vec::new()) };
    static LOCALES: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// Text kept for the page's life.
fn keep(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// Keeps a language file's messages (its entries: [`MESSAGES_KEY`], then the messages' text)
/// for the widgets mounted in that language. A file of another build, or not whole, is
/// refused: the widget then speaks English rather than the wrong sentences. Returns whether
/// the language can be used.
pub fn offer(language: &str, file: &JsValue) -> bool {
    if OFFERED.with(|o| o.borrow().iter().any(|(l, _)| *l == language)) {
        return true;
    }
    let Some(entries) = file.dyn_ref::<Array>().filter(|a| a.get(0).as_string().as_deref() == Some(MESSAGES_KEY)) else {
        return false;
    };
    let Some(table) = entries.get(1).as_string().and_then(|text| Table::of(keep(text))) else {
        return false;
    };
    OFFERED.with(|o| o.borrow_mut().push((keep(language.to_string()), table)));
    true
}

/// One widget's words: its language (English when its file was not offered), and the locale
/// that plural rules, numbers and dates follow. Copy, like the widget's signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    table: Table,
    language: &'static str,
    locale: &'static str,
    rtl: bool,
}

impl Words {
    /// The words of `language` (a code of interface.json's `languages`; English when None or
    /// not offered), with `locale`'s formats.
    pub fn new(language: Option<&str>, locale: &str) -> Words {
        let offered = language.and_then(|wanted| OFFERED.with(|o| o.borrow().iter().find(|(l, _)| *l == wanted).copied()));
        let (language, table) = offered.unwrap_or(("en", ENGLISH_TABLE));
        let locale = LOCALES.with(|l| {
            let mut l = l.borrow_mut();
            l.iter().find(|k| **k == locale).copied().unwrap_or_else(|| {
                let kept = keep(locale.to_string());
                l.push(kept);
                kept
            })
        });
        Words { table, language, locale, rtl: RIGHT_TO_LEFT.contains(&language) }
    }

    /// The language's code ("fr", "pt-BR"; "en" for English), for the `lang` attribute.
    pub fn language(self) -> &'static str {
        self.language
    }

    /// The locale dates, times, numbers and prices are written in ("fr-CA").
    pub fn locale(self) -> &'static str {
        self.locale
    }

    /// Whether the language is written right to left.
    pub fn rtl(self) -> bool {
        self.rtl
    }

    /// A message with no placeholders.
    pub fn text(self, message: Msg) -> &'static str {
        self.form(message, "")
    }

    /// A message with its placeholders (`{name}`) filled in.
    pub fn fill(self, message: Msg, values: &[(&str, &str)]) -> String {
        self.put(self.form(message, ""), values)
    }

    /// A message in the plural form that `n` takes in the language of the words, `{count}`
    /// written as the locale writes numbers.
    pub fn count(self, message: Msg, n: u64) -> String {
        // The plural rules of the words shown, not of the formats: English words (a locale
        // without a catalogue, or a file that did not arrive) take English forms.
        let category = super::plural_category(n as f64, self.language);
        self.put(self.form(message, &category), &[("count", &super::format_number(n as f64, self.locale))])
    }

    /// The message's form for a plural category (its one form when it has no plurals; else
    /// "other" when the category is not among them).
    fn form(self, message: Msg, category: &str) -> &'static str {
        let line = self.table.line(message as usize);
        if !line.contains('\t') {
            return line;
        }
        let mut parts = line.split('\t');
        let mut other = "";
        while let (Some(c), Some(text)) = (parts.next(), parts.next()) {
            if c == category {
                return text;
            }
            if c == "other" {
                other = text;
            }
        }
        other
    }

    /// `template` with each `{name}` of `values` replaced by its value, isolated (FSI … PDI)
    /// in a right-to-left language (a name or the studio's words are isolated in every
    /// language by their callers: [`crate::ui::text::own`]); any other braces are left as they
    /// are.
    fn put(self, template: &str, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| values.iter().find(|(k, _)| *k == &after[..close]).map(|(_, v)| (close, *v)));
            match value {
                Some((close, v)) => {
                    if self.rtl {
                        out.push(ISOLATE.0);
                        out.push_str(v);
                        out.push(ISOLATE.1);
                    } else {
                        out.push_str(v);
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

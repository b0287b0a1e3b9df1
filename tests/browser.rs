//! Browser tests: the real components mounted into fresh elements of a page in headless
//! Chromium (wasm-bindgen-test), driven through the DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use studio_booking::core::models::SessionType;
use studio_booking::intl::words::{offer, Msg, Words, MESSAGES_KEY, MESSAGE_COUNT};
use studio_booking::ui::context::Booking;
use studio_booking::ui::steps::session_types::SessionTypeList;
use studio_booking::ui::studio_text::StudioText;
use studio_booking::ui::text;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into.
fn fresh_host() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// Lets the reactive system run its effects.
async fn settle() {
    studio_booking::browser::sleep_ms(20).await;
}

fn session_type(id: &str, name: &str, description: &str) -> SessionType {
    <SessionType as studio_booking::core::read::FromJson>::from_json(&studio_booking::object! {
        "id" => id, "name" => name, "status" => "published", "duration" => 60, "currency" => "gbp",
        "payment_amount_full" => 25000, "payment_amount_partial" => 7500, "collect_payment" => 1,
        "description" => description, "location" => "Columbia Road",
    })
    .unwrap()
}

#[wasm_bindgen_test]
async fn choosing_a_session_type_presses_its_button() {
    let host = fresh_host();
    let types = vec![session_type("set_A", "Family Portrait Session", "<p>Fun</p>"), session_type("set_B", "Mini Session", "")];
    // The list sends the choice to the booking flow itself, like the widget's other steps.
    let booking = Booking::new(String::new(), "Europe/London", Words::new(None, "en-GB"), None, Some("browser-test".into()));
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(booking);
        let chosen = Memo::new(move |_| booking.flow.with(|f| f.session_type.as_ref().map(|t| t.id.clone())));
        view! { <SessionTypeList session_types=types chosen=chosen/> }
    });
    settle().await;
    let buttons = host.query_selector_all("button.sb-type-button").unwrap();
    assert_eq!(buttons.length(), 2);
    let mini: HtmlElement = buttons.item(1).unwrap().dyn_into().unwrap();
    assert_eq!(mini.text_content().unwrap(), "Mini Session");
    assert_eq!(mini.get_attribute("aria-pressed").as_deref(), Some("false"));
    // Price and deposit are written for the locale, and the button is described by them.
    let facts = host.query_selector("#sb-type-1-details").unwrap().unwrap().text_content().unwrap();
    assert_eq!(facts, "1 hour · £250.00 · £75.00 deposit · Columbia Road");

    mini.click();
    settle().await;
    assert_eq!(booking.flow.with_untracked(|f| f.session_type.as_ref().map(|t| t.id.clone())).as_deref(), Some("set_B"));
    assert_eq!(mini.get_attribute("aria-pressed").as_deref(), Some("true"));
    host.remove();
}

#[wasm_bindgen_test]
async fn studio_html_is_shown_safely() {
    let host = fresh_host();
    let hostile = r#"<p>Hello <strong>there</strong><script>window.__pwned = 1</script></p>
        <img src=x onerror="window.__pwned = 2"><a href="javascript:window.__pwned=3">bad link</a>
        <a href="https://juniper.example/faq" onclick="window.__pwned=4" style="color:red">FAQ</a>
        <ul><li style="position:fixed;inset:0">item</li></ul><iframe src="https://evil.example"></iframe>
        <style>* { display: none !important }</style><em>end</em>"#;
    let _handle = leptos::mount::mount_to(host.clone(), move || view! { <StudioText html=hostile.to_string()/> });
    settle().await;
    let rich = host.query_selector(".sb-rich").unwrap().unwrap();
    assert!(rich.query_selector("script, img, iframe, style, [onerror], [onclick], [style]").unwrap().is_none());
    let links = rich.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1);
    let link: web_sys::Element = links.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://juniper.example/faq"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener noreferrer nofollow"));
    // The refused link keeps its text; kept tags keep their structure.
    let text = rich.text_content().unwrap();
    assert!(text.contains("bad link") && text.contains("Hello there") && text.contains("end"));
    assert!(rich.query_selector("p > strong").unwrap().is_some());
    assert!(rich.query_selector("ul > li").unwrap().is_some());
    settle().await;
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined(), "studio HTML ran code");
    host.remove();
}

#[wasm_bindgen_test]
fn times_are_written_as_the_locale_writes_them() {
    use studio_booking::intl::format_time;
    // 00:15 and 09:30 in Kathmandu (+05:45): two digits for the hour where the locale writes
    // 24-hour times, none where it writes AM and PM.
    let (night, morning) = ("2026-12-01T18:30:00Z", "2026-12-02T03:45:00Z");
    assert_eq!(format_time(night, "Asia/Kathmandu", "de-DE"), "00:15");
    assert_eq!(format_time(morning, "Asia/Kathmandu", "en-GB"), "09:30");
    let us = format_time(morning, "Asia/Kathmandu", "en-US").replace('\u{202f}', " ");
    assert_eq!(us, "9:30 AM");
    assert_eq!(format_time("not a time", "Asia/Kathmandu", "en-GB"), "not a time");
}

#[wasm_bindgen_test]
async fn prices_follow_the_currency_and_locale() {
    use studio_booking::intl::format_money;
    assert_eq!(format_money(45_000, "jpy", "en-US"), "¥45,000");
    assert_eq!(format_money(45_000, "jpy", "en-GB"), "JP¥45,000");
    assert_eq!(format_money(60_000, "usd", "en-US"), "$600.00");
    assert_eq!(format_money(25_000, "gbp", "en-GB"), "£250.00");
    assert_eq!(format_money(1_999, "eur", "de-DE"), "19,99\u{a0}€");
    assert_eq!(format_money(100, "x1", "en"), "1.00 X1");
    assert_eq!(format_money(12_305, "x1", "en"), "123.05 X1");
    // Formatters are kept by locale and currency: asked again, each still writes its own.
    assert_eq!(format_money(45_000, "jpy", "en-US"), "¥45,000");
    assert_eq!(format_money(25_050, "gbp", "en-GB"), "£250.50");
    assert_eq!(format_money(45_000, "jpy", "en-GB"), "JP¥45,000");
    // Numbers with a fraction are written by the browser (shortest round-trip digits), once
    // the widget has given the booking core the browser's way (as every Booking does).
    studio_booking::intl::use_browser_numbers();
    use studio_booking::core::json::number_text;
    assert_eq!([number_text(2.5), number_text(0.1), number_text(-1.25), number_text(60.0)], ["2.5", "0.1", "-1.25", "60"]);
    assert_eq!(number_text(1e21), "1e+21");
    // Numbers are read by the browser once their syntax is checked.
    use studio_booking::core::json::parse_number;
    assert_eq!(
        [parse_number("2.5"), parse_number("-.5"), parse_number("1e3"), parse_number("0.1")],
        [Some(2.5), Some(-0.5), Some(1000.0), Some(0.1)]
    );
    assert_eq!([parse_number("0x10"), parse_number("1e999"), parse_number("12abc")], [None, None, None]);
    // A locale tag that is not one falls back rather than throwing.
    assert!(!studio_booking::intl::usable_locale(Some("not a locale!!")).is_empty());
}

/// A language file as the loader hands it over: the build's key, then one line a message
/// ("L<n>", or the given lines).
fn language_file(key: &str, lines: &[(Msg, &str)]) -> wasm_bindgen::JsValue {
    let text: Vec<String> =
        (0..MESSAGE_COUNT).map(|i| lines.iter().find(|(m, _)| *m as usize == i).map_or_else(|| format!("L{i}"), |(_, l)| l.to_string())).collect();
    js_sys::Array::of2(&key.into(), &text.join("\n").into()).into()
}

#[wasm_bindgen_test]
fn a_language_is_used_once_offered_and_english_otherwise() {
    let polish = "one\tWybierz co najmniej {count} opcję.\tfew\tWybierz co najmniej {count} opcje.\tmany\tWybierz co najmniej {count} opcji.\tother\tWybierz co najmniej {count} opcji.";
    // Another build's file is refused: English is spoken.
    assert!(!offer("pl", &language_file("00000000", &[])));
    assert_eq!(Words::new(Some("pl"), "pl").text(Msg::Back), "Back");
    assert_eq!(Words::new(Some("pl"), "pl").language(), "en");
    // A file with a line missing too.
    let short = js_sys::Array::of2(&MESSAGES_KEY.into(), &"only one line".into());
    assert!(!offer("pl", &short));
    assert!(offer("pl", &language_file(MESSAGES_KEY, &[(Msg::Back, "Wstecz"), (Msg::ProblemTooFewChoices, polish)])));
    let pl = Words::new(Some("pl"), "pl-PL");
    assert_eq!((pl.language(), pl.locale(), pl.rtl()), ("pl", "pl-PL", false));
    assert_eq!(pl.text(Msg::Back), "Wstecz");
    // The plural form Intl.PluralRules picks for Polish, the number as Polish writes it.
    assert_eq!(pl.count(Msg::ProblemTooFewChoices, 1), "Wybierz co najmniej 1 opcję.");
    assert_eq!(pl.count(Msg::ProblemTooFewChoices, 3), "Wybierz co najmniej 3 opcje.");
    assert_eq!(pl.count(Msg::ProblemTooFewChoices, 5), "Wybierz co najmniej 5 opcji.");
    assert_eq!(pl.count(Msg::ProblemTooFewChoices, 12345), "Wybierz co najmniej 12\u{a0}345 opcji.");
    // English's own plurals.
    let en = Words::new(None, "en-GB");
    assert_eq!(en.count(Msg::ProblemTooLong, 1), "Please enter at most 1 character.");
    assert_eq!(en.count(Msg::ProblemTooLong, 20), "Please enter at most 20 characters.");
    assert_eq!(en.fill(Msg::NoOpeningsIn, &[("month", "August 2026")]), "No openings in August 2026.");
}

#[wasm_bindgen_test]
fn right_to_left_isolates_the_values_in_its_sentences() {
    assert!(offer("ar", &language_file(MESSAGES_KEY, &[(Msg::NoOpeningsIn, "لا مواعيد متاحة في {month}.")])));
    let ar = Words::new(Some("ar"), "ar");
    assert!(ar.rtl());
    assert_eq!(ar.fill(Msg::NoOpeningsIn, &[("month", "August 2026")]), "لا مواعيد متاحة في \u{2068}August 2026\u{2069}.");
    // An unknown placeholder is left as written.
    assert_eq!(Words::new(None, "en").fill(Msg::NoOpeningsIn, &[("other", "x")]), "No openings in {month}.");
    // A name keeps its own direction in a left-to-right sentence too; a date written in the
    // sentence's language needs no isolating there.
    let en = Words::new(None, "en-GB");
    assert_eq!(text::signed_by(en, "محمد", "2 December"), "Signed by \u{2068}محمد\u{2069}, 2 December");
    assert_eq!(text::session_line(en, "ميني", 20), "\u{2068}ميني\u{2069} · 20 minutes");
    // A right-to-left sentence isolates every value itself: not twice.
    assert_eq!(text::own(ar, "Ana"), "Ana");
}

#[wasm_bindgen_test]
fn plurals_follow_the_words_not_the_formats() {
    // Japanese formats with English words (no Japanese file here): Japanese has one form for
    // every number, English says "1 character"; French counts 0 as one, English as many.
    let en_in_ja = Words::new(Some("ja"), "ja-JP");
    assert_eq!(en_in_ja.language(), "en");
    assert_eq!(en_in_ja.count(Msg::ProblemTooLong, 1), "Please enter at most 1 character.");
    assert_eq!(Words::new(None, "fr-FR").count(Msg::ProblemTooLong, 0), "Please enter at most 0 characters.");
}

#[wasm_bindgen_test]
fn lengths_zones_and_prices_in_words() {
    let en = Words::new(None, "en-GB");
    assert_eq!(text::duration(en, 20), "20 minutes");
    assert_eq!(text::duration(en, 60), "1 hour");
    assert_eq!(text::duration(en, 90), "1 hour, 30 minutes");
    let de = Words::new(None, "de-DE");
    assert_eq!(text::duration(de, 90), "1 Stunde, 30 Minuten");
    assert_eq!(text::price(en, 0, "gbp"), "Free");
    assert_eq!(text::price(en, 25_000, "gbp"), "£250.00");
    // A zone by its name in the language, with its offset; not its database id.
    let at = studio_booking::intl::instant_ms("2026-12-02T12:00:00Z").unwrap();
    let kathmandu = text::zone_label(en, "Asia/Kathmandu", at);
    assert!(kathmandu.contains("Nepal") && kathmandu.contains("+5:45") && !kathmandu.contains("Asia/"), "{kathmandu}");
    let fr = text::zone_label(Words::new(None, "fr"), "Asia/Kathmandu", at);
    assert!(fr.contains("Népal") && fr.contains("UTC+5:45"), "{fr}");
    // A zone the locale has no name for is named by its offset once.
    let amman = text::zone_label(en, "Asia/Amman", at);
    assert!(!amman.contains('('), "{amman}");
}

#[wasm_bindgen_test]
async fn a_contract_keeps_its_headings_and_nothing_active() {
    let host = fresh_host();
    let contract = r#"<h3>1. Booking</h3><p>The <b>deposit</b> holds the date.</p><h4>Fees</h4><script>window.__pwned = 5</script>
        <h2>Not a contract heading</h2><img src=x onerror="window.__pwned = 6">"#;
    let _handle = leptos::mount::mount_to(host.clone(), move || view! { <StudioText html=contract.to_string() headings=true/> });
    settle().await;
    let rich = host.query_selector(".sb-rich").unwrap().unwrap();
    // Under the contract's own title (an h3): its h3 and h4 one level down; no h2, no script.
    assert_eq!(rich.query_selector("h4").unwrap().unwrap().text_content().as_deref(), Some("1. Booking"));
    assert_eq!(rich.query_selector("h5").unwrap().unwrap().text_content().as_deref(), Some("Fees"));
    assert!(rich.query_selector("h2, h3, script, img").unwrap().is_none());
    assert!(rich.text_content().unwrap().contains("Not a contract heading"));
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined(), "contract HTML ran code");
    // A description keeps no headings at all.
    let plain = fresh_host();
    let _h = leptos::mount::mount_to(plain.clone(), move || view! { <StudioText html=contract.to_string()/> });
    settle().await;
    assert!(plain.query_selector("h3, h4, h5").unwrap().is_none());
    host.remove();
    plain.remove();
}

#[wasm_bindgen_test]
fn every_refusal_and_coupon_problem_has_its_own_words() {
    use studio_booking::core::flow::manage::ManageRefusal;
    use studio_booking::core::outcome::Failure;
    use studio_booking::core::validation::Problem;
    let w = Words::new(None, "en-GB");
    let refusals = [
        ManageRefusal::WrongLink,
        ManageRefusal::TooLate { deadline: Some("2026-12-09T10:00:00Z".into()) },
        ManageRefusal::TooLate { deadline: None },
        ManageRefusal::NotAllowed,
        ManageRefusal::LimitReached,
        ManageRefusal::SlotTaken,
        ManageRefusal::AlreadyCancelled,
        ManageRefusal::Failed(Failure::Offline),
    ];
    let words: Vec<String> = refusals.iter().map(|r| text::manage_refusal(w, r, "Europe/London")).collect();
    for (i, a) in words.iter().enumerate() {
        assert!(!a.is_empty());
        assert!(words.iter().skip(i + 1).all(|b| a != b), "{a} said twice");
    }
    assert!(words[1].contains("9 December 2026") && words[1].contains("10:00"), "{}", words[1]);
    let problems = [
        Problem::CouponNotFound,
        Problem::CouponExpired,
        Problem::CouponUsedUp,
        Problem::CouponNotAccepted,
        Problem::CouponNotChecked,
        Problem::SignatureMissing,
        Problem::ContractNotAgreed,
    ];
    let words: Vec<String> = problems.iter().map(|p| text::problem(w, p)).collect();
    for (i, a) in words.iter().enumerate() {
        assert!(words.iter().skip(i + 1).all(|b| a != b), "{a} said twice");
    }
    assert_eq!(words[1], "This code has expired.");
}

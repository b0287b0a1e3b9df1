//! The whole booking widget in a real browser, against a fake studio: `window.fetch` is
//! replaced by a function that answers from a script of routes, so every step is driven
//! through the DOM, the 409 and 422 answers included, without a server.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use studio_booking::browser::sleep_ms;
use studio_booking::ui::context::{Booking, WidgetSettings};
use studio_booking::ui::widget::BookingWidget;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Installs the fake studio. `bookings` is the list of answers POST /sessions gives in turn.
fn install_fake_studio(bookings: &str) {
    let script = format!(
        r#"
        window.__posted = [];
        window.__bookings = {bookings};
        const type = {{
          id: "set_TEST00000000000000000000000001", name: "Garden Portraits", status: "published", duration: 45,
          currency: "gbp", payment_amount_full: 20000, payment_amount_partial: 5000, collect_payment: 1,
          cancellation_policy: "No refunds within 24 hours.",
          session_type_schedule: {{ display_timezone: "Europe/London" }},
          payment_methods: [{{ name: "Card", enabled: true, type: "pixieset-payments" }}, {{ name: "Bank transfer", enabled: 1, type: "manual", instructions: "Pay to 12-34-56" }}],
          taxes: [{{ name: "VAT", rate: 20, inclusive: false }}],
          intake_form_fields: [{{ id: "q_pets", order: 1, question_text: "Pets joining?", field_type: "text", required: true }}]
        }};
        const draft = Object.assign({{}}, type, {{ id: "set_DRAFT0000000000000000000000001", name: "Secret Draft", status: "draft" }});
        const json = (status, body) => new Response(JSON.stringify(body), {{ status, headers: {{ "Content-Type": "application/json" }} }});
        window.fetch = async (input, init) => {{
          const url = typeof input === "string" ? input : input.url;
          const method = (init && init.method) || (typeof input === "string" ? "GET" : input.method);
          if (url.includes("/session_types/?")) return json(200, {{ data: [type, draft], meta: {{ current_page: 1, last_page: 1, per_page: 100 }} }});
          let m = /check-month-avail\/(\d+)-(\d+)-(.+)$/.exec(url);
          if (m) return json(200, {{ data: {{ year: +m[1], month: +m[2], timezone: m[3], available_dates: [`${{m[1]}}-${{String(m[2]).padStart(2, "0")}}-28`] }} }});
          m = /check-day-avail\/(\d+)-(\d+)-(\d+)-(.+)$/.exec(url);
          if (m) {{
            const d = `${{m[1]}}-${{String(m[2]).padStart(2, "0")}}-${{String(m[3]).padStart(2, "0")}}`;
            return json(200, {{ data: {{ date: d, timezone: m[4], slots: [{{ start: `${{d}}T10:00:00Z`, end: `${{d}}T10:45:00Z` }}, {{ start: `${{d}}T14:00:00Z`, end: `${{d}}T14:45:00Z` }}] }} }});
          }}
          if (url.endsWith("/sessions") && method === "POST") {{
            const body = typeof input === "string" ? init.body : await input.text();
            const key = typeof input === "string" ? new Headers(init.headers).get("Idempotency-Key") : input.headers.get("Idempotency-Key");
            window.__posted.push({{ key, body: JSON.parse(body) }});
            const next = window.__bookings.shift();
            return json(next.status, next.body);
          }}
          return json(404, {{ error: {{ code: "resource_not_found", message: "no route " + url }} }});
        }};
        "#
    );
    js_sys::eval(&script).expect("the fake studio installs");
}

fn fresh_host() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// Waits (up to 3 s) until `find` finds something.
async fn wait_for<T>(what: &str, mut find: impl FnMut() -> Option<T>) -> T {
    for _ in 0..150 {
        if let Some(found) = find() {
            return found;
        }
        sleep_ms(20).await;
    }
    panic!("timed out waiting for {what}");
}

fn all(host: &Element, selector: &str) -> Vec<Element> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

/// The button whose text (or aria-label) is `name`.
fn button(host: &Element, name: &str) -> Option<HtmlElement> {
    all(host, "button").into_iter().find_map(|b| {
        let label = b.get_attribute("aria-label").unwrap_or_else(|| b.text_content().unwrap_or_default());
        (label.trim() == name).then(|| b.dyn_into::<HtmlElement>().unwrap())
    })
}

async fn click(host: &Element, name: &str) {
    let b = wait_for(&format!("button {name}"), || button(host, name)).await;
    b.click();
    sleep_ms(30).await;
}

fn heading(host: &Element) -> String {
    host.query_selector("h2").unwrap().map(|h| h.text_content().unwrap_or_default()).unwrap_or_default()
}

async fn wait_heading(host: &Element, text: &str) {
    for _ in 0..150 {
        if heading(host) == text {
            return;
        }
        sleep_ms(20).await;
    }
    panic!("timed out waiting for heading {text}; the page says: {}", host.text_content().unwrap_or_default());
}

/// The input labelled `label` (by its <label for>).
fn input(host: &Element, label: &str) -> Option<HtmlInputElement> {
    all(host, "label").into_iter().find_map(|l| {
        let text = l.text_content().unwrap_or_default();
        if text.trim().trim_end_matches(" (optional)") != label {
            return None;
        }
        let id = l.get_attribute("for")?;
        host.query_selector(&format!("#{id}")).ok().flatten()?.dyn_into::<HtmlInputElement>().ok()
    })
}

async fn type_into(host: &Element, label: &str, value: &str) {
    let field = wait_for(&format!("field {label}"), || input(host, label)).await;
    field.set_value(value);
    field.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    field.dispatch_event(&web_sys::Event::new("blur").unwrap()).unwrap();
    sleep_ms(10).await;
}

async fn check(host: &Element, label: &str) {
    let field = wait_for(&format!("choice {label}"), || input(host, label)).await;
    field.click();
    sleep_ms(20).await;
}

fn posted() -> Vec<studio_booking::core::json::Value> {
    let v = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__posted".into()).unwrap();
    let text = js_sys::JSON::stringify(&v).unwrap().as_string().unwrap();
    studio_booking::core::json::parse(&text).and_then(|v| v.as_array().cloned()).unwrap()
}

#[wasm_bindgen_test]
async fn a_booking_through_every_step_survives_a_taken_slot_and_a_refusal() {
    install_fake_studio(
        r#"[
          { "status": 409, "body": { "error": { "code": "slot_unavailable", "message": "Taken" } } },
          { "status": 422, "body": { "error": { "code": "validation_failed", "message": "Check", "details": { "answers.q_pets": ["Tell us which pets, please."] } } } },
          { "status": 201, "body": { "data": { "id": "ses_OK0000000000000000000000000001", "status": "booked",
              "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T10:45:00Z",
              "payment": { "method_type": "manual", "option": "partial", "amount_due": 6000, "currency": "gbp", "instructions": "Pay to 12-34-56" } } } }
        ]"#,
    );
    let host = fresh_host();
    let root: Element = host.clone().into();
    let _handle = leptos::mount::mount_to(host.clone(), || {
        let booking = Booking::for_page("https://studio.test/api/v1".to_string(), &WidgetSettings::default(), None);
        view! { <BookingWidget booking=booking/> }
    });

    // 1. Session types: the draft is never shown.
    wait_heading(&root, "Choose a session").await;
    wait_for("the session type", || button(&root, "Garden Portraits")).await;
    assert!(button(&root, "Secret Draft").is_none());
    click(&root, "Garden Portraits").await;

    // 2. Date and time: the only open day, then its first time.
    wait_heading(&root, "Choose a date and time").await;
    let day = wait_for("an open day", || all(&root, "button.sb-day-open").into_iter().next()).await;
    assert_eq!(day.get_attribute("aria-disabled").as_deref(), Some("false"));
    assert!(all(&root, "button.sb-day:not(.sb-day-open)").iter().all(|d| d.get_attribute("aria-disabled").as_deref() == Some("true")));
    assert!(button(&root, "Previous month").is_some() && button(&root, "Next month").is_some());
    day.dyn_into::<HtmlElement>().unwrap().click();
    let first_time = wait_for("a time", || all(&root, "button.sb-slot").into_iter().next()).await;
    first_time.clone().dyn_into::<HtmlElement>().unwrap().click();
    sleep_ms(20).await;
    assert_eq!(first_time.get_attribute("aria-pressed").as_deref(), Some("true"));
    click(&root, "Continue").await;

    // 3. Details: Continue with nothing typed shows messages beside the fields.
    wait_heading(&root, "Your details").await;
    click(&root, "Continue").await;
    assert_eq!(heading(&root), "Your details");
    assert!(root.text_content().unwrap().contains("Please enter your first name."));
    type_into(&root, "First name", "Ana").await;
    type_into(&root, "Last name", "Silva").await;
    type_into(&root, "Email", "ana@example.com").await;
    type_into(&root, "Pets joining?", "a dog").await;
    assert!(!root.text_content().unwrap().contains("Please enter your first name."), "fixed answers lose their message");
    click(&root, "Continue").await;

    // 4. Payment: the deposit plus VAT on top.
    wait_heading(&root, "Payment").await;
    check(&root, "Bank transfer").await;
    check(&root, "Pay deposit£60.00").await;
    assert!(root.text_content().unwrap().contains("Pay to 12-34-56"));
    click(&root, "Continue").await;

    // 5. Review: the policy must be agreed to.
    wait_heading(&root, "Review and book").await;
    click(&root, "Book this session").await;
    assert!(posted().is_empty(), "nothing is sent before the policies are agreed to");
    check(&root, "I have read and agree to the studio's policies").await;
    click(&root, "Book this session").await;

    // 409: back to fresh times of the same day, everything typed kept.
    wait_heading(&root, "Choose a date and time").await;
    wait_for("the taken-slot notice", || root.text_content().unwrap().contains("just taken").then_some(())).await;
    let time = wait_for("a time", || all(&root, "button.sb-slot").into_iter().nth(1)).await;
    time.dyn_into::<HtmlElement>().unwrap().click();
    sleep_ms(20).await;
    click(&root, "Continue").await;
    wait_heading(&root, "Your details").await;
    assert_eq!(input(&root, "First name").unwrap().value(), "Ana");
    click(&root, "Continue").await;
    wait_heading(&root, "Payment").await;
    click(&root, "Continue").await;
    wait_heading(&root, "Review and book").await;
    assert!(input(&root, "I have read and agree to the studio's policies").unwrap().checked(), "the agreement is kept too");
    click(&root, "Book this session").await;

    // 422: the studio's message beside its field.
    wait_heading(&root, "Your details").await;
    wait_for("the studio's message", || root.text_content().unwrap().contains("Tell us which pets, please.").then_some(())).await;
    type_into(&root, "Pets joining?", "a dog and a cat").await;
    click(&root, "Continue").await;
    wait_heading(&root, "Payment").await;
    click(&root, "Continue").await;
    wait_heading(&root, "Review and book").await;
    click(&root, "Book this session").await;

    // Booked.
    wait_heading(&root, "Booked").await;
    assert!(root.text_content().unwrap().contains("ses_OK0000000000000000000000000001"));
    let sent = posted();
    assert_eq!(sent.len(), 3);
    // A new attempt after a refusal is a new key; the body is the contract's.
    assert_ne!(sent[0]["key"], sent[1]["key"]);
    let last = &sent[2]["body"];
    assert_eq!(last["client"]["first_name"], "Ana");
    assert_eq!(last["answers"]["q_pets"], "a dog and a cat");
    assert_eq!((last["payment_method_type"].as_str(), last["payment_option"].as_str()), (Some("manual"), Some("partial")));
    assert_eq!(last["policy_accepted"], true);
    assert!(last["start"].as_str().unwrap().ends_with("T14:00:00Z"));
    host.remove();
}

//! The demo studio: Juniper & Co. Photography, a London studio that also shoots in Tokyo and
//! New York. Dates of overrides and of sessions already booked are laid out relative to the
//! day the server starts, so the demo never goes stale.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use crate::engine::{format_hhmm, parse_hhmm, start_of_day};
use crate::model::*;

/// An id of the contract's shape with a readable tag: prefix, "_", 30 alphanumerics.
pub fn make_id(prefix: &str, tag: &str) -> String {
    let mut body: String = tag.chars().filter(|c| c.is_ascii_alphanumeric()).take(30).collect();
    while body.len() < 30 {
        body.push('0');
    }
    format!("{prefix}_{body}")
}

/// The id of the demo's family portrait session type (tests use it by name).
pub fn family_portrait_id() -> String {
    make_id("set", "FAMILYPORTRAIT")
}

/// The id of the demo's newborn session type, the one whose clients sign a contract.
pub fn newborn_id() -> String {
    make_id("set", "NEWBORN")
}

/// The newborn session's contract: a photography session agreement, in the simple HTML a
/// contract body may hold.
pub fn newborn_contract() -> Contract {
    Contract {
        id: make_id("ct", "NEWBORN"),
        title: "Newborn photography session agreement".into(),
        body: "<h3>Photography session agreement</h3>\
               <p>This agreement is between <strong>Juniper &amp; Co. Photography Ltd</strong> (the studio) and you, \
               the client named in this booking.</p>\
               <h4>1. The session</h4>\
               <p>The studio will photograph your baby at the time booked, for up to two hours, at Juniper Studio, \
               14 Columbia Road, London E2 7RG. Feeding and settling breaks are part of the session.</p>\
               <h4>2. Fees and deposit</h4>\
               <p>The deposit secures your date and counts towards the session fee; the balance is due on the day.</p>\
               <h4>3. Cancelling and moving</h4>\
               <p>You may cancel online up to 72 hours before the session for a full refund of the deposit, and move it \
               online up to twice until 48 hours before it. Later than that, please call the studio: the deposit is kept.</p>\
               <h4>4. Safety</h4>\
               <p>Your baby's safety comes first. The studio uses no pose that is unsafe, and a parent or the studio's \
               assistant stays within arm's reach at all times.</p>\
               <h4>5. Images and copyright</h4>\
               <p>The studio keeps the copyright in the images and gives you a personal licence to print and share them. \
               It will not show images of your child in its portfolio or online <em>without your written consent</em>.</p>\
               <h4>6. Delivery</h4>\
               <p>Your edited images are delivered in a private online gallery within three weeks of the session.</p>\
               <h4>7. If the studio cannot attend</h4>\
               <ul><li>Through illness or an emergency, the studio offers a new date or refunds every payment.</li>\
               <li>The studio's liability is limited to the amounts you have paid.</li></ul>\
               <p>By typing your full name as your signature and agreeing, you accept these terms.</p>"
            .into(),
    }
}

const CREATED: &str = "2025-01-15T10:00:00+00:00";
const UPDATED: &str = "2025-06-02T16:45:00+00:00";

fn card() -> PaymentMethod {
    PaymentMethod { name: "Credit or debit card".into(), enabled: Flag::Bool(true), kind: "pixieset-payments".into(), instructions: None }
}

fn bank_transfer_gbp() -> PaymentMethod {
    PaymentMethod {
        name: "Bank transfer".into(),
        enabled: Flag::Bool(true),
        kind: "manual".into(),
        instructions: Some(
            "Please pay within 3 days to Juniper & Co. Photography Ltd, sort code 20-00-00, account 55779911, \
             quoting your name and session date."
                .into(),
        ),
    }
}

fn paypal(enabled: bool) -> PaymentMethod {
    PaymentMethod { name: "PayPal".into(), enabled: Flag::Bool(enabled), kind: "paypal".into(), instructions: None }
}

fn opt(value: &str, label: &str) -> FieldOption {
    FieldOption { value: value.into(), label: label.into() }
}

struct F<'a> {
    id: &'a str,
    order: i32,
    question: &'a str,
    kind: &'a str,
    required: bool,
}

fn field(f: F, description: Option<&str>, placeholder: Option<&str>, options: Vec<FieldOption>, validation: Option<Validation>) -> IntakeField {
    IntakeField {
        id: f.id.into(),
        order: f.order,
        question_text: f.question.into(),
        field_type: f.kind.into(),
        required: Flag::Bool(f.required),
        description: description.map(Into::into),
        placeholder: placeholder.map(Into::into),
        options,
        validation,
    }
}

fn weekly(tag: &str, days: &[u32], intervals: &[(&str, &str)]) -> Vec<ScheduleInterval> {
    let mut out = Vec::new();
    for &d in days {
        for (i, (s, e)) in intervals.iter().enumerate() {
            out.push(ScheduleInterval {
                id: make_id("sa", &format!("{tag}D{d}I{i}")),
                day_of_week: d,
                start_time: (*s).into(),
                end_time: (*e).into(),
            });
        }
    }
    out
}

fn day_override(date: NaiveDate, intervals: &[(&str, &str)]) -> DateOverrideJson {
    DateOverrideJson {
        date: date.format("%Y-%m-%d").to_string(),
        intervals: intervals
            .iter()
            .map(|(s, e)| OverrideInterval {
                start_time: format_hhmm(parse_hhmm(s).expect("demo time")),
                end_time: format_hhmm(parse_hhmm(e).expect("demo time")),
            })
            .collect(),
    }
}

fn schedule(tag: &str, name: &str, zone: &str, intervals: Vec<ScheduleInterval>, overrides: Vec<DateOverrideJson>) -> ScheduleJson {
    ScheduleJson {
        id: make_id("sch", tag),
        name: name.into(),
        schedule_type: "custom".into(),
        display_timezone: zone.into(),
        session_type_schedule_intervals: intervals,
        date_overrides: overrides,
    }
}

fn next_weekday(from: NaiveDate, day: Weekday) -> NaiveDate {
    let mut d = from;
    while d.weekday() != day {
        d += Duration::days(1);
    }
    d
}

/// A session type of the demo with what the API does not show: how often slots start and
/// whether a booking is confirmed at once or waits as an inquiry.
#[derive(Debug, Clone)]
pub struct DemoSessionType {
    pub api: SessionType,
    pub step_min: u32,
    pub booking_status: &'static str,
    pub studio_only: StudioOnly,
}

/// What the studio's own API shows its owner of a session type besides the public fields,
/// and a visitor must never see: served in studio mode only (with `owner_email` and a live
/// `booking_count`).
#[derive(Debug, Clone, Copy)]
pub struct StudioOnly {
    /// The photographer's private note.
    pub internal_notes: Option<&'static str>,
    /// The photographer's private pricing: floor prices, discount codes, costs.
    pub private_price_notes: Option<&'static str>,
}

/// The e-mail address of the studio's owner login, as the studio's own API shows it.
pub const OWNER_EMAIL: &str = "mara.quinn@juniper-photo.example";

fn studio_only(internal_notes: &'static str, private_price_notes: Option<&'static str>) -> StudioOnly {
    StudioOnly { internal_notes: Some(internal_notes), private_price_notes }
}

/// The demo studio's session types; `today` is the studio's date (Europe/London) at start-up.
///
/// `contracts` (the binary's `--demo-contracts`) adds the Newborn Studio Session, the one
/// type whose clients sign a contract while booking, before the draft. Without it the demo
/// has the seven types it had before contracts, in the same order, and none asks for a
/// signature: the widget cannot sign one yet, so a visitor of the demo could not book it.
pub fn session_types(today: NaiveDate, public_base: &str, contracts: bool) -> Vec<DemoSessionType> {
    let cover = |name: &str| Some(format!("{public_base}/covers/{name}.svg"));
    let family = SessionType {
        id: family_portrait_id(),
        name: "Family Portrait Session".into(),
        status: "published".into(),
        duration: 60,
        location: Some("Juniper Studio, 14 Columbia Road, London E2 7RG".into()),
        description: Some(
            "<p>Relaxed, playful portraits of the whole family in our daylight studio or a park nearby.</p>\
             <ul><li>One hour, as many outfit changes as you like</li><li>15 edited images in an online gallery</li>\
             <li>Print credit of <strong>£50</strong></li></ul><p>Questions? <a href=\"https://juniper.example/faq\">Read our FAQ</a>.</p>"
                .into(),
        ),
        cover_image_url: cover("family"),
        payment_amount_full: 25_000,
        payment_amount_partial: Some(7_500),
        currency: "gbp".into(),
        collect_payment: Flag::Bool(true),
        minimum_notice_duration: 2,
        maximum_notice_duration: 120,
        buffer_before: 15,
        buffer_after: 15,
        payment_methods: vec![card(), bank_transfer_gbp(), paypal(false)],
        taxes: vec![Tax { id: "tax_VAT20".into(), name: "VAT".into(), rate: 20.0, inclusive: true }],
        intake_form_fields: vec![
            field(
                F { id: "q_people", order: 1, question: "How many people will be in the photos?", kind: "number", required: true },
                Some("Count everyone, grandparents included."),
                Some("4"),
                vec![],
                Some(Validation { min_value: Some(1.0), max_value: Some(12.0), ..Default::default() }),
            ),
            field(
                F { id: "q_place", order: 2, question: "Where would you like your session?", kind: "radio", required: true },
                None,
                None,
                vec![opt("studio", "In the studio"), opt("park", "Victoria Park"), opt("home", "At home (London zones 1–3)")],
                None,
            ),
            field(
                F { id: "q_children", order: 3, question: "Names and ages of the children", kind: "textarea", required: false },
                None,
                Some("Maya (6), Leo (2)"),
                vec![],
                Some(Validation { max_length: Some(500), ..Default::default() }),
            ),
            field(F { id: "q_pet", order: 4, question: "A pet will join us", kind: "checkbox", required: false }, None, None, vec![], None),
        ],
        cancellation_policy: Some(
            "Cancel up to 48 hours before your session for a full refund of your deposit. Later cancellations keep the deposit.".into(),
        ),
        reschedule_policy: Some("You can move your session once, free of charge, up to 24 hours before it starts.".into()),
        contract_template_id: Some(make_id("ct", "FAMILY")),
        contract: None,
        accepts_coupons: Flag::Bool(true),
        // As its policies say: cancel until 48 hours before, move once until 24 hours before.
        allow_client_cancel: Flag::Bool(true),
        cancel_notice_hours: 48,
        allow_client_reschedule: Flag::Bool(true),
        reschedule_notice_hours: 24,
        max_client_reschedules: Some(1),
        questionnaire_template_id: None,
        session_type_schedule: schedule(
            "LONDONSTUDIO",
            "Studio hours",
            "Europe/London",
            [weekly("LS", &[2, 3, 4, 5], &[("09:00", "17:00")]), weekly("LS", &[6], &[("09:00", "13:00")])].concat(),
            vec![
                day_override(today + Duration::days(9), &[]),
                day_override(next_weekday(today + Duration::days(14), Weekday::Sun), &[("10:00", "14:00")]),
            ],
        ),
        created_at: CREATED.into(),
        updated_at: UPDATED.into(),
    };

    let mini = SessionType {
        id: make_id("set", "MINIAUTUMN"),
        name: "Mini Session — Autumn Leaves".into(),
        status: "published".into(),
        duration: 20,
        location: Some("Victoria Park, London E9 (by the Chinese Pagoda)".into()),
        description: Some("<p>Twenty quick minutes among the autumn leaves: <em>perfect for holiday cards</em>. Pay on the day.</p>".into()),
        cover_image_url: cover("autumn"),
        payment_amount_full: 9_500,
        payment_amount_partial: None,
        currency: "gbp".into(),
        collect_payment: Flag::Int(0),
        minimum_notice_duration: 1,
        maximum_notice_duration: 60,
        buffer_before: 0,
        buffer_after: 10,
        payment_methods: vec![card(), bank_transfer_gbp()],
        taxes: vec![],
        intake_form_fields: vec![
            field(
                F { id: "q_backdrop", order: 1, question: "Which setting would you like?", kind: "select", required: true },
                None,
                None,
                vec![opt("leaves", "Golden leaves"), opt("pumpkins", "Pumpkin patch"), opt("blanket", "Cosy blanket picnic")],
                None,
            ),
            field(
                F { id: "q_notes", order: 2, question: "Anything we should know?", kind: "textarea", required: false },
                Some("Allergies, shyness, a surprise…"),
                None,
                vec![],
                Some(Validation { max_length: Some(300), ..Default::default() }),
            ),
        ],
        cancellation_policy: None,
        reschedule_policy: None,
        contract_template_id: None,
        contract: None,
        accepts_coupons: Flag::Bool(false),
        allow_client_cancel: Flag::Bool(false),
        cancel_notice_hours: 0,
        allow_client_reschedule: Flag::Bool(false),
        reschedule_notice_hours: 0,
        max_client_reschedules: None,
        questionnaire_template_id: None,
        session_type_schedule: schedule("PARKWEEKENDS", "Park weekends", "Europe/London", weekly("PW", &[0, 6], &[("10:00", "13:00")]), vec![]),
        created_at: CREATED.into(),
        updated_at: UPDATED.into(),
    };

    let wedding = SessionType {
        id: make_id("set", "WEDDING"),
        name: "Wedding Photography".into(),
        status: "published".into(),
        duration: 480,
        location: Some("Your venue (anywhere in the UK)".into()),
        description: Some(
            "<p>Eight hours of documentary coverage, from getting ready to the first dance.</p>\
             <p><strong>Your date is held once the studio confirms</strong> and the deposit is paid.</p>"
                .into(),
        ),
        cover_image_url: cover("wedding"),
        payment_amount_full: 240_000,
        payment_amount_partial: Some(50_000),
        currency: "gbp".into(),
        collect_payment: Flag::Bool(true),
        minimum_notice_duration: 30,
        maximum_notice_duration: 730,
        buffer_before: 60,
        buffer_after: 60,
        payment_methods: vec![card(), bank_transfer_gbp(), paypal(false)],
        taxes: vec![Tax { id: "tax_VAT20".into(), name: "VAT".into(), rate: 20.0, inclusive: true }],
        intake_form_fields: vec![
            field(
                F { id: "q_partner", order: 1, question: "Your partner's full name", kind: "text", required: true },
                None,
                None,
                vec![],
                Some(Validation { min_length: Some(2), max_length: Some(80), ..Default::default() }),
            ),
            field(
                F { id: "q_venue", order: 2, question: "Ceremony venue", kind: "text", required: true },
                None,
                Some("St Mary's Church, Whitby"),
                vec![],
                Some(Validation { max_length: Some(120), ..Default::default() }),
            ),
            field(
                F { id: "q_guests", order: 3, question: "Number of guests", kind: "number", required: false },
                None,
                None,
                vec![],
                Some(Validation { min_value: Some(2.0), max_value: Some(500.0), ..Default::default() }),
            ),
            field(
                F { id: "q_coverage", order: 4, question: "Which moments matter most to you?", kind: "multi_select", required: true },
                Some("Choose up to three."),
                None,
                vec![
                    opt("prep", "Getting ready"),
                    opt("ceremony", "Ceremony"),
                    opt("portraits", "Couple portraits"),
                    opt("speeches", "Speeches"),
                    opt("dance", "First dance"),
                ],
                Some(Validation { min_length: Some(1), max_length: Some(3), ..Default::default() }),
            ),
            field(
                F { id: "q_heard", order: 5, question: "How did you hear about us?", kind: "select", required: false },
                None,
                None,
                vec![opt("friend", "A friend"), opt("instagram", "Instagram"), opt("venue", "Our venue"), opt("search", "A web search")],
                None,
            ),
            field(
                F { id: "q_instagram", order: 6, question: "Your Instagram handle", kind: "social_handle", required: false },
                Some("So we can tag you, if you like."),
                Some("@yourname"),
                vec![],
                Some(Validation { pattern: Some("@?[A-Za-z0-9_.]{1,30}".into()), ..Default::default() }),
            ),
        ],
        cancellation_policy: Some("The deposit secures your date and is not refundable. The balance is due 30 days before the wedding.".into()),
        reschedule_policy: None,
        contract_template_id: Some(make_id("ct", "WEDDING")),
        contract: None,
        accepts_coupons: Flag::Bool(false),
        // A wedding date is changed with the studio, never online: the deposit is not refundable.
        allow_client_cancel: Flag::Bool(false),
        cancel_notice_hours: 0,
        allow_client_reschedule: Flag::Bool(false),
        reschedule_notice_hours: 0,
        max_client_reschedules: None,
        questionnaire_template_id: Some(make_id("qt", "WEDDING")),
        session_type_schedule: schedule("WEDDINGDAYS", "Wedding days", "Europe/London", weekly("WD", &[0, 5, 6], &[("10:00", "18:00")]), vec![]),
        created_at: CREATED.into(),
        updated_at: UPDATED.into(),
    };

    let headshots = SessionType {
        id: make_id("set", "HEADSHOTS"),
        name: "Business Headshots".into(),
        status: "published".into(),
        duration: 30,
        location: Some("Juniper Studio, 14 Columbia Road, London E2 7RG".into()),
        description: Some("<p>A crisp, friendly headshot before or after work. Prices exclude VAT.</p>".into()),
        cover_image_url: None,
        payment_amount_full: 15_000,
        payment_amount_partial: None,
        currency: "gbp".into(),
        collect_payment: Flag::Bool(true),
        minimum_notice_duration: 1,
        maximum_notice_duration: 90,
        buffer_before: 0,
        buffer_after: 15,
        payment_methods: vec![card(), PaymentMethod { enabled: Flag::Int(0), ..bank_transfer_gbp() }],
        taxes: vec![Tax { id: "tax_VAT20EX".into(), name: "VAT".into(), rate: 20.0, inclusive: false }],
        intake_form_fields: vec![
            field(
                F { id: "q_company", order: 1, question: "Company", kind: "text", required: true },
                None,
                None,
                vec![],
                Some(Validation { max_length: Some(100), ..Default::default() }),
            ),
            field(
                F { id: "q_invoice_email", order: 2, question: "E-mail for the invoice", kind: "email", required: false },
                Some("If it differs from yours."),
                Some("accounts@company.com"),
                vec![],
                None,
            ),
            field(F { id: "q_mobile", order: 3, question: "Mobile number on the day", kind: "phone", required: false }, None, None, vec![], None),
            field(
                F { id: "q_background", order: 4, question: "Background", kind: "radio", required: true },
                None,
                None,
                vec![opt("white", "Clean white"), opt("grey", "Studio grey"), opt("office", "Blurred office")],
                None,
            ),
        ],
        cancellation_policy: Some("Free cancellation up to 24 hours before.".into()),
        reschedule_policy: None,
        contract_template_id: None,
        contract: None,
        accepts_coupons: Flag::Bool(true),
        // As its policy says: free cancellation until 24 hours before; moving is by asking.
        allow_client_cancel: Flag::Bool(true),
        cancel_notice_hours: 24,
        allow_client_reschedule: Flag::Bool(false),
        reschedule_notice_hours: 0,
        max_client_reschedules: None,
        questionnaire_template_id: None,
        session_type_schedule: schedule(
            "HEADSHOTHOURS",
            "Before and after work",
            "Europe/London",
            weekly("HH", &[1, 2, 3, 4, 5], &[("08:00", "10:00"), ("17:00", "19:00")]),
            vec![day_override(today + Duration::days(9), &[])],
        ),
        created_at: CREATED.into(),
        updated_at: UPDATED.into(),
    };

    let tokyo = SessionType {
        id: make_id("set", "TOKYOPORTRAITS"),
        name: "Tokyo Destination Portraits".into(),
        status: "published".into(),
        duration: 90,
        location: Some("Meet at Shibuya Station, Hachikō exit".into()),
        description: Some("<p>Ninety minutes walking through Tokyo's most photogenic streets. Prices include consumption tax.</p>".into()),
        cover_image_url: cover("tokyo"),
        payment_amount_full: 45_000,
        payment_amount_partial: Some(15_000),
        currency: "jpy".into(),
        collect_payment: Flag::Bool(true),
        minimum_notice_duration: 3,
        maximum_notice_duration: 180,
        buffer_before: 30,
        buffer_after: 30,
        payment_methods: vec![
            card(),
            PaymentMethod {
                name: "Bank transfer (Japan)".into(),
                enabled: Flag::Int(1),
                kind: "manual".into(),
                instructions: Some(
                    "Transfer to MUFG Bank, Shibuya branch, ordinary account 1234567, ジュニパー写真. Please pay within 5 days.".into(),
                ),
            },
        ],
        taxes: vec![Tax { id: "tax_JPCT10".into(), name: "Consumption tax".into(), rate: 10.0, inclusive: true }],
        intake_form_fields: vec![
            field(
                F { id: "q_spots", order: 1, question: "Favourite spots", kind: "multi_select", required: false },
                None,
                None,
                vec![
                    opt("shibuya", "Shibuya crossing"),
                    opt("asakusa", "Asakusa and Sensō-ji"),
                    opt("meiji", "Meiji Shrine"),
                    opt("gyoen", "Shinjuku Gyoen"),
                ],
                None,
            ),
            field(
                F { id: "q_backup_date", order: 2, question: "A backup date in case of rain", kind: "date", required: false },
                None,
                None,
                vec![],
                Some(Validation { min_date: Some("today".into()), max_date: Some("+1 year".into()), ..Default::default() }),
            ),
            field(F { id: "q_hotel", order: 3, question: "Where are you staying?", kind: "text", required: false }, None, None, vec![], None),
        ],
        cancellation_policy: Some("Rain or shine: if it pours, we move your session to your backup date at no cost.".into()),
        reschedule_policy: None,
        contract_template_id: None,
        contract: None,
        accepts_coupons: Flag::Bool(true),
        // The studio moves a rained-off session itself; clients neither cancel nor move online.
        allow_client_cancel: Flag::Int(0),
        cancel_notice_hours: 0,
        allow_client_reschedule: Flag::Int(0),
        reschedule_notice_hours: 0,
        max_client_reschedules: None,
        questionnaire_template_id: None,
        session_type_schedule: schedule("TOKYOWEEKS", "Tokyo weeks", "Asia/Tokyo", weekly("TW", &[0, 3, 4, 5, 6], &[("08:00", "17:00")]), vec![]),
        created_at: CREATED.into(),
        updated_at: UPDATED.into(),
    };

    let engagement = SessionType {
        id: make_id("set", "NYCENGAGEMENT"),
        name: "New York Engagement Session".into(),
        status: "published".into(),
        duration: 120,
        location: Some("Central Park, Bethesda Terrace".into()),
        description: Some("<p>Golden-hour portraits in Central Park. <em>New York sales tax is added at checkout.</em></p>".into()),
        cover_image_url: cover("engagement"),
        payment_amount_full: 60_000,
        payment_amount_partial: Some(20_000),
        currency: "usd".into(),
        collect_payment: Flag::Int(1),
        minimum_notice_duration: 2,
        maximum_notice_duration: 120,
        buffer_before: 30,
        buffer_after: 30,
        payment_methods: vec![card(), paypal(true)],
        taxes: vec![Tax { id: "tax_NYC".into(), name: "NY sales tax".into(), rate: 8.875, inclusive: false }],
        intake_form_fields: vec![
            field(
                F { id: "q_partner", order: 1, question: "Your partner's first name", kind: "text", required: true },
                None,
                None,
                vec![],
                Some(Validation { max_length: Some(60), ..Default::default() }),
            ),
            field(
                F { id: "q_met", order: 2, question: "When did you two meet?", kind: "date", required: false },
                None,
                None,
                vec![],
                Some(Validation { max_date: Some("today".into()), ..Default::default() }),
            ),
            field(
                F { id: "q_story", order: 3, question: "Tell us your story", kind: "textarea", required: false },
                None,
                None,
                vec![],
                Some(Validation { min_length: Some(10), max_length: Some(1000), ..Default::default() }),
            ),
        ],
        cancellation_policy: Some("Deposits are refundable up to 7 days before your session.".into()),
        reschedule_policy: Some("Weather reschedules are always free.".into()),
        contract_template_id: None,
        contract: None,
        accepts_coupons: Flag::Int(1),
        // As its policies say: refundable until 7 days before; weather moves are always free,
        // so there is no limit on moves (until a day before).
        allow_client_cancel: Flag::Int(1),
        cancel_notice_hours: 168,
        allow_client_reschedule: Flag::Int(1),
        reschedule_notice_hours: 24,
        max_client_reschedules: None,
        questionnaire_template_id: None,
        session_type_schedule: schedule(
            "NYCGOLDEN",
            "Golden hour",
            "America/New_York",
            weekly("NY", &[1, 2, 3, 4, 5], &[("15:00", "20:00")]),
            vec![],
        ),
        created_at: CREATED.into(),
        updated_at: UPDATED.into(),
    };

    let newborn = SessionType {
        id: newborn_id(),
        name: "Newborn Studio Session".into(),
        status: "published".into(),
        duration: 120,
        location: Some("Juniper Studio, 14 Columbia Road, London E2 7RG".into()),
        description: Some(
            "<p>Calm, unhurried portraits of your baby in their first weeks, in our warm studio.</p>\
             <ul><li>Up to two hours, with time to feed and settle</li><li>20 edited images in an online gallery</li></ul>\
             <p>You sign our session agreement while booking.</p>"
                .into(),
        ),
        cover_image_url: cover("newborn"),
        payment_amount_full: 35_000,
        payment_amount_partial: Some(10_000),
        currency: "gbp".into(),
        collect_payment: Flag::Bool(true),
        minimum_notice_duration: 3,
        maximum_notice_duration: 180,
        buffer_before: 0,
        buffer_after: 30,
        payment_methods: vec![card(), bank_transfer_gbp()],
        taxes: vec![Tax { id: "tax_VAT20".into(), name: "VAT".into(), rate: 20.0, inclusive: true }],
        intake_form_fields: vec![
            field(
                F { id: "q_due", order: 1, question: "Your baby's due date or date of birth", kind: "date", required: true },
                Some("Newborn sessions are best in the first two weeks."),
                None,
                vec![],
                Some(Validation { min_date: Some("-6 weeks".into()), max_date: Some("+9 months".into()), ..Default::default() }),
            ),
            field(
                F { id: "q_baby_name", order: 2, question: "Your baby's name, if chosen", kind: "text", required: false },
                None,
                None,
                vec![],
                Some(Validation { max_length: Some(60), ..Default::default() }),
            ),
        ],
        cancellation_policy: Some("Cancel online up to 72 hours before your session for a full refund of your deposit.".into()),
        reschedule_policy: Some("Babies keep their own timetable: move your session online up to twice, until 48 hours before it starts.".into()),
        contract_template_id: Some(newborn_contract().id),
        contract: Some(newborn_contract()),
        accepts_coupons: Flag::Bool(true),
        allow_client_cancel: Flag::Bool(true),
        cancel_notice_hours: 72,
        allow_client_reschedule: Flag::Bool(true),
        reschedule_notice_hours: 48,
        max_client_reschedules: Some(2),
        questionnaire_template_id: None,
        session_type_schedule: schedule(
            "NEWBORNMORNINGS",
            "Newborn mornings",
            "Europe/London",
            weekly("NB", &[1, 2, 4], &[("09:30", "12:30")]),
            vec![],
        ),
        created_at: "2025-05-20T09:00:00+00:00".into(),
        updated_at: UPDATED.into(),
    };

    let maternity = SessionType {
        id: make_id("set", "MATERNITYDRAFT"),
        name: "Maternity Glow Session (coming soon)".into(),
        status: "draft".into(),
        duration: 75,
        location: None,
        description: Some("<p>Draft: not ready to book.</p>".into()),
        cover_image_url: None,
        payment_amount_full: 30_000,
        payment_amount_partial: None,
        currency: "gbp".into(),
        collect_payment: Flag::Bool(false),
        minimum_notice_duration: 2,
        maximum_notice_duration: 60,
        buffer_before: 0,
        buffer_after: 0,
        payment_methods: vec![],
        taxes: vec![],
        intake_form_fields: vec![],
        cancellation_policy: None,
        reschedule_policy: None,
        contract_template_id: None,
        contract: None,
        accepts_coupons: Flag::Bool(false),
        allow_client_cancel: Flag::Bool(false),
        cancel_notice_hours: 0,
        allow_client_reschedule: Flag::Bool(false),
        reschedule_notice_hours: 0,
        max_client_reschedules: None,
        questionnaire_template_id: None,
        session_type_schedule: schedule("MATERNITY", "Studio hours", "Europe/London", weekly("MA", &[1, 2, 3], &[("10:00", "16:00")]), vec![]),
        created_at: CREATED.into(),
        updated_at: UPDATED.into(),
    };

    let mut types = vec![
        DemoSessionType {
            api: family,
            step_min: 60,
            booking_status: "booked",
            studio_only: studio_only(
                "Book Leah as second shooter for groups over 6. Park sessions: the council permit runs out each March.",
                Some("Floor price £180 for returning clients; friends-and-family code JUNIPER20 takes 20% off."),
            ),
        },
        DemoSessionType {
            api: mini,
            step_min: 30,
            booking_status: "booked",
            studio_only: studio_only(
                "The pagoda spot is crowded after 11:00 on Saturdays: start early.",
                Some("Props cost about £22 a session; worth it from 4 bookings a day."),
            ),
        },
        DemoSessionType {
            api: wedding,
            step_min: 480,
            booking_status: "inquiry",
            studio_only: studio_only(
                "Never two weddings on one weekend. Whitby venue coordinator: Jo, 07700 900123.",
                Some("Weekday weddings may go down to £2,000, never under £1,800."),
            ),
        },
        DemoSessionType {
            api: headshots,
            step_min: 30,
            booking_status: "booked",
            studio_only: studio_only("Acme Ltd staff are invoiced monthly to accounts@acme.example.", Some("Acme's corporate rate: £120 + VAT.")),
        },
        DemoSessionType {
            api: tokyo,
            step_min: 90,
            booking_status: "booked",
            studio_only: studio_only("Our Tokyo fixer is Kenji (kenji@fixer.example), ¥8,000 a session, paid in cash.", None),
        },
        DemoSessionType {
            api: engagement,
            step_min: 60,
            booking_status: "booked",
            studio_only: studio_only(
                "New York trips in May and October only; a tripod at Bethesda Terrace needs a permit.",
                Some("Paid into the US LLC's account, not the UK one."),
            ),
        },
        DemoSessionType {
            api: newborn,
            step_min: 60,
            booking_status: "booked",
            studio_only: studio_only(
                "Room at 26 °C, white noise on, two clean wraps per baby. Never a pose without a spotter.",
                Some("NEWBORN10 is for the first clients of the new set: three uses."),
            ),
        },
        DemoSessionType {
            api: maternity,
            step_min: 75,
            booking_status: "booked",
            studio_only: studio_only(
                "Not before the insurer covers the new set: waiting on the backdrop delivery.",
                Some("Launch price £250 for the first ten bookings."),
            ),
        },
    ];
    if !contracts {
        types.retain(|t| t.api.id != newborn_id());
    }
    types
}

/// A coupon of the demo, with what the coupon endpoint does not show: which session types it
/// is valid for, whether it is switched on, and how often it may be and was used.
#[derive(Debug, Clone)]
pub struct DemoCoupon {
    pub coupon: Coupon,
    pub session_type_ids: Vec<String>,
    /// A code switched off is refused as if unknown.
    pub enabled: bool,
    /// How many bookings may use it; None for no limit.
    pub max_uses: Option<u32>,
    /// How many bookings have used it.
    pub uses: u32,
}

/// The demo studio's coupon codes and gift cards for the session types it `offers` (of
/// [`session_types`]); `today` is the studio's date at start-up. Together they give every
/// answer of the coupon endpoint: percentage and fixed codes in each of the demo's
/// currencies, a 100 % code, gift cards worth more than the price (the discount stops at the
/// price) or than the deposit, a code that expires in 60 days, one that expired, one used up,
/// one with uses left (NEWBORN10, with the newborn session only), one switched off, and codes
/// valid for one session type only. A code names only session types offered, and a code left
/// with none is not there at all.
pub fn coupons(today: NaiveDate, offers: &[DemoSessionType]) -> Vec<DemoCoupon> {
    let london = chrono_tz::Europe::London;
    let family = family_portrait_id();
    let headshots = make_id("set", "HEADSHOTS");
    let tokyo = make_id("set", "TOKYOPORTRAITS");
    let engagement = make_id("set", "NYCENGAGEMENT");
    let newborn = newborn_id();
    let all = vec![family.clone(), headshots.clone(), tokyo.clone(), engagement.clone(), newborn.clone()];
    let gbp = vec![family, headshots.clone(), newborn.clone()];
    let coupon = |code: &str, discount: Discount, expires_at: Option<DateTime<Utc>>, session_type_ids: &[String]| DemoCoupon {
        coupon: Coupon { code: code.into(), discount, expires_at },
        session_type_ids: session_type_ids.to_vec(),
        enabled: true,
        max_uses: None,
        uses: 0,
    };
    let mut coupons = vec![
        // The friends-and-family code of the studio's private price notes.
        coupon("JUNIPER20", Discount::Percentage(20.0), None, &all),
        coupon("TAKE25", Discount::Fixed(2_500), Some(start_of_day(london, today + Duration::days(60))), &gbp),
        coupon("TOKYO5000", Discount::Fixed(5_000), None, std::slice::from_ref(&tokyo)),
        coupon("NYC50", Discount::Fixed(5_000), None, std::slice::from_ref(&engagement)),
        coupon("ONTHEHOUSE", Discount::Percentage(100.0), None, &all),
        // Gift cards: ¥50,000 on a ¥45,000 session; $450 off $600, under the $200 deposit.
        coupon("TOKYOGIFT", Discount::Fixed(50_000), None, std::slice::from_ref(&tokyo)),
        coupon("NYGIFT450", Discount::Fixed(45_000), None, std::slice::from_ref(&engagement)),
        coupon("HEADSHOTPRO", Discount::Percentage(12.5), None, std::slice::from_ref(&headshots)),
        coupon("EARLYBIRD", Discount::Percentage(15.0), Some(start_of_day(london, today - Duration::days(30))), &all),
        DemoCoupon { max_uses: Some(10), uses: 10, ..coupon("FIRSTTEN", Discount::Percentage(10.0), None, &all) },
        DemoCoupon { max_uses: Some(3), uses: 1, ..coupon("NEWBORN10", Discount::Percentage(10.0), None, std::slice::from_ref(&newborn)) },
        DemoCoupon { enabled: false, ..coupon("OLDFRIENDS", Discount::Percentage(25.0), None, &all) },
    ];
    coupons.retain_mut(|c| {
        c.session_type_ids.retain(|id| offers.iter().any(|t| &t.api.id == id));
        !c.session_type_ids.is_empty()
    });
    coupons
}

/// Sessions the demo studio already has when it starts: (session type id, local date, "HH:MM").
pub fn seeded_bookings(today: NaiveDate) -> Vec<(String, NaiveDate, &'static str)> {
    let mut d = today + Duration::days(3);
    while !matches!(d.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu) {
        d += Duration::days(1);
    }
    vec![
        (family_portrait_id(), d, "10:00"),
        (family_portrait_id(), d, "14:00"),
        (make_id("set", "HEADSHOTS"), next_weekday(d + Duration::days(1), Weekday::Fri), "08:30"),
    ]
}

/// An SVG cover image for a session type: a soft gradient with the studio's mark.
pub fn cover_svg(name: &str) -> Option<String> {
    let (a, b, label) = match name {
        "family" => ("#f6d5b8", "#c97b63", "Family"),
        "autumn" => ("#f2c14e", "#b5542d", "Autumn"),
        "wedding" => ("#f5efe6", "#9a8c98", "Wedding"),
        "tokyo" => ("#f7c6d9", "#4a4e69", "Tokyo"),
        "engagement" => ("#ffd6a5", "#6d597a", "New York"),
        "newborn" => ("#fdf0e6", "#a3b18a", "Newborn"),
        _ => return None,
    };
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\" width=\"640\" height=\"360\">\
         <defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"><stop offset=\"0\" stop-color=\"{a}\"/>\
         <stop offset=\"1\" stop-color=\"{b}\"/></linearGradient></defs><rect width=\"640\" height=\"360\" fill=\"url(#g)\"/>\
         <circle cx=\"520\" cy=\"90\" r=\"46\" fill=\"#fff\" opacity=\".35\"/>\
         <text x=\"40\" y=\"320\" font-family=\"Georgia,serif\" font-size=\"44\" fill=\"#fff\">{label}</text></svg>"
    ))
}

/// "Now" for the demo's relative dates: the studio's own date.
pub fn studio_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::London).date_naive()
}

//! The JSON reader's and writer's tests.
use super::*;

#[test]
fn reads_every_kind_of_value() {
    let v = parse(r#" {"a": [1, -2.5, 3e2, 0], "b": {"c": null, "d": true, "e": false}, "s": "x\"y\\z\/\n\u00e9\ud83d\udcf7"} "#).unwrap();
    assert_eq!(v["a"], Value::Array(vec![1.0.into(), (-2.5).into(), 300.0.into(), 0.0.into()]));
    assert_eq!(v["b"]["c"], Value::Null);
    assert_eq!(v["b"]["d"], Value::Bool(true));
    assert_eq!(v["b"]["e"], Value::Bool(false));
    assert_eq!(v["s"].as_str(), Some("x\"y\\z/\né📷"));
    assert_eq!(v["missing"], Value::Null);
    assert_eq!(parse("\"\\ud800x\"").unwrap().as_str(), Some("\u{FFFD}x"));
    assert_eq!(parse(r#"{"k": 1, "k": 2}"#).unwrap()["k"], Value::Number(2.0));
}

#[test]
fn refuses_what_is_not_json() {
    for bad in [
        "",
        " ",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "{'a':1}",
        "01",
        "+1",
        ".5",
        "1.",
        "1e",
        "NaN",
        "Infinity",
        "tru",
        "nul",
        "\"a",
        "\"\\x\"",
        "\"\u{1}\"",
        "[1 2]",
        "{\"a\" 1}",
        "{1:2}",
        "1 2",
        "1e999",
        "\"\\u12\"",
        "<html>",
        "-.5",
        "1.e5",
        "-01",
        "1-2",
        "1e5.5",
        "-",
        "+-1",
    ] {
        assert_eq!(parse(bad), None, "{bad:?}");
    }
    for (good, n) in [("-0", 0.0), ("0.5", 0.5), ("1E+2", 100.0), ("-12.5e-1", -1.25)] {
        assert_eq!(parse(good), Some(Value::Number(n)), "{good}");
    }
    assert_eq!(parse(&("[".repeat(200) + &"]".repeat(200))), None, "too deep");
    assert!(parse(&("[".repeat(100) + &"]".repeat(100))).is_some());
}

#[test]
fn reads_numbers_as_people_write_them() {
    for (text, n) in [("60", 60.0), ("-2.5", -2.5), ("+1", 1.0), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0), ("2E-1", 0.2), ("007", 7.0)] {
        assert_eq!(parse_number(text), Some(n), "{text}");
    }
    for bad in ["", "-", ".", "e3", "1e", "1e+", "0x10", "1,5", "1.2.3", " 1", "1 ", "NaN", "inf", "Infinity", "1e999", "--1", "١٢"] {
        assert_eq!(parse_number(bad), None, "{bad:?}");
    }
}

#[test]
fn writes_what_it_reads() {
    let text = r#"{"id":"bk_1","n":60,"neg":-3,"f":2.5,"ok":true,"no":null,"l":["a","b"],"o":{},"s":"q\"b\\n\nt\u0001 é 📷"}"#;
    let v = parse(text).unwrap();
    assert_eq!(v.to_string(), text);
    assert_eq!(parse(&v.to_string()), Some(v));
    assert_eq!(Value::Number(f64::NAN).to_string(), "null");
    assert_eq!([number_text(0.1), number_text(-2.5), number_text(1e3), number_text(-0.0)], ["0.1", "-2.5", "1000", "0"]);
    assert_eq!(Value::from("\u{2028}").to_string(), "\"\\u2028\"");
}

#[test]
fn builds_objects_in_order() {
    let v = crate::object! { "b" => 1, "a" => "x", "c" => None::<String>, "l" => vec!["p".to_string()] };
    assert_eq!(v.to_string(), r#"{"b":1,"a":"x","c":null,"l":["p"]}"#);
    let mut o = Object::new();
    o.insert("k", 1);
    o.insert("k", 2);
    assert_eq!((o.len(), o.get("k")), (1, Some(&Value::Number(2.0))));
}

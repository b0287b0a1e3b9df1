//! Time zone names. Browsers report some zones by their old ICU names ("Asia/Katmandu",
//! "Asia/Calcutta"); the widget shows and sends the current IANA name instead.

/// Old names browsers still report, and the current IANA name of each.
const RENAMED: &[(&str, &str)] = &[
    ("Asia/Katmandu", "Asia/Kathmandu"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
    ("Asia/Rangoon", "Asia/Yangon"),
    ("Asia/Dacca", "Asia/Dhaka"),
    ("Asia/Thimbu", "Asia/Thimphu"),
    ("Asia/Ulan_Bator", "Asia/Ulaanbaatar"),
    ("Asia/Macao", "Asia/Macau"),
    ("Asia/Chongqing", "Asia/Shanghai"),
    ("Europe/Kiev", "Europe/Kyiv"),
    ("Europe/Uzhgorod", "Europe/Kyiv"),
    ("Europe/Zaporozhye", "Europe/Kyiv"),
    ("Atlantic/Faeroe", "Atlantic/Faroe"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("America/Catamarca", "America/Argentina/Catamarca"),
    ("America/Cordoba", "America/Argentina/Cordoba"),
    ("America/Jujuy", "America/Argentina/Jujuy"),
    ("America/Mendoza", "America/Argentina/Mendoza"),
    ("America/Indianapolis", "America/Indiana/Indianapolis"),
    ("America/Louisville", "America/Kentucky/Louisville"),
    ("America/Godthab", "America/Nuuk"),
    ("America/Coral_Harbour", "America/Atikokan"),
    ("Pacific/Truk", "Pacific/Chuuk"),
    ("Pacific/Ponape", "Pacific/Pohnpei"),
    ("Pacific/Enderbury", "Pacific/Kanton"),
    ("Africa/Asmera", "Africa/Asmara"),
];

/// The current IANA name of a zone (unchanged when it is not an old one).
pub fn current_name(zone: &str) -> &str {
    RENAMED.iter().find(|(old, _)| *old == zone).map(|(_, new)| *new).unwrap_or(zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_names_become_current() {
        assert_eq!(current_name("Asia/Katmandu"), "Asia/Kathmandu");
        assert_eq!(current_name("America/Buenos_Aires"), "America/Argentina/Buenos_Aires");
        assert_eq!(current_name("Europe/London"), "Europe/London");
        assert_eq!(current_name(""), "");
        // Every replacement is itself current.
        assert!(RENAMED.iter().all(|(_, new)| current_name(new) == *new));
    }
}

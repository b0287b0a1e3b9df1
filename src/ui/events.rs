//! The element's interface as the widget's Rust sees it, written by build.rs from
//! `interface.json` (which the loader reads too): the attributes ([`attribute`]), the theme's
//! custom properties ([`theme_property`]) and the events ([`WidgetEvent`]).

include!(concat!(env!("OUT_DIR"), "/interface.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_and_attributes_come_from_interface_json() {
        assert_eq!(WidgetEvent::Ready.dom_name(), "studio-booking:ready");
        assert_eq!(WidgetEvent::SessionTypeSelected.dom_name(), "studio-booking:session-type-selected");
        assert_eq!(WidgetEvent::ALL.len(), 8);
        assert_eq!(attribute::API_BASE, "api-base");
        assert_eq!(theme_property::ACCENT, "--studio-booking-accent");
    }
}

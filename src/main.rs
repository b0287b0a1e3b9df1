//! The browser entry point: mounts a booking widget into every `<studio-booking>` element.

fn main() {
    studio_booking::mount::mount_all();
}

//! Voci's PWA (bin `voci-app`, served at `/`): runs surveys offline on a tablet, queues
//! responses, syncs them to the collector. The code is the crate's library (`lib.rs`, whose
//! doc has the layout); the facilitator's focus-group screens and the enrolment screen are
//! the other entry points, `bin/voci-focus.rs` and `bin/voci-enrol.rs`, which this download
//! does not carry.

fn main() {
    voci_app::mount_app();
}

//! The enrolment screen (bin `voci-enrol`, page `enrol.html`, served at `/enrol`, the admin's
//! link `/enrol?code=...`): the code exchanged with the collector for this tablet's device
//! token, then back to the PWA at `/`. Online by nature, so kept out of the tablets' first
//! load and never cached by the service worker (ARCHITECTURE.md).

fn main() {
    voci_app::mount_enrol();
}

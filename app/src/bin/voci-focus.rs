//! The facilitator's focus-group screens (bin `voci-focus`, page `focus.html`, served at
//! `/focus/`): the same app state as the PWA (language, kept catalog, outbox, sync), with the
//! focus-group screens instead of the runner's. Kept out of the tablets' first load; the
//! service worker caches them the first time they are opened online (ARCHITECTURE.md).

fn main() {
    voci_app::mount_focus();
}

//! HTML attributes through Leptos's custom attribute: one attribute type per value type for
//! every name, instead of a type (and its copy of the attribute code in the download) per name.
//!
//! `id=`, `role=`, `lang=`, `aria-*=` and the other names below keep their usual spelling in
//! `view!`: the macro calls them as methods, and a file that imports [`GlobalAttributes`] and
//! [`AriaAttributes`] from here gets these traits' methods instead of Leptos's (which the
//! prelude's glob import would bring). Without the import the attribute still works, through
//! Leptos's own typed attribute. Names Leptos gives only particular elements (`for`, `type`,
//! `value`, ...) are methods of the element itself and cannot be taken over that way: write them
//! with [`at`]. The DOM is the same either way.

use leptos::tachys::html::attribute::AttributeValue;
use leptos::tachys::html::attribute::custom::{CustomAttr, custom_attribute};
use leptos::tachys::view::add_attr::AddAnyAttr;

macro_rules! attributes {
    ($trait:ident: $($method:ident $name:literal),* $(,)?) => {
        /// Attributes as custom attributes (see the module).
        pub trait $trait<V: AttributeValue>: Sized + AddAnyAttr {
            $(
                #[doc = concat!("`", $name, "`")]
                fn $method(self, value: V) -> <Self as AddAnyAttr>::Output<CustomAttr<&'static str, V>> {
                    self.add_any_attr(custom_attribute($name, value))
                }
            )*
        }
        impl<T: AddAnyAttr, V: AttributeValue> $trait<V> for T {}
    };
}

attributes!(GlobalAttributes:
    dir "dir", id "id", inputmode "inputmode", lang "lang", role "role",
    tabindex "tabindex", title "title",
);
attributes!(AriaAttributes:
    aria_describedby "aria-describedby", aria_hidden "aria-hidden", aria_invalid "aria-invalid",
    aria_label "aria-label", aria_labelledby "aria-labelledby", aria_live "aria-live",
    aria_pressed "aria-pressed", aria_required "aria-required", aria_valuemax "aria-valuemax",
    aria_valuemin "aria-valuemin", aria_valuenow "aria-valuenow",
);

/// An HTML attribute by name, for those Leptos types per name on particular elements (`for`,
/// `type`, `value`, ...): written `{at("type", "checkbox")}` in `view!`, it goes through the
/// one custom-attribute type per value type, as `data-*` and the names in the traits here do.
/// An unquoted value just before it goes in braces (`id={x} {at(..)}`), else the macro reads
/// `x {..}` as one expression.
pub fn at<V: AttributeValue>(name: &'static str, value: V) -> CustomAttr<&'static str, V> {
    custom_attribute(name, value)
}

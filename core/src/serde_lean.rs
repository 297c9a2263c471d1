//! Smaller serde readers for the core's types, which the app downloads compiled.
//!
//! - Structs from JSON objects only. serde's derived `Deserialize` for a struct reads it from
//!   an object, and also from an array of its fields in order (`["0b7e…", "s", …]`), which no
//!   Voci format writes; that second reader is compiled for every struct. [`object_only!`]
//!   gives a struct the derived reader of objects alone: the struct derives with
//!   `#[serde(remote = "Self")]` (the derive then writes inherent `deserialize`/`serialize`
//!   functions instead of the traits), and the macro implements the traits through them,
//!   reading through [`ObjectOnly`]. An array where such a struct is expected is refused as
//!   any other wrong type is.
//! - Enums of unit variants, with [`variant`] (or [`read_unit_variants!`], which writes the
//!   call from one table): one reader for every such enum, where the derive compiles one per
//!   enum.

use std::fmt;

use serde::Deserializer;
use serde::de::{DeserializeSeed, EnumAccess, Error, VariantAccess, Visitor};

/// A deserializer that reads a struct as a map, so the struct's visitor is never asked to read
/// a sequence.
pub(crate) struct ObjectOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Implements `Deserialize` (objects only, see the module) and `Serialize` for structs that
/// derive both with `#[serde(remote = "Self")]`; `object_only!(de: T)` for a struct that
/// derives `Deserialize` alone.
macro_rules! object_only {
    (de: $($t:ty),+ $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$t>::deserialize($crate::serde_lean::ObjectOnly(d))
            }
        }
    )+};
    ($($t:ty),+ $(,)?) => {
        $crate::serde_lean::object_only!(de: $($t),+);
        $(
            impl serde::Serialize for $t {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    <$t>::serialize(self, s)
                }
            }
        )+
    };
}

pub(crate) use object_only;

/// Implements `Deserialize` for an enum of unit variants from one table of variants and the
/// names they are read by (an alias is the same variant again under another name), through
/// [`variant`]: `read_unit_variants!(SiteKind { District = "district", ... })`.
macro_rules! read_unit_variants {
    ($t:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($name),+];
                const ALL: &[$t] = &[$($t::$variant),+];
                $crate::serde_lean::variant(d, stringify!($t), NAMES).map(|i| ALL[i])
            }
        }
    };
}

pub(crate) use read_unit_variants;

/// Reads a unit variant of enum `name` as the derive does, and returns its place in `names`:
/// the variants' names, each alias after its variant's name, as the derive lists them in its
/// errors.
pub(crate) fn variant<'de, D: Deserializer<'de>>(
    d: D,
    name: &'static str,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    d.deserialize_enum(name, names, Variant { name, names })
}

struct Variant {
    name: &'static str,
    names: &'static [&'static str],
}

impl<'de> Visitor<'de> for Variant {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "enum {}", self.name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
        let (i, access) = data.variant_seed(self)?;
        access.unit_variant()?;
        Ok(i)
    }
}

/// The variant's name itself.
impl<'de> DeserializeSeed<'de> for Variant {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(Identifier(self.names))
    }
}

struct Identifier(&'static [&'static str]);

impl Visitor<'_> for Identifier {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|n| *n == v)
            .ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use crate::model::Collection;
    use crate::response::Response;
    use crate::sites::{Site, SiteKind};
    use crate::sync::ItemStatus;

    /// What `SiteKind` was read with before: serde's derive.
    #[derive(Debug, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Derived {
        District,
        Municipality,
        School,
        YouthPoint,
        HelpDesk,
        Other,
    }

    /// What `Site` was read with before.
    #[derive(Debug, Serialize, Deserialize)]
    struct DerivedSite {
        id: crate::ids::SiteId,
        name: String,
        kind: Derived,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        children: Vec<DerivedSite>,
    }

    #[test]
    fn variants_read_and_fail_as_the_derive_did() {
        for json in [
            r#""youth_point""#,
            r#""other""#,
            r#""slider""#,
            r#"{"school": null}"#,
            r#"{"school": 1}"#,
            "1",
            "null",
            "[]",
        ] {
            let ours = serde_json::from_str::<SiteKind>(json).map(|k| format!("{k:?}"));
            let theirs = serde_json::from_str::<Derived>(json).map(|k| format!("{k:?}"));
            match (ours, theirs) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{json}"),
                (a, b) => panic!("{json}: {a:?} / {b:?}"),
            }
        }
        for kind in [
            SiteKind::District,
            SiteKind::Municipality,
            SiteKind::School,
            SiteKind::YouthPoint,
            SiteKind::HelpDesk,
            SiteKind::Other,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<SiteKind>(&json).unwrap(), kind);
        }
        for status in [
            ItemStatus::Stored,
            ItemStatus::Duplicate,
            ItemStatus::Conflict,
            ItemStatus::Invalid,
        ] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(serde_json::from_str::<ItemStatus>(&json).unwrap(), status);
        }
        for c in [Collection::Open, Collection::Enrolled] {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Collection>(&json).unwrap(), c);
        }
        let e = serde_json::from_str::<Collection>(r#""closed""#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown variant `closed`, expected `open` or `enrolled` at line 1 column 8"
        );
    }

    #[test]
    fn structs_read_from_objects_as_the_derive_did_and_not_from_arrays() {
        let site = r#"{"id": "a", "name": "A", "kind": "district", "children": [{"id": "a/b", "name": "B", "kind": "school"}]}"#;
        let ours: Site = serde_json::from_str(site).unwrap();
        let theirs: DerivedSite = serde_json::from_str(site).unwrap();
        assert_eq!(
            serde_json::to_value(&ours).unwrap(),
            serde_json::to_value(&theirs).unwrap()
        );
        for bad in [
            r#"{"id": "a", "name": "A"}"#,
            r#"{"id": "a b", "name": "A", "kind": "school"}"#,
            r#""a""#,
        ] {
            let ours = serde_json::from_str::<Site>(bad).unwrap_err();
            let theirs = serde_json::from_str::<DerivedSite>(bad).unwrap_err();
            assert_eq!(
                ours.to_string(),
                theirs.to_string().replace("DerivedSite", "Site")
            );
        }
        let array = r#"["a", "A", "school", []]"#;
        assert!(serde_json::from_str::<DerivedSite>(array).is_ok());
        let e = serde_json::from_str::<Site>(array).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid type: sequence, expected struct Site")
        );
        let e = serde_json::from_str::<Response>("{}").unwrap_err();
        assert!(e.to_string().starts_with("missing field `id`"), "{e}");
    }
}

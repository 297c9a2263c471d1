//! A small map kept as a vector sorted by key.
//!
//! Survey texts, choice filters and a page's problems hold a handful of entries each, a
//! response's answers at most a few hundred. Every distinct `BTreeMap<K, V>` costs the app's
//! WebAssembly some 8–10 KB of code (insertion, balancing, removal, cloning, dropping); a sorted
//! vector costs a binary search and the vector's own code, which the app carries anyway.
//! Lookups are `O(log n)`, inserts and removals `O(n)` (a move of at most a few KB here), and
//! reading sorted JSON appends: right for these maps, wrong for big ones (the collector's
//! results keep their own maps).
//!
//! It iterates in key order and reads and writes JSON as a map, like `BTreeMap`, so files and
//! stored records are the same whichever of the two holds them.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map from `K` to `V` as a vector of pairs sorted by key, each key once.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> VecMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    /// The values in key order, to change.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// Keeps only the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// Where `key` is, or where it would go.
    fn find<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value at `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// The value at `key`, to change.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| &mut self.0[i].1)
    }

    /// The key and value at `key`.
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| (&self.0[i].0, &self.0[i].1))
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).is_ok()
    }

    /// Puts `value` at `key`; gives back the value that was there.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes the value at `key` out.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Later pairs win over earlier ones with the same key, as with `BTreeMap`.
impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = Self::new();
        map.extend(pairs);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        for (k, v) in pairs {
            // Pairs mostly come in order (files, JSON written by this map): append those.
            match self.0.last() {
                Some((last, _)) if *last >= k => {
                    self.insert(k, v);
                }
                _ => self.0.push((k, v)),
            }
        }
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<K, Q, V> std::ops::Index<&Q> for VecMap<K, V>
where
    K: Ord + Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = V;

    /// The value at `key`; panics where there is none, like `BTreeMap`.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key")
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for VecMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
            type Value = VecMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Self::Value, A::Error> {
                let mut map = VecMap(Vec::with_capacity(entries.size_hint().unwrap_or(0).min(64)));
                while let Some((k, v)) = entries.next_entry()? {
                    map.extend([(k, v)]);
                }
                Ok(map)
            }
        }

        d.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn pairs() -> Vec<(String, String)> {
        [
            ("it", "Ciao"),
            ("en", "Hello"),
            ("ar", "مرحبا"),
            ("en", "Hi"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn it_keeps_keys_sorted_and_later_pairs_win_like_a_btree_map() {
        let vec: VecMap<_, _> = pairs().into_iter().collect();
        let btree: BTreeMap<_, _> = pairs().into_iter().collect();
        assert_eq!(
            vec.iter().collect::<Vec<_>>(),
            btree.iter().collect::<Vec<_>>()
        );
        assert_eq!(vec.len(), 3);
        assert_eq!(vec.get("en").map(String::as_str), Some("Hi"));
        assert_eq!(vec["it"], "Ciao");
        assert_eq!(format!("{vec:?}"), format!("{btree:?}"));
    }

    #[test]
    fn insert_remove_and_retain_change_it_in_place() {
        let mut map = VecMap::new();
        assert_eq!(map.insert(3, 'c'), None);
        assert_eq!(map.insert(1, 'a'), None);
        assert_eq!(map.insert(2, 'b'), None);
        assert_eq!(map.insert(2, 'B'), Some('b'));
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(map.remove(&1), Some('a'));
        assert_eq!(map.remove(&1), None);
        assert!(map.contains_key(&3));
        *map.get_mut(&3).unwrap() = 'C';
        map.retain(|&k, _| k != 2);
        assert_eq!(map.into_iter().collect::<Vec<_>>(), [(3, 'C')]);
    }

    #[test]
    fn its_json_is_a_btree_maps_both_ways() {
        let json = r#"{"it":"Ciao","en":"Hello","ar":"مرحبا"}"#;
        let vec: VecMap<String, String> = serde_json::from_str(json).unwrap();
        let btree: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
        assert_eq!(
            serde_json::to_string(&vec).unwrap(),
            serde_json::to_string(&btree).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&vec).unwrap(),
            r#"{"ar":"مرحبا","en":"Hello","it":"Ciao"}"#
        );
        let again: VecMap<String, String> =
            serde_json::from_str(&serde_json::to_string(&vec).unwrap()).unwrap();
        assert_eq!(again, vec);
        assert!(serde_json::from_str::<VecMap<String, String>>("[1]").is_err());
        assert_eq!(
            serde_json::from_str::<VecMap<String, u8>>("{}").unwrap(),
            VecMap::new()
        );
    }
}

//! A small map from a form field's key to a value (the visitor's answers, the messages beside
//! fields), kept in the order keys first came. A form has a handful of fields: a list searched
//! by key does the job, and compiles to a fraction of a `BTreeMap` made for each value type.

/// Values by field key, in the order their keys were first inserted.
#[derive(Debug, Clone)]
pub struct FieldMap<T>(Vec<(String, T)>);

impl<T> Default for FieldMap<T> {
    fn default() -> Self {
        FieldMap(Vec::new())
    }
}

impl<T> FieldMap<T> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|(k, _)| k == key)
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether the key has a value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets a key's value (in its place when it had one); gives the value it replaced.
    pub fn insert(&mut self, key: String, value: T) -> Option<T> {
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// Takes a key out; gives its value.
    pub fn remove(&mut self, key: &str) -> Option<T> {
        self.position(key).map(|i| self.0.remove(i).1)
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Takes every key out.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The keys and their values, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<T> IntoIterator for FieldMap<T> {
    type Item = (String, T);
    type IntoIter = std::vec::IntoIter<(String, T)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Equal when both have the same keys with equal values, whatever their order.
impl<T: PartialEq> PartialEq for FieldMap<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<T> FromIterator<(String, T)> for FieldMap<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(items: I) -> Self {
        let mut map = FieldMap::new();
        for (k, v) in items {
            map.insert(k, v);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_map_in_insertion_order() {
        let mut m = FieldMap::new();
        assert!(m.is_empty());
        assert_eq!(m.insert("b".into(), 1), None);
        assert_eq!(m.insert("a".into(), 2), None);
        assert_eq!(m.insert("b".into(), 3), Some(1));
        assert_eq!((m.len(), m.get("b"), m.get("a"), m.get("c")), (2, Some(&3), Some(&2), None));
        assert_eq!(m.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        assert!(m.contains_key("a") && !m.contains_key("c"));
        assert_eq!(m.remove("b"), Some(3));
        assert_eq!(m.remove("b"), None);
        let other: FieldMap<i32> = [("a".to_string(), 2)].into_iter().collect();
        assert_eq!(m, other);
        let reordered: FieldMap<i32> = [("y".to_string(), 2), ("x".to_string(), 1)].into_iter().collect();
        let ordered: FieldMap<i32> = [("x".to_string(), 1), ("y".to_string(), 2)].into_iter().collect();
        assert_eq!(reordered, ordered);
        assert_ne!(reordered, other);
        m.clear();
        assert!(m.is_empty());
    }
}

//! A TOML value as written, whatever its kind, for the checks in `schema` that accept a
//! string or a number and name the kind they got otherwise.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml_datetime::de::VisitMap;
use toml_edit::Datetime;

pub(super) enum Raw {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean,
    Datetime(Datetime),
    Array(Vec<Raw>),
    Table,
}

impl Raw {
    /// The kind as TOML names it, for "a {kind} is not a whole number".
    pub(super) fn type_str(&self) -> &'static str {
        match self {
            Raw::String(_) => "string",
            Raw::Integer(_) => "integer",
            Raw::Float(_) => "float",
            Raw::Boolean => "boolean",
            Raw::Datetime(_) => "datetime",
            Raw::Array(_) => "array",
            Raw::Table => "table",
        }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Raw, E> {
        Ok(Raw::Boolean)
    }

    fn visit_i64<E>(self, i: i64) -> Result<Raw, E> {
        Ok(Raw::Integer(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Raw, E> {
        i64::try_from(u)
            .map(Raw::Integer)
            .map_err(|_| E::custom("the number is too large"))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Raw, E> {
        Ok(Raw::Float(x))
    }

    fn visit_str<E>(self, s: &str) -> Result<Raw, E> {
        Ok(Raw::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Raw, E> {
        Ok(Raw::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Array(items))
    }

    /// A date-time arrives as a map with one private key; any other map is a table.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        match VisitMap::next_key_seed(&mut map)? {
            Some(VisitMap::Datetime(datetime)) => Ok(Raw::Datetime(datetime)),
            Some(VisitMap::Key(_)) => {
                map.next_value::<Raw>()?;
                while map.next_entry::<String, Raw>()?.is_some() {}
                Ok(Raw::Table)
            }
            None => Ok(Raw::Table),
        }
    }
}

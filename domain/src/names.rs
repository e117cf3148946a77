//! Enums of plain names (`"published"`, `"female"`, …) on the wire, read and written through
//! their `as_str` — the names the database uses too, so the two cannot drift.
//!
//! serde's derive for such an enum generates a visitor for strings, bytes, integers and maps
//! for each enum and each reader; these impls read one string and look it up (it measured
//! about even in the brotli-compressed wasm: see docs/benchmarks.md).

/// For a unit enum with `const ALL: [Self; N]` and `fn as_str(self) -> &'static str`:
/// `fn parse(&str) -> Option<Self>` (the name back to the value), and `Serialize` and
/// `Deserialize` through the name (and, with the `openapi` feature, its schema: the same names); `$what` names the enum's values in errors.
#[macro_export]
macro_rules! serde_by_name {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl $ty {
            /// The value with this name (as the database and the wire write it).
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == s)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($what))
                    .enum_values(Some(Self::ALL.iter().map(|v| v.as_str())))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $ty {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($ty))
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&name).ok_or_else(|| {
                    <D::Error as serde::de::Error>::invalid_value(
                        serde::de::Unexpected::Str(&name),
                        &$what,
                    )
                })
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;
    use crate::hours::ScanKind;
    use crate::offering::{OfferingKind, OfferingStatus, PoolKey};
    use crate::programme::course::Priority;
    use crate::questions::QuestionKind;
    use crate::registration::{Allocation, RegistrationStatus};
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + Copy>(
        all: &[T],
        name: fn(T) -> &'static str,
    ) {
        for &v in all {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", name(v)), "{v:?}");
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
            // An escaped name reads too (a string the reader cannot borrow).
            let escaped = format!("\"\\u{:04x}{}", name(v).as_bytes()[0], &json[2..]);
            assert_eq!(serde_json::from_str::<T>(&escaped).unwrap(), v, "{escaped}");
        }
        assert!(serde_json::from_str::<T>("\"no_such_name\"").is_err());
        assert!(serde_json::from_str::<T>("1").is_err());
        assert!(serde_json::from_str::<T>("null").is_err());
    }

    #[test]
    fn every_name_on_the_wire_is_its_database_name() {
        round_trips(&OfferingKind::ALL, OfferingKind::as_str);
        round_trips(&OfferingStatus::ALL, OfferingStatus::as_str);
        round_trips(&PoolKey::ALL, PoolKey::as_str);
        round_trips(&RegistrationStatus::ALL, RegistrationStatus::as_str);
        round_trips(&Allocation::ALL, Allocation::as_str);
        round_trips(&ErrorCode::ALL, ErrorCode::as_str);
        round_trips(&QuestionKind::ALL, QuestionKind::as_str);
        round_trips(&ScanKind::ALL, ScanKind::as_str);
        round_trips(&Priority::ALL, Priority::as_str);
    }
}

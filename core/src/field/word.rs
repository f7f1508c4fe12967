//! Enumerations signed as text (`"Grant"`, `"Add"`, `"Pause"`, …): typed in
//! Rust, exact and case-sensitive on the wire.

/// Declares an enumeration whose values are signed as their exact text, and
/// its [`FieldValue`](crate::field::FieldValue) implementation.
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[default]
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            /// Every value's text, in declaration order.
            pub const WORDS: &'static [&'static str] = &[$( $text ),+];

            /// The exact text that is signed and sent.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )+ }
            }

            /// The value whose text is exactly `text` (case-sensitive).
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::field::FieldValue for $name {
            const MAX_RLP_LEN: usize = {
                let mut max = 0;
                $( if $text.len() > max { max = $text.len(); } )+
                $crate::rlp::header::max_string_len(max)
            };
            const MAX_JSON_LEN: usize = {
                let mut max = 0;
                $( if $text.len() > max { max = $text.len(); } )+
                max + 2
            };
            const EMPTY_IS_VALUE: bool = false;
            const SCHEMA: $crate::field::ValueSchema = $crate::field::ValueSchema::Word(Self::WORDS);

            fn encode_rlp<S: $crate::rlp::Sink>(
                &self,
                out: &mut S,
            ) -> Result<(), $crate::rlp::BufferFull> {
                $crate::rlp::encode::put_string(out, self.as_str().as_bytes())
            }

            fn decode_rlp(
                item: $crate::rlp::Item<'_>,
                at: $crate::error::Location,
            ) -> Result<Self, $crate::error::Error> {
                let text = item.text().map_err(|e| $crate::error::Error::Invalid {
                    at,
                    problem: $crate::error::Problem::Rlp(e),
                })?;
                $name::parse(text).ok_or($crate::error::Error::Invalid {
                    at,
                    problem: $crate::error::Problem::UnknownVariant,
                })
            }

            fn write_json(
                &self,
                out: &mut $crate::field::JsonWriter<'_>,
            ) -> Result<(), $crate::rlp::BufferFull> {
                out.ascii_string(self.as_str().as_bytes())
            }

            fn read_json<'de, D: serde::de::Deserializer<'de>>(
                d: D,
                ctx: &$crate::field::Ctx,
                at: $crate::error::Location,
            ) -> Result<Self, D::Error> {
                let mut buf = [0u8; 32];
                let text = $crate::field::json_read::read_str(
                    d,
                    ctx,
                    at,
                    &mut buf,
                    $crate::error::Problem::UnknownVariant,
                )?;
                $name::parse(text)
                    .ok_or_else(|| ctx.invalid(at, $crate::error::Problem::UnknownVariant))
            }

            fn show<'a, V: $crate::field::ShowVisitor<'a>>(
                &'a self,
                label: &'static str,
                at: $crate::error::Location,
                out: &mut V,
            ) -> core::ops::ControlFlow<()> {
                out.item(label, at.index, $crate::field::Shown::Word(self.as_str()))
            }
        }
    };
}

pub(crate) use word_enum;

//! Values made of other values: optional values and bounded lists.

use core::fmt;
use core::marker::PhantomData;
use core::ops::ControlFlow;

use heapless::Vec;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::rlp_err;
use crate::error::{Error, Location, Problem};
use crate::field::json_read::Ctx;
use crate::field::json_write::JsonWriter;
use crate::field::{FieldSeed, FieldValue, ShowVisitor, Shown, ValueSchema};
use crate::rlp::header::{list_len, EMPTY_STRING};
use crate::rlp::{BufferFull, Item, Sink};

impl<T: FieldValue> FieldValue for Option<T> {
    const MAX_RLP_LEN: usize = T::MAX_RLP_LEN;
    const MAX_JSON_LEN: usize = T::MAX_JSON_LEN;
    const EMPTY_IS_VALUE: bool = T::EMPTY_IS_VALUE;
    const SCHEMA: ValueSchema = T::SCHEMA;
    const OPTIONAL: bool = true;

    fn absent() -> Option<Self> {
        Some(None)
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        match self {
            Some(v) => v.encode_rlp(out),
            None => out.put(&[EMPTY_STRING]),
        }
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        T::decode_rlp(item, at).map(Some)
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        match self {
            Some(v) => v.write_json(out),
            None => out.raw(b"null"),
        }
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        struct OptVisitor<'c, T> {
            ctx: &'c Ctx,
            at: Location,
            kind: PhantomData<T>,
        }
        impl<'de, T: FieldValue> Visitor<'de> for OptVisitor<'_, T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::read_json(d, self.ctx, self.at).map(Some)
            }
        }
        ctx.enter(at.field);
        d.deserialize_option(OptVisitor {
            ctx,
            at,
            kind: PhantomData,
        })
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        match self {
            Some(v) => v.show(label, at, out),
            None => ControlFlow::Continue(()),
        }
    }
}

/// A list of at most `N` values: an RLP list, a JSON array. Its review
/// shows the count under the list's label, then each element with its
/// position.
impl<T: FieldValue, const N: usize> FieldValue for Vec<T, N> {
    const MAX_RLP_LEN: usize = list_len(N * T::MAX_RLP_LEN);
    const MAX_JSON_LEN: usize = 2 + N * T::MAX_JSON_LEN + N.saturating_sub(1);
    const EMPTY_IS_VALUE: bool = false;
    const SCHEMA: ValueSchema = ValueSchema::List {
        max_items: N,
        items: &T::SCHEMA,
    };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        struct Items<'a, T>(&'a [T]);
        impl<T: FieldValue> crate::rlp::encode::Encode for Items<'_, T> {
            fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
                self.0.iter().try_for_each(|v| v.encode_rlp(out))
            }
        }
        crate::rlp::encode::put_list(out, &Items(self))
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        let mut out = Vec::new();
        out.decode_rlp_into(item, at)?;
        Ok(out)
    }
    fn decode_rlp_into(&mut self, item: Item<'_>, at: Location) -> Result<(), Error> {
        let mut list = item.list().map_err(rlp_err(at))?;
        self.clear();
        let mut index: u16 = 0;
        while let Some(element) = list.next().map_err(rlp_err(at))? {
            let value = T::decode_rlp(
                element,
                Location {
                    index: Some(index),
                    ..at
                },
            )?;
            self.push(value).map_err(|_| Error::Invalid {
                at,
                problem: Problem::TooLong { max: N },
            })?;
            index = index.saturating_add(1);
        }
        Ok(())
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.begin_array()?;
        for v in self {
            out.element()?;
            v.write_json(out)?;
        }
        out.end_array()
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        struct ListVisitor<'c, T, const N: usize> {
            ctx: &'c Ctx,
            at: Location,
            kind: PhantomData<T>,
        }
        impl<'de, T: FieldValue, const N: usize> Visitor<'de> for ListVisitor<'_, T, N> {
            type Value = Vec<T, N>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T, N>, A::Error> {
                let mut out = Vec::new();
                let mut index: u16 = 0;
                loop {
                    let at = Location {
                        index: Some(index),
                        ..self.at
                    };
                    let Some(value) = seq.next_element_seed(FieldSeed::<T>::new(self.ctx, at))?
                    else {
                        break;
                    };
                    out.push(value)
                        .map_err(|_| self.ctx.invalid(self.at, Problem::TooLong { max: N }))?;
                    index = index.saturating_add(1);
                    self.ctx.enter(self.at.field);
                }
                Ok(out)
            }
        }
        ctx.enter(at.field);
        d.deserialize_seq(ListVisitor::<T, N> {
            ctx,
            at,
            kind: PhantomData,
        })
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        // len <= N, and N is a small capacity.
        out.item(label, at.index, Shown::Number(self.len() as u64))?;
        for (i, v) in self.iter().enumerate() {
            let index = u16::try_from(i).unwrap_or(u16::MAX);
            v.show(
                label,
                Location {
                    index: Some(index),
                    ..at
                },
                out,
            )?;
        }
        ControlFlow::Continue(())
    }
}

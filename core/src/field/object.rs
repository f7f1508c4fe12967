//! A record's JSON object, read: each member by its key into its field;
//! unknown, duplicate and missing members refused, each naming the member;
//! members that are not the record's own handed to [`Extras`] (a request
//! body's `chain_id`, `memo`, `signature`, …).

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::json_read::{key_text, unknown_key, Ctx};
use super::Record;
use crate::error::{Error, Field, JsonError};

/// Extra members a record's JSON object may carry besides its fields (a
/// request body's `chain_id`, `memo`, `signature`, …).
pub trait Extras<'de> {
    /// Reads the member `key` if it is one of the extras.
    fn read_member<A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        ctx: &Ctx,
    ) -> Result<bool, A::Error>;
}

/// No extra members.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoExtras;

impl<'de> Extras<'de> for NoExtras {
    fn read_member<A: MapAccess<'de>>(
        &mut self,
        _: &str,
        _: &mut A,
        _: &Ctx,
    ) -> Result<bool, A::Error> {
        Ok(false)
    }
}

struct RecordVisitor<'c, 'e, R, E> {
    ctx: &'c Ctx,
    index: Option<u16>,
    within: Option<Field>,
    extras: &'e mut E,
    record: PhantomData<R>,
}

impl<'de, R: Record, E: Extras<'de>> Visitor<'de> for RecordVisitor<'_, '_, R, E> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<R, A::Error> {
        let ctx = self.ctx;
        let mut record = R::default();
        let mut seen = 0u32;
        while let Some(raw) = map.next_key::<&'de str>()? {
            let mut buf = [0u8; 32];
            let key = key_text(raw, ctx, &mut buf, self.within)?;
            if record.read_member(&mut seen, key, &mut map, ctx, self.index)? {
                continue;
            }
            if self.extras.read_member(key, &mut map, ctx)? {
                continue;
            }
            return Err(unknown_key(ctx, key, self.within));
        }
        R::check_complete(seen).map_err(|e| ctx.fail(e))?;
        Ok(record)
    }
}

/// Reads a JSON object as record `R`, passing members that are not fields
/// of `R` to `extras`. `within` is the field whose value the object is
/// (`None` for a body's top level), for naming unknown keys.
pub fn read_object<'de, R: Record, E: Extras<'de>, D: Deserializer<'de>>(
    d: D,
    ctx: &Ctx,
    index: Option<u16>,
    within: Option<Field>,
    extras: &mut E,
) -> Result<R, D::Error> {
    d.deserialize_map(RecordVisitor {
        ctx,
        index,
        within,
        extras,
        record: PhantomData,
    })
}

/// Refuses a member whose key was seen before (bit `bit` of `seen`).
pub fn mark_seen<E: de::Error>(ctx: &Ctx, seen: &mut u32, bit: u32, field: Field) -> Result<(), E> {
    if *seen & bit != 0 {
        return Err(ctx.fail(Error::Json(JsonError::DuplicateField(field))));
    }
    *seen |= bit;
    Ok(())
}

//! TokenMetadata (op 10): replaces a token's name, URI and extra metadata.

use heapless::Vec;

use super::issue::TokenName;
use super::limits::{
    MAX_METADATA_ENTRIES, MAX_METADATA_KEY_LEN, MAX_METADATA_VALUE_LEN, MAX_URI_LEN,
};
use super::{Op, OpType};
use crate::address::Address;
use crate::error::{Error, Field, Problem};
use crate::field::record::record;
use crate::text::{ShownRule, Text, UriRule};

/// A metadata URI: 1..=512 bytes, a URL.
pub type MetadataUri = Text<MAX_URI_LEN, UriRule>;
/// A metadata key: 1..=20 bytes.
pub type MetadataKey = Text<MAX_METADATA_KEY_LEN, ShownRule>;
/// A metadata value: 1..=100 bytes.
pub type MetadataValue = Text<MAX_METADATA_VALUE_LEN, ShownRule>;

record! {
    /// One `additional_metadata` entry.
    pub struct MetadataEntry {
        /// The key.
        key: MetadataKey => MetadataKey, "Metadata key";
        /// The value.
        value: MetadataValue => MetadataValue, "Metadata value";
    }
}

record! {
    /// TokenMetadata: sets `token`'s name, URI and the whole
    /// `additional_metadata` list (in order; an empty list clears it). `M`
    /// is the list's capacity.
    pub struct TokenMetadata<const M: usize = MAX_METADATA_ENTRIES> {
        /// The new name.
        name: TokenName => Name, "Name";
        /// The new URI.
        uri: MetadataUri => Uri, "URI";
        /// The token.
        token: Address => Token, "Token";
        /// The extra key-value pairs, in order.
        additional_metadata: Vec<MetadataEntry, M> => AdditionalMetadata, "Metadata entries";
    }
}

impl<const M: usize> Op for TokenMetadata<M> {
    const TYPE: OpType = OpType::TokenMetadata;

    fn check(&self) -> Result<(), Error> {
        if self.name.is_empty() {
            return Err(Error::invalid(Field::Name, Problem::Empty));
        }
        if self.uri.is_empty() {
            return Err(Error::invalid(Field::Uri, Problem::Empty));
        }
        for (i, entry) in self.additional_metadata.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            if entry.key.is_empty() {
                return Err(Error::invalid_at(Field::MetadataKey, i, Problem::Empty));
            }
            if entry.value.is_empty() {
                return Err(Error::invalid_at(Field::MetadataValue, i, Problem::Empty));
            }
        }
        Ok(())
    }
}

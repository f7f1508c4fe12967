//! Key sources (in progress)

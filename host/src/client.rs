//! REST client (in progress)

//! Local API server (in progress)

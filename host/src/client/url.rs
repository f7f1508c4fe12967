//! Server URLs: checking a base URL, and showing one without its
//! credentials.

use super::ClientError;
use crate::show::sanitize;

/// `url` as it may be shown: credentials in it (`http://alice:pw@host`)
/// replaced by `***` (`http://***@host`), then sanitized. Every message
/// and note that names a server URL shows it this way.
pub fn redact_url(url: &str) -> String {
    let shown = match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(authority_end);
            match authority.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://***@{host}{tail}"),
                None => url.to_owned(),
            }
        }
        // No scheme: anything before an `@` may be a credential.
        None => match url.rsplit_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => url.to_owned(),
        },
    };
    sanitize(&shown)
}

/// Checks that `url` is an absolute http(s) URL without a query, and
/// returns it without a trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String, ClientError> {
    let bad = |why: &'static str| ClientError::InvalidUrl {
        url: redact_url(url),
        why,
    };
    let uri: ureq::http::Uri = url.parse().map_err(|_| bad("not a URL"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => return Err(bad("it must start with http:// or https://")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if uri.query().is_some() {
        return Err(bad("it must not have a query"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

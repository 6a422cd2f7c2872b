//! `Range` requests on files (RFC 9110, 14): `206 Partial Content` with
//! one range, or several as `multipart/byteranges`; `416 Range Not
//! Satisfiable` when none fits; `If-Range` makes it conditional. The
//! header is parsed by `http-range-header` (strict, fuzzed).

use std::fmt::Write;
use std::hash::{BuildHasher, Hasher};
use std::ops::RangeInclusive;

use bytes::Bytes;
use http::header::{
    HeaderValue, ACCEPT_RANGES, CONTENT_RANGE, CONTENT_TYPE, ETAG, IF_RANGE, LAST_MODIFIED, RANGE,
};
use http::StatusCode;
use http_range_header::RangeUnsatisfiableError;

use crate::http_core::response::error_page;
use crate::http_core::response::file_body::Part;
use crate::{Request, Response};

/// Answers `request`'s `Range` header if `response` sends a file (its
/// `Accept-Ranges: bytes` says so) and `If-Range`, if sent, still matches:
/// the `206` with the ranges, or a `416`. Any other response, and a
/// `Range` header that is not valid syntax, get the whole `response`
/// (RFC 9110, 14.2: a server may ignore the header).
pub(crate) fn select_ranges(request: &Request, mut response: Response) -> Response {
    let Some(range) = request.header(RANGE) else {
        return response;
    };
    if !response.headers().contains_key(ACCEPT_RANGES) {
        return response;
    }
    if let Some(if_range) = request.header(IF_RANGE) {
        if !if_range_matches(if_range, &response) {
            return response;
        }
    }
    let content_type = response.headers().get(CONTENT_TYPE).cloned();
    let Some(file) = response.body_mut().file_mut() else {
        return response;
    };
    let size = file.size();
    let ranges = match http_range_header::parse_range_header(range).and_then(|r| r.validate(size)) {
        Ok(ranges) => ranges,
        Err(RangeUnsatisfiableError::Invalid(_)) => return response,
        Err(error) => {
            tracing::info!("416 for Range {range:?} on a file of {size} bytes: {error}");
            let mut refused = error_page(StatusCode::RANGE_NOT_SATISFIABLE);
            if let Ok(value) = HeaderValue::try_from(format!("bytes */{size}")) {
                refused.headers_mut().insert(CONTENT_RANGE, value);
            }
            return refused;
        }
    };
    let content_range =
        |range: &RangeInclusive<u64>| format!("bytes {}-{}/{size}", range.start(), range.end());
    let part = |range: &RangeInclusive<u64>| Part::Range {
        start: *range.start(),
        len: range.end() - range.start() + 1,
    };
    match ranges.as_slice() {
        // A zero-length file: nothing to select, the whole (empty) file.
        [] => return response,
        [one] => {
            file.select(vec![part(one)]);
            if let Ok(value) = HeaderValue::try_from(content_range(one)) {
                response.headers_mut().insert(CONTENT_RANGE, value);
            }
        }
        several => {
            let boundary = boundary();
            let mut parts = Vec::with_capacity(several.len() * 2 + 1);
            for (i, range) in several.iter().enumerate() {
                let mut head = String::new();
                let _ = write!(head, "{}--{boundary}\r\n", if i == 0 { "" } else { "\r\n" });
                if let Some(value) = content_type.as_ref().and_then(|v| v.to_str().ok()) {
                    let _ = write!(head, "Content-Type: {value}\r\n");
                }
                let _ = write!(head, "Content-Range: {}\r\n\r\n", content_range(range));
                parts.push(Part::Bytes(Bytes::from(head)));
                parts.push(part(range));
            }
            parts.push(Part::Bytes(Bytes::from(format!("\r\n--{boundary}--\r\n"))));
            file.select(parts);
            let value = format!("multipart/byteranges; boundary={boundary}");
            if let Ok(value) = HeaderValue::try_from(value) {
                response.headers_mut().insert(CONTENT_TYPE, value);
            }
        }
    }
    response.set_status(StatusCode::PARTIAL_CONTENT);
    response
}

/// Whether `If-Range` names the file's current version (RFC 9110,
/// 13.1.5): its `ETag` compared strongly (a weak tag never matches), or
/// exactly its `Last-Modified` date.
fn if_range_matches(if_range: &str, response: &Response) -> bool {
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    let if_range = if_range.trim();
    if if_range.starts_with('"') || if_range.starts_with("W/") {
        return header(ETAG).is_some_and(|etag| !etag.starts_with("W/") && etag == if_range);
    }
    match (
        header(LAST_MODIFIED).and_then(|date| httpdate::parse_http_date(date).ok()),
        httpdate::parse_http_date(if_range),
    ) {
        (Some(modified), Ok(date)) => modified == date,
        _ => false,
    }
}

/// A boundary for `multipart/byteranges`: random (std's hasher keys), so
/// a file's content can't be crafted to contain it.
fn boundary() -> String {
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("phial-{random:016x}")
}

//! A small set of HTTP methods, as a bit set.

use http::Method;

/// The methods a route answers, as bits: cheap to copy, test and merge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MethodSet(u16);

const KNOWN: [Method; 9] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::CONNECT,
    Method::OPTIONS,
    Method::TRACE,
    Method::PATCH,
];

impl MethodSet {
    pub(crate) const GET: Self = Self(1);
    pub(crate) const HEAD: Self = Self(1 << 1);
    pub(crate) const OPTIONS: Self = Self(1 << 6);

    fn bit(method: &Method) -> Self {
        KNOWN
            .iter()
            .position(|known| known == method)
            .map_or(Self(0), |index| Self(1 << index))
    }

    /// The set of `names` (upper case), or the name that isn't a method.
    pub(crate) fn from_names<'a>(names: &[&'a str]) -> Result<Self, &'a str> {
        let mut set = Self(0);
        for name in names {
            let bit = Method::from_bytes(name.as_bytes())
                .map(|m| Self::bit(&m))
                .unwrap_or_default();
            if bit.0 == 0 {
                return Err(name);
            }
            set.0 |= bit.0;
        }
        if set.contains(Self::GET) {
            set.0 |= Self::HEAD.0;
        }
        Ok(set)
    }

    pub(crate) fn allows(self, method: &Method) -> bool {
        let bit = Self::bit(method);
        bit.0 != 0 && self.contains(bit)
    }

    pub(crate) fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    pub(crate) fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    pub(crate) fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    pub(crate) fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The methods, comma-separated, for an `Allow` header.
    pub(crate) fn to_allow_header(self) -> String {
        let mut names: Vec<&str> = KNOWN
            .iter()
            .enumerate()
            .filter(|(index, _)| self.0 & (1 << index) != 0)
            .map(|(_, method)| method.as_str())
            .collect();
        names.sort_unstable();
        names.join(", ")
    }
}

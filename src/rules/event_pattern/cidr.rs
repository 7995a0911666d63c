//! `cidr` match values and IP-address exact values (IPv4 and IPv6), compared numerically rather than as text.

use std::net::IpAddr;

use super::error::PatternErrorReason;

/// An address block; addresses of the other family never match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    v6: bool,
    network: u128,
    mask: u128,
}

impl Cidr {
    pub(crate) fn parse(text: &str) -> Result<Cidr, PatternErrorReason> {
        let mut parts = text.split('/');
        let (Some(addr), Some(bits), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(PatternErrorReason::CidrSlash);
        };
        let bits: u32 = bits
            .parse()
            .map_err(|_| PatternErrorReason::CidrMaskNotInteger)?;
        let ip: IpAddr = addr
            .parse()
            .map_err(|_| PatternErrorReason::CidrAddress(addr.to_string()))?;
        let (v6, width, value) = split(ip);
        if bits > width {
            return Err(PatternErrorReason::CidrMaskRange(bits.to_string()));
        }
        let mask = if bits == 0 {
            0
        } else {
            (u128::MAX << (128 - bits)) >> (128 - width)
        };
        Ok(Cidr {
            v6,
            network: value & mask,
            mask,
        })
    }

    /// Whether `text` is an address inside the block.
    pub(crate) fn contains(&self, text: &str) -> bool {
        match text.parse::<IpAddr>() {
            Ok(ip) => {
                let (v6, _, value) = split(ip);
                v6 == self.v6 && value & self.mask == self.network
            }
            Err(_) => false,
        }
    }

    /// A single address, for exact values that happen to be IP addresses.
    pub(crate) fn single(ip: IpAddr) -> Cidr {
        let (v6, width, value) = split(ip);
        Cidr {
            v6,
            network: value,
            mask: u128::MAX >> (128 - width),
        }
    }
}

fn split(ip: IpAddr) -> (bool, u32, u128) {
    match ip {
        IpAddr::V4(a) => (false, 32, u128::from(u32::from(a))),
        IpAddr::V6(a) => (true, 128, u128::from(a)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_and_v6_blocks() {
        let c = Cidr::parse("10.0.0.0/24").unwrap();
        assert!(c.contains("10.0.0.255"));
        assert!(!c.contains("10.0.1.0"));
        assert!(!c.contains("::1"));
        let c = Cidr::parse("2001:db8:1234:1a00::/64").unwrap();
        assert!(c.contains("2001:db8:1234:1a00::1"));
        assert!(!c.contains("2001:db8:1234:1a01::1"));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains("8.8.8.8"));
    }

    #[test]
    fn errors_in_aws_order() {
        assert_eq!(
            Cidr::parse("bad-filter"),
            Err(PatternErrorReason::CidrSlash)
        );
        assert_eq!(
            Cidr::parse("bad-/64filter"),
            Err(PatternErrorReason::CidrMaskNotInteger)
        );
        assert_eq!(
            Cidr::parse("xx.11.xx/8"),
            Err(PatternErrorReason::CidrAddress("xx.11.xx".into()))
        );
        assert!(matches!(
            Cidr::parse("10.0.0.0/33"),
            Err(PatternErrorReason::CidrMaskRange(_))
        ));
    }
}

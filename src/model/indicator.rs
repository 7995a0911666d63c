//! Indicators of compromise: the source addresses, user agents, access keys and sessions an
//! incident's actor used, each with when and where the evidence shows it.

use super::Timestamp;
use serde::Serialize;

/// What an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// The principal's ARN (an IAM user, a role session) or, without one, its most specific name.
    Principal,
    /// A long-term access key (`AKIA…`).
    AccessKey,
    /// A temporary access key (`ASIA…`) of a session.
    SessionKey,
    /// A role session the actor obtained (its assumed-role ARN).
    SessionArn,
    /// `sourceIPAddress`, when it is an IP address (not an AWS service's name).
    SourceIp,
    /// `sourceIPAddress` written as an IPv4 address with leading zeros (`172.01.01.001`, as AWS's
    /// KMS guide prints one): kept as the record writes it, not made canonical (some readers take
    /// a leading zero for octal, so which address it means is not certain).
    SourceIpAsWritten,
    UserAgent,
    /// `vpcEndpointId`: the VPC endpoint the call came through.
    VpcEndpoint,
    /// `vpcEndpointAccountId`: the account that owns that endpoint.
    VpcEndpointAccount,
}

impl IndicatorKind {
    /// A network address the calls came from (canonical or as written).
    pub fn is_address(self) -> bool {
        matches!(
            self,
            IndicatorKind::SourceIp | IndicatorKind::SourceIpAsWritten
        )
    }

    /// How the report and the CSV name the kind.
    pub fn label(self) -> &'static str {
        match self {
            IndicatorKind::Principal => "principal",
            IndicatorKind::AccessKey => "access key",
            IndicatorKind::SessionKey => "session key",
            IndicatorKind::SessionArn => "session ARN",
            IndicatorKind::SourceIp => "source IP",
            IndicatorKind::SourceIpAsWritten => "source IP as written (not canonical)",
            IndicatorKind::UserAgent => "user agent",
            IndicatorKind::VpcEndpoint => "VPC endpoint",
            IndicatorKind::VpcEndpointAccount => "VPC endpoint account",
        }
    }
}

/// One indicator of an incident, and the records it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub kind: IndicatorKind,
    pub value: String,
    /// The earliest record naming it (for a credential never used in the evidence: its issue).
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// How many of the incident's records name it (0: only its issuing call does).
    pub records: u64,
    /// Where it was seen, sorted: `honeytoken read`, `actor call`, `role session call`,
    /// `issued by sts:AssumeRole` (the issuing call's record).
    pub seen_in: Vec<String>,
    pub first_event_id: String,
    pub last_event_id: String,
    /// A credential the containment did not cut (see the incident's `live_credentials`).
    pub live: bool,
    /// When that credential stops working, when the evidence says so.
    pub expires: Option<Timestamp>,
}

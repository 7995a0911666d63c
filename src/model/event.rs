//! One normalised CloudTrail record, with the original JSON kept byte for byte.

use super::Timestamp;
use serde::Serialize;

/// Where a record came from: the input (index into the run's inputs) and its position there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    pub input: u32,
    pub index: u64,
}

/// The parts of `userIdentity` that identify a principal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// `type`: IAMUser, AssumedRole, Root, AWSService, ... or empty when absent.
    pub kind: String,
    pub arn: Option<String>,
    pub principal_id: Option<String>,
    pub account_id: Option<String>,
    pub access_key_id: Option<String>,
    pub user_name: Option<String>,
    /// `sessionContext.sessionIssuer.arn` for role sessions.
    pub session_issuer_arn: Option<String>,
    pub invoked_by: Option<String>,
    pub source_identity: Option<String>,
}

impl Identity {
    /// The best single label for the principal: its ARN, else principal id, else the service.
    pub fn label(&self) -> String {
        self.arn
            .clone()
            .or_else(|| self.principal_id.clone())
            .or_else(|| self.invoked_by.clone())
            .or_else(|| self.access_key_id.clone())
            .unwrap_or_else(|| {
                if self.kind.is_empty() {
                    "unknown".to_string()
                } else {
                    self.kind.clone()
                }
            })
    }
}

/// A CloudTrail record the analysis keeps. Uninteresting records never become an `Event`.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub time: Timestamp,
    /// `eventID`; records without one get a synthetic `sha256:<hex>` of their bytes.
    pub event_id: String,
    pub event_source: String,
    pub event_name: String,
    pub region: String,
    pub identity: Identity,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// `errorCode`, or `Failure` where AWS records a failure only in `responseElements` (console
    /// sign-in events): see `RecordView::failure`, the one rule of success and failure.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub read_only: Option<bool>,
    /// The resource acted on, derived from requestParameters / resources.
    pub target: Option<String>,
    pub origin: Origin,
    /// How the record reached us: `cloudtrail`, `lookup-events`, `cloudwatch-logs`, `eventbridge`.
    pub via: &'static str,
    /// The original record, unchanged (unknown fields included).
    #[serde(skip)]
    pub raw: Box<serde_json::value::RawValue>,
}

impl Event {
    /// `eventSource:eventName` with the `.amazonaws.com` suffix dropped, e.g. `iam:PutUserPolicy`.
    pub fn action(&self) -> String {
        let service = self
            .event_source
            .strip_suffix(".amazonaws.com")
            .unwrap_or(&self.event_source);
        format!("{service}:{}", self.event_name)
    }

    pub fn succeeded(&self) -> bool {
        self.error_code.is_none()
    }

    /// `success` or the error code.
    pub fn outcome(&self) -> &str {
        self.error_code.as_deref().unwrap_or("success")
    }

    /// The original record parsed, for the fields the model does not lift out.
    pub fn record(&self) -> serde_json::Value {
        serde_json::from_str(self.raw.get()).unwrap_or(serde_json::Value::Null)
    }

    /// The total order every output sorts by: time, then eventID, then where it was read.
    pub fn sort_key(&self) -> (Timestamp, &str, Origin) {
        (self.time, &self.event_id, self.origin)
    }
}

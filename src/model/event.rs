//! One normalised CloudTrail record, with the original JSON kept byte for byte.

use super::Timestamp;
use serde::{Deserialize, Serialize};

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
    /// `identityProvider` of SAMLUser and WebIdentityUser records.
    pub identity_provider: Option<String>,
    /// The IAM Identity Center user of `onBehalfOf`, as its ARN
    /// (`arn:aws:identitystore:::user/<userId>`).
    pub on_behalf_of: Option<String>,
}

impl Identity {
    /// The keys a principal is known by in the index of the first pass: its ARN, principal ID
    /// and access key, as `RecordView::principal_keys` gives them for the record.
    pub fn principal_keys(&self) -> impl Iterator<Item = &str> {
        [&self.arn, &self.principal_id, &self.access_key_id]
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// The most specific name the record carries for the principal, never only its type:
    /// its ARN; else the Identity Center user it acted for (`onBehalfOf`); else its principal
    /// id (SAMLUser and WebIdentityUser ids name the provider and the user), unless it is only
    /// the account's id; else
    /// `provider:userName`, or `userName`; else the service that invoked the call; else the
    /// access key; else the account (AWSAccount); the identity type, or `unknown`, only when the
    /// record names no principal at all.
    pub fn label(&self) -> String {
        LabelParts {
            kind: &self.kind,
            arn: self.arn.as_deref(),
            on_behalf_of: self.on_behalf_of.as_deref(),
            principal_id: self.principal_id.as_deref(),
            user_name: self.user_name.as_deref(),
            identity_provider: self.identity_provider.as_deref(),
            invoked_by: self.invoked_by.as_deref(),
            access_key_id: self.access_key_id.as_deref(),
            account_id: self.account_id.as_deref(),
        }
        .label()
        .into_owned()
    }
}

/// The parts of an identity its label is read from, borrowed (from an [`Identity`], or from a
/// record's view without making one).
#[derive(Debug, Clone, Copy, Default)]
pub struct LabelParts<'a> {
    pub kind: &'a str,
    pub arn: Option<&'a str>,
    pub on_behalf_of: Option<&'a str>,
    pub principal_id: Option<&'a str>,
    pub user_name: Option<&'a str>,
    pub identity_provider: Option<&'a str>,
    pub invoked_by: Option<&'a str>,
    pub access_key_id: Option<&'a str>,
    pub account_id: Option<&'a str>,
}

impl<'a> LabelParts<'a> {
    /// [`Identity::label`].
    pub fn label(&self) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        let named = |s: Option<&'a str>| s.filter(|s| !s.trim().is_empty());
        // A principal id that is the account's id (IAM Identity Center sign-in events, whose
        // `userIdentity` is `Unknown` with `arn: ""`) names the account, not the principal:
        // the `userName` beside it does.
        let principal = named(self.principal_id).filter(|p| named(self.account_id) != Some(*p));
        named(self.arn)
            .or_else(|| named(self.on_behalf_of))
            .or(principal)
            .map(Cow::Borrowed)
            .or_else(|| {
                let user = named(self.user_name)?;
                if user == HIDDEN_USER_NAME {
                    return Some(Cow::Owned(hidden_user(named(self.account_id))));
                }
                Some(match named(self.identity_provider) {
                    Some(idp) => Cow::Owned(format!("{idp}:{user}")),
                    None => Cow::Borrowed(user),
                })
            })
            .or_else(|| {
                named(self.invoked_by)
                    .or_else(|| named(self.access_key_id))
                    .or_else(|| named(self.account_id))
                    .or_else(|| named(Some(self.kind)))
                    .map(Cow::Borrowed)
            })
            .unwrap_or(Cow::Borrowed("unknown"))
    }
}

/// What CloudTrail writes for `userName` where it does not record the name typed (a failed
/// console sign-in whose user name is not the account's IAM user: the name typed may be a
/// password): no one's name.
pub const HIDDEN_USER_NAME: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// The label of a principal known only by [`HIDDEN_USER_NAME`]: said as such, with the account
/// the record names, so that it is never read as a user called that.
fn hidden_user(account: Option<&str>) -> String {
    match account {
        Some(a) => format!("a user name CloudTrail hid ({HIDDEN_USER_NAME}), account {a}"),
        None => format!("a user name CloudTrail hid ({HIDDEN_USER_NAME})"),
    }
}

/// The outcome of a network activity event that the VPC endpoint let through: the call's own
/// outcome is not in it.
pub const NETWORK_OUTCOME: &str = "not recorded (network activity event)";

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
    /// sign-in events) or `serviceEventDetails` (IAM Identity Center sign-in events): see
    /// `RecordView::failure`, the one rule of success and failure.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub read_only: Option<bool>,
    /// A CloudTrail network activity event (`eventType` `AwsVpceEvent`): the request reached a
    /// VPC endpoint, and was let through or denied there (`VpceAccessDenied`). It does not
    /// record the call's outcome: the service's own management or data event does.
    pub network: bool,
    /// The resource acted on, derived from requestParameters / resources.
    pub target: Option<String>,
    pub origin: Origin,
    /// How the record reached us: `cloudtrail`, `lookup-events`, `cloudwatch-logs`, `eventbridge`.
    pub via: &'static str,
    /// The original record, unchanged (unknown fields included).
    #[serde(skip)]
    pub raw: Box<serde_json::value::RawValue>,
}

/// Four dot-separated groups of one to three digits, each at most 255: an IPv4 address as
/// AWS's own examples may write one (`172.01.01.001`), which `std::net` does not read when a
/// group has a leading zero (octal to some readers, so it is not made canonical).
pub fn written_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            (1..=3).contains(&p.len())
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// `eventSource:eventName` with the `.amazonaws.com` suffix dropped, e.g. `iam:PutUserPolicy`:
/// how every output names an API call.
pub fn action_name(event_source: &str, event_name: &str) -> String {
    let service = event_source
        .strip_suffix(".amazonaws.com")
        .unwrap_or(event_source);
    // Not `format!`: `--all` names every record's call, and the formatting machinery cost
    // ten times the copies.
    let mut action = String::with_capacity(service.len() + 1 + event_name.len());
    action.push_str(service);
    action.push(':');
    action.push_str(event_name);
    action
}

impl Event {
    /// The call as [`action_name`] names it.
    pub fn action(&self) -> String {
        action_name(&self.event_source, &self.event_name)
    }

    /// `sourceIPAddress` when it is an IP address, not an AWS service's name
    /// (`secretsmanager.amazonaws.com`, `AWS Internal`), as the record writes it: an IPv4 address
    /// with leading zeros (`172.01.01.001`) too (`written_ipv4`), never made canonical.
    pub fn source_address(&self) -> Option<&str> {
        self.source_ip
            .as_deref()
            .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok() || written_ipv4(ip))
    }

    /// The record shows the call succeeded: no error, and not a network activity event (which
    /// does not record the call's outcome).
    pub fn succeeded(&self) -> bool {
        self.error_code.is_none() && !self.network
    }

    /// A network activity event the VPC endpoint let through: no outcome of the call is in it,
    /// neither [`succeeded`](Self::succeeded) nor [`refused`](Self::refused).
    pub fn passed_endpoint(&self) -> bool {
        self.network && self.error_code.is_none()
    }

    /// The record shows the call (or, for a network activity event, the request at the VPC
    /// endpoint) was refused or failed.
    pub fn refused(&self) -> bool {
        self.error_code.is_some()
    }

    /// The record shows an access check refused the call (`AccessDenied`,
    /// `Client.UnauthorizedOperation`, …: [`super::refusal_code`]), not another failure such as
    /// DynamoDB's `ConditionalCheckFailedException`, which only an authorised call reaches.
    pub fn denied(&self) -> bool {
        self.error_code.as_deref().is_some_and(super::refusal_code)
    }

    /// `success`, the error code, or [`NETWORK_OUTCOME`].
    pub fn outcome(&self) -> &str {
        match (&self.error_code, self.network) {
            (Some(code), _) => code,
            (None, true) => NETWORK_OUTCOME,
            (None, false) => "success",
        }
    }

    /// The CloudTrail Insights event this record is (`eventType` `AwsCloudTrailInsight`, with
    /// `insightDetails`), if it is one. Such a record is no API call: it has no caller and no
    /// `eventSource`/`eventName` of its own.
    pub fn insight(&self) -> Option<Insight> {
        if !self.event_source.is_empty() || !self.raw.get().contains("insightDetails") {
            return None;
        }
        let r: InsightRecord = serde_json::from_str(self.raw.get()).ok()?;
        let d = r.details?;
        let api = |s: Option<String>| s.filter(|s| !s.is_empty());
        let stats = d.context.and_then(|c| c.statistics).unwrap_or_default();
        Some(Insight {
            state: api(d.state).unwrap_or_else(|| "unknown".into()),
            insight_type: api(d.insight_type).unwrap_or_else(|| "Insight".into()),
            event_source: api(d.event_source).unwrap_or_default(),
            event_name: api(d.event_name).unwrap_or_default(),
            error_code: api(d.error_code),
            baseline_average: stats.baseline.and_then(|b| b.average),
            insight_average: stats.insight.and_then(|b| b.average),
            insight_minutes: stats.insight_duration,
            baseline_minutes: stats.baseline_duration,
        })
    }

    /// The original record parsed, for the fields the model does not lift out.
    pub fn record(&self) -> serde_json::Value {
        serde_json::from_str(self.raw.get()).unwrap_or(serde_json::Value::Null)
    }

    /// Whether [`record`](Event::record) may hold an object key `key` (plain ASCII, no quote or
    /// backslash): `false` only when the record's text has no backslash (every key is written
    /// as it reads) and no `key` anywhere, so that no object in it, at any depth, has that key.
    /// Lets a reader of one rare field skip parsing the records that cannot have it.
    pub fn may_have_key(&self, key: &str) -> bool {
        let raw = self.raw.get();
        raw.contains('\\') || raw.contains(key)
    }

    /// The total order every output sorts by: time, then eventID, then where it was read.
    pub fn sort_key(&self) -> (Timestamp, &str, Origin) {
        (self.time, &self.event_id, self.origin)
    }
}

#[cfg(test)]
impl Event {
    /// A record for unit tests: `event_source` and `event_name` at `time`, with its `raw` text;
    /// no identity, address or outcome (set the fields a test needs).
    pub fn for_test(
        time: Timestamp,
        event_id: &str,
        event_source: &str,
        event_name: &str,
        raw: &str,
    ) -> Event {
        Event {
            time,
            event_id: event_id.into(),
            event_source: event_source.into(),
            event_name: event_name.into(),
            region: "us-east-1".into(),
            identity: Identity::default(),
            source_ip: None,
            user_agent: None,
            error_code: None,
            error_message: None,
            read_only: None,
            network: false,
            target: None,
            origin: Origin { input: 0, index: 0 },
            via: "cloudtrail",
            raw: serde_json::value::RawValue::from_string(raw.into()).unwrap(),
        }
    }
}

/// A CloudTrail Insights event: unusual API call or error rates for one API, as CloudTrail
/// measured them (`insightDetails`, its statistics under `insightContext.statistics`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insight {
    /// `Start` or `End`.
    pub state: String,
    /// `ApiCallRateInsight` or `ApiErrorRateInsight`.
    pub insight_type: String,
    pub event_source: String,
    pub event_name: String,
    /// The error the rate counts (`ApiErrorRateInsight` only).
    pub error_code: Option<String>,
    /// The API's usual rate (per minute) over the baseline, and its rate during the insight.
    pub baseline_average: Option<f64>,
    pub insight_average: Option<f64>,
    /// How long the unusual activity lasted, and the baseline measured, in minutes.
    pub insight_minutes: Option<f64>,
    pub baseline_minutes: Option<f64>,
}

impl Insight {
    /// The API the insight is about, as [`Event::action`] writes a call: `iam:PutUserPolicy`.
    pub fn action(&self) -> String {
        action_name(&self.event_source, &self.event_name)
    }

    /// What was measured, e.g. `ApiCallRateInsight` or `ApiErrorRateInsight AccessDenied`.
    pub fn measured(&self) -> String {
        match &self.error_code {
            Some(code) => format!("{} {code}", self.insight_type),
            None => self.insight_type.clone(),
        }
    }

    /// The statistics in words: `0.6 calls/min against a baseline of 0.0000882145 (insight
    /// 5 min, baseline 11336 min)`.
    pub fn statistics(&self) -> String {
        let what = if self.insight_type == "ApiErrorRateInsight" {
            "errors/min"
        } else {
            "calls/min"
        };
        let n = |v: Option<f64>| v.map_or_else(|| "?".to_string(), |v| v.to_string());
        let mut out = format!(
            "{} {what} against a baseline of {}",
            n(self.insight_average),
            n(self.baseline_average)
        );
        if self.insight_minutes.is_some() || self.baseline_minutes.is_some() {
            out.push_str(&format!(
                " (insight {} min, baseline {} min)",
                n(self.insight_minutes),
                n(self.baseline_minutes)
            ));
        }
        out
    }
}

#[derive(Deserialize)]
struct InsightRecord {
    #[serde(default, rename = "insightDetails")]
    details: Option<InsightDetails>,
}

#[derive(Deserialize)]
struct InsightDetails {
    #[serde(default, deserialize_with = "lenient_string")]
    state: Option<String>,
    #[serde(default, rename = "eventSource", deserialize_with = "lenient_string")]
    event_source: Option<String>,
    #[serde(default, rename = "eventName", deserialize_with = "lenient_string")]
    event_name: Option<String>,
    #[serde(default, rename = "insightType", deserialize_with = "lenient_string")]
    insight_type: Option<String>,
    #[serde(default, rename = "errorCode", deserialize_with = "lenient_string")]
    error_code: Option<String>,
    #[serde(default, rename = "insightContext", deserialize_with = "lenient")]
    context: Option<InsightContext>,
}

#[derive(Deserialize, Default)]
struct InsightContext {
    #[serde(default, deserialize_with = "lenient")]
    statistics: Option<InsightStatistics>,
}

#[derive(Deserialize, Default)]
struct InsightStatistics {
    #[serde(default, deserialize_with = "lenient")]
    baseline: Option<Average>,
    #[serde(default, deserialize_with = "lenient")]
    insight: Option<Average>,
    #[serde(default, rename = "insightDuration", deserialize_with = "lenient")]
    insight_duration: Option<f64>,
    #[serde(default, rename = "baselineDuration", deserialize_with = "lenient")]
    baseline_duration: Option<f64>,
}

#[derive(Deserialize, Default)]
struct Average {
    #[serde(default, deserialize_with = "lenient")]
    average: Option<f64>,
}

/// A value of the wrong type reads as absent: an odd statistic must not hide the insight.
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(v).ok())
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `may_have_key` says no only when the parsed record has no such key at any depth: a key
    /// written with an escape (which the parse reads as the key) or nested deep is a yes.
    #[test]
    fn a_record_without_the_key_in_its_text_has_no_such_key() {
        let key = "sessionCredentialFromConsole";
        let record = |raw: &str| Event::for_test(Timestamp(0), "e", "s", "n", raw);
        let without = record(r#"{"eventName":"GetSecretValue","a":{"b":1}}"#);
        assert!(!without.may_have_key(key));
        assert!(without.record()[key].is_null());
        for raw in [
            r#"{"sessionCredentialFromConsole":"true"}"#,
            r#"{"\u0073essionCredentialFromConsole":"true"}"#,
            r#"{"a":{"b":[{"sessionCredentialFromConsole":true}]}}"#,
        ] {
            assert!(record(raw).may_have_key(key), "{raw}");
        }
        assert_eq!(
            record(r#"{"\u0073essionCredentialFromConsole":"true"}"#).record()[key],
            "true"
        );
    }

    /// The call's name as every output writes it: the service without `.amazonaws.com`, a
    /// colon, the API; a source without the suffix kept whole.
    #[test]
    fn an_action_is_the_service_and_the_api() {
        assert_eq!(
            action_name("iam.amazonaws.com", "PutUserPolicy"),
            "iam:PutUserPolicy"
        );
        assert_eq!(action_name("custom.example", "Do"), "custom.example:Do");
        assert_eq!(action_name(".amazonaws.com", ""), ":");
        assert_eq!(action_name("", "x"), ":x");
    }

    #[test]
    fn the_label_is_the_most_specific_name_never_only_the_type() {
        let id = |f: &dyn Fn(&mut Identity)| {
            let mut i = Identity {
                kind: "SAMLUser".into(),
                ..Identity::default()
            };
            f(&mut i);
            i.label()
        };
        assert_eq!(id(&|_| {}), "SAMLUser");
        assert_eq!(id(&|i| i.user_name = Some("ana".into())), "ana");
        // CloudTrail's placeholder for a name it did not record is no one's name.
        assert_eq!(
            id(&|i| {
                i.user_name = Some(HIDDEN_USER_NAME.into());
                i.account_id = Some("140429656527".into());
            }),
            "a user name CloudTrail hid (HIDDEN_DUE_TO_SECURITY_REASONS), account 140429656527"
        );
        assert_eq!(
            id(&|i| {
                i.user_name = Some("ana".into());
                i.identity_provider = Some("idp".into());
            }),
            "idp:ana"
        );
        assert_eq!(
            id(&|i| i.account_id = Some("111122223333".into())),
            "111122223333"
        );
        assert_eq!(
            id(&|i| {
                i.arn = Some(String::new());
                i.principal_id = Some("p".into());
            }),
            "p"
        );
        // IAM Identity Center sign-in: the principal id is the account's, the user its name.
        assert_eq!(
            id(&|i| {
                i.kind = "Unknown".into();
                i.arn = Some(String::new());
                i.principal_id = Some("111122223333".into());
                i.account_id = Some("111122223333".into());
                i.user_name = Some("user1".into());
            }),
            "user1"
        );
        let mut none = Identity::default();
        assert_eq!(none.label(), "unknown");
        none.invoked_by = Some("s3.amazonaws.com".into());
        assert_eq!(none.label(), "s3.amazonaws.com");
    }

    #[test]
    fn an_ipv4_address_with_leading_zeros_is_an_address_as_written() {
        use super::written_ipv4;
        assert!(written_ipv4("172.01.01.001"));
        assert!(written_ipv4("10.0.0.1"));
        assert!(!written_ipv4("256.01.01.001"));
        assert!(!written_ipv4("1.2.3"));
        assert!(!written_ipv4("0172.1.1.1"));
        assert!(!written_ipv4("internal.amazonaws.com"));
        assert!(!written_ipv4("AWS Internal"));
    }
}

//! One CloudTrail record, read lazily: the fields the analysis needs borrow from the input, the
//! rest (requestParameters, responseElements, resources) stay raw until someone asks. The view is
//! read by `RecordView::parse` (in `plain.rs`: a one-pass reader, serde_json where it cannot vouch).

use super::lenient::{text_bool, Text};
use super::time::{epoch_number, parse_time};
use crate::model::{GapKind, Identity, LabelParts, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// `userIdentity` as recorded. Lower-case keys (Panther data-lake rows) and `aRN` are accepted.
#[derive(Debug, Default, PartialEq, Deserialize)]
pub struct UserIdentityView<'a> {
    #[serde(borrow, default, rename = "type")]
    pub kind: Text<'a>,
    #[serde(borrow, default, alias = "aRN", alias = "ARN")]
    pub arn: Text<'a>,
    #[serde(borrow, default, rename = "principalId", alias = "principalid")]
    pub principal_id: Text<'a>,
    #[serde(borrow, default, rename = "accountId", alias = "accountid")]
    pub account_id: Text<'a>,
    #[serde(borrow, default, rename = "accessKeyId", alias = "accesskeyid")]
    pub access_key_id: Text<'a>,
    #[serde(borrow, default, rename = "userName", alias = "username")]
    pub user_name: Text<'a>,
    #[serde(borrow, default, rename = "invokedBy", alias = "invokedby")]
    pub invoked_by: Text<'a>,
    #[serde(borrow, default, rename = "sessionContext", alias = "sessioncontext")]
    pub session_context: Option<SessionContextView<'a>>,
    /// SAMLUser and WebIdentityUser: the identity provider that vouched for `userName`.
    #[serde(
        borrow,
        default,
        rename = "identityProvider",
        alias = "identityprovider"
    )]
    pub identity_provider: Text<'a>,
    /// IdentityCenterUser (and role sessions with trusted identity propagation): the
    /// workforce user the call was made for.
    #[serde(borrow, default, rename = "onBehalfOf", alias = "onbehalfof")]
    pub on_behalf_of: Option<OnBehalfOfView<'a>>,
}

/// `userIdentity.onBehalfOf`: the IAM Identity Center user (`userId` in `identityStoreArn`).
#[derive(Debug, Default, PartialEq, Deserialize)]
pub struct OnBehalfOfView<'a> {
    #[serde(borrow, default, rename = "userId", alias = "userid")]
    pub user_id: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "identityStoreArn",
        alias = "identitystorearn"
    )]
    pub identity_store_arn: Text<'a>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub struct SessionContextView<'a> {
    #[serde(borrow, default, rename = "sessionIssuer", alias = "sessionissuer")]
    pub session_issuer: Option<SessionIssuerView<'a>>,
    #[serde(borrow, default, rename = "sourceIdentity", alias = "sourceidentity")]
    pub source_identity: Text<'a>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub struct SessionIssuerView<'a> {
    #[serde(borrow, default, alias = "aRN")]
    pub arn: Text<'a>,
    #[serde(borrow, default, rename = "userName", alias = "username")]
    pub user_name: Text<'a>,
}

/// The fields of a record the analysis reads. Every field is optional: real records vary.
#[derive(Debug, Default, PartialEq, Deserialize)]
pub struct RecordView<'a> {
    #[serde(borrow, default, rename = "eventTime", alias = "eventtime")]
    pub event_time: Option<Raw<'a>>,
    #[serde(borrow, default, rename = "@timestamp")]
    pub at_timestamp: Option<Raw<'a>>,
    #[serde(
        borrow,
        default,
        rename = "eventID",
        alias = "eventid",
        alias = "eventId"
    )]
    pub event_id: Text<'a>,
    #[serde(borrow, default, rename = "eventSource", alias = "eventsource")]
    pub event_source: Text<'a>,
    #[serde(borrow, default, rename = "eventName", alias = "eventname")]
    pub event_name: Text<'a>,
    #[serde(borrow, default, rename = "awsRegion", alias = "awsregion")]
    pub region: Text<'a>,
    #[serde(borrow, default, rename = "sourceIPAddress", alias = "sourceipaddress")]
    pub source_ip: Text<'a>,
    #[serde(borrow, default, rename = "userAgent", alias = "useragent")]
    pub user_agent: Text<'a>,
    #[serde(borrow, default, rename = "errorCode", alias = "errorcode")]
    pub error_code: Text<'a>,
    #[serde(borrow, default, rename = "errorMessage", alias = "errormessage")]
    pub error_message: Text<'a>,
    #[serde(borrow, default, rename = "readOnly", alias = "readonly")]
    pub read_only: Text<'a>,
    #[serde(borrow, default, rename = "eventType", alias = "eventtype")]
    pub event_type: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "recipientAccountId",
        alias = "recipientaccountid"
    )]
    pub recipient_account: Text<'a>,
    #[serde(borrow, default, rename = "userIdentity", alias = "useridentity")]
    pub user_identity: Option<UserIdentityView<'a>>,
    #[serde(
        borrow,
        default,
        rename = "requestParameters",
        alias = "requestparameters"
    )]
    pub request_parameters: Option<Raw<'a>>,
    #[serde(
        borrow,
        default,
        rename = "responseElements",
        alias = "responseelements"
    )]
    pub response_elements: Option<Raw<'a>>,
    /// `AwsServiceEvent` records' details: IAM Identity Center sign-in events record their
    /// outcome only here (`{"CredentialVerification": "Failure"}`).
    #[serde(
        borrow,
        default,
        rename = "serviceEventDetails",
        alias = "serviceeventdetails"
    )]
    pub service_event_details: Option<Raw<'a>>,
    #[serde(borrow, default, alias = "Resources")]
    pub resources: Option<Raw<'a>>,
    /// Present on CloudTrail Insights records (which have no userIdentity).
    #[serde(borrow, default, rename = "insightDetails")]
    pub insight_details: Option<Raw<'a>>,
}

/// A value's JSON text exactly as the record holds it (without the whitespace around it), read
/// as serde_json reads a borrowed `RawValue`; `null` is no value at all (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw<'a>(&'a str);

impl<'a> Raw<'a> {
    /// For a reader that has checked that `text` is one whole JSON value.
    pub(super) fn checked(text: &'a str) -> Raw<'a> {
        Raw(text)
    }

    pub fn get(&self) -> &'a str {
        self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(d).map(|r| Raw(r.get()))
    }
}

/// An object of outcomes (`responseElements`, `serviceEventDetails`) with a value `"Failure"`.
fn says_failure(raw: &str) -> bool {
    // Cheap test first: most records with these objects are not failures.
    if memchr::memmem::find(raw.as_bytes(), b"\"Failure\"").is_none() {
        return false;
    }
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw)
        .is_ok_and(|map| map.values().any(|v| v.as_str() == Some("Failure")))
}

/// 2013-01-01T00:00:00Z: AWS launched CloudTrail on 2013-11-13 (AWS What's New, "Announcing AWS
/// CloudTrail"), so no CloudTrail record is older than 2013 (AWS's own processing library's test
/// files are dated 2013-11-01: the bound leaves the year whole). An epoch number read as a time
/// (an export may write one) that lands before it is no record's time, and is a gap rather than
/// a case that starts in 1970.
pub const CLOUDTRAIL_BEGAN_MS: i64 = 1_356_998_400_000;

/// Why a record cannot go on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    pub kind: GapKind,
    pub reason: String,
}

impl<'a> RecordView<'a> {
    /// True when the object looks like a CloudTrail record at all.
    pub fn looks_like_record(&self) -> bool {
        self.event_name.as_str().is_some()
            || self.event_source.as_str().is_some()
            || self.user_identity.is_some()
            || self.event_time.is_some()
            || self.insight_details.is_some()
    }

    /// The record's time: `eventTime`, else Logstash's `@timestamp`, else the caller's fallback
    /// (LookupEvents `EventTime`).
    pub fn time(&self, fallback: Option<Timestamp>) -> Result<Timestamp, RecordProblem> {
        let primary = self.event_time.filter(|r| r.get() != "null");
        let raw = primary.or(self.at_timestamp.filter(|r| r.get() != "null"));
        match raw {
            Some(raw) => match raw_time(raw) {
                Some(t) if t.millis() >= CLOUDTRAIL_BEGAN_MS => Ok(t),
                Some(_) => Err(RecordProblem {
                    kind: GapKind::InvalidEventTime,
                    reason: format!(
                        "eventTime {} is before 2013, when CloudTrail was launched: not the time of a CloudTrail record",
                        time_shown(raw.get())
                    ),
                }),
                None => Err(RecordProblem {
                    kind: GapKind::InvalidEventTime,
                    reason: format!("eventTime {} is not a timestamp", time_shown(raw.get())),
                }),
            },
            None => fallback.ok_or(RecordProblem {
                kind: GapKind::MissingEventTime,
                reason: "record has no eventTime".to_string(),
            }),
        }
    }

    /// Why the call failed, by the one rule every "succeeded" of the tool uses: its `errorCode`;
    /// else `Failure` when AWS records the failure only in `responseElements`, as the console
    /// sign-in events do (`{"ConsoleLogin": "Failure"}`, `CheckMfa`, `SwitchRole`, with an
    /// `errorMessage` but no `errorCode`), or only in `serviceEventDetails`, as the IAM Identity
    /// Center sign-in events do (`{"CredentialVerification": "Failure"}`, `UserAuthentication`,
    /// `CredentialChallenge`, with neither). `None`: the call succeeded.
    pub fn failure(&self) -> Option<String> {
        if let Some(code) = self.error_code.owned() {
            return Some(code);
        }
        [self.response_elements, self.service_event_details]
            .into_iter()
            .flatten()
            .any(|raw| says_failure(raw.get()))
            .then(|| "Failure".to_string())
    }

    /// A CloudTrail network activity event (`eventType` `AwsVpceEvent`): a request through a
    /// VPC endpoint, let through or denied there; not the call's outcome.
    pub fn network_activity(&self) -> bool {
        self.event_type.as_str() == Some("AwsVpceEvent")
    }

    /// `success`, why it failed ([`failure`](Self::failure)), or for a network activity event
    /// the endpoint let through, that its outcome is not recorded: the one rule of outcomes.
    pub fn outcome(&self) -> String {
        match self.failure() {
            Some(code) => code,
            None if self.network_activity() => crate::model::NETWORK_OUTCOME.into(),
            None => "success".into(),
        }
    }

    /// A network activity event the VPC endpoint let through: it records no outcome of the call
    /// (the service's own event does), neither success nor refusal.
    pub fn passed_endpoint(&self) -> bool {
        self.network_activity() && self.failure().is_none()
    }

    /// The record shows the call succeeded: no [`failure`](Self::failure), and not a network
    /// activity event (which does not record the call's outcome).
    pub fn succeeded(&self) -> bool {
        !self.network_activity() && self.failure().is_none()
    }

    pub fn read_only(&self) -> Option<bool> {
        text_bool(&self.read_only)
    }

    pub fn identity(&self) -> Identity {
        let Some(u) = &self.user_identity else {
            return Identity::default();
        };
        let ctx = u.session_context.as_ref();
        Identity {
            kind: u.kind.owned().unwrap_or_default(),
            arn: u.arn.owned(),
            principal_id: u.principal_id.owned(),
            account_id: u.account_id.owned(),
            access_key_id: u.access_key_id.owned(),
            user_name: u.user_name.owned(),
            session_issuer_arn: ctx
                .and_then(|c| c.session_issuer.as_ref())
                .and_then(|i| i.arn.owned()),
            invoked_by: u.invoked_by.owned(),
            source_identity: ctx.and_then(|c| c.source_identity.owned()),
            identity_provider: u.identity_provider.owned(),
            on_behalf_of: u.on_behalf_of.as_ref().and_then(on_behalf_of_arn),
        }
    }

    /// `self.identity().label()`, without making the identity: borrowed from the record where
    /// it names the principal as it is.
    pub fn label(&self) -> Cow<'_, str> {
        let Some(u) = &self.user_identity else {
            return Cow::Borrowed("unknown");
        };
        let parts = LabelParts {
            kind: u.kind.as_str().unwrap_or_default(),
            arn: u.arn.as_str(),
            on_behalf_of: None,
            principal_id: u.principal_id.as_str(),
            user_name: u.user_name.as_str(),
            identity_provider: u.identity_provider.as_str(),
            invoked_by: u.invoked_by.as_str(),
            access_key_id: u.access_key_id.as_str(),
            account_id: u.account_id.as_str(),
        };
        match u.on_behalf_of.as_ref().and_then(on_behalf_of_arn) {
            // An Identity Center user (rare): its ARN is made here, so the label is owned.
            Some(user) => Cow::Owned(
                LabelParts {
                    on_behalf_of: Some(&user),
                    ..parts
                }
                .label()
                .into_owned(),
            ),
            None => parts.label(),
        }
    }

    /// The identity strings that name the principal (ARN, principal id, access key, issuer).
    pub fn principal_keys(&self) -> impl Iterator<Item = &str> {
        let u = self.user_identity.as_ref();
        [
            u.and_then(|u| u.arn.as_str()),
            u.and_then(|u| u.principal_id.as_str()),
            u.and_then(|u| u.access_key_id.as_str()),
        ]
        .into_iter()
        .flatten()
    }

    /// `requestParameters` parsed, or `Null`.
    pub fn request(&self) -> serde_json::Value {
        parse_raw(self.request_parameters)
    }

    /// `responseElements` parsed, or `Null`.
    pub fn response(&self) -> serde_json::Value {
        parse_raw(self.response_elements)
    }

    /// `resources` parsed, or `Null`.
    pub fn resources(&self) -> serde_json::Value {
        parse_raw(self.resources)
    }
}

/// The Identity Center user's ARN (`arn:aws:identitystore:::user/<id>`), in the partition of
/// its identity store.
fn on_behalf_of_arn(o: &OnBehalfOfView<'_>) -> Option<String> {
    let user = o.user_id.as_str()?;
    let partition = o
        .identity_store_arn
        .as_str()
        .and_then(|a| a.strip_prefix("arn:"))
        .and_then(|a| a.split(':').next())
        .filter(|p| !p.is_empty())
        .unwrap_or("aws");
    Some(format!("arn:{partition}:identitystore:::user/{user}"))
}

fn parse_raw(raw: Option<Raw<'_>>) -> serde_json::Value {
    raw.map_or(serde_json::Value::Null, |r| lenient_value(r.get(), 8))
}

/// `text` as a `Value`; when serde_json cannot hold all of it (nested past its recursion limit,
/// a number past an f64's range), what it can, level by level, the rest `null`: the analysis
/// still finds `secretId` beside a hostile field (the export names such records in a gap).
fn lenient_value(text: &str, levels: u8) -> serde_json::Value {
    use serde_json::Value;
    if let Ok(v) = serde_json::from_str(text) {
        return v;
    }
    if levels == 0 {
        return Value::Null;
    }
    if let Ok(map) = serde_json::from_str::<std::collections::BTreeMap<String, &RawValue>>(text) {
        return Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, lenient_value(v.get(), levels - 1)))
                .collect(),
        );
    }
    if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) {
        return Value::Array(
            items
                .into_iter()
                .map(|v| lenient_value(v.get(), levels - 1))
                .collect(),
        );
    }
    Value::Null
}

fn raw_time(raw: Raw<'_>) -> Option<Timestamp> {
    let text = raw.get();
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        // A loop the compiler inlines: `str::contains` calls memchr, which costs more than
        // the twenty bytes of a CloudTrail time take to look at.
        if !inner.bytes().any(|b| b == b'\\') {
            return parse_time(inner);
        }
        return serde_json::from_str::<String>(text)
            .ok()
            .and_then(|s| parse_time(&s));
    }
    text.parse::<f64>().ok().and_then(epoch_number)
}

/// A serde_json error for a gap's reason, without the values it quotes: serde writes the value it
/// did not expect into its message (`invalid type: string "…", expected a JSON object`,
/// ``integer `5` ``), and a value of the evidence may be a secret (a line of a JSON-lines file
/// that is a bare string). The kind of value, the expectation and the position are kept:
/// `invalid type: string, expected a JSON object at line 1 column 18`. An unknown enum variant
/// (``unknown variant `vanished` `` in a kill-switch result's status) is kept: a field that
/// takes one of a few words, and the word is what a reader needs.
pub fn json_error(e: &serde_json::Error) -> String {
    let m = e.to_string();
    let mut out = String::with_capacity(m.len());
    let mut rest = m.as_str();
    loop {
        let quoted = rest.find("string \"").map(|p| (p + "string".len(), '"'));
        let ticked = ["integer `", "point `", "character `", "boolean `"]
            .iter()
            .filter_map(|w| rest.find(w).map(|p| (p + w.len() - 2, '`')))
            .min();
        let Some((at, close)) = [quoted, ticked].into_iter().flatten().min() else {
            out.push_str(rest);
            return out;
        };
        // `at` is the space before the opening quote; skip to after the closing one (a `"`
        // escaped as `\"` inside serde's Debug-quoted string does not close it).
        out.push_str(&rest[..at]);
        let body = &rest[at + 2..];
        let mut end = body.len();
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if close == '"' && !escaped => escaped = true,
                c if c == close && !escaped => {
                    end = i + 1;
                    break;
                }
                _ => escaped = false,
            }
        }
        rest = &body[end..];
    }
}

/// Shorten a value for an error message.
/// A time field that is not a time, as a gap names it: quoted when it is written only with what
/// times are written with (digits, separators, zone and AM/PM letters: a mistyped or locale
/// time), else only its length, never its text (a field of the evidence may hold anything, a
/// secret included).
pub(super) fn time_shown(raw: &str) -> String {
    const WORDS: [&str; 16] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "AM",
        "PM", "UTC", "GMT",
    ];
    let inner = raw.trim_matches('"');
    let mut rest = inner.to_string();
    for w in WORDS {
        rest = rest.replace(w, "");
    }
    let time_like = inner.len() <= 40
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || " -:T.Z+/,".contains(c));
    if time_like {
        clip(raw)
    } else {
        match inner.chars().count() {
            1 => "of 1 character (not quoted: not written as a time)".to_string(),
            n => format!("of {n} characters (not quoted: not written as a time)"),
        }
    }
}

pub fn clip(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(60).collect::<String>())
    }
}

#[cfg(test)]
mod tests;

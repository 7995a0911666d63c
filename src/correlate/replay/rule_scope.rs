//! Which EventBridge rule a PutRule, EnableRule or DisableRule record acts on: a rule is named
//! within its region, account and event bus, so a same-named rule in another region (a
//! multi-region trail records both) or on another bus is another rule. Read from the collected
//! rule's ARN (`arn:aws:events:<region>:<account>:rule/[<bus>/]<name>`); without one, a record
//! is taken by its name alone, as before.
//!
//! Pure: reads a record already parsed.

use crate::model::Event;
use serde_json::Value;

/// Where the collected rule lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleScope {
    pub region: String,
    pub account: String,
    /// `default` for the account's default bus.
    pub bus: String,
}

impl RuleScope {
    /// The scope of a rule's ARN; `None` when the text is not an EventBridge rule ARN.
    pub fn of_arn(arn: &str) -> Option<RuleScope> {
        let mut parts = arn.splitn(6, ':');
        let (_, _, service, region, account, resource) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        let path = resource.strip_prefix("rule/")?;
        if service != "events" || region.is_empty() || account.is_empty() {
            return None;
        }
        let bus = match path.rsplit_once('/') {
            Some((bus, _)) => bus,
            None => "default",
        };
        Some(RuleScope {
            region: region.to_string(),
            account: account.to_string(),
            bus: bus.to_string(),
        })
    }

    /// Whether the call `e` (its record `record`, its `requestParameters` `params`) acts on a
    /// rule of this scope: the same region, the account the record was delivered to
    /// (`recipientAccountId`, when it names one) and the bus (`eventBusName`, a name or an
    /// ARN; absent: the default bus).
    pub fn holds(&self, e: &Event, record: &Value, params: &Value) -> bool {
        let account = record.get("recipientAccountId").and_then(Value::as_str);
        let bus = params
            .get("eventBusName")
            .and_then(Value::as_str)
            .map_or("default", |b| {
                b.rsplit_once("event-bus/").map_or(b, |(_, n)| n)
            });
        e.region == self.region && account.is_none_or(|a| a == self.account) && bus == self.bus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_arn_gives_its_region_account_and_bus() {
        let s = RuleScope::of_arn("arn:aws:events:us-east-1:123456789012:rule/Honeytoken").unwrap();
        assert_eq!(
            (s.region.as_str(), s.account.as_str(), s.bus.as_str()),
            ("us-east-1", "123456789012", "default")
        );
        let s = RuleScope::of_arn("arn:aws:events:eu-west-1:1:rule/ops-bus/Honeytoken").unwrap();
        assert_eq!(s.bus, "ops-bus");
        assert_eq!(RuleScope::of_arn("arn:aws:sns:us-east-1:1:topic"), None);
        assert_eq!(RuleScope::of_arn("Honeytoken"), None);
    }
}

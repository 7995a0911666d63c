//! Whether the honeytoken is of another AWS account than the actor's: read from the ARN the
//! reads name (its account field), else from the account CloudTrail delivered a read to when it
//! is not the caller's. Says what the records show, never why the call was allowed.

use crate::model::{CrossAccount, Event};

/// The account field of an ARN (`arn:partition:service:region:account:resource`), when it is
/// an account id (twelve digits; S3 ARNs have none).
fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let account = parts.nth(3)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// `actor_account`: the reader's account (`userIdentity.accountId`); `honeytoken`: the decoy as
/// the reads named it; `reads`: the honeytoken reads. `None` when the evidence names no other
/// account for the decoy.
pub(super) fn cross_account(
    actor_account: Option<&str>,
    honeytoken: &str,
    reads: &[&Event],
) -> Option<CrossAccount> {
    let actor = actor_account.filter(|a| !a.is_empty())?;
    let ids = |reads: &mut dyn Iterator<Item = &&Event>| -> Vec<String> {
        let mut v: Vec<String> = reads.map(|e| e.event_id.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    if let Some(owner) = arn_account(honeytoken) {
        return (owner != actor).then(|| CrossAccount {
            actor_account: actor.to_string(),
            honeytoken_account: owner.to_string(),
            shown_by: "honeytoken_arn",
            event_ids: ids(&mut reads.iter()),
        });
    }
    // A cross-account call is delivered to each account involved: a delivery to another
    // account than the caller's is the resource owner's.
    let recipient = |e: &Event| -> Option<String> {
        e.record()["recipientAccountId"]
            .as_str()
            .filter(|r| !r.is_empty() && *r != actor)
            .map(str::to_string)
    };
    let mut owners: Vec<String> = reads.iter().filter_map(|e| recipient(e)).collect();
    owners.sort();
    owners.dedup();
    // Several other accounts: the evidence does not say which owns the decoy.
    let [owner] = owners.as_slice() else {
        return None;
    };
    Some(CrossAccount {
        actor_account: actor.to_string(),
        honeytoken_account: owner.clone(),
        shown_by: "recipient_account_id",
        event_ids: ids(&mut reads
            .iter()
            .filter(|e| recipient(e).as_deref() == Some(owner.as_str()))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn read(id: &str, recipient: &str) -> Event {
        Event::for_test(
            Timestamp::from_secs(0),
            id,
            "s3.amazonaws.com",
            "GetObject",
            &format!(r#"{{"recipientAccountId":"{recipient}"}}"#),
        )
    }

    #[test]
    fn the_decoy_account_is_read_from_its_arn_else_from_another_accounts_delivery() {
        let secret =
            "arn:aws:secretsmanager:us-east-2:123456789012:secret:Production_Database_Credentials-AbCdEf";
        let r = read("r1", "123456789012");
        let x = cross_account(Some("111122223333"), secret, &[&r]).unwrap();
        assert_eq!(
            (
                x.actor_account.as_str(),
                x.honeytoken_account.as_str(),
                x.shown_by
            ),
            ("111122223333", "123456789012", "honeytoken_arn")
        );
        assert_eq!(cross_account(Some("123456789012"), secret, &[&r]), None);
        // An S3 object: no account in its name; the delivery to the bucket's account shows it.
        let own = read("own", "111122223333");
        let other = read("other", "444455556666");
        let x = cross_account(Some("111122223333"), "example_bucket/key", &[&own, &other]).unwrap();
        assert_eq!(x.honeytoken_account, "444455556666");
        assert_eq!(x.event_ids, ["other"]);
        assert_eq!(
            cross_account(Some("111122223333"), "example_bucket/key", &[&own]),
            None
        );
        assert_eq!(cross_account(None, secret, &[&r]), None);
    }
}

//! The plain reader's fields: which keys of a record, its `userIdentity` and that identity's
//! nested objects fill which field of the view, each read once (a repeated field is serde_json's
//! to refuse), and the fields a record does not hold cleared when it ends.

use super::Reader;
use crate::parse::lenient::Text;
use crate::parse::record::{
    OnBehalfOfView, RecordView, SessionContextView, SessionIssuerView, UserIdentityView,
};

/// Every field of `v` whose bit (as [`Reader::record_into`] numbers them) is clear in `seen`
/// set to its default: what a reset before the record would have left there. The pattern names
/// every field, so a field added to the view without a bit here does not compile.
fn clear_unseen(v: &mut RecordView<'_>, seen: u32) {
    let RecordView {
        event_time,
        at_timestamp,
        event_id,
        event_source,
        event_name,
        region,
        source_ip,
        user_agent,
        error_code,
        error_message,
        read_only,
        event_type,
        recipient_account,
        user_identity,
        request_parameters,
        response_elements,
        resources,
        insight_details,
        service_event_details,
    } = v;
    let unseen = |bit: u32| seen & (1 << bit) == 0;
    let texts = [
        (2, event_id),
        (3, event_source),
        (4, event_name),
        (5, region),
        (6, source_ip),
        (7, user_agent),
        (8, error_code),
        (9, error_message),
        (10, read_only),
        (11, event_type),
        (12, recipient_account),
    ];
    for (bit, text) in texts {
        if unseen(bit) {
            *text = Text::default();
        }
    }
    let raws = [
        (0, event_time),
        (1, at_timestamp),
        (14, request_parameters),
        (15, response_elements),
        (16, resources),
        (17, insight_details),
        (18, service_event_details),
    ];
    for (bit, raw) in raws {
        if unseen(bit) {
            *raw = None;
        }
    }
    if unseen(13) {
        *user_identity = None;
    }
}

/// Marks a field of a view as read; `None` when it already was (serde_json: duplicate field).
fn first_time(seen: &mut u32, field: u32) -> Option<()> {
    let bit = 1 << field;
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    Some(())
}

impl<'a> Reader<'a> {
    pub(super) fn record(&mut self) -> Option<RecordView<'a>> {
        let mut v = RecordView::default();
        self.record_into(&mut v)?;
        Some(v)
    }

    /// [`Reader::record`] into `v`: each field the record holds is written as it is read, and
    /// when the record ends every other field is cleared ([`clear_unseen`]), so `v` holds this
    /// record alone without a reset of the whole view (several hundred bytes) for each record.
    pub(super) fn record_into(&mut self, v: &mut RecordView<'a>) -> Option<()> {
        if self.peek()? != b'{' {
            return None;
        }
        let mut seen = 0;
        self.object(1, |r, key| {
            let d = 1;
            match key {
                "eventTime" | "eventtime" => {
                    first_time(&mut seen, 0)?;
                    v.event_time = r.raw(d)?;
                }
                "@timestamp" => {
                    first_time(&mut seen, 1)?;
                    v.at_timestamp = r.raw(d)?;
                }
                "eventID" | "eventid" | "eventId" => {
                    first_time(&mut seen, 2)?;
                    v.event_id = r.text(d)?;
                }
                "eventSource" | "eventsource" => {
                    first_time(&mut seen, 3)?;
                    v.event_source = r.text(d)?;
                }
                "eventName" | "eventname" => {
                    first_time(&mut seen, 4)?;
                    v.event_name = r.text(d)?;
                }
                "awsRegion" | "awsregion" => {
                    first_time(&mut seen, 5)?;
                    v.region = r.text(d)?;
                }
                "sourceIPAddress" | "sourceipaddress" => {
                    first_time(&mut seen, 6)?;
                    v.source_ip = r.text(d)?;
                }
                "userAgent" | "useragent" => {
                    first_time(&mut seen, 7)?;
                    v.user_agent = r.text(d)?;
                }
                "errorCode" | "errorcode" => {
                    first_time(&mut seen, 8)?;
                    v.error_code = r.text(d)?;
                }
                "errorMessage" | "errormessage" => {
                    first_time(&mut seen, 9)?;
                    v.error_message = r.text(d)?;
                }
                "readOnly" | "readonly" => {
                    first_time(&mut seen, 10)?;
                    v.read_only = r.text(d)?;
                }
                "eventType" | "eventtype" => {
                    first_time(&mut seen, 11)?;
                    v.event_type = r.text(d)?;
                }
                "recipientAccountId" | "recipientaccountid" => {
                    first_time(&mut seen, 12)?;
                    v.recipient_account = r.text(d)?;
                }
                "userIdentity" | "useridentity" => {
                    first_time(&mut seen, 13)?;
                    v.user_identity = r.nested(d, Reader::user_identity)?;
                }
                "requestParameters" | "requestparameters" => {
                    first_time(&mut seen, 14)?;
                    v.request_parameters = r.raw(d)?;
                }
                "responseElements" | "responseelements" => {
                    first_time(&mut seen, 15)?;
                    v.response_elements = r.raw(d)?;
                }
                "resources" | "Resources" => {
                    first_time(&mut seen, 16)?;
                    v.resources = r.raw(d)?;
                }
                "insightDetails" => {
                    first_time(&mut seen, 17)?;
                    v.insight_details = r.raw(d)?;
                }
                "serviceEventDetails" | "serviceeventdetails" => {
                    first_time(&mut seen, 18)?;
                    v.service_event_details = r.raw(d)?;
                }
                _ => r.skip(d)?,
            }
            Some(())
        })?;
        clear_unseen(v, seen);
        Some(())
    }

    fn user_identity(&mut self, d: u32) -> Option<UserIdentityView<'a>> {
        let mut u = UserIdentityView::default();
        let mut seen = 0;
        self.object(d, |r, key| {
            match key {
                "type" => {
                    first_time(&mut seen, 0)?;
                    u.kind = r.text(d)?;
                }
                "arn" | "aRN" | "ARN" => {
                    first_time(&mut seen, 1)?;
                    u.arn = r.text(d)?;
                }
                "principalId" | "principalid" => {
                    first_time(&mut seen, 2)?;
                    u.principal_id = r.text(d)?;
                }
                "accountId" | "accountid" => {
                    first_time(&mut seen, 3)?;
                    u.account_id = r.text(d)?;
                }
                "accessKeyId" | "accesskeyid" => {
                    first_time(&mut seen, 4)?;
                    u.access_key_id = r.text(d)?;
                }
                "userName" | "username" => {
                    first_time(&mut seen, 5)?;
                    u.user_name = r.text(d)?;
                }
                "invokedBy" | "invokedby" => {
                    first_time(&mut seen, 6)?;
                    u.invoked_by = r.text(d)?;
                }
                "sessionContext" | "sessioncontext" => {
                    first_time(&mut seen, 7)?;
                    u.session_context = r.nested(d, Reader::session_context)?;
                }
                "identityProvider" | "identityprovider" => {
                    first_time(&mut seen, 8)?;
                    u.identity_provider = r.text(d)?;
                }
                "onBehalfOf" | "onbehalfof" => {
                    first_time(&mut seen, 9)?;
                    u.on_behalf_of = r.nested(d, Reader::on_behalf_of)?;
                }
                _ => r.skip(d)?,
            }
            Some(())
        })?;
        Some(u)
    }

    fn session_context(&mut self, d: u32) -> Option<SessionContextView<'a>> {
        let mut c = SessionContextView::default();
        let mut seen = 0;
        self.object(d, |r, key| {
            match key {
                "sessionIssuer" | "sessionissuer" => {
                    first_time(&mut seen, 0)?;
                    c.session_issuer = r.nested(d, Reader::session_issuer)?;
                }
                "sourceIdentity" | "sourceidentity" => {
                    first_time(&mut seen, 1)?;
                    c.source_identity = r.text(d)?;
                }
                _ => r.skip(d)?,
            }
            Some(())
        })?;
        Some(c)
    }

    fn session_issuer(&mut self, d: u32) -> Option<SessionIssuerView<'a>> {
        let mut s = SessionIssuerView::default();
        let mut seen = 0;
        self.object(d, |r, key| {
            match key {
                "arn" | "aRN" => {
                    first_time(&mut seen, 0)?;
                    s.arn = r.text(d)?;
                }
                "userName" | "username" => {
                    first_time(&mut seen, 1)?;
                    s.user_name = r.text(d)?;
                }
                _ => r.skip(d)?,
            }
            Some(())
        })?;
        Some(s)
    }

    fn on_behalf_of(&mut self, d: u32) -> Option<OnBehalfOfView<'a>> {
        let mut o = OnBehalfOfView::default();
        let mut seen = 0;
        self.object(d, |r, key| {
            match key {
                "userId" | "userid" => {
                    first_time(&mut seen, 0)?;
                    o.user_id = r.text(d)?;
                }
                "identityStoreArn" | "identitystorearn" => {
                    first_time(&mut seen, 1)?;
                    o.identity_store_arn = r.text(d)?;
                }
                _ => r.skip(d)?,
            }
            Some(())
        })?;
        Some(o)
    }
}

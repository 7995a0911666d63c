//! The plain reader's fields: which keys of a record, its `userIdentity` and that identity's
//! nested objects fill which field of the view, each read once (a repeated field is serde_json's
//! to refuse), and the fields a record does not hold cleared when it ends. The keys of a record,
//! its identity, session context and session issuer are found through the predicted keys
//! (`predict.rs`).

use super::predict::{IDENTITY, ISSUER, SESSION, TOP};
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

/// [`clear_unseen`] for a `userIdentity` read in place ([`Reader::user_identity_into`]'s bits).
fn clear_identity_unseen(u: &mut UserIdentityView<'_>, seen: u32) {
    let UserIdentityView {
        kind,
        arn,
        principal_id,
        account_id,
        access_key_id,
        user_name,
        invoked_by,
        session_context,
        identity_provider,
        on_behalf_of,
    } = u;
    let unseen = |bit: u32| seen & (1 << bit) == 0;
    let texts = [
        (0, kind),
        (1, arn),
        (2, principal_id),
        (3, account_id),
        (4, access_key_id),
        (5, user_name),
        (6, invoked_by),
        (8, identity_provider),
    ];
    for (bit, text) in texts {
        if unseen(bit) {
            *text = Text::default();
        }
    }
    if unseen(7) {
        *session_context = None;
    }
    if unseen(9) {
        *on_behalf_of = None;
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

/// The field a key of a record fills ([`Reader::record_into`]'s numbering), or [`SKIP`].
fn top_field(key: &str) -> u8 {
    match key {
        "eventTime" | "eventtime" => 0,
        "@timestamp" => 1,
        "eventID" | "eventid" | "eventId" => 2,
        "eventSource" | "eventsource" => 3,
        "eventName" | "eventname" => 4,
        "awsRegion" | "awsregion" => 5,
        "sourceIPAddress" | "sourceipaddress" => 6,
        "userAgent" | "useragent" => 7,
        "errorCode" | "errorcode" => 8,
        "errorMessage" | "errormessage" => 9,
        "readOnly" | "readonly" => 10,
        "eventType" | "eventtype" => 11,
        "recipientAccountId" | "recipientaccountid" => 12,
        "userIdentity" | "useridentity" => 13,
        "requestParameters" | "requestparameters" => 14,
        "responseElements" | "responseelements" => 15,
        "resources" | "Resources" => 16,
        "insightDetails" => 17,
        "serviceEventDetails" | "serviceeventdetails" => 18,
        _ => SKIP,
    }
}

/// The field a key of a `userIdentity` fills ([`Reader::user_identity`]'s numbering), or
/// [`SKIP`].
fn identity_field(key: &str) -> u8 {
    match key {
        "type" => 0,
        "arn" | "aRN" | "ARN" => 1,
        "principalId" | "principalid" => 2,
        "accountId" | "accountid" => 3,
        "accessKeyId" | "accesskeyid" => 4,
        "userName" | "username" => 5,
        "invokedBy" | "invokedby" => 6,
        "sessionContext" | "sessioncontext" => 7,
        "identityProvider" | "identityprovider" => 8,
        "onBehalfOf" | "onbehalfof" => 9,
        _ => SKIP,
    }
}

/// The field a key of a `sessionContext` fills, or [`SKIP`].
fn session_field(key: &str) -> u8 {
    match key {
        "sessionIssuer" | "sessionissuer" => 0,
        "sourceIdentity" | "sourceidentity" => 1,
        _ => SKIP,
    }
}

/// The field a key of a `sessionIssuer` fills, or [`SKIP`].
fn issuer_field(key: &str) -> u8 {
    match key {
        "arn" | "aRN" => 0,
        "userName" | "username" => 1,
        _ => SKIP,
    }
}

/// A key no field of the view holds: its value is checked and passed over.
const SKIP: u8 = u8::MAX;

impl<'a> Reader<'a, '_> {
    pub(super) fn record(&mut self) -> Option<RecordView<'a>> {
        let mut v = RecordView::default();
        self.record_into(&mut v)?;
        Some(v)
    }

    /// The members of the object at `self.i` (its `{`), as [`Reader::object`] reads them, each
    /// key found through the key table `table` ([`Reader::predicted_key`]): `member` is called
    /// with the field `dispatch` gives the key and the position at the value.
    #[inline(always)]
    fn predicted_object(
        &mut self,
        depth: u32,
        table: usize,
        dispatch: fn(&str) -> u8,
        mut member: impl FnMut(&mut Self, u8) -> Option<()>,
    ) -> Option<()> {
        if depth > super::MAX_DEPTH {
            return None;
        }
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        let mut cursor = self.cursor(table);
        loop {
            let field = self.predicted_key(table, &mut cursor, dispatch)?;
            member(self, field)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// [`Reader::record`] into `v`: each field the record holds is written as it is read, and
    /// when the record ends every other field is cleared ([`clear_unseen`]), so `v` holds this
    /// record alone without a reset of the whole view (several hundred bytes) for each record.
    pub(super) fn record_into(&mut self, v: &mut RecordView<'a>) -> Option<()> {
        if self.peek()? != b'{' {
            return None;
        }
        let mut seen = 0;
        self.predicted_object(1, TOP, top_field, |r, field| {
            let d = 1;
            if field == SKIP {
                return r.skip(d);
            }
            first_time(&mut seen, u32::from(field))?;
            match field {
                0 => v.event_time = r.raw(d)?,
                1 => v.at_timestamp = r.raw(d)?,
                2 => r.text_into(d, &mut v.event_id)?,
                3 => r.text_into(d, &mut v.event_source)?,
                4 => r.text_into(d, &mut v.event_name)?,
                5 => r.text_into(d, &mut v.region)?,
                6 => r.text_into(d, &mut v.source_ip)?,
                7 => r.text_into(d, &mut v.user_agent)?,
                8 => r.text_into(d, &mut v.error_code)?,
                9 => r.text_into(d, &mut v.error_message)?,
                10 => r.text_into(d, &mut v.read_only)?,
                11 => r.text_into(d, &mut v.event_type)?,
                12 => r.text_into(d, &mut v.recipient_account)?,
                13 => r.identity_into(d, &mut v.user_identity)?,
                14 => v.request_parameters = r.raw(d)?,
                15 => v.response_elements = r.raw(d)?,
                16 => v.resources = r.raw(d)?,
                17 => v.insight_details = r.raw(d)?,
                // 18, the last `top_field` gives.
                _ => v.service_event_details = r.raw(d)?,
            }
            Some(())
        })?;
        clear_unseen(v, seen);
        Some(())
    }

    /// The `userIdentity` object at `self.i` read into `u` where it is, as [`Reader::record_into`]
    /// reads a record: each field written as it is read, the others cleared at the end.
    pub(super) fn user_identity_into(
        &mut self,
        d: u32,
        u: &mut UserIdentityView<'a>,
    ) -> Option<()> {
        let mut seen = 0;
        self.predicted_object(d, IDENTITY, identity_field, |r, field| {
            if field == SKIP {
                return r.skip(d);
            }
            first_time(&mut seen, u32::from(field))?;
            match field {
                0 => r.text_into(d, &mut u.kind)?,
                1 => r.text_into(d, &mut u.arn)?,
                2 => r.text_into(d, &mut u.principal_id)?,
                3 => r.text_into(d, &mut u.account_id)?,
                4 => r.text_into(d, &mut u.access_key_id)?,
                5 => r.text_into(d, &mut u.user_name)?,
                6 => r.text_into(d, &mut u.invoked_by)?,
                7 => r.nested_into(d, &mut u.session_context, Reader::session_context_into)?,
                8 => r.text_into(d, &mut u.identity_provider)?,
                // 9, the last `identity_field` gives.
                _ => u.on_behalf_of = r.nested(d, Reader::on_behalf_of)?,
            }
            Some(())
        })?;
        clear_identity_unseen(u, seen);
        Some(())
    }

    /// A `sessionContext` read into `c` where it is, as [`Reader::user_identity_into`] reads.
    fn session_context_into(&mut self, d: u32, c: &mut SessionContextView<'a>) -> Option<()> {
        let mut seen = 0;
        self.predicted_object(d, SESSION, session_field, |r, field| {
            if field == SKIP {
                return r.skip(d);
            }
            first_time(&mut seen, u32::from(field))?;
            match field {
                0 => r.nested_into(d, &mut c.session_issuer, Reader::session_issuer_into)?,
                // 1, the last `session_field` gives.
                _ => r.text_into(d, &mut c.source_identity)?,
            }
            Some(())
        })?;
        let SessionContextView {
            session_issuer,
            source_identity,
        } = c;
        if seen & 1 == 0 {
            *session_issuer = None;
        }
        if seen & 2 == 0 {
            *source_identity = Text::default();
        }
        Some(())
    }

    /// A `sessionIssuer` read into `s` where it is, as [`Reader::user_identity_into`] reads.
    fn session_issuer_into(&mut self, d: u32, s: &mut SessionIssuerView<'a>) -> Option<()> {
        let mut seen = 0;
        self.predicted_object(d, ISSUER, issuer_field, |r, field| {
            if field == SKIP {
                return r.skip(d);
            }
            first_time(&mut seen, u32::from(field))?;
            match field {
                0 => r.text_into(d, &mut s.arn)?,
                // 1, the last `issuer_field` gives.
                _ => r.text_into(d, &mut s.user_name)?,
            }
            Some(())
        })?;
        let SessionIssuerView { arn, user_name } = s;
        if seen & 1 == 0 {
            *arn = Text::default();
        }
        if seen & 2 == 0 {
            *user_name = Text::default();
        }
        Some(())
    }

    fn on_behalf_of(&mut self, d: u32) -> Option<OnBehalfOfView<'a>> {
        let mut o = OnBehalfOfView::default();
        let mut seen = 0;
        self.object(d, |r, key| {
            match key {
                "userId" | "userid" => {
                    first_time(&mut seen, 0)?;
                    r.text_into(d, &mut o.user_id)?;
                }
                "identityStoreArn" | "identitystorearn" => {
                    first_time(&mut seen, 1)?;
                    r.text_into(d, &mut o.identity_store_arn)?;
                }
                _ => r.skip(d)?,
            }
            Some(())
        })?;
        Some(o)
    }
}

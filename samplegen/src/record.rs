//! One CloudTrail record: the fields a generator fills in, and their rendering in CloudTrail's own key
//! order. Knows nothing about files, slots or which actor made the call.

use crate::identity::ACCOUNT;
use crate::json::J;
use crate::obj;
use crate::time::{iso_z, Epoch};

/// How the request reached AWS: over TLS from a client (with the host it named), or from inside AWS.
#[derive(Clone)]
pub enum Transport {
    Tls { host: String },
    Internal,
}

/// A CloudTrail record before rendering.
#[derive(Clone)]
pub struct Call {
    pub version: &'static str,
    pub identity: J,
    pub time: Epoch,
    pub source: &'static str,
    pub name: &'static str,
    pub region: &'static str,
    pub ip: String,
    pub user_agent: String,
    pub error: Option<(&'static str, String)>,
    pub request: J,
    pub response: J,
    pub additional: Option<J>,
    pub request_id: Option<String>,
    pub event_id: String,
    pub read_only: bool,
    pub resources: Option<J>,
    pub event_type: &'static str,
    pub management: bool,
    pub service_event_details: Option<J>,
    pub vpc_endpoint: Option<&'static str>,
    pub transport: Transport,
    pub from_console: bool,
}

impl Call {
    /// A successful management API call over TLS with the defaults most records share.
    #[allow(clippy::too_many_arguments)]
    pub fn api(
        version: &'static str,
        identity: J,
        time: Epoch,
        source: &'static str,
        name: &'static str,
        region: &'static str,
        ip: impl Into<String>,
        user_agent: impl Into<String>,
        request_id: String,
        event_id: String,
        read_only: bool,
    ) -> Self {
        let host = default_host(source, region);
        Call {
            version,
            identity,
            time,
            source,
            name,
            region,
            ip: ip.into(),
            user_agent: user_agent.into(),
            error: None,
            request: J::Null,
            response: J::Null,
            additional: None,
            request_id: Some(request_id),
            event_id,
            read_only,
            resources: None,
            event_type: "AwsApiCall",
            management: true,
            service_event_details: None,
            vpc_endpoint: None,
            transport: Transport::Tls { host },
            from_console: false,
        }
    }

    pub fn request(mut self, v: J) -> Self {
        self.request = v;
        self
    }
    pub fn response(mut self, v: J) -> Self {
        self.response = v;
        self
    }
    pub fn additional(mut self, v: J) -> Self {
        self.additional = Some(v);
        self
    }
    pub fn resources(mut self, v: J) -> Self {
        self.resources = Some(v);
        self
    }
    pub fn error(mut self, code: &'static str, message: impl Into<String>) -> Self {
        self.error = Some((code, message.into()));
        self
    }
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.transport = Transport::Tls { host: host.into() };
        self
    }
    pub fn internal(mut self) -> Self {
        self.transport = Transport::Internal;
        self
    }

    /// Renders the record with CloudTrail's key order.
    pub fn to_json(&self) -> J {
        let mut r = obj! {
            "eventVersion" => self.version,
            "userIdentity" => self.identity.clone(),
            "eventTime" => iso_z(self.time),
            "eventSource" => self.source,
            "eventName" => self.name,
            "awsRegion" => self.region,
            "sourceIPAddress" => self.ip.as_str(),
            "userAgent" => self.user_agent.as_str(),
        };
        if let Some((code, message)) = &self.error {
            r.push("errorCode", *code);
            r.push("errorMessage", message.as_str());
        }
        r.push("requestParameters", self.request.clone());
        r.push("responseElements", self.response.clone());
        if let Some(a) = &self.additional {
            r.push("additionalEventData", a.clone());
        }
        if let Some(id) = &self.request_id {
            r.push("requestID", id.as_str());
        }
        r.push("eventID", self.event_id.as_str());
        r.push("readOnly", self.read_only);
        if let Some(res) = &self.resources {
            r.push("resources", res.clone());
        }
        r.push("eventType", self.event_type);
        r.push("managementEvent", self.management);
        r.push("recipientAccountId", ACCOUNT);
        if let Some(d) = &self.service_event_details {
            r.push("serviceEventDetails", d.clone());
        }
        if let Some(v) = self.vpc_endpoint {
            r.push("vpcEndpointId", v);
            r.push("vpcEndpointAccountId", ACCOUNT);
        }
        r.push(
            "eventCategory",
            if self.management {
                "Management"
            } else {
                "Data"
            },
        );
        if let Transport::Tls { host } = &self.transport {
            r.push(
                "tlsDetails",
                obj! {
                    "tlsVersion" => "TLSv1.3",
                    "cipherSuite" => "TLS_AES_128_GCM_SHA256",
                    "clientProvidedHostHeader" => host.as_str(),
                },
            );
        }
        if self.from_console {
            r.push("sessionCredentialFromConsole", "true");
        }
        r
    }
}

/// The endpoint host a default SDK client names for a service in a region.
pub fn default_host(source: &str, region: &str) -> String {
    let service = source.trim_end_matches(".amazonaws.com");
    match service {
        "iam" => "iam.amazonaws.com".to_owned(),
        "sts" => "sts.amazonaws.com".to_owned(),
        "signin" => "signin.aws.amazon.com".to_owned(),
        "monitoring" => format!("monitoring.{region}.amazonaws.com"),
        _ => format!("{service}.{region}.amazonaws.com"),
    }
}

/// One `resources` entry.
pub fn resource(kind: &str, arn: &str) -> J {
    obj! { "accountId" => ACCOUNT, "type" => kind, "ARN" => arn }
}

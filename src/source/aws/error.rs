//! What went wrong with one AWS call, in terms a responder can act on: the IAM permission that
//! was missing, throttling, a resource that is gone, a network failure.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// One API operation as IAM and the manifest name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Service prefix as in IAM: `s3`, `cloudtrail`, `cloudwatch`, `logs`, `events`.
    pub service: &'static str,
    /// API name: `GetObject`, `LookupEvents`.
    pub name: &'static str,
}

impl Operation {
    pub const fn new(service: &'static str, name: &'static str) -> Self {
        Operation { service, name }
    }

    /// The IAM action that allows it (`s3:ListObjectsV2` is allowed by `s3:ListBucket`).
    pub fn permission(&self) -> String {
        let action = match (self.service, self.name) {
            ("s3", "ListObjectsV2" | "HeadBucket") => "ListBucket",
            (_, n) => n,
        };
        format!("{}:{}", self.service, action)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("{operation} was denied: the caller lacks {permission} ({message})")]
    AccessDenied {
        operation: &'static str,
        permission: String,
        message: String,
    },
    #[error("{operation} stayed throttled after retries: {message}")]
    Throttled {
        operation: &'static str,
        message: String,
    },
    #[error("{operation}: not found ({code}: {message})")]
    NotFound {
        operation: &'static str,
        code: String,
        message: String,
    },
    #[error("{operation} failed: {code}: {message}")]
    Service {
        operation: &'static str,
        code: String,
        message: String,
    },
    #[error("{operation} failed on the network: {message}")]
    Network {
        operation: &'static str,
        message: String,
    },
    #[error("{what} is corrupt: {reason}")]
    Corrupt { what: String, reason: String },
    /// Listed, then gone when fetched: deleted (or expired by a lifecycle rule) during the run.
    #[error(
        "{what} was listed but no longer exists when fetched (deleted during the run?): {message}"
    )]
    Vanished { what: String, message: String },
    /// Overwritten after it was listed: the `If-Match` on the listed ETag failed.
    #[error("{what} changed after it was listed (its ETag no longer matches); run again to fetch the new version")]
    Changed { what: String },
    /// Stored byte for byte as S3 holds it, but its content cannot be read.
    #[error("{what} is stored as S3 holds it, but it cannot be read: {reason}")]
    Unreadable { what: String, reason: String },
    /// The credentials chain found nothing usable: nothing can be asked of AWS.
    #[error("no AWS credentials ({}): give --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`", one_line(reason))]
    NoCredentials { reason: String },
    #[error("cannot store {path}: {source}")]
    Store {
        path: String,
        source: std::io::Error,
    },
}

impl AwsError {
    /// The IAM permission whose absence caused this, for the manifest's gap.
    pub fn permission(&self) -> Option<&str> {
        match self {
            AwsError::AccessDenied { permission, .. } => Some(permission),
            _ => None,
        }
    }

    pub fn is_throttling(&self) -> bool {
        matches!(self, AwsError::Throttled { .. })
    }

    /// Map an SDK error by its AWS error code.
    pub fn from_sdk<E, R>(op: Operation, err: &SdkError<E, R>) -> AwsError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let operation = op.name;
        let SdkError::ServiceError(service) = err else {
            return AwsError::Network {
                operation,
                message: DisplayErrorContext(err).to_string(),
            };
        };
        let e = service.err();
        let code = e.code().unwrap_or("Unknown").to_string();
        let message = e
            .message()
            .map(str::to_owned)
            .unwrap_or_else(|| DisplayErrorContext(e).to_string());
        classify(op, code, message)
    }
}

/// The first line of a message, for errors that must stay on one line.
fn one_line(s: &str) -> &str {
    s.lines().next().unwrap_or("").trim()
}

/// Error codes by meaning, across the services' spellings.
pub fn classify(op: Operation, code: String, message: String) -> AwsError {
    let operation = op.name;
    match code.as_str() {
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnauthorizedAccess"
        | "AuthorizationError"
        | "AllAccessDisabled"
        | "InvalidAccessKeyId"
        | "Forbidden" => AwsError::AccessDenied {
            operation,
            permission: op.permission(),
            message,
        },
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "SlowDown"
        | "RequestThrottled"
        | "RequestThrottledException" => AwsError::Throttled { operation, message },
        "NoSuchKey"
        | "NoSuchBucket"
        | "NotFound"
        | "ResourceNotFoundException"
        | "TrailNotFoundException"
        | "NoSuchVersion" => AwsError::NotFound {
            operation,
            code,
            message,
        },
        _ => AwsError::Service {
            operation,
            code,
            message,
        },
    }
}

/// Count one request in the manifest and map its error.
pub fn record<T, E, R>(
    sink: &dyn super::Sink,
    op: Operation,
    region: &str,
    result: Result<T, SdkError<E, R>>,
) -> Result<T, AwsError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    sink.api_call(op.service, op.name, region, result.is_ok());
    result.map_err(|e| AwsError::from_sdk(op, &e))
}

/// Record `err` as a gap of `source`.
pub fn gap(sink: &dyn super::Sink, source: &str, err: &AwsError) {
    sink.gap(source, &err.to_string(), err.permission());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_denied_names_the_permission() {
        let e = classify(
            Operation::new("cloudtrail", "LookupEvents"),
            "AccessDeniedException".into(),
            "User is not authorized".into(),
        );
        assert_eq!(e.permission(), Some("cloudtrail:LookupEvents"));
        assert!(e.to_string().contains("cloudtrail:LookupEvents"));
        let e = classify(
            Operation::new("s3", "ListObjectsV2"),
            "AccessDenied".into(),
            "x".into(),
        );
        assert_eq!(e.permission(), Some("s3:ListBucket"));
        assert!(classify(
            Operation::new("cloudtrail", "LookupEvents"),
            "ThrottlingException".into(),
            "x".into()
        )
        .is_throttling());
    }
}

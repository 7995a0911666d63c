//! Why one IAM or SNS call failed, in terms an operator can act on (the permission the
//! kill-switch's role lacks, an entity that does not exist, anything else with AWS's code).

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    #[error("access denied: the kill-switch role needs {permission} ({message})")]
    AccessDenied { permission: String, message: String },
    #[error("not found: {message}")]
    NoSuchEntity { message: String },
    #[error("{code}: {message}")]
    Service { code: String, message: String },
    #[error("could not reach AWS: {message}")]
    Network { message: String },
}

impl CallError {
    /// Map an SDK error of the call that needs IAM/SNS `permission` (e.g. `iam:PutUserPolicy`).
    pub fn from_sdk<E, R>(permission: &str, err: SdkError<E, R>) -> CallError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let SdkError::ServiceError(service) = &err else {
            return CallError::Network {
                message: DisplayErrorContext(&err).to_string(),
            };
        };
        let e = service.err();
        let code = e.code().unwrap_or("Unknown").to_string();
        let message = e
            .message()
            .map(str::to_owned)
            .unwrap_or_else(|| DisplayErrorContext(e).to_string());
        match code.as_str() {
            "AccessDenied" | "AccessDeniedException" | "AuthorizationError" => {
                CallError::AccessDenied {
                    permission: permission.to_string(),
                    message,
                }
            }
            "NoSuchEntity" | "NoSuchEntityException" | "NotFound" => {
                CallError::NoSuchEntity { message }
            }
            _ => CallError::Service { code, message },
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, CallError::NoSuchEntity { .. })
    }
}

//! Credentials, region and endpoint as AWS users expect them: the SDK's standard provider chain
//! (environment, shared config and credentials files with `--profile`, SSO, web identity,
//! container and instance metadata), its retry configuration (`AWS_MAX_ATTEMPTS`,
//! `retry_mode`), `--region`/`--regions`, and `--endpoint-url` for emulators and VPC endpoints.

use super::plan::CollectPlan;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

/// Where no region is configured at all, the APIs are asked in this one.
pub const FALLBACK_REGION: &str = "us-east-1";

#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    /// The region for the APIs when `--regions` is not given (else the chain's region).
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// The loaded SDK configuration and what was asked of it.
#[derive(Debug, Clone)]
pub struct AwsContext {
    sdk: SdkConfig,
    path_style: bool,
}

impl AwsContext {
    /// Resolve the configuration once (reads the environment and the shared config files; the
    /// credentials themselves are fetched lazily by the first request).
    pub async fn load(opts: &AwsOptions) -> Self {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        if let Some(r) = &opts.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(u) = &opts.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        AwsContext {
            sdk: loader.load().await,
            // Emulators and custom endpoints rarely resolve bucket subdomains.
            path_style: opts.endpoint_url.is_some(),
        }
    }

    /// A context over an already built configuration (tests with replayed responses).
    pub fn from_sdk_config(sdk: SdkConfig) -> Self {
        AwsContext {
            sdk,
            path_style: false,
        }
    }

    /// Resolve the credentials once, before anything is asked: without them every request would
    /// fail the same way, each as a gap with the SDK's whole error chain. Never says what the
    /// credentials are.
    pub async fn check_credentials(&self) -> Result<(), super::AwsError> {
        use aws_sdk_s3::config::ProvideCredentials as _;
        let no_credentials = |reason: String| super::AwsError::NoCredentials { reason };
        let provider = self
            .sdk
            .credentials_provider()
            .ok_or_else(|| no_credentials("no credentials provider is configured".into()))?;
        match provider.provide_credentials().await {
            Ok(_) => Ok(()),
            // The error's own line, not its sources: they repeat every provider of the chain.
            Err(e) => Err(no_credentials(e.to_string())),
        }
    }

    /// The region the credentials chain or `--region` configured.
    pub fn configured_region(&self) -> Option<String> {
        self.sdk.region().map(|r| r.to_string())
    }

    /// The regions whose APIs (LookupEvents, CloudWatch, Logs, EventBridge, CloudTrail) are
    /// asked: `--regions`, else the configured region.
    pub fn api_regions(&self, plan: &CollectPlan) -> Vec<String> {
        match &plan.regions {
            Some(r) if !r.is_empty() => r.clone(),
            _ => vec![self
                .configured_region()
                .unwrap_or_else(|| FALLBACK_REGION.to_string())],
        }
    }

    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .force_path_style(self.path_style)
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    pub fn cloudtrail(&self, region: &str) -> aws_sdk_cloudtrail::Client {
        let conf = aws_sdk_cloudtrail::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_cloudtrail::Client::from_conf(conf)
    }

    pub fn cloudwatch(&self, region: &str) -> aws_sdk_cloudwatch::Client {
        let conf = aws_sdk_cloudwatch::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_cloudwatch::Client::from_conf(conf)
    }

    pub fn logs(&self, region: &str) -> aws_sdk_cloudwatchlogs::Client {
        let conf = aws_sdk_cloudwatchlogs::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_cloudwatchlogs::Client::from_conf(conf)
    }

    pub fn secrets(&self, region: &str) -> aws_sdk_secretsmanager::Client {
        let conf = aws_sdk_secretsmanager::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_secretsmanager::Client::from_conf(conf)
    }

    pub fn ssm(&self, region: &str) -> aws_sdk_ssm::Client {
        let conf = aws_sdk_ssm::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_ssm::Client::from_conf(conf)
    }

    pub fn sns(&self, region: &str) -> aws_sdk_sns::Client {
        let conf = aws_sdk_sns::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_sns::Client::from_conf(conf)
    }

    pub fn lambda(&self, region: &str) -> aws_sdk_lambda::Client {
        let conf = aws_sdk_lambda::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_lambda::Client::from_conf(conf)
    }

    /// IAM is global: its endpoint is in us-east-1 (or the emulator's).
    pub fn iam(&self) -> aws_sdk_iam::Client {
        let conf = aws_sdk_iam::config::Builder::from(&self.sdk)
            .region(Region::new(FALLBACK_REGION))
            .build();
        aws_sdk_iam::Client::from_conf(conf)
    }

    pub fn sts(&self, region: &str) -> aws_sdk_sts::Client {
        let conf = aws_sdk_sts::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_sts::Client::from_conf(conf)
    }

    pub fn athena(&self, region: &str) -> aws_sdk_athena::Client {
        let conf = aws_sdk_athena::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_athena::Client::from_conf(conf)
    }

    /// S3 Control. Its endpoint rules put the account in front of the host
    /// (`ACCOUNT.s3-control.REGION.amazonaws.com`), also in front of `--endpoint-url`'s, which
    /// an emulator's loopback address cannot resolve: with `--endpoint-url`, requests go to that
    /// URL as given (the account is in the `x-amz-account-id` header either way).
    pub fn s3control(&self, region: &str) -> aws_sdk_s3control::Client {
        let mut conf = aws_sdk_s3control::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()));
        if let Some(url) = self.sdk.endpoint_url() {
            conf = conf.endpoint_resolver(AsGiven(url.to_string()));
        }
        aws_sdk_s3control::Client::from_conf(conf.build())
    }

    pub fn events(&self, region: &str) -> aws_sdk_eventbridge::Client {
        let conf = aws_sdk_eventbridge::config::Builder::from(&self.sdk)
            .region(Region::new(region.to_string()))
            .build();
        aws_sdk_eventbridge::Client::from_conf(conf)
    }
}

/// An endpoint used as given, whatever the request (S3 Control with `--endpoint-url`).
#[derive(Debug)]
struct AsGiven(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for AsGiven {
    fn resolve_endpoint<'a>(
        &'a self,
        _: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        let endpoint = aws_sdk_s3control::config::endpoint::Endpoint::builder()
            .url(self.0.clone())
            .build();
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(endpoint))
    }
}

/// One region being asked, and whether others are too (which decides the file layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionScope {
    pub region: String,
    pub multi: bool,
}

impl RegionScope {
    /// Where a configuration file of this region goes: the case layout's path when one region
    /// is asked, else under a folder per region (`cloudwatch/eu-west-1/alarms.json`).
    pub fn path(&self, dir: &str, file: &str) -> String {
        if self.multi {
            format!("{dir}/{}/{file}", self.region)
        } else {
            format!("{dir}/{file}")
        }
    }
}

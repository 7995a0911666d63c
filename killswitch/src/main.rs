//! The Lambda entry point (`bootstrap` for the `provided.al2023` runtime): reads the settings
//! from the environment, contains the caller of each EventBridge event, logs the result as one
//! JSON line (CloudWatch Logs) and returns it. The logic is in the library.

#![forbid(unsafe_code)]

use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;
use trailcase_killswitch::{handle, Clients, Settings};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .load()
        .await;
    let clients = Clients::new(&sdk);
    let settings = Settings::from_vars(|k| std::env::var(k).ok());
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let (clients, settings) = (clients.clone(), settings.clone());
        async move {
            let result = handle(&clients, &settings, &event.payload, now()).await;
            let json = serde_json::to_value(&result)?;
            println!("{json}");
            Ok::<Value, Error>(json)
        }
    }))
    .await
}

fn now() -> chrono::DateTime<chrono::Utc> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(since.as_secs() as i64, 0).unwrap_or_default()
}

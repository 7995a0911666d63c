//! `trailcase athena ddl`: print the CloudTrail table for a trail's prefix. Offline, except
//! that an organisation table's accounts are listed (read-only) when `--accounts` is not given.

use crate::cli::{AthenaCommand, AthenaDdlArgs};
use crate::source::aws::athena::ddl::{self, TableSpec};
use crate::source::aws::{self, AwsContext, AwsOptions};
use anyhow::{bail, Context, Result};

use super::Outcome;

pub fn run(command: AthenaCommand) -> Result<Outcome> {
    match command {
        AthenaCommand::Ddl(args) => print_ddl(args),
    }
}

fn print_ddl(args: AthenaDdlArgs) -> Result<Outcome> {
    let single = ddl::account_of_location(&args.location).is_some();
    if args.org && single {
        bail!(
            "--org: {} ends with an account folder; an organisation trail's prefix is s3://bucket/AWSLogs/o-xxxx/",
            args.location
        );
    }
    if single && !args.accounts.is_empty() {
        bail!(
            "--accounts cannot apply: {} is one account's folder",
            args.location
        );
    }
    let accounts = if single || !args.accounts.is_empty() {
        args.accounts.clone()
    } else {
        list_accounts(&args)?
    };
    let spec = TableSpec {
        name: args.table.to_string(),
        location: args.location.clone(),
        org: args.org,
        accounts,
        regions: args.regions.clone(),
        since: args.since.clone(),
    };
    print!("{}", ddl::create_table(&spec));
    Ok(Outcome::Complete)
}

/// The 12-digit folders under the location, read-only.
fn list_accounts(args: &AthenaDdlArgs) -> Result<Vec<String>> {
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let accounts = runtime.block_on(async {
        let ctx = AwsContext::load(&options).await;
        ctx.check_credentials().await?;
        aws::s3::account_folders(&ctx, &args.location).await
    });
    let accounts = accounts.with_context(|| {
        format!(
            "cannot list the account folders under {} (give them with --accounts)",
            args.location
        )
    })?;
    if accounts.is_empty() {
        bail!(
            "no account folders (12 digits) under {}: check the prefix, or give --accounts",
            args.location
        );
    }
    Ok(accounts)
}

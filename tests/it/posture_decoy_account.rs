//! `trailcase posture --honeytoken ssm:NAME` tests the filter and rule against a GetParameter
//! of the parameter by name and by ARN. The ARN's account was taken from the secret's or the
//! first rule's ARN (a documentation account when neither was there) even when
//! DescribeParameters gave the parameter's own ARN: in an account with no rule, a filter naming
//! the parameter by its real ARN was said to miss the read by ARN. The parameter's own ARN is
//! now read. Over real HTTP against moto's server, its resources made in account 111122223333.

use crate::common::moto::Moto;
use crate::posture_moto::{posture_json, put_decoy_parameter, put_filter, Aws, LOG_GROUP};
use crate::support::posture_check;

const ACCOUNT: &str = "111122223333";
const PARAMETER: &str = "/prod/db/password";

#[test]
fn the_read_by_arn_is_of_the_parameters_own_arn() {
    let moto = Moto::start_with(&[("MOTO_ACCOUNT_ID", ACCOUNT)]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(Aws::new(&moto));
    rt.block_on(put_decoy_parameter(&aws, PARAMETER));
    rt.block_on(
        aws.logs()
            .create_log_group()
            .log_group_name(LOG_GROUP)
            .send(),
    )
    .unwrap();
    // By name, or by the ARN AWS gives the parameter in this account; no other.
    let arn = format!("arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/prod/db/password");
    rt.block_on(put_filter(
        &aws,
        &format!(
            r#"{{ ($.eventSource = "ssm.amazonaws.com") && ($.eventName = "GetParameter") && (($.requestParameters.name = "{PARAMETER}") || ($.requestParameters.name = "{arn}")) }}"#
        ),
    ));

    let (report, _) = posture_json(&moto, &["--honeytoken", &format!("ssm:{PARAMETER}")]);
    let exists = posture_check(&report, "honeytoken.parameter");
    assert_eq!(exists["status"], "PASS", "{exists:#}");
    let filter = posture_check(&report, "flow1.metric-filter");
    assert_eq!(filter["status"], "PASS", "{filter:#}");
    assert!(
        filter["reason"]
            .as_str()
            .unwrap()
            .contains("catches the honeytoken by name and by ARN"),
        "{filter:#}"
    );
}

//! The one table that maps an AWS API call to the MITRE ATT&CK (Enterprise, IaaS) techniques it
//! is consistent with. `docs/attack.md` prints the same table with the reasons; a test keeps the
//! two in step. A call maps to a technique by its action (`iam:CreateAccessKey`); an entry
//! ending in `*` covers every call that starts with it (`ec2:Describe*`).
//!
//! A mapping says what kind of step a call is, not why the actor made it: the report lists
//! the technique with the calls and eventIDs it rests on, and whether any of them succeeded.

/// One technique and the calls mapped to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Technique {
    pub id: &'static str,
    pub name: &'static str,
    pub tactics: &'static [&'static str],
    pub calls: &'static [&'static str],
}

const DISCOVERY: &[&str] = &["Discovery"];
const PERSIST_ESCALATE: &[&str] = &["Persistence", "Privilege Escalation"];
const EVASION: &[&str] = &["Defense Evasion"];

/// Every technique trailcase maps, in ATT&CK ID order.
pub const TABLE: &[Technique] = &[
    Technique {
        id: "T1069.003",
        name: "Permission Groups Discovery: Cloud Groups",
        tactics: DISCOVERY,
        calls: &[
            "iam:GetAccountAuthorizationDetails",
            "iam:GetGroup",
            "iam:GetGroupPolicy",
            "iam:GetPolicy",
            "iam:GetPolicyVersion",
            "iam:GetRolePolicy",
            "iam:GetUserPolicy",
            "iam:ListAttachedGroupPolicies",
            "iam:ListAttachedRolePolicies",
            "iam:ListAttachedUserPolicies",
            "iam:ListEntitiesForPolicy",
            "iam:ListGroupPolicies",
            "iam:ListGroups",
            "iam:ListGroupsForUser",
            "iam:ListPolicies",
            "iam:ListPolicyVersions",
            "iam:ListRolePolicies",
            "iam:ListUserPolicies",
            "iam:SimulatePrincipalPolicy",
        ],
    },
    Technique {
        id: "T1078.004",
        name: "Valid Accounts: Cloud Accounts",
        tactics: &[
            "Defense Evasion",
            "Persistence",
            "Privilege Escalation",
            "Initial Access",
        ],
        calls: &[
            "sts:AssumeRole",
            "sts:GetFederationToken",
            "sts:GetSessionToken",
        ],
    },
    Technique {
        id: "T1087.004",
        name: "Account Discovery: Cloud Account",
        tactics: DISCOVERY,
        calls: &[
            "iam:GetAccountAuthorizationDetails",
            "iam:GetAccountSummary",
            "iam:GetLoginProfile",
            "iam:GetRole",
            "iam:GetUser",
            "iam:ListAccessKeys",
            "iam:ListAccountAliases",
            "iam:ListRoles",
            "iam:ListSSHPublicKeys",
            "iam:ListUsers",
            "organizations:ListAccounts",
            "sts:GetAccessKeyInfo",
            "sts:GetCallerIdentity",
        ],
    },
    Technique {
        id: "T1098.001",
        name: "Account Manipulation: Additional Cloud Credentials",
        tactics: PERSIST_ESCALATE,
        calls: &[
            "iam:CreateAccessKey",
            "iam:CreateLoginProfile",
            "iam:CreateServiceSpecificCredential",
            "iam:UpdateLoginProfile",
            "iam:UploadSSHPublicKey",
            "iam:UploadSigningCertificate",
        ],
    },
    Technique {
        id: "T1098.003",
        name: "Account Manipulation: Additional Cloud Roles",
        tactics: PERSIST_ESCALATE,
        calls: &[
            "iam:AddUserToGroup",
            "iam:AttachGroupPolicy",
            "iam:AttachRolePolicy",
            "iam:AttachUserPolicy",
            "iam:CreatePolicyVersion",
            "iam:PutGroupPolicy",
            "iam:PutRolePolicy",
            "iam:PutUserPolicy",
            "iam:SetDefaultPolicyVersion",
            "iam:UpdateAssumeRolePolicy",
        ],
    },
    Technique {
        id: "T1136.003",
        name: "Create Account: Cloud Account",
        tactics: &["Persistence"],
        calls: &["iam:CreateUser"],
    },
    Technique {
        id: "T1485",
        name: "Data Destruction",
        tactics: &["Impact"],
        calls: &[
            "s3:DeleteBucket",
            "s3:DeleteObject",
            "s3:DeleteObjects",
            "secretsmanager:DeleteSecret",
        ],
    },
    Technique {
        id: "T1518.001",
        name: "Software Discovery: Security Software Discovery",
        tactics: DISCOVERY,
        calls: &[
            "cloudtrail:DescribeTrails",
            "cloudtrail:GetEventSelectors",
            "cloudtrail:GetTrailStatus",
            "cloudtrail:ListTrails",
            "cloudwatch:DescribeAlarms",
            "config:DescribeConfigurationRecorders",
            "events:DescribeRule",
            "events:ListRules",
            "events:ListTargetsByRule",
            "guardduty:GetDetector",
            "guardduty:ListDetectors",
            "logs:DescribeMetricFilters",
            "securityhub:DescribeHub",
        ],
    },
    Technique {
        id: "T1530",
        name: "Data from Cloud Storage",
        tactics: &["Collection"],
        calls: &[
            "s3:CopyObject",
            "s3:GetObject",
            "s3:UploadPartCopy",
            "s3express:CopyObject",
            "s3express:GetObject",
            "s3express:UploadPartCopy",
        ],
    },
    Technique {
        id: "T1531",
        name: "Account Access Removal",
        tactics: &["Impact"],
        calls: &[
            "iam:DeleteAccessKey",
            "iam:DeleteLoginProfile",
            "iam:DeleteUser",
        ],
    },
    Technique {
        id: "T1537",
        name: "Transfer Data to Cloud Account",
        tactics: &["Exfiltration"],
        calls: &[
            "ec2:ModifyImageAttribute",
            "ec2:ModifySnapshotAttribute",
            "rds:ModifyDBClusterSnapshotAttribute",
            "rds:ModifyDBSnapshotAttribute",
        ],
    },
    Technique {
        id: "T1555.006",
        name: "Credentials from Password Stores: Cloud Secrets Management Stores",
        tactics: &["Credential Access"],
        calls: &[
            "secretsmanager:BatchGetSecretValue",
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:ListSecrets",
            "ssm:DescribeParameters",
            "ssm:GetParameter",
            "ssm:GetParameters",
            "ssm:GetParametersByPath",
        ],
    },
    Technique {
        id: "T1562.001",
        name: "Impair Defenses: Disable or Modify Tools",
        tactics: EVASION,
        calls: &[
            "cloudwatch:DeleteAlarms",
            "cloudwatch:DisableAlarmActions",
            "config:DeleteConfigurationRecorder",
            "config:StopConfigurationRecorder",
            "events:DeleteRule",
            "events:DisableRule",
            "events:RemoveTargets",
            "guardduty:DeleteDetector",
            "guardduty:UpdateDetector",
            "logs:DeleteMetricFilter",
            "securityhub:DisableSecurityHub",
        ],
    },
    Technique {
        id: "T1562.008",
        name: "Impair Defenses: Disable or Modify Cloud Logs",
        tactics: EVASION,
        calls: &[
            "cloudtrail:DeleteTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:StopLogging",
            "cloudtrail:UpdateTrail",
            "logs:DeleteLogGroup",
            "logs:DeleteLogStream",
        ],
    },
    Technique {
        id: "T1578.001",
        name: "Modify Cloud Compute Infrastructure: Create Snapshot",
        tactics: EVASION,
        calls: &["ec2:CreateSnapshot", "rds:CreateDBSnapshot"],
    },
    Technique {
        id: "T1578.002",
        name: "Modify Cloud Compute Infrastructure: Create Cloud Instance",
        tactics: EVASION,
        calls: &["ec2:RunInstances"],
    },
    Technique {
        id: "T1578.003",
        name: "Modify Cloud Compute Infrastructure: Delete Cloud Instance",
        tactics: EVASION,
        calls: &["ec2:TerminateInstances"],
    },
    Technique {
        id: "T1580",
        name: "Cloud Infrastructure Discovery",
        tactics: DISCOVERY,
        calls: &[
            "ec2:Describe*",
            "ecs:Describe*",
            "ecs:List*",
            "eks:DescribeCluster",
            "eks:ListClusters",
            "lambda:GetFunction",
            "lambda:ListFunctions",
            "rds:Describe*",
            "s3:ListBuckets",
        ],
    },
    Technique {
        id: "T1619",
        name: "Cloud Storage Object Discovery",
        tactics: DISCOVERY,
        calls: &[
            "s3:ListObjectVersions",
            "s3:ListObjects",
            "s3:ListObjectsV2",
        ],
    },
    Technique {
        id: "T1651",
        name: "Cloud Administration Command",
        tactics: &["Execution"],
        calls: &["ssm:SendCommand", "ssm:StartSession"],
    },
];

/// Whether a table entry covers `action`.
fn covers(entry: &str, action: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(prefix) => action.starts_with(prefix),
        None => entry == action,
    }
}

/// The IAM action a recorded call is (what the table spells): CloudTrail names a call by its
/// service's endpoint (`monitoring.amazonaws.com` for CloudWatch's alarms, so
/// `monitoring:DeleteAlarms` is `cloudwatch:DeleteAlarms`), and writes Lambda's calls with
/// the API version (`ListFunctions20150331`, `GetFunction20150331v2` are
/// `lambda:ListFunctions`, `lambda:GetFunction`). Any other call is its own name.
pub fn iam_action(action: &str) -> String {
    let Some((service, name)) = action.split_once(':') else {
        return action.to_string();
    };
    match service {
        "monitoring" => format!("cloudwatch:{name}"),
        "lambda" => format!("lambda:{}", without_api_version(name)),
        _ => action.to_string(),
    }
}

/// `name` without a trailing API version: eight digits of a date, then optionally `v` and
/// digits (`20150331`, `20150331v2`).
fn without_api_version(name: &str) -> &str {
    let head = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let head = match head.strip_suffix('v') {
        Some(h) if head.len() < name.len() => h,
        _ => name,
    };
    let stem = head.trim_end_matches(|c: char| c.is_ascii_digit());
    if head.len() - stem.len() == 8 && !stem.is_empty() {
        stem
    } else {
        name
    }
}

/// The techniques `action` (as `model::action_name` spells it) is mapped to, in table order,
/// by its IAM action ([`iam_action`]).
pub fn techniques(action: &str) -> impl Iterator<Item = &'static Technique> + '_ {
    let iam = iam_action(action);
    TABLE
        .iter()
        .filter(move |t| t.calls.iter().any(|c| covers(c, &iam)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_id_order_and_each_list_sorted() {
        let ids: Vec<&str> = TABLE.iter().map(|t| t.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for t in TABLE {
            let mut calls = t.calls.to_vec();
            calls.sort();
            assert_eq!(calls, t.calls, "{}", t.id);
        }
    }

    #[test]
    fn exact_and_prefix_entries() {
        let ids = |a: &str| techniques(a).map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids("iam:CreateAccessKey"), ["T1098.001"]);
        assert_eq!(ids("ec2:DescribeInstances"), ["T1580"]);
        assert_eq!(
            ids("iam:GetAccountAuthorizationDetails"),
            ["T1069.003", "T1087.004"]
        );
        // No partial names: `iam:CreateAccessKeyX` is not `iam:CreateAccessKey`.
        assert!(ids("iam:CreateAccessKeyX").is_empty());
        assert!(ids("ec2:RunInstancesX").is_empty());
        assert!(ids("s3:PutObject").is_empty());
        // A copy reads its source object as a GetObject does.
        assert_eq!(ids("s3:CopyObject"), ["T1530"]);
    }

    #[test]
    fn recorded_names_are_matched_as_the_iam_actions_they_are() {
        let ids = |a: &str| techniques(a).map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids("monitoring:DeleteAlarms"), ["T1562.001"]);
        assert_eq!(ids("monitoring:DisableAlarmActions"), ["T1562.001"]);
        assert_eq!(ids("monitoring:DescribeAlarms"), ["T1518.001"]);
        assert_eq!(ids("lambda:ListFunctions20150331"), ["T1580"]);
        assert_eq!(ids("lambda:GetFunction20150331v2"), ["T1580"]);
        assert!(ids("lambda:GetFunctionConfiguration20150331v2").is_empty());
        assert_eq!(without_api_version("GetFunction"), "GetFunction");
        assert_eq!(without_api_version("Invoke"), "Invoke");
        assert_eq!(without_api_version("Get20150331"), "Get");
        assert_eq!(without_api_version("X2015033v2"), "X2015033v2");
    }
}

#[cfg(test)]
mod docs {
    /// `docs/attack.md` prints this table: each technique on one row with its name, tactics and
    /// every call, so the page a reader checks is the table the code applies.
    #[test]
    fn the_documented_table_is_the_table_applied() {
        let page = include_str!("../../docs/attack.md");
        let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| T1")).collect();
        assert_eq!(rows.len(), super::TABLE.len(), "one row per technique");
        for (t, row) in super::TABLE.iter().zip(&rows) {
            let cells: Vec<&str> = row.split(" | ").collect();
            assert_eq!(cells[0], format!("| {} {}", t.id, t.name));
            assert_eq!(cells[1], t.tactics.join(", "), "{}", t.id);
            let calls: Vec<String> = t.calls.iter().map(|c| format!("`{c}`")).collect();
            assert_eq!(cells[2], calls.join(", "), "{}", t.id);
        }
    }
}

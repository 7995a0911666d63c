//! The executive summary's plain words for the actor's changes: one phrase per API the summary
//! knows ("create a new access key"), the others grouped by kind, and the list and count helpers
//! its sentences share. Pure words: depends on nothing but the action names it is given.

/// A change the actor made or tried, in plain words.
pub(super) fn plain_change(action: &str) -> String {
    let known = [
        ("iam:CreateAccessKey", "create a new access key"),
        ("iam:CreateUser", "create a new user"),
        ("iam:CreateLoginProfile", "create a console password"),
        ("iam:UpdateLoginProfile", "change a console password"),
        ("iam:AttachUserPolicy", "give itself more permissions"),
        ("iam:PutUserPolicy", "give itself more permissions"),
        ("iam:AttachRolePolicy", "give a role more permissions"),
        ("iam:CreateRole", "create a new role"),
        ("iam:UpdateAssumeRolePolicy", "change who may use a role"),
        ("secretsmanager:PutSecretValue", "change a secret"),
        ("secretsmanager:DeleteSecret", "delete a secret"),
        // "an audit trail": an account may have several, and which one feeds detection is the
        // findings' to say.
        ("cloudtrail:StopLogging", "stop an audit trail's logging"),
        ("cloudtrail:DeleteTrail", "delete an audit trail"),
        ("cloudtrail:UpdateTrail", "change an audit trail's settings"),
        (
            "cloudtrail:PutEventSelectors",
            "change which events an audit trail records",
        ),
        (
            "cloudtrail:PutInsightSelectors",
            "change an audit trail's Insights settings",
        ),
        (
            "sso:CreateToken",
            "obtain an IAM Identity Center access token",
        ),
        (
            "sso-oidc:CreateToken",
            "obtain an IAM Identity Center access token",
        ),
        (
            "sso:RegisterClient",
            "register an IAM Identity Center client",
        ),
        (
            "sso-oauth:CreateToken",
            "obtain an IAM Identity Center access token",
        ),
        (
            "sso-oauth:RegisterClient",
            "register an IAM Identity Center client",
        ),
        (
            "sso-oauth:StartDeviceAuthorization",
            "start an IAM Identity Center device sign-in",
        ),
        (
            "sso-oidc:RegisterClient",
            "register an IAM Identity Center client",
        ),
        (
            "sso:GetRoleCredentials",
            "obtain role credentials from IAM Identity Center",
        ),
        ("sts:GetSessionToken", "obtain a session token"),
        ("sts:GetFederationToken", "obtain a federated user session"),
    ];
    known
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, p)| p.to_string())
        .unwrap_or_else(|| {
            let name = action.split(':').nth(1).unwrap_or(action);
            format!("make a change ({name})")
        })
}

/// A credential the actor obtained (`Impact::credentials_obtained`), in plain words.
pub(super) fn plain_credential(action: &str) -> &'static str {
    // Other services' credentials, by the whole action (two services call theirs
    // GetAuthorizationToken); what each issues as AWS documents it.
    match action {
        "cognito-identity:GetCredentialsForIdentity" => {
            return "AWS credentials of a Cognito identity pool's role"
        }
        "sts:GetWebIdentityToken" => {
            return "a web identity token (a signed JWT for services outside AWS)"
        }
        "signin:GetSigninToken" => {
            return "a console sign-in token (it signs a browser in to the AWS console)"
        }
        "ecr:GetAuthorizationToken" | "ecr-public:GetAuthorizationToken" => {
            return "a container registry password (ECR's, valid 12 hours as AWS documents it)"
        }
        "codeartifact:GetAuthorizationToken" => {
            return "a CodeArtifact authorization token (for package managers)"
        }
        "redshift:GetClusterCredentials" | "redshift:GetClusterCredentialsWithIAM" => {
            return "a temporary Redshift database password"
        }
        _ => {}
    }
    let name = action.split(':').nth(1).unwrap_or(action);
    match name {
        n if n.starts_with("AssumeRole") => "a role session",
        "AssumeRoot" => "a root user session",
        "GetSessionToken" => "a session token",
        "GetFederationToken" => "a federated user session",
        "GetRoleCredentials" => "role credentials from IAM Identity Center",
        "CreateToken" | "CreateTokenWithIAM" => "an IAM Identity Center access token",
        "RegisterClient" => "an IAM Identity Center client registration (a client secret)",
        _ => "a credential",
    }
}

/// API names a sentence lists at most before "and N more" (the JSON's `impact` has them all).
const CHANGES_NAMED: usize = 5;

/// The changes of `actions` (distinct APIs, in order) in plain words: each one the summary knows
/// in its own words, the others grouped in one item ("make changes of 22 kinds (EnableKey,
/// DeleteAlias, … and 17 more)") rather than "make a change (X)" once per API.
pub(super) fn plain_changes(actions: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut others: Vec<&str> = Vec::new();
    for a in actions {
        let p = plain_change(a);
        if p.starts_with("make a change (") {
            others.push(a.split(':').nth(1).unwrap_or(a));
        } else if !out.contains(&p) {
            out.push(p);
        }
    }
    let other = if out.is_empty() { "" } else { "other " };
    match others.as_slice() {
        [] => {}
        [one] if out.is_empty() => out.push(format!("make a change ({one})")),
        [one] => out.push(format!("make another change ({one})")),
        many => {
            // One more than CHANGES_NAMED is named whole: "and 1 more" is no shorter.
            let shown = if many.len() > CHANGES_NAMED + 1 {
                CHANGES_NAMED
            } else {
                many.len()
            };
            let named: Vec<String> = many.iter().take(shown).map(|s| s.to_string()).collect();
            let names = if many.len() > shown {
                format!(
                    "{} and {} more",
                    named.join(", "),
                    many.len() - CHANGES_NAMED
                )
            } else {
                list(&named)
            };
            out.push(format!(
                "make {other}changes of {} kinds ({names})",
                many.len()
            ));
        }
    }
    out
}

pub(super) use crate::report::content::fmt::list;

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("one {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(actions: &[&str]) -> String {
        let actions: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
        list(&plain_changes(&actions))
    }

    /// Changes the summary has no words for are grouped, not said once each (22 KMS calls read
    /// "make a change (EnableKey), make a change (DeleteAlias), …").
    #[test]
    fn many_changes_are_grouped_with_the_first_named() {
        let kms: Vec<String> = (1..=22).map(|n| format!("kms:Call{n}")).collect();
        let kms: Vec<&str> = kms.iter().map(String::as_str).collect();
        assert_eq!(
            words(&kms),
            "make changes of 22 kinds (Call1, Call2, Call3, Call4, Call5 and 17 more)"
        );
        let mut with_known = vec!["iam:CreateAccessKey"];
        with_known.extend(&kms[..3]);
        assert_eq!(
            words(&with_known),
            "create a new access key and make other changes of 3 kinds (Call1, Call2 and Call3)"
        );
        assert_eq!(words(&["kms:EnableKey"]), "make a change (EnableKey)");
        assert_eq!(
            words(&["iam:CreateAccessKey", "kms:EnableKey"]),
            "create a new access key and make another change (EnableKey)"
        );
    }
}

//! The executive summary's story of one incident in order (reconnaissance, the read, detection,
//! containment, what the actor tried afterwards) and what the evidence shows of how the
//! credential was obtained, in plain words, each sentence from the incident's data.

use super::words::{list, plain_change, plural};
use super::{decoy, other_account, Access};
use crate::model::{ContainmentStatus, Incident, IndicatorKind, Timestamp};
use crate::report::content::fmt;

/// `alarm_action`: what flow 1's alarm action ran (an SNS topic's ARN), when the alarm history
/// names it. `t_noun`: the first access (T), which detection and containment are timed from,
/// named for what it was ("the read", "the attempt", "the first, refused attempt").
/// Which detection evidence the case holds at all: without it, a flow's silence is unknown, not
/// a flow that did not fire.
#[derive(Clone, Copy)]
pub(super) struct Examined {
    /// An EventBridge rule's definition, an AWS/Events metric or a kill-switch result.
    rule: bool,
    /// describe-alarm-history (an input of that kind, even one with no item).
    alarm_history: bool,
}

impl Examined {
    pub(super) fn of(t: &crate::model::Timeline) -> Examined {
        let c = &t.config;
        Examined {
            rule: !c.rules.is_empty() || !c.metrics.is_empty() || !c.killswitch_reports.is_empty(),
            alarm_history: !c.alarm_history.is_empty()
                || t.inputs.iter().any(|i| i.kind.contains("alarm-history")),
        }
    }
}

pub(super) fn story(
    i: &Incident,
    alarm_action: Option<&str>,
    indirect: &super::indirect::IndirectReads,
    read_after_refusal: Option<(Timestamp, String)>,
    t_noun: &str,
    examined: Examined,
) -> Vec<String> {
    let m = &i.milestones;
    let l = &i.latency_seconds;
    let mut out = Vec::new();
    let first_read = m.first_access;
    let recon: Vec<&crate::model::AttackTechnique> = i
        .attack
        .iter()
        .filter(|t| t.tactics.iter().any(|x| x == "Discovery"))
        .filter(|t| first_read.is_some_and(|r| t.first_seen < r))
        .collect();
    if let Some(first) = recon.iter().map(|t| t.first_seen).min() {
        out.push(format!(
            "**Reconnaissance.** From {} the actor surveyed the account: {}.",
            fmt::time(first),
            list(&recon.iter().map(|t| discovery(&t.id)).collect::<Vec<_>>())
        ));
    }
    for s in i
        .actor
        .derived_sessions
        .iter()
        .filter(|s| first_read.is_some_and(|r| s.issued_at < r))
    {
        out.push(format!(
            "**A second way in.** At {} it switched into a role, obtaining a temporary credential of its own.",
            fmt::time(s.issued_at)
        ));
    }
    if let (Some(r), true) = (first_read, i.indirect_only()) {
        let r = indirect.decrypted.unwrap_or(r);
        let attempt = indirect.refused_step(i);
        let refused_first = indirect.refused.is_some_and(|a| a <= r);
        if refused_first {
            out.extend(attempt.clone());
        }
        out.push(format!(
            "**The read.** At {} S3 decrypted the {} {} for it: known from KMS records only, the S3 call itself is not in the evidence.",
            fmt::time(r),
            decoy(i),
            i.honeytoken_name
        ));
        if !refused_first {
            out.extend(attempt);
        }
    } else if let (Some(r), Some((read, how))) = (first_read, read_after_refusal) {
        out.push(format!(
            "**The read.** At {} it tried to read the {} {}{} and {how}; at {} it read it.",
            fmt::time(r),
            decoy(i),
            i.honeytoken_name,
            other_account(i),
            fmt::time(read)
        ));
    } else if let Some(r) = first_read {
        let access = Access::of(i);
        out.push(format!(
            "**{}** {} {} it {} the {} {}{}{}.",
            // Every call refused: an attempt, not a read.
            if access == Access::Tried {
                "The attempt."
            } else {
                "The read."
            },
            // Read and copied: the first access may be either, and the other came later.
            if access == Access::ReadAndCopied {
                "From"
            } else {
                "At"
            },
            fmt::time(r),
            match access {
                Access::Copied => "copied".to_string(),
                Access::Read if i.impact.service_reads_only() => format!(
                    "had the AWS service {} read (userIdentity.invokedBy)",
                    i.impact.reading_services()
                ),
                Access::Read | Access::ReadAndCopied => "read".to_string(),
                Access::Tried => "tried to read".to_string(),
            },
            decoy(i),
            i.honeytoken_name,
            other_account(i),
            match access {
                Access::Copied => format!(" into {}", i.impact.copied_into()),
                Access::ReadAndCopied => format!(" and copied it into {}", i.impact.copied_into()),
                Access::Read | Access::Tried => String::new(),
            }
        ));
    }
    let mut det = Vec::new();
    match l.flow2_detect {
        // Which event the rule matched is not recorded: after a refused first access, only
        // when it fired.
        Some(d) if t_noun == "the read" => det.push(format!(
            "the real-time event rule matched the read within {}",
            fmt::duration(d)
        )),
        Some(d) => det.push(format!(
            "the real-time event rule fired within {} of {t_noun}",
            fmt::duration(d)
        )),
        None if !examined.rule => det.push(
            "whether a real-time event rule detected it is unknown: no EventBridge rule, rule metric or kill-switch result is in the evidence".into(),
        ),
        None => det.push("the real-time event rule left no evidence of detecting it".into()),
    }
    match (l.flow1_detect, m.flow1_notification) {
        (_, _) if i.flow1_alarm_unlinked() => det.push(unlinked_alarms(i, t_noun)),
        // The history shows the action run, i.e. a publish to the topic: not that anyone
        // received it.
        (Some(d), Some(_)) => det.push(format!(
            "the log-based alarm fired {} after {t_noun} and {}",
            fmt::duration(d),
            match alarm_action {
                Some(arn) if arn.starts_with("arn:aws:sns:") => format!(
                    "published to SNS topic {}",
                    arn.rsplit(':').next().unwrap_or(arn)
                ),
                Some(arn) => format!("ran its action {arn}"),
                None => "ran its action".to_string(),
            }
        )),
        (Some(d), None) => det.push(format!(
            "the log-based alarm fired {} after {t_noun}",
            fmt::duration(d)
        )),
        (None, _) if !examined.alarm_history => det.push(
            "whether the log-based alarm fired is unknown: no alarm history (describe-alarm-history) is in the evidence".into(),
        ),
        (None, _) => det.push(
            "the alarm history in the evidence shows no log-based alarm firing after it".into(),
        ),
    }
    out.push(format!("**Detection.** {}.", capitalise(&det.join("; "))));
    out.push(match l.contain {
        Some(d) => format!(
            "**Containment.** {} after {t_noun}, the automatic kill-switch's calls to block the actor's user were complete{}.",
            capitalise(&fmt::duration(d)),
            super::block_effect(i, t_noun, "of the user")
        ),
        None if i.containment_status == ContainmentStatus::Unconfirmed => "**Containment.** The kill-switch reports blocking the actor, but no call by the configured kill-switch is in the CloudTrail evidence.".into(),
        None => "**Containment.** The evidence shows no successful block of the actor.".into(),
    });
    let mut after = Vec::new();
    for t in i
        .attack
        .iter()
        .filter(|t| t.tactics.iter().any(|x| x == "Persistence") && !t.id.starts_with("T1078"))
    {
        let what: Vec<String> = t.calls.iter().map(|c| plain_change(&c.action)).collect();
        after.push(if t.succeeded {
            format!("it managed to {}, a way to keep access", list(&what))
        } else {
            format!(
                "it tried to {}, a way to keep access, and was refused",
                list(&what)
            )
        });
    }
    // What the evidence shows of the credentials the block did not reach: used after it, or
    // only still valid (the actor's last success may be another credential's).
    let used = i
        .live_credentials
        .iter()
        .filter_map(|c| c.last_success_after_containment)
        .max();
    let refused: u64 = i
        .live_credentials
        .iter()
        .map(|c| c.refused_after_containment)
        .sum();
    // Each credential's first refused attempt; with several credentials, which came first is
    // not said (each credential's own is in the JSON).
    let firsts: Vec<&str> = i
        .live_credentials
        .iter()
        .filter_map(|c| c.first_refused_after_containment.as_deref())
        .collect();
    let first_refused = firsts.first().copied();
    let first_label = if firsts.len() > 1 {
        "one of them"
    } else {
        "the first"
    };
    match (used, first_refused) {
        (Some(last), _) => after.push(format!(
            "a temporary credential it had obtained before the block kept working (last success at {})",
            fmt::time(last)
        )),
        (None, Some(first)) => after.push(format!(
            "a temporary credential it had obtained before the block stayed valid; no call with it succeeded after the block, and {refused} attempt(s) with it were refused ({first_label}: eventID {first})"
        )),
        (None, None) if !i.live_credentials.is_empty() => after.push(
            "a temporary credential it had obtained before the block stayed valid; no use of it after the block is in the evidence"
                .into(),
        ),
        (None, None) => {}
    }
    if !after.is_empty() {
        out.push(format!(
            "**Afterwards.** {}.",
            capitalise(&after.join("; "))
        ));
    }
    out
}

fn discovery(id: &str) -> String {
    match id.split('.').next().unwrap_or(id) {
        "T1087" => "checked whose credential it held",
        "T1069" => "listed its permissions",
        "T1580" => "listed infrastructure such as storage and servers",
        "T1526" => "listed the cloud services in use",
        "T1619" => "listed storage contents",
        _ => "other look-ups",
    }
    .to_string()
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Tools the root cause names at most (the indicators list every user agent).
const TOOLS_NAMED: usize = 4;

pub fn root_cause(i: &Incident) -> String {
    let a = &i.actor;
    let origins = origins(i);
    let mut known = Vec::new();
    let tools: Vec<String> =
        a.user_agents
            .iter()
            .filter_map(|u| tool(u))
            .fold(Vec::new(), |mut v, t| {
                if !v.contains(&t) {
                    v.push(t);
                }
                v
            });
    // Unrecognised tools are named by their user agents: a few, then how many more.
    let mut tools = tools;
    if tools.len() > TOOLS_NAMED {
        let more = tools.len() - TOOLS_NAMED;
        tools.truncate(TOOLS_NAMED);
        tools.push(plural(more, "other tool", "other tools"));
    }
    let ips = i.indicators.iter().filter(|x| x.kind.is_address()).count();
    let endpoints: Vec<&str> = i
        .indicators
        .iter()
        .filter(|x| x.kind == IndicatorKind::VpcEndpoint)
        .map(|x| x.value.as_str())
        .collect();
    let through = match endpoints.as_slice() {
        [] => String::new(),
        [one] => format!(" (through the VPC endpoint {one})"),
        many => format!(" (through the VPC endpoints {})", many.join(", ")),
    };
    if let Some(first) = m_first(i) {
        // No address and no tool is what the records do not give (`AWS Internal`, a service's
        // name), not a count of what was seen or a tool that went unrecognised.
        let from = match ips {
            0 => "no network address the records give (its calls' source is AWS's own: a service's name or AWS Internal, or none)".to_string(),
            n => plural(n, "network address", "network addresses"),
        };
        // A console session's tool is the console in a browser: the records state the session
        // (`sessionCredentialFromConsole`) even when the user agent is AWS's own.
        let with = match (&a.console_session, tools.is_empty()) {
            (Some(c), empty) => format!(
                "{} (its records state sessionCredentialFromConsole \"true\": {} of them, the first eventID {}{})",
                if empty {
                    "an AWS Management Console session".to_string()
                } else {
                    format!("{} in an AWS Management Console session", list(&tools))
                },
                c.records,
                c.first_event_id,
                if empty {
                    "; their user agent is AWS's own or none, so which browser is not recorded"
                } else {
                    ""
                }
            ),
            (None, true) => {
                "no tool of its own in the records (its user agent is AWS's own or none)"
                    .to_string()
            }
            (None, false) => list(&tools),
        };
        known.push(format!(
            "its first use in the evidence is at {}; its calls in the evidence came from {from}{through} with {with}",
            fmt::time(first),
        ));
    }
    if origins.is_empty() {
        return format!(
            "How the credential was obtained is unknown: the evidence does not show it (neither its creation nor any use before the examined records is in the evidence). What it shows: {}.{}",
            list(&known),
            across(i)
        );
    }
    format!(
        "Where the credential came from is in the evidence: {}. How the actor came to use it is not{}. What else it shows: {}.{}",
        list(&origins),
        if a.lambda_function().is_some() {
            " (the function's own calls, or credentials taken from it)"
        } else {
            ""
        },
        list(&known),
        across(i)
    )
}

/// What the evidence shows of where the actor's credential came from, each with its eventID:
/// the STS call that issued a temporary credential, and to whom (a Lambda function's execution
/// role, another service, another identity); the console sign-in before the first read.
fn origins(i: &Incident) -> Vec<String> {
    let a = &i.actor;
    let mut out = Vec::new();
    for k in &a.key_origins {
        let to = match (k.issued_to_service(), a.lambda_function()) {
            (Some(crate::model::LAMBDA_SERVICE), Some(f)) => {
                format!("to the Lambda service for the execution role of function {f}")
            }
            (Some(service), _) => format!("to the AWS service {service}"),
            (None, _) => format!(
                "at the request of {}",
                k.caller_arn.rsplit(':').next().unwrap_or(&k.caller_arn)
            ),
        };
        out.push(format!(
            "STS issued the actor's temporary credential at {} {to} (eventID {}{})",
            fmt::time(k.issued_at),
            k.issued_by_event_id,
            if a.lambda_function().is_some() {
                "; Lambda names the session after its function"
            } else {
                ""
            }
        ));
    }
    if let Some(s) = a.sign_in_before(i.milestones.first_access) {
        let idp = s
            .saml_provider_arn
            .as_deref()
            .map(|p| {
                format!(
                    " through the SAML identity provider {}",
                    p.rsplit('/').next().unwrap_or(p)
                )
            })
            .unwrap_or_default();
        let mfa = match s.mfa_used.as_deref() {
            Some(m) => format!(", MFA used: {m} (as the record states)"),
            None => ", MFA not stated in the record".to_string(),
        };
        out.push(format!(
            "the identity signed in to the AWS console at {}{idp}{mfa} (eventID {}), before the read",
            fmt::time(s.time),
            s.event_id
        ));
    }
    out
}

/// The read crossed accounts: what let the actor's account in is for a responder to check.
fn across(i: &Incident) -> String {
    match &i.cross_account {
        Some(x) if i.impact.reads_succeeded > 0 => format!(
            " The read crossed accounts: the credential is of AWS account {}, the decoy of account {}. What let account {} in is not in the records: check {} for a statement trusting account {} (the likely cause, not established).",
            x.actor_account,
            x.honeytoken_account,
            x.actor_account,
            i.cross_account_trust(),
            x.actor_account
        ),
        Some(x) => format!(
            " The attempts crossed accounts: the credential is of AWS account {}, the decoy of account {}.",
            x.actor_account, x.honeytoken_account
        ),
        None => String::new(),
    }
}

fn m_first(i: &Incident) -> Option<crate::model::Timestamp> {
    i.milestones.first_actor_activity
}

/// The kind of client a user agent names. S3 writes the agent in square brackets
/// (`[aws-cli/2.17.60 ...]`): read as its content, so one client is not counted as two. A
/// browser's agent (`Mozilla/...`) is the AWS console only when it says so: an anonymous
/// request to a public bucket comes from a browser too.
fn tool(user_agent: &str) -> Option<String> {
    known_tool(user_agent).map(str::to_owned).or_else(|| {
        let agent = user_agent.trim();
        // Unrecognised: named by its user agent, so a reader is not left with "another tool".
        (!agent.is_empty() && !agent.to_ascii_lowercase().contains("amazonaws.com")).then(|| {
            format!(
                "a tool trailcase does not recognise (user agent \"{}\")",
                fmt::shorten(agent, 60)
            )
        })
    })
}

/// What an `aws-internal/…` user agent is said to be: software inside AWS, with what is not
/// known of it.
const AWS_INTERNAL: &str = "software inside AWS (user agent aws-internal, which AWS does not document: whether an AWS service or the console sent the call is not known)";

/// [`tool`] for the clients it knows by name; `None` for AWS's own agent and the others.
fn known_tool(user_agent: &str) -> Option<&'static str> {
    let trimmed = user_agent.trim();
    let inner = trimmed
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(trimmed);
    let u = inner.trim().to_ascii_lowercase();
    if u.contains("amazonaws.com") && !u.contains("console") {
        None
    } else if u.starts_with("aws-cli") {
        Some("the AWS command-line tool")
    } else if u.contains("console") {
        Some("a web browser (the AWS console)")
    } else if u.contains("mozilla") {
        Some("a web browser")
    } else if u.contains("aws-internal") {
        // `aws-internal/3 aws-sdk-java/…`: an AWS SDK inside AWS, not the caller's own program.
        // AWS's documentation (the CloudTrail userAgent field) does not explain the prefix, so
        // whether a service or the console sent it is not said.
        Some(AWS_INTERNAL)
    } else if u.contains("boto") || u.contains("aws-sdk") {
        Some("an AWS SDK (a program)")
    } else {
        None
    }
}

/// Flow 1 when no alarm is linked to the honeytoken: unknown, with the alarms that went to
/// ALARM after the access named as unlinked.
fn unlinked_alarms(i: &Incident, t_noun: &str) -> String {
    let named: Vec<String> = i
        .milestones
        .flow1_unlinked_alarms
        .iter()
        .map(|u| match &u.transition {
            // A transition read from a cut item's summary says so wherever it is shown.
            Some(r) => format!("{} at {} ({r})", u.alarm, fmt::time(u.time)),
            None => format!("{} at {}", u.alarm, fmt::time(u.time)),
        })
        .collect();
    let went = if named.is_empty() {
        "no alarm of the history entered ALARM after it".to_string()
    } else {
        format!(
            "{} entered ALARM after it but {} not linked to the honeytoken and may or may not watch it",
            named.join(", "),
            if named.len() == 1 { "is" } else { "are" }
        )
    };
    let now = &i.milestones.flow1_linked_now;
    let why = if now.is_empty() {
        "no alarm in the evidence is linked to the honeytoken".to_string()
    } else {
        format!(
            "an alarm watches the honeytoken's metric now, but not by a definition shown in force at the first access ({})",
            now.join("; ")
        )
    };
    format!("whether the log-based alarm detected {t_noun} is unknown: {why}; {went}")
}

#[cfg(test)]
mod tests {
    use super::tool;

    #[test]
    fn s3_s_bracketed_agent_is_the_tool_inside() {
        let cli = "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#s3api.delete-bucket";
        assert_eq!(tool(cli).as_deref(), Some("the AWS command-line tool"));
        assert_eq!(tool(&format!("[{cli}]")), tool(cli));
        assert_eq!(
            tool("[Boto3/1.34.0 md/Botocore#1.34.0]").as_deref(),
            Some("an AWS SDK (a program)")
        );
        // An SDK inside AWS is not the caller's own program.
        assert_eq!(
            tool("aws-internal/3 aws-sdk-java/1.12.451 Linux/5.10 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372").as_deref(),
            Some(super::AWS_INTERNAL)
        );
        assert_eq!(
            tool("[S3Console/0.4, aws-internal/3]").as_deref(),
            Some("a web browser (the AWS console)")
        );
        assert_eq!(
            tool("[Mozilla/5.0 (X11; Linux x86_64) Chrome/98.0.4758.102 Safari/537.36]").as_deref(),
            Some("a web browser")
        );
    }
}

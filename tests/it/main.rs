//! The root package's integration tests, as one binary: one module per area (each was a binary
//! of its own, each linking the AWS SDK), and the shared helpers `tests/common` (the signed
//! CloudTrail case, moto, buckets) and `tests/support` (running the binary, the shared data, the
//! JSON Schema check, proptest settings, the posture case).
//!
//! `cargo test --test it` runs them all; `cargo test --test it archives::` one module. A test
//! must not change the process's environment or current directory (they all share one process):
//! give a child process its variables with `Command::env`.
//!
//! A new `tests/foo.rs` joins the binary: `git mv tests/foo.rs tests/it/foo.rs`, add `mod foo;`
//! below, and in the file replace `mod support;` / `mod common;` with `use crate::support;` /
//! `use crate::common;` (a `#[path = "support/x.rs"] mod x;` becomes `use crate::support::x;`).

#[path = "../common/mod.rs"]
mod common;
#[path = "../support/mod.rs"]
mod support;

mod actor_accounts;
mod actor_origins;
mod addendum_updated_copy;
mod all_eventid_reuse;
mod all_fallback_redacted;
mod all_findings;
mod all_incidents;
mod all_labels;
mod all_schema;
mod archive_named_like_a_trail_file;
mod archives;
mod athena_collect;
mod athena_decoy_changes;
mod attack;
mod aws_internal_origin;
mod bad_input;
mod cloudtrail_lake;
mod collect_access_points;
mod collect_apis;
mod collect_custody;
mod collect_faults;
mod collect_hostile;
mod collect_memory;
mod collect_moto;
mod conflicting_copies;
mod console_session;
mod containment_claims;
mod copies_one_definition;
mod coverage_from_digests;
mod coverage_region_hours;
mod credential_scope;
mod decoy_batch_delete;
mod decoy_changed;
mod decoy_read_and_copied;
mod delivery_marks;
mod deploy_template;
mod digest_backfill;
mod digest_verify;
mod duplicates_counted;
mod event_pattern_vectors;
mod eventbridge_insight;
mod exit_codes;
mod failed_not_refused_changes;
mod filter_pattern_vectors;
mod flags;
mod flow1_alarm_calls;
mod flow1_configured_alarm;
mod flow1_cut_nist;
mod flow1_cut_transitions;
mod flow1_definition_at_read;
mod flow1_history_link;
mod flow1_history_math;
mod flow1_history_unreadable;
mod flow1_metric_match;
mod flow1_metric_math;
mod flow1_replay_definition;
mod flow1_unlinked;
mod flow_comparison_path;
mod fuzz_replay;
mod honeytoken_arn_field;
mod honeytoken_reads;
mod hostile_exports;
mod hostile_input;
mod impact_reused_eventid;
mod incident_rows;
mod indicators;
mod input_kinds;
mod issued_credential_origin;
mod killswitch_evidence;
mod killswitch_report;
mod log_file_appended;
mod lookup_data_event;
mod many_incidents;
mod milestone_citations;
mod module_graph;
mod network_activity;
mod nist_claims;
mod nist_custody_recovery;
mod nist_unseen_grades;
mod nothing_examined;
mod other_value_reads;
mod outcome_rule;
mod parameter_arn_read;
mod parser_robustness;
mod partial_arn_read;
mod partiql_select_reads;
mod pattern_properties;
mod pdf_accessible;
mod pdf_archival;
mod pdf_render;
mod pipeline_claims;
mod posture_decoy;
mod posture_metric_match;
mod posture_moto;
mod read_by_a_service;
mod read_failed_not_refused;
mod reads_not_logged;
mod records_read_right;
mod refused_access_words;
mod replay_at_scale;
mod replay_definition_change;
mod replay_detail_type;
mod replay_rule_state;
mod replay_state_change;
mod replay_timeline;
mod report;
mod report_appendix;
mod report_busy_actor;
mod report_contents;
mod report_integrity;
mod report_readers;
mod response;
mod rule_metrics_unexamined;
mod rules_cli;
mod s3_access_points;
mod s3_bucket_reads;
mod s3_decrypt;
mod s3_directory_bucket;
mod s3_write_data_events;
mod same_address;
mod sample_case;
mod sample_verify;
mod scan_properties;
mod secrets_in_environment_lists;
mod secrets_in_findings;
mod secrets_in_gaps;
mod secrets_in_option_settings;
mod secrets_in_scripts;
mod secrets_in_text;
mod secrets_in_user_agents;
mod secrets_missed_in_text;
mod secrets_nested_and_environments;
mod secrets_per_api;
mod selectors_of_every_trail;
mod session_issuer_disagrees;
mod shared_samples;
mod splunk_records;
mod summary_conflicting_copies;
mod summary_no_read_gaps;
mod summary_unexamined_detection;
mod summary_wording;
mod synced_trail_coverage;
mod time_format;
mod trail_updates;
mod unverified_records;
mod verify_cli;
mod verify_report;
